"""Workshop mode: several respondents' answers consolidated into one, disagreements, action plan.

A consolidated answer is always a real answer of the item (a value the item allows), so the same
scoring applies to one respondent and to a room. "mean" picks the allowed value whose score is
nearest the respondents' mean score (ties go to the lower score: a room that cannot agree is not yet
ready); "min" takes the least favourable answer; "final" uses the facilitator's answer where one is
set and the mean elsewhere.

A choice item whose most-named options are tied (a 1-1-1 split) is never resolved by "mean": its
combined answer stays unknown until the facilitator sets a final answer, so a coin toss can neither
move the score nor drive another item's `depends_on`. The agenda shows the tie.

The agenda (`item_spreads`, `disagreements`) measures every answer type on one 0-1 scale:
status, scale and choice by their score spread; numbers by their spread relative to the item's range
or target (`number_spread`); multi answers by the largest Jaccard distance between two respondents'
selections (`set_spread`). It also says which options the combined multi answer drops
(`dropped_options`), which choice options are tied (`choice_tie`), who has not answered, and every
respondent's note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import Field

from checklists import (
    NA,
    CombineMethod,
    Criticality,
    FrozenModel,
    Item,
    Template,
    is_shown,
)

from .answers import Answer, Confidence
from .plan import ActionItem, ActionStatus  # noqa: F401  (re-exported: their home was here)
from .readiness import item_score

# How a room's answers become one: combined by the answer type ("mean" or "min", checklists.CombineMethod),
# or the facilitator's "final" answer
ConsolidationMethod = Literal["mean", "min", "final"]
DEFAULT_SPREAD_THRESHOLD = 0.5


AgendaReason = Literal["spread", "na_split", "tie", "dropped"]


class Disagreement(FrozenModel):
    """One item as the room answered it: the spread on one 0-1 scale and why the item is on the agenda.

    `spread` is the larger of `score_spread` (max - min of the respondents' item scores) and
    `value_spread` (numbers: relative spread, `number_spread`; multi: largest Jaccard distance,
    `set_spread`). `reasons` is empty for an item off the agenda (see `item_spreads`)."""

    item_id: str
    spread: float = Field(ge=0, le=1)
    scores: dict[str, float]
    values: dict[str, object]
    phase: str = ""
    must: bool = False
    score_spread: float = Field(default=0.0, ge=0, le=1)
    value_spread: float | None = Field(default=None, ge=0, le=1)
    # choice: the options that share the top count (two or more: a tie, left unresolved by "mean")
    tie: list[str] = Field(default_factory=list)
    # multi: options some respondent named that the combined answer leaves out
    dropped: list[str] = Field(default_factory=list)
    # respondents who have not answered the item (n/a is an answer)
    missing: list[str] = Field(default_factory=list)
    # respondent → note, for every respondent who wrote one
    notes: dict[str, str] = Field(default_factory=dict)
    reasons: list[AgendaReason] = Field(default_factory=list)

    @property
    def on_agenda(self) -> bool:
        return bool(self.reasons)


def choice_tie(item: Item, values: Sequence[object], weights: Sequence[float] | None = None) -> list[str]:
    """The options of a choice item that share the top count (or weight) among `values` (n/a and
    unanswered left out), in the template's order, when two or more do; [] when one option leads or
    for other types (`AnswerKind.tie`)."""
    return item.kind.tie(item, values, weights)


def combine_multi(item: Item, selections: Sequence[Sequence[str]], method: CombineMethod = "mean",
                  weights: Sequence[float] | None = None) -> list[str]:
    """The combined selection of a multi item: "min" keeps the options everyone named, otherwise the
    options named by at least half the respondents (half the weight); in the template's option order."""
    return list(item.kind.combine(item, selections, method, weights) or []) if selections else []  # type: ignore[arg-type]


def dropped_options(item: Item, selections: Sequence[object], method: CombineMethod = "mean") -> list[str]:
    """Options some respondent chose (a multi item's named options, an option-state list's options in
    place) that the combined answer leaves out, so a view can say so instead of silently losing them."""
    if not selections:
        return []
    return item.kind.dropped(item, selections, item.kind.combine(item, selections, method))


def _combine(item: Item, answers: list[Answer], method: CombineMethod,
             weights: Sequence[float] | None = None) -> Answer | None:
    w_of = {id(a): (weights[n] if weights is not None else 1.0) for n, a in enumerate(answers)}
    given = [a for a in answers if a.is_answered]
    if not given:
        return None
    notes = [a.note for a in answers if a.note]
    note = "\n".join(notes) or None
    na = [a for a in given if a.is_na]
    # n/a wins only when most of those who answered say so (most of the weight, with owner weights)
    if sum(w_of[id(a)] for a in na) * 2 > sum(w_of[id(a)] for a in given):
        reasons = "; ".join(a.reason for a in na if a.reason) or None
        return Answer(value=NA, reason=reasons, note=note)
    real = [a for a in given if not a.is_na]
    ws = [w_of[id(a)] for a in real] if weights is not None else None
    order = list(Confidence)
    confidence = min((a.confidence for a in real if a.confidence), key=order.index, default=None)
    values = [a.value for a in real]
    if method != "min" and item.kind.tie(item, values, ws):
        # a tie is the room's to settle (a final answer), not the mean's: it stays unknown
        return Answer(note=note) if note else None
    value = item.kind.combine(item, values, method, ws)
    if not item.kind.counts_for_progress:  # a note-like answer: the room's texts, nobody's confidence
        return Answer(value=value, note=note)
    return Answer(value=value, note=note, confidence=confidence)


def respondent_roles(template: Template, roles: Mapping[str, str | None]) -> dict[str, str | None]:
    """Each respondent's template role id, from the free-text role they joined with (`role_of`)."""
    return {who: template.role_of(text) for who, text in roles.items()}


def owner_weights(template: Template, item: Item, respondents: Sequence[str],
                  roles: Mapping[str, str | None] | None, owner_weight: float | None = None) -> list[float] | None:
    """How much each respondent's answer to `item` weighs: `owner_weight` (default the template's
    `workshop.owner_weight`) for a respondent whose role owns the item, 1 otherwise; None (everyone
    alike) without roles or with a weight of 1. `roles` maps respondents to free-text roles."""
    weight = template.workshop.owner_weight if owner_weight is None else owner_weight
    owners = set(template.owner_roles(item))
    if not roles or weight == 1 or not owners:
        return None
    return [weight if template.role_of(roles.get(who)) in owners else 1.0 for who in respondents]


def consolidate(template: Template, by_respondent: dict[str, dict[str, Answer]],
                method: ConsolidationMethod = "mean", final: dict[str, Answer] | None = None,
                roles: Mapping[str, str | None] | None = None, owner_weight: float | None = None) -> dict[str, Answer]:
    """One answer per item from several respondents' answers. With `roles` (respondent → free-text
    role), the answers of an item's owning roles weigh `owner_weight` (default the template's
    `workshop.owner_weight`, 1 = everyone alike) in "mean"; "min" and final answers ignore weights."""
    final = final or {}
    out: dict[str, Answer] = {}
    for item in template.items():
        if method == "final" and item.id in final and final[item.id].is_answered:
            out[item.id] = final[item.id]
            continue
        who = [r for r, ans in sorted(by_respondent.items()) if item.id in ans]
        answers = [by_respondent[r][item.id] for r in who]
        weights = owner_weights(template, item, who, roles, owner_weight)
        combined = _combine(item, answers, "min" if method == "min" else "mean", weights)
        if combined is not None:
            out[item.id] = combined
    return out


def item_spread(item: Item, by_respondent: Mapping[str, Mapping[str, Answer]],
                threshold: float = DEFAULT_SPREAD_THRESHOLD, method: ConsolidationMethod = "mean",
                final: Mapping[str, Answer] | None = None) -> Disagreement:
    """How the room answered one item (see `Disagreement`). On the agenda ("reasons") when the spread is
    at or above `threshold`, when some say n/a and others answer, when a choice is tied (unless the
    facilitator's final answer settles it under "final"), or when the combined multi answer drops
    options someone named."""
    scores: dict[str, float] = {}
    values: dict[str, object] = {}
    notes: dict[str, str] = {}
    missing: list[str] = []
    for who, answers in sorted(by_respondent.items()):
        a = answers.get(item.id)
        if a is not None and a.note:
            notes[who] = a.note
        if a is None or not a.is_answered:
            missing.append(who)
            continue
        values[who] = a.value
        s = item_score(item, a.value)
        if s is not None:
            scores[who] = s
    real = [v for v in values.values() if v != NA]
    score_spread = (max(scores.values()) - min(scores.values())) if len(scores) >= 2 else 0.0
    value_spread = item.kind.spread(item, real)
    spread = min(1.0, max(score_spread, value_spread or 0.0))
    settled = method == "final" and final is not None and item.id in final and final[item.id].is_answered
    tie = item.kind.tie(item, real)
    dropped = dropped_options(item, real, "min" if method == "min" else "mean")  # type: ignore[arg-type]
    reasons: list[AgendaReason] = []
    if len(real) >= 2 and spread >= threshold:
        reasons.append("spread")
    if any(v == NA for v in values.values()) and real:
        reasons.append("na_split")  # "applicable or not" is itself a disagreement, whatever the scores
    if tie and not settled:
        reasons.append("tie")
    if dropped and not settled:
        reasons.append("dropped")
    return Disagreement(item_id=item.id, spread=round(spread, 4), scores=scores, values=values,
                        phase=item.phase_id, must=item.criticality is Criticality.must,
                        score_spread=round(score_spread, 4),
                        value_spread=None if value_spread is None else round(value_spread, 4),
                        tie=tie, dropped=dropped, missing=missing, notes=notes, reasons=reasons)


def item_spreads(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]],
                 threshold: float = DEFAULT_SPREAD_THRESHOLD, method: ConsolidationMethod = "mean",
                 final: Mapping[str, Answer] | None = None) -> list[Disagreement]:
    """Every item of the template as the room answered it, in template order (`item_spread`), on the
    agenda or not: what a workshop page lists, with who has not answered and everyone's notes."""
    return [item_spread(it, by_respondent, threshold, method, final) for it in template.items()]


