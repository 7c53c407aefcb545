"""Readiness scoring: item → phase → overall, blockers, gaps, coverage and a reproducible fingerprint.

Every number used here (item weight, criticality multiplier, phase weight, level thresholds, the pass
score of a must item) is read from the template, so the app, the report and the CLI cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from checklists import NA, AnswerType, Criticality, Item, Template, Text, is_shown, template_fingerprint

from .answers import Answer, Assessment, Confidence

SCORING_VERSION = "1.1"
STATUS_SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
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
    value: str | int | float | list[str] | None = None
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
    completion: float
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
    if value is None or value == NA or not item.scored:
        return None
    t = item.type
    if t is AnswerType.status:
        return STATUS_SCORES[str(value)]
    if t is AnswerType.scale:
        return int(value) / 4
    if t is AnswerType.choice:
        return next(o.score for o in item.options or [] if o.id == value)
    if t is AnswerType.multi:
        total = sum(o.score for o in item.options or [])
        chosen = sum(o.score for o in item.options or [] if o.id in (value or []))
        return chosen / total
    if t is AnswerType.number and item.number and item.number.target:
        v, target = float(value), item.number.target
        if item.number.better == "higher":
            return max(0.0, min(1.0, v / target))
        # lower is better: at or under target is full marks; double the target (or more) is zero
        return 1.0 if v <= target else max(0.0, 1.0 - (v - target) / target)
    return None


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
    answered_total = applicable_total = 0
    weighted_sum = weight_total = 0.0
    evidence_sum = evidence_weight = 0.0

    for ph in template.phases:
        in_scope = ph.id not in assessment.out_of_scope
        num = den = ev = 0.0
        answered = applicable = blockers = 0
        for it in ph.items:
            ans = answers.get(it.id, Answer())
            w = it.weight * mult.of(it.criticality)
            base = dict(id=it.id, phase=ph.id, criticality=it.criticality, type=it.type, weight=w,
                        value=ans.value, note=ans.note, reason=ans.reason, confidence=ans.confidence)
            if not in_scope:
                item_results.append(ItemResult(state="out_of_scope", **base))
                continue
            if not is_shown(it, plain, items):
                item_results.append(ItemResult(state="hidden", **base))
                continue
            if ans.is_na and not it.allow_na:
                # a prerequisite that cannot be "not applicable" (e.g. stored before the template forbade
                # it) stays unanswered: it is neither excluded from the score nor given a value
                ans = Answer(note=ans.note, confidence=ans.confidence)
            if ans.is_na:
                na_items.append(NotApplicable(item_id=it.id, reason=ans.reason,
                                              must=it.criticality is Criticality.must))
                item_results.append(ItemResult(state="na", **base))
                continue
            counts_for_completion = it.type is not AnswerType.text
            if counts_for_completion:
                applicable += 1
            if it.scored:
                cov[it.criticality][1] += 1
            if not ans.is_answered:
                if counts_for_completion:
                    unknowns.append(it.id)
                item_results.append(ItemResult(state="unknown" if counts_for_completion else "unscored", **base))
                continue
            if counts_for_completion:
                answered += 1
            s = item_score(it, ans.value)
            if s is None:
                item_results.append(ItemResult(state="answered" if counts_for_completion else "unscored", **base))
                continue
            met = s >= template.pass_score(it)
            if met:
                cov[it.criticality][0] += 1
            num += w * s
            den += w
            if ans.confidence is Confidence.evidence:
                ev += w
            item_results.append(ItemResult(state="scored", score=round(s, 4), met=met, **base))
            if s < 1:
                blocker = it.criticality is Criticality.must and not met
                blockers += blocker
                gaps.append(Gap(item_id=it.id, phase=ph.id, criticality=it.criticality, score=round(s, 4),
                                impact=_r(w * (1 - s)), severity=_severity(it, s, blocker), blocker=blocker,
                                question=it.question, recommendation=it.recommendation))
        phase_score = 100 * num / den if den else None
        if in_scope:
            answered_total += answered
            applicable_total += applicable
            if phase_score is not None:
                weighted_sum += ph.weight * phase_score
                weight_total += ph.weight
                evidence_sum += ph.weight * (ev / den)
                evidence_weight += ph.weight
        phase_scores.append(PhaseScore(
            id=ph.id, title=ph.title, weight=ph.weight, in_scope=in_scope,
            out_of_scope_reason=assessment.out_of_scope.get(ph.id) if not in_scope else None,
            score=_r(phase_score) if phase_score is not None else None,
            level=template.level_for(phase_score).id if phase_score is not None else None,
            answered=answered, applicable=applicable,
            completion=_share(answered, applicable) or 0.0,
            evidence_coverage=_share(ev, den), blockers=blockers))

    overall = weighted_sum / weight_total if weight_total else None
    level = template.level_for(overall).id if overall is not None else None
    order = {it.id: n for n, it in enumerate(template.items())}
    gaps.sort(key=lambda g: (-g.impact, order[g.item_id]))
    blockers = [g for g in gaps if g.blocker]
    blockers.sort(key=lambda g: order[g.item_id])
    completion = _share(answered_total, applicable_total) or 0.0
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
        completion=completion,
        evidence_coverage=_r(100 * evidence_sum / evidence_weight) if evidence_weight else None,
        items=item_results, fingerprint=fingerprint(template, assessment))
