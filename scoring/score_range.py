"""The score as a range while answers are unknown, and the unknowns that matter most.

A *completion* answers every unanswered item of the in-scope phases with a value it allows (n/a is a
statement about scope, not an answer, so it is not a completion). `score_range` gives the lowest and
highest overall score and verdict over all completions, exactly (nothing is sampled), and ranks the
askable unknowns by how much they can still change the verdict or move the score.

Why per-item extremes are exact. Fix the values of the unknown items that other items' `depends_on`
reads ("controllers"; every combination of their values is enumerated). Then which items are shown is
fixed, and in every completion each shown, applicable, scored item has a score, so:
  * a phase score is Σ w_i·s_i / Σ w_i over a fixed item set with fixed weights w_i > 0: increasing in
    every s_i;
  * the overall score is Σ W_p·S_p / Σ W_p over a fixed phase set with W_p > 0: increasing in every S_p,
    so increasing in every item score;
  * "blocked" (a must item below its pass score) can only appear when an item score goes down, and the
    level (`Template.level_for`) only goes up with the overall score;
  * every applicable question is answered, so completion is 100 % and "incomplete" never applies.
A function increasing in each coordinate over a product of finite sets takes its minimum where every
coordinate is at its minimum and its maximum where every coordinate is at its maximum. So the worst
completion answers every other unknown with its lowest-scoring value, the best with its highest, and
the verdict follows (blocked < unknown < the template's levels in order). The extremes over the
controller combinations are the minimum and maximum of the per-combination extremes; the reported
`low`/`high` are then `score()` of those two real completions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, product

from checklists import Criticality, FrozenModel, Item, Template, is_shown

from .answers import Answer, Assessment
from .readiness import item_score, score

BLOCKED, UNKNOWN = "blocked", "unknown"
# any answer value, as the answer types take it (checked by them, not by these models)
AnyValue = object


class DecisiveUnknown(FrozenModel):
    """One askable unknown and what answering it does to the range.

    `high_if_worst` is the highest score still reachable once it is answered at its worst, `low_if_best`
    the lowest once answered at its best; `swing` = (high − high_if_worst) + (low_if_best − low), the
    width of the range this one answer settles. `verdict_if_worst`/`_if_best` are the verdict ranges
    then; `changes_verdict` says that one of them differs from today's `verdict_range`."""

    item: str
    phase: str
    must: bool
    worst: AnyValue
    best: AnyValue
    high_if_worst: float | None
    low_if_best: float | None
    swing: float
    verdict_if_worst: list[str]
    verdict_if_best: list[str]
    changes_verdict: bool


class ScoreRange(FrozenModel):
    low: float | None
    high: float | None
    verdict_range: list[str]  # lowest verdict first; one entry when every completion has the same verdict
    verdict_can_change: bool
    unknowns: int
    decisive_unknowns: list[DecisiveUnknown]

    def to_cli(self) -> dict[str, object]:
        """The `cli.py score --json` keys: score_range, verdict_range, verdict_can_change, decisive_unknowns."""
        return {"score_range": {"low": self.low, "high": self.high}, "verdict_range": list(self.verdict_range),
                "verdict_can_change": self.verdict_can_change,
                "decisive_unknowns": [d.model_dump(mode="json") for d in self.decisive_unknowns]}


