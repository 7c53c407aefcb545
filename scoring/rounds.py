"""Workshop rounds: blind answers, reveals, a second round on disputed items, and convergence.

A workshop runs in rounds. Before the facilitator opens round 1 the room works as it always has
(everyone's answers in round 1, shown as they come). Once round 1 is open the room answers *blind*:
nobody sees another person's answer, nor an item's spread, until the facilitator reveals that item
in that round. A later round covers only the items it was opened for (the disputed ones); its answers
are kept beside the earlier round's, never over them.

Everything here is pure: the state comes from storage, the answers by round from storage, and the
pages ask these functions what may be shown.
"""

from __future__ import annotations

from pydantic import Field

from checklists import NA, FrozenModel, Template

from .answers import Answer
from .workshop import item_spreads

# A round's items: None for every item of the template (round 1), else the listed ones.
RoundItems = tuple[str, ...] | None
# respondent name → item id → answer: one round's answers of a room
ByRespondent = dict[str, dict[str, Answer]]


class RoundState(FrozenModel):
    """Which rounds are open, what each covers, what has been revealed, and what the room decided."""

    rounds: dict[int, RoundItems] = Field(default_factory=dict)
    revealed: frozenset[tuple[int, str]] = frozenset()
    decided: frozenset[str] = frozenset()

    @property
    def blind(self) -> bool:
        """Whether answers are hidden until revealed (from the moment round 1 is opened)."""
        return bool(self.rounds)

    @property
    def current(self) -> int:
        """The latest round opened; 0 before round 1."""
        return max(self.rounds, default=0)

    def covers(self, number: int, item_id: str) -> bool:
        items = self.rounds.get(number, ())
        return items is None or item_id in (items or ())

    def round_for(self, item_id: str) -> int:
        """The round an answer to this item goes into now: the latest open round that covers it (1 when
        none does, and before any round is opened)."""
        return max((n for n in self.rounds if self.covers(n, item_id)), default=1)

    def rounds_of(self, item_id: str) -> list[int]:
        """The rounds that cover this item, in order (round 1 always)."""
        return sorted({1, *(n for n in self.rounds if self.covers(n, item_id))})

    def is_revealed(self, number: int, item_id: str) -> bool:
        return (number, item_id) in self.revealed

    def shown_round(self, item_id: str) -> int | None:
        """The round whose answers the room may see for this item: the latest revealed one; every answer
        (round 1 and after) before round 1 is opened; None while it is hidden."""
        if not self.blind:
            return max(self.rounds_of(item_id))
        done = [n for n in self.rounds_of(item_id) if self.is_revealed(n, item_id)]
        return max(done) if done else None

    def locked(self, number: int, item_id: str) -> bool:
        """Answers to a revealed item in that round can no longer change (a later round may ask again)."""
        return self.blind and self.is_revealed(number, item_id)


def latest_answers(by_round: dict[int, ByRespondent], upto: int | None = None) -> ByRespondent:
    """Each person's latest answer to each item (in rounds up to `upto`): what stands now."""
    out: ByRespondent = {}
    for number in sorted(by_round):
        if upto is not None and number > upto:
            continue
        for who, answers in by_round[number].items():
            mine = out.setdefault(who, {})
            mine.update({k: a for k, a in answers.items() if a.is_answered or k not in mine})
    return out


def visible_answers(state: RoundState, by_round: dict[int, ByRespondent], template: Template) -> ByRespondent:
    """What the room may see: per item, each person's answer as of the item's revealed round; nothing of
    an item still hidden. Every person who joined is kept (with what can be shown of them)."""
    people = sorted({who for answers in by_round.values() for who in answers})
    out: ByRespondent = {who: {} for who in people}
    cache: dict[int, ByRespondent] = {}
    for item in template.items():
        shown = state.shown_round(item.id)
        if shown is None:
            continue
        if shown not in cache:
            cache[shown] = latest_answers(by_round, shown)
        for who, answers in cache[shown].items():
            if item.id in answers:
                out[who][item.id] = answers[item.id]
    return out


class ItemConvergence(FrozenModel):
    """How one item's spread changed from one round to the next."""

    item_id: str
    before: float | None  # None: fewer than two scored answers
    after: float | None
    disputed: bool  # at or above the threshold before
    converged: bool  # disputed before, below the threshold after


class Convergence(FrozenModel):
    items: list[ItemConvergence]
    disputed: int
    converged: int


def spreads(template: Template, by_respondent: ByRespondent) -> dict[str, float]:
    """Every item's spread (the agenda's measure, for every answer type) over these answers, where at least
    two people gave a real answer (n/a left out)."""
    return {d.item_id: d.spread for d in item_spreads(template, by_respondent, 1.0)
            if sum(v != NA for v in d.values.values()) >= 2}


def disputed_items(template: Template, by_respondent: ByRespondent, threshold: float) -> list[str]:
    """Items whose spread is at or above the threshold: those a next round is for, largest spread first."""
    found = spreads(template, by_respondent)
    return sorted((i for i, s in found.items() if s >= threshold), key=lambda i: -found[i])


def convergence(template: Template, by_round: dict[int, ByRespondent], number: int, threshold: float,
                items: RoundItems = None) -> Convergence:
    """Round `number` against the standing answers before it, item by item (only `items` when given):
    the spread before and after, and how many disputed items came below the threshold.

    "After" is each person's latest answer up to round `number` (someone who did not answer again
    keeps their earlier answer), so an item converges only if the whole room now agrees."""
    before = spreads(template, latest_answers(by_round, number - 1))
    after = spreads(template, latest_answers(by_round, number))
    ids = [it.id for it in template.items() if items is None or it.id in items]
    rows = []
    for item_id in ids:
        b, a = before.get(item_id), after.get(item_id)
        if b is None and a is None:
            continue
        disputed = b is not None and b >= threshold
        rows.append(ItemConvergence(item_id=item_id, before=b, after=a, disputed=disputed,
                                    converged=disputed and (a is None or a < threshold)))
    return Convergence(items=rows, disputed=sum(r.disputed for r in rows),
                       converged=sum(r.converged for r in rows))
