"""Readiness scoring: item → phase → overall, blockers, gaps, coverage and a reproducible fingerprint.

Every number used here (item weight, criticality multiplier, phase weight, level thresholds, the pass
score of a must item) is read from the template, so the app, the report and the CLI cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from checklists import (
    AnswerType,
    Criticality,
    FrozenModel,
    Item,
    Phase,
    Template,
    Text,
    Value,
    is_shown,
    template_fingerprint,
)

from .answers import Answer, Assessment, Confidence

SCORING_VERSION = "1.1"
ROUND = 2

ItemState = Literal["scored", "answered", "unknown", "na", "hidden", "out_of_scope", "unscored"]
Severity = Literal["blocker", "high", "medium", "low"]


class ItemResult(FrozenModel):
    id: str
    phase: str
    criticality: Criticality
    type: AnswerType
    state: ItemState
    score: float | None = None
    weight: float
    met: bool | None = None
    value: Value = None
    # parts of the answer not known yet (options of an option-state list not yet examined): unknown, not gaps
    unknown_parts: list[str] = []
    note: str | None = None
    reason: str | None = None
    confidence: Confidence | None = None


class Gap(FrozenModel):
    item_id: str
    phase: str
    criticality: Criticality
    score: float
    impact: float
    severity: Severity
    blocker: bool
    question: Text
    recommendation: Text


class PhaseScore(FrozenModel):
    id: str
    title: Text
    weight: float
    in_scope: bool
    out_of_scope_reason: str | None = None
    score: float | None = None
    level: str | None = None
    answered: int
    applicable: int
    completion: float
    evidence_coverage: float | None = None
    blockers: int


class NotApplicable(FrozenModel):
    item_id: str
    reason: str | None = None
    # a must item left out as not applicable cannot block the verdict, so views show it beside the verdict
    must: bool = False


class Coverage(FrozenModel):
    met: int
    applicable: int
    share: float | None = None


class Progress(FrozenModel):
    """How far the questions that count are answered: `answered` of `applicable`, `share` in percent
    (0 when nothing is applicable). See `answer_progress` for what counts."""

    answered: int
    applicable: int
    share: float


class ReadinessResult(FrozenModel):
    template: str
    template_version: str
    scoring_version: str
    overall: float | None
    level: str | None
    verdict: str
    blocked: bool
    blockers: list[Gap]
    phases: list[PhaseScore]
    gaps: list[Gap]
    unknowns: list[str]
    not_applicable: list[NotApplicable]
    out_of_scope: dict[str, str]
    must_coverage: Coverage
    should_coverage: Coverage
    nice_coverage: Coverage
    completion: float  # progress.share
    progress: Progress
    evidence_coverage: float | None
    items: list[ItemResult]
    fingerprint: str

    def phase(self, phase_id: str) -> PhaseScore:
        return next(p for p in self.phases if p.id == phase_id)

    @property
    def excluded_musts(self) -> list[NotApplicable]:
        """Must items excluded as not applicable: each one is a blocker the verdict no longer sees."""
        return [n for n in self.not_applicable if n.must]

    def to_json(self) -> str:
        """Byte-identical for the same template and answers."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2)


def item_score(item: Item, value: object) -> float | None:
    """Score in [0, 1] of one answered, applicable item; None when the item is not scored."""
    kind = item.kind
    if not kind.is_answered(value) or not kind.is_applicable(value) or not item.scored:
        return None
    return kind.score(item, value)


def _severity(item: Item, score: float, blocker: bool) -> Severity:
    if blocker:
        return "blocker"
    if item.criticality is Criticality.must or (item.criticality is Criticality.should and score == 0):
        return "high"
    if item.criticality is Criticality.should or score == 0:
        return "medium"
    return "low"


def _r(x: float) -> float:
    return round(x + 0.0, ROUND)


def _share(num: float, den: float) -> float | None:
    return _r(100 * num / den) if den else None