def _hashable(value: AnyValue) -> Hashable:
    """An answer value as a dictionary key: lists as tuples, option-state mappings as sorted pairs."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value  # type: ignore[return-value]


def _subsets(ids: Sequence[str]) -> Iterator[list[str]]:
    for s in chain.from_iterable(combinations(ids, n) for n in range(len(ids) + 1)):
        yield list(s)


def extreme_values(item: Item) -> tuple[AnyValue, AnyValue]:
    """The lowest- and highest-scoring values an item allows (`AnswerKind.extremes`); for an unscored
    item two arbitrary allowed values."""
    return item.kind.extremes(item)


def controller_values(item: Item, template: Template) -> list[AnyValue]:
    """Every value of a `depends_on` controller that can make a difference: all allowed values of a
    fixed-value type (status, scale, choice), every subset of a many-valued one (multi), and for free
    input (numbers, text) the values the conditions name plus the extremes."""
    kind = item.kind
    if kind.many_values:
        return list(_subsets([str(v) for v in kind.allowed_values(item)]))
    if kind.fixed_values:
        return list(kind.allowed_values(item))
    named = [v for it in template.items() for c in it.depends_on if c.item == item.id for v in c.in_]
    out: list[AnyValue] = []
    for v in [*named, *extreme_values(item)]:
        if v not in out:
            out.append(v)
    return out


@dataclass(frozen=True)
class _Ends:
    low: float | None
    high: float | None
    vlow: int
    vhigh: int
    low_combo: tuple[AnyValue, ...]
    high_combo: tuple[AnyValue, ...]


class _RangeModel:
    """The template and the answered items, evaluated fast for any choice of the unknowns' values."""

    def __init__(self, template: Template, assessment: Assessment):
        self.t = template
        self.items = {it.id: it for it in template.items()}
        self.scope = set(assessment.out_of_scope)
        self.raw = {k: a.value for k, a in assessment.answers.items()}
        self.answered: dict[str, Answer] = {}
        self.unknown: list[str] = []
        controllers = {c.item for it in template.items() for c in it.depends_on}
        for ph in template.phases:
            if ph.id in self.scope:
                continue
            for it in ph.items:
                a = assessment.answers.get(it.id, Answer())
                if a.is_na and not it.allow_na:
                    a = Answer()  # as scoring reads it: unanswered
                if a.is_answered:
                    self.answered[it.id] = a
                elif it.kind.counts_for_progress or it.id in controllers:
                    self.unknown.append(it.id)
        self.controllers = [i for i in self.unknown if i in controllers]
        self.watched = sorted(controllers)
        self.extremes = {i: extreme_values(self.items[i]) for i in self.unknown}
        self.levels = [lv.id for lv in template.levels]
        # the score range of each item left as it is: answered (n/a: none) or free at its extremes
        self.base: dict[str, tuple[float | None, float | None]] = {}
        for it in template.items():
            given = self.answered.get(it.id)
            if given is not None:
                s = None if given.is_na else item_score(it, given.value)
                self.base[it.id] = (s, s)
            elif it.id in self.extremes:
                worst, top = self.extremes[it.id]
                self.base[it.id] = (item_score(it, worst), item_score(it, top))
            else:
                self.base[it.id] = (None, None)
        self._shown: dict[tuple, dict[str, bool]] = {}
        self._scores: dict[tuple, float | None] = {}
        # per in-scope phase: its weight and its scored items with effective weight and pass score (musts)
        mult = template.multipliers
        self.rows = [(ph.weight, [(it, it.weight * mult.of(it.criticality),
                                   template.pass_score(it) if it.criticality is Criticality.must else None)
                                  for it in ph.items if it.scored])
                     for ph in template.phases if ph.id not in self.scope]

    def rank(self, verdict: str) -> int:
        return 0 if verdict == BLOCKED else 1 if verdict == UNKNOWN else 2 + self.levels.index(verdict)

    def verdict(self, rank: int) -> str:
        return BLOCKED if rank == 0 else UNKNOWN if rank == 1 else self.levels[rank - 2]

    def _visibility(self, values: Mapping[str, AnyValue]) -> dict[str, bool]:
        key = tuple(_hashable(values.get(c)) for c in self.watched)
        hit = self._shown.get(key)
        if hit is None:
            plain = dict(values)
            hit = {i: is_shown(it, plain, self.items) for i, it in self.items.items()}
            self._shown[key] = hit
        return hit

    def ends(self, fixed: Mapping[str, AnyValue]) -> _Ends:
        """Lowest and highest overall score and verdict rank over the completions that give the items
        in `fixed` those values (a combination of controllers under which nothing is scored has no
        score and the verdict "unknown")."""
        free = [c for c in self.controllers if c not in fixed]
        choices = [controller_values(self.items[c], self.t) for c in free]
        low = high = None
        vlow, vhigh = len(self.levels) + 2, -1
        low_combo = high_combo = None
        for combo in product(*choices):
            values = {**self.raw, **fixed, **dict(zip(free, combo, strict=False))}
            lo, hi, a, b = self._evaluate(values, fixed, dict(zip(free, combo, strict=False)))
            if low_combo is None or (lo is not None and (low is None or lo < low)):
                low, low_combo = lo, combo
            if high_combo is None or (hi is not None and (high is None or hi > high)):
                high, high_combo = hi, combo
            vlow, vhigh = min(vlow, a), max(vhigh, b)
        assert low_combo is not None and high_combo is not None  # product() of nothing yields one combination
        return _Ends(low, high, vlow, vhigh, low_combo, high_combo)

    def _item_score(self, it: Item, value: AnyValue) -> float | None:
        key = (it.id, _hashable(value))
        if key not in self._scores:
            self._scores[key] = item_score(it, value)
        return self._scores[key]

    def _evaluate(self, values: Mapping[str, AnyValue], fixed: Mapping[str, AnyValue],
                  combo: Mapping[str, AnyValue]) -> tuple[float | None, float | None, int, int]:
        shown = self._visibility(values)
        lo_sum = hi_sum = weight = 0.0
        blocked_lo = blocked_hi = False
        for ph_weight, rows in self.rows:
            n_lo = n_hi = den = 0.0
            for it, w, need in rows:
                if not shown[it.id]:
                    continue
                if it.id in fixed or it.id in combo:
                    s_lo = s_hi = self._item_score(it, fixed[it.id] if it.id in fixed else combo[it.id])
                else:
                    s_lo, s_hi = self.base[it.id]
                if s_lo is None or s_hi is None:
                    continue
                n_lo += w * s_lo
                n_hi += w * s_hi
                den += w
                if need is not None:
                    blocked_lo |= s_lo < need
                    blocked_hi |= s_hi < need
            if den:
                lo_sum += ph_weight * 100 * n_lo / den
                hi_sum += ph_weight * 100 * n_hi / den
                weight += ph_weight
        if not weight:
            return None, None, self.rank(UNKNOWN), self.rank(UNKNOWN)
        lo, hi = lo_sum / weight, hi_sum / weight

        def rank(overall: float, blocked: bool) -> int:
            return self.rank(BLOCKED) if blocked else self.rank(self.t.level_for(overall).id)

        return lo, hi, rank(lo, blocked_lo), rank(hi, blocked_hi)

    def completion(self, fixed: Mapping[str, AnyValue], combo: tuple[AnyValue, ...], side: int) -> dict[str, Answer]:
        """The answers of the completion behind an end: `side` 0 = every free unknown at its worst."""
        free = [c for c in self.controllers if c not in fixed]
        chosen = {**dict(zip(free, combo, strict=False)), **fixed}
        out = dict(self.answered)
        for i in self.unknown:
            out[i] = Answer(value=chosen[i] if i in chosen else self.extremes[i][side])  # type: ignore[arg-type]
        return out


