"""Readiness scoring: item → phase → overall, blockers, gaps, coverage and a reproducible fingerprint.

Every number used here (item weight, criticality multiplier, phase weight, level thresholds, the pass
score of a must item) is read from the template, so the app, the report and the CLI cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from checklists import AnswerType, Criticality, Item, Template, Text, Value, is_shown, template_fingerprint

from .answers import Answer, Assessment, Confidence

SCORING_VERSION = "1.1"
ROUND = 2

ItemState = Literal["scored", "answered", "unknown", "na", "hidden", "out_of_scope", "unscored"]
Severity = Literal["blocker", "high", "medium", "low"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemResult(_Result):
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


class Gap(_Result):
    item_id: str
    phase: str
    criticality: Criticality
    score: float
    impact: float
    severity: Severity
    blocker: bool
    question: Text
    recommendation: Text


class PhaseScore(_Result):
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


class NotApplicable(_Result):
    item_id: str
    reason: str | None = None
    # a must item left out as not applicable cannot block the verdict, so views show it beside the verdict
    must: bool = False


class Coverage(_Result):
    met: int
    applicable: int
    share: float | None = None


class Progress(_Result):
    """How far the questions that count are answered: `answered` of `applicable`, `share` in percent
    (0 when nothing is applicable). See `answer_progress` for what counts."""

    answered: int
    applicable: int
    share: float


class ReadinessResult(_Result):
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


def score(template: Template, assessment: Assessment) -> ReadinessResult:
    """Score an assessment against its template."""
    answers = assessment.answers
    items = {it.id: it for it in template.items()}
    plain = {k: a.value for k, a in answers.items()}
    mult = template.multipliers

    item_results: list[ItemResult] = []
    phase_scores: list[PhaseScore] = []
    gaps: list[Gap] = []
    unknowns: list[str] = []
    na_items: list[NotApplicable] = []
    cov = {c: [0, 0] for c in Criticality}  # met, applicable
    weighted_sum = weight_total = 0.0
    evidence_sum = evidence_weight = 0.0

    for ph in template.phases:
        in_scope = ph.id not in assessment.out_of_scope
        num = den = ev = 0.0
        phase_blockers = 0
        for it in ph.items:
            ans = answers.get(it.id, Answer())
            w = it.weight * mult.of(it.criticality)
            base: dict[str, Any] = dict(id=it.id, phase=ph.id, criticality=it.criticality, type=it.type, weight=w,
                        value=ans.value, note=ans.note, reason=ans.reason, confidence=ans.confidence)
            ans = _effective(it, ans)
            left_out = _left_out(it, ans, in_scope, plain, items)
            if left_out == "na":
                na_items.append(NotApplicable(item_id=it.id, reason=ans.reason,
                                              must=it.criticality is Criticality.must))
            if left_out is not None:
                item_results.append(ItemResult(state=left_out, **base))
                continue
            counts = counts_for_progress(it)
            if it.scored:
                cov[it.criticality][1] += 1
            if not it.kind.is_answered(ans.value):
                if counts:
                    unknowns.append(it.id)
                item_results.append(ItemResult(state="unknown" if counts else "unscored", **base))
                continue
            s = item_score(it, ans.value)
            if s is None:
                item_results.append(ItemResult(state="answered" if counts else "unscored",
                                               unknown_parts=it.kind.unknown_parts(it, ans.value), **base))
                continue
            met = s >= template.pass_score(it)
            if met:
                cov[it.criticality][0] += 1
            num += w * s
            den += w
            if ans.confidence is Confidence.evidence:
                ev += w
            item_results.append(ItemResult(state="scored", score=round(s, 4), met=met,
                                           unknown_parts=it.kind.unknown_parts(it, ans.value), **base))
            if s < 1:
                blocker = it.criticality is Criticality.must and not met
                phase_blockers += blocker
                gaps.append(Gap(item_id=it.id, phase=ph.id, criticality=it.criticality, score=round(s, 4),
                                impact=_r(w * (1 - s)), severity=_severity(it, s, blocker), blocker=blocker,
                                question=it.question, recommendation=it.recommendation))
        phase_score = 100 * num / den if den else None
        if in_scope and phase_score is not None:
            weighted_sum += ph.weight * phase_score
            weight_total += ph.weight
            evidence_sum += ph.weight * (ev / den)
            evidence_weight += ph.weight
        done = answer_progress(template, answers, phase_id=ph.id, out_of_scope=assessment.out_of_scope)
        phase_scores.append(PhaseScore(
            id=ph.id, title=ph.title, weight=ph.weight, in_scope=in_scope,
            out_of_scope_reason=assessment.out_of_scope.get(ph.id) if not in_scope else None,
            score=_r(phase_score) if phase_score is not None else None,
            level=template.level_for(phase_score).id if phase_score is not None else None,
            answered=done.answered, applicable=done.applicable, completion=done.share,
            evidence_coverage=_share(ev, den), blockers=phase_blockers))

    overall = weighted_sum / weight_total if weight_total else None
    level = template.level_for(overall).id if overall is not None else None
    order = {it.id: n for n, it in enumerate(template.items())}
    gaps.sort(key=lambda g: (-g.impact, order[g.item_id]))
    blockers = [g for g in gaps if g.blocker]
    blockers.sort(key=lambda g: order[g.item_id])
    overall_progress = answer_progress(template, answers, out_of_scope=assessment.out_of_scope)
    completion = overall_progress.share
    if blockers:
        verdict = "blocked"  # whatever the numbers say
    elif level is None:
        verdict = "unknown"
    elif completion < template.min_completion:
        verdict = "incomplete"
    else:
        verdict = level

    def coverage(c: Criticality) -> Coverage:
        met, appl = cov[c]
        return Coverage(met=met, applicable=appl, share=_share(met, appl))

    return ReadinessResult(
        template=template.id, template_version=template.version, scoring_version=SCORING_VERSION,
        overall=_r(overall) if overall is not None else None, level=level, verdict=verdict,
        blocked=bool(blockers), blockers=blockers, phases=phase_scores, gaps=gaps, unknowns=unknowns,
        not_applicable=na_items,
        out_of_scope={k: assessment.out_of_scope[k] for k in sorted(assessment.out_of_scope)},
        must_coverage=coverage(Criticality.must), should_coverage=coverage(Criticality.should),
        nice_coverage=coverage(Criticality.nice),
        completion=completion, progress=overall_progress,
        evidence_coverage=_r(100 * evidence_sum / evidence_weight) if evidence_weight else None,
        items=item_results, fingerprint=fingerprint(template, assessment))