def _effective(item: Item, ans: Answer) -> Answer:
    """The answer as scoring and progress read it: a prerequisite that cannot be "not applicable" (e.g.
    stored before the template forbade it) stays unanswered; it is neither excluded nor given a value."""
    if ans.is_na and not item.allow_na:
        return Answer(note=ans.note, confidence=ans.confidence)
    return ans


def _left_out(item: Item, ans: Answer, in_scope: bool, values: Mapping[str, object],
              items: dict[str, Item]) -> ItemState | None:
    """Why an item is left out of the score and of progress ("out_of_scope", "hidden" by `depends_on`,
    "na"), or None when it applies. `ans` is the effective answer."""
    if not in_scope:
        return "out_of_scope"
    if not is_shown(item, dict(values), items):
        return "hidden"
    if not item.kind.is_applicable(ans.value):
        return "na"
    return None


def counts_for_progress(item: Item) -> bool:
    """Free-text items are notes, not questions: they never count toward progress or completion."""
    return item.kind.counts_for_progress


def answer_progress(template: Template, answers: Mapping[str, Answer], *, phase_id: str | None = None,
             out_of_scope: Collection[str] = ()) -> Progress:
    """The one definition of progress (the questionnaire) and completion (the result, the report, the
    CLI): answered questions ÷ applicable questions, of one phase or of the whole template.

    A question is applicable when its phase is in scope, `depends_on` shows it (`is_shown` over the
    given answers) and it is not marked not applicable; free-text items never count. So "n/a" takes a
    question out of both numbers instead of counting it as answered: marking half the questions n/a
    does not make an assessment half done, and the verdict's minimum completion reads the same number
    the questionnaire shows. An "n/a" on an item that does not allow it counts as unanswered."""
    items = {it.id: it for it in template.items()}
    values = {k: a.value for k, a in answers.items()}
    answered = applicable = 0
    for ph in template.phases:
        if phase_id is not None and ph.id != phase_id:
            continue
        for it in ph.items:
            ans = _effective(it, answers.get(it.id, Answer()))
            if not counts_for_progress(it) or _left_out(it, ans, ph.id not in out_of_scope, values, items):
                continue
            applicable += 1
            answered += it.kind.is_answered(ans.value)
    return Progress(answered=answered, applicable=applicable, share=_share(answered, applicable) or 0.0)


def fingerprint(template: Template, assessment: Assessment) -> str:
    answers = json.dumps(
        {"answers": {k: v.model_dump(mode="json") for k, v in sorted(assessment.answers.items())},
         "out_of_scope": dict(sorted(assessment.out_of_scope.items()))},
        sort_keys=True, ensure_ascii=False)
    payload = "\n".join([template_fingerprint(template), answers, SCORING_VERSION])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class _PhaseTally:
    """What one phase's items add up to, gathered in template order: their results, gaps, unknowns and
    not-applicable items, the met/applicable counts per criticality, and the weighted sums the phase
    score and its evidence coverage are read from."""

    phase_id: str
    results: list[ItemResult] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    met: dict[Criticality, int] = field(default_factory=lambda: dict.fromkeys(Criticality, 0))
    applicable: dict[Criticality, int] = field(default_factory=lambda: dict.fromkeys(Criticality, 0))
    weighted: float = 0.0       # Σ weight × item score of the scored items
    weight: float = 0.0         # Σ weight of the scored items
    evidence: float = 0.0       # Σ weight of the scored items answered with evidence
    blockers: int = 0

    @property
    def score(self) -> float | None:
        """The phase score, 0-100 (unrounded); None when no item of the phase is scored."""
        return 100 * self.weighted / self.weight if self.weight else None


def _item_fields(phase_id: str, item: Item, given: Answer, weight: float) -> dict[str, Any]:
    """The fields every item result carries, whatever its state: the answer as given, not as read."""
    return dict(id=item.id, phase=phase_id, criticality=item.criticality, type=item.type, weight=weight,
                value=given.value, note=given.note, reason=given.reason, confidence=given.confidence)