def disagreements(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]],
                  threshold: float = DEFAULT_SPREAD_THRESHOLD, method: ConsolidationMethod = "mean",
                  final: Mapping[str, Answer] | None = None) -> list[Disagreement]:
    """The discussion agenda: the items on it (`item_spread`), largest spread first."""
    out = [d for d in item_spreads(template, by_respondent, threshold, method, final) if d.on_agenda]
    out.sort(key=lambda d: -d.spread)
    return out


class OwnerGap(FrozenModel):
    """An item whose owning roles have not answered it: someone of `owners` should."""

    item_id: str
    phase: str
    owners: list[str]
    # the template roles of those who did answer it (unmatched roles left out)
    answered_by: list[str]


def owner_coverage(template: Template, by_respondent: Mapping[str, Mapping[str, Answer]],
                   roles: Mapping[str, str | None], out_of_scope: Sequence[str] = ()) -> list[OwnerGap]:
    """The coverage guard: every question (not free text) with owning roles that no respondent of an
    owning role has answered (n/a is an answer), in template order. Items hidden by `depends_on` under
    the room's combined answers and out-of-scope phases are left out."""
    mapped = respondent_roles(template, roles)
    combined = {k: a.value for k, a in consolidate(template, dict(by_respondent)).items()}  # type: ignore[arg-type]
    items = {it.id: it for it in template.items()}
    out = []
    for it in template.items():
        owners = template.owner_roles(it)
        if not owners or not it.kind.counts_for_progress or it.phase_id in out_of_scope:
            continue
        if not is_shown(it, combined, items):
            continue
        answered = [mapped.get(who) for who, ans in sorted(by_respondent.items())
                    if (a := ans.get(it.id)) is not None and a.is_answered]
        if not any(r in owners for r in answered):
            out.append(OwnerGap(item_id=it.id, phase=it.phase_id, owners=owners,
                                answered_by=sorted({r for r in answered if r})))
    return out