def _verdicts(model: _RangeModel, vlow: int, vhigh: int) -> list[str]:
    return [model.verdict(vlow)] if vlow == vhigh else [model.verdict(vlow), model.verdict(vhigh)]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 2)


def score_range(template: Template, assessment: Assessment, *, limit: int | None = None) -> ScoreRange:
    """The lowest and highest score and verdict over every completion of the unanswered items, whether
    the verdict can still change, and the askable unknowns ranked: first those whose answer at its
    worst changes the verdict range, then those whose answer at its best does, then by `swing`
    (then template order). `limit` keeps the first so many."""
    model = _RangeModel(template, assessment)
    ends = model.ends({})
    lo_answers = model.completion({}, ends.low_combo, 0)
    hi_answers = model.completion({}, ends.high_combo, 1)
    low = score(template, assessment.model_copy(update={"answers": lo_answers})).overall
    high = score(template, assessment.model_copy(update={"answers": hi_answers})).overall
    verdicts = _verdicts(model, ends.vlow, ends.vhigh)

    askable = score(template, assessment).unknowns
    order = {it.id: n for n, it in enumerate(template.items())}
    ranked = []
    for item_id in askable:
        it = model.items[item_id]
        options = controller_values(it, template) if item_id in model.controllers else list(model.extremes[item_id])
        per_value = [(v, model.ends({item_id: v})) for v in options]
        worst_v, worst = min(per_value, key=lambda ve: (ve[1].vhigh, -1 if ve[1].high is None else ve[1].high))
        best_v, top = max(per_value, key=lambda ve: (ve[1].vlow, -1 if ve[1].low is None else ve[1].low))
        if_worst, if_best = _verdicts(model, worst.vlow, worst.vhigh), _verdicts(model, top.vlow, top.vhigh)
        swing = ((ends.high or 0) - (worst.high or 0)) + ((top.low or 0) - (ends.low or 0))
        ranked.append(DecisiveUnknown(
            item=item_id, phase=it.phase_id, must=it.criticality is Criticality.must, worst=worst_v, best=best_v,
            high_if_worst=_r(worst.high), low_if_best=_r(top.low), swing=round(max(0.0, swing), 2),
            verdict_if_worst=if_worst, verdict_if_best=if_best,
            changes_verdict=if_worst != verdicts or if_best != verdicts))
    ranked.sort(key=lambda d: (d.verdict_if_worst == verdicts, d.verdict_if_best == verdicts, -d.swing,
                               order[d.item]))
    return ScoreRange(low=low, high=high, verdict_range=verdicts, verdict_can_change=len(verdicts) > 1,
                      unknowns=len(askable), decisive_unknowns=ranked[:limit] if limit else ranked)