def _tally_phase(template: Template, phase: Phase, assessment: Assessment, items: dict[str, Item],
                 values: Mapping[str, object]) -> _PhaseTally:
    """Each item of one phase in template order: left out (out of scope, hidden, n/a), or applicable."""
    tally = _PhaseTally(phase.id)
    in_scope = phase.id not in assessment.out_of_scope
    for it in phase.items:
        given = assessment.answers.get(it.id, Answer())
        fields = _item_fields(phase.id, it, given, it.weight * template.multipliers.of(it.criticality))
        ans = _effective(it, given)
        left_out = _left_out(it, ans, in_scope, values, items)
        if left_out is None:
            _tally_applicable(tally, template, it, ans, fields)
            continue
        if left_out == "na":
            tally.not_applicable.append(NotApplicable(item_id=it.id, reason=ans.reason,
                                                      must=it.criticality is Criticality.must))
        tally.results.append(ItemResult(state=left_out, **fields))
    return tally


def _tally_applicable(tally: _PhaseTally, template: Template, item: Item, ans: Answer,
                      fields: dict[str, Any]) -> None:
    """An applicable item: a scored one counts toward its criticality's coverage; unanswered, it is an
    unknown (a free-text note is merely unscored); answered without a score (an unscored item, or an
    option list whose examined options are all not relevant), it is recorded as answered."""
    counts = counts_for_progress(item)
    if item.scored:
        tally.applicable[item.criticality] += 1
    if not item.kind.is_answered(ans.value):
        if counts:
            tally.unknowns.append(item.id)
        tally.results.append(ItemResult(state="unknown" if counts else "unscored", **fields))
        return
    s = item_score(item, ans.value)
    if s is None:
        tally.results.append(ItemResult(state="answered" if counts else "unscored",
                                        unknown_parts=item.kind.unknown_parts(item, ans.value), **fields))
        return
    _tally_scored(tally, template, item, ans, s, fields)


def _tally_scored(tally: _PhaseTally, template: Template, item: Item, ans: Answer, s: float,
                  fields: dict[str, Any]) -> None:
    """A scored item adds its weight × score to the phase; below full marks it is a gap, and a must item
    below its pass score is a blocker."""
    weight: float = fields["weight"]
    met = s >= template.pass_score(item)
    tally.met[item.criticality] += met
    tally.weighted += weight * s
    tally.weight += weight
    if ans.confidence is Confidence.evidence:
        tally.evidence += weight
    tally.results.append(ItemResult(state="scored", score=round(s, 4), met=met,
                                    unknown_parts=item.kind.unknown_parts(item, ans.value), **fields))
    if s < 1:
        blocker = item.criticality is Criticality.must and not met
        tally.blockers += blocker
        tally.gaps.append(Gap(item_id=item.id, phase=tally.phase_id, criticality=item.criticality,
                              score=round(s, 4), impact=_r(weight * (1 - s)), severity=_severity(item, s, blocker),
                              blocker=blocker, question=item.question, recommendation=item.recommendation))


def _phase_score(template: Template, phase: Phase, tally: _PhaseTally, assessment: Assessment) -> PhaseScore:
    """One phase's score, level, evidence coverage and blockers, with its progress (`answer_progress`)."""
    in_scope = phase.id not in assessment.out_of_scope
    phase_score = tally.score
    done = answer_progress(template, assessment.answers, phase_id=phase.id, out_of_scope=assessment.out_of_scope)
    return PhaseScore(
        id=phase.id, title=phase.title, weight=phase.weight, in_scope=in_scope,
        out_of_scope_reason=assessment.out_of_scope.get(phase.id) if not in_scope else None,
        score=_r(phase_score) if phase_score is not None else None,
        level=template.level_for(phase_score).id if phase_score is not None else None,
        answered=done.answered, applicable=done.applicable, completion=done.share,
        evidence_coverage=_share(tally.evidence, tally.weight), blockers=tally.blockers)


def _weighted_overall(template: Template, tallies: list[_PhaseTally],
                      out_of_scope: Collection[str]) -> tuple[float | None, float | None]:
    """The overall score (unrounded) and the evidence coverage (%): the phase-weighted means over the
    phases in scope that have a score; a phase out of scope or without a scored item leaves both."""
    weighted_sum = evidence_sum = weight_total = 0.0
    for ph, tally in zip(template.phases, tallies, strict=True):
        phase_score = tally.score
        if ph.id not in out_of_scope and phase_score is not None:
            weighted_sum += ph.weight * phase_score
            weight_total += ph.weight
            evidence_sum += ph.weight * (tally.evidence / tally.weight)
    if not weight_total:
        return None, None
    return weighted_sum / weight_total, _r(100 * evidence_sum / weight_total)


def _ranked_gaps(template: Template, gaps: list[Gap]) -> tuple[list[Gap], list[Gap]]:
    """The gaps by impact, largest first (template order breaks ties), and the blockers among them in
    template order."""
    order = {it.id: n for n, it in enumerate(template.items())}
    by_impact = sorted(gaps, key=lambda g: (-g.impact, order[g.item_id]))
    blockers = sorted((g for g in by_impact if g.blocker), key=lambda g: order[g.item_id])
    return by_impact, blockers


def _verdict(template: Template, level: str | None, completion: float, blocked: bool) -> str:
    """A blocker blocks whatever the numbers say; without a score the verdict is unknown; below the
    template's minimum completion it is incomplete; otherwise it is the level."""
    if blocked:
        return "blocked"
    if level is None:
        return "unknown"
    if completion < template.min_completion:
        return "incomplete"
    return level


def _coverage(tallies: list[_PhaseTally], criticality: Criticality) -> Coverage:
    """How many applicable, scored items of one criticality meet their pass score, over all phases."""
    met = sum(t.met[criticality] for t in tallies)
    applicable = sum(t.applicable[criticality] for t in tallies)
    return Coverage(met=met, applicable=applicable, share=_share(met, applicable))


def score(template: Template, assessment: Assessment) -> ReadinessResult:
    """Score an assessment against its template: every phase's items, the phases' weighted overall and
    level, the gaps by impact, the blockers, and the verdict that reads them."""
    items = {it.id: it for it in template.items()}
    values = {k: a.value for k, a in assessment.answers.items()}
    tallies = [_tally_phase(template, ph, assessment, items, values) for ph in template.phases]
    overall, evidence_coverage = _weighted_overall(template, tallies, assessment.out_of_scope)
    level = template.level_for(overall).id if overall is not None else None
    gaps, blockers = _ranked_gaps(template, [g for t in tallies for g in t.gaps])
    progress = answer_progress(template, assessment.answers, out_of_scope=assessment.out_of_scope)
    return ReadinessResult(
        template=template.id, template_version=template.version, scoring_version=SCORING_VERSION,
        overall=_r(overall) if overall is not None else None, level=level,
        verdict=_verdict(template, level, progress.share, bool(blockers)),
        blocked=bool(blockers), blockers=blockers,
        phases=[_phase_score(template, ph, t, assessment) for ph, t in zip(template.phases, tallies, strict=True)],
        gaps=gaps, unknowns=[i for t in tallies for i in t.unknowns],
        not_applicable=[n for t in tallies for n in t.not_applicable],
        out_of_scope={k: assessment.out_of_scope[k] for k in sorted(assessment.out_of_scope)},
        must_coverage=_coverage(tallies, Criticality.must), should_coverage=_coverage(tallies, Criticality.should),
        nice_coverage=_coverage(tallies, Criticality.nice),
        completion=progress.share, progress=progress, evidence_coverage=evidence_coverage,
        items=[r for t in tallies for r in t.results], fingerprint=fingerprint(template, assessment))
