"""Bilingual names of the scoring vocabulary (verdicts, severities, answer values), shared by every view
so the app, the report and the CLI call the same thing by the same name."""

from __future__ import annotations

from checklists import NA, NA_LABEL, STATUS_LABELS, Item, Template, Text

from .answers import CONFIDENCE_LABELS

_T = Text

TERMS: dict[str, Text] = {
    "blocked": _T(zh="受阻", en="Blocked"),
    "unknown": _T(zh="未知", en="Unknown"),
    "incomplete": _T(zh="信息不足", en="Incomplete"),
    "blocker": _T(zh="阻断项", en="Blocker"),
    "high": _T(zh="高", en="High"),
    "medium": _T(zh="中", en="Medium"),
    "low": _T(zh="低", en="Low"),
    "must": _T(zh="必备", en="Must"),
    "should": _T(zh="应有", en="Should"),
    "nice": _T(zh="加分", en="Nice"),
    **STATUS_LABELS,
    NA: NA_LABEL,
    **CONFIDENCE_LABELS,
    "overall": _T(zh="总体得分", en="Overall score"),
    "verdict": _T(zh="结论", en="Verdict"),
    "completion": _T(zh="完成度", en="Completion"),
    "must_coverage": _T(zh="必备项达成", en="Must-have coverage"),
    "should_coverage": _T(zh="应有项达成", en="Should-have coverage"),
    "nice_coverage": _T(zh="加分项达成", en="Nice-to-have coverage"),
    "evidence_coverage": _T(zh="证据支撑度", en="Evidence coverage"),
    "gaps": _T(zh="差距", en="Gaps"),
    "blockers": _T(zh="阻断项", en="Blockers"),
    "unknowns": _T(zh="未回答", en="Unanswered"),
    "not_applicable": _T(zh="不适用项", en="Not applicable"),
    "excluded_musts": _T(zh="按不适用排除的必备项", en="Must items excluded as not applicable"),
    "no_reason": _T(zh="未说明理由", en="no reason given"),
    "out_of_scope": _T(zh="不在范围内", en="Out of scope"),
    "phase": _T(zh="阶段", en="Phase"),
    "score": _T(zh="得分", en="Score"),
    "impact": _T(zh="影响", en="Impact"),
    "severity": _T(zh="严重度", en="Severity"),
    "criticality": _T(zh="重要性", en="Criticality"),
    "recommendation": _T(zh="建议", en="Recommendation"),
    "item": _T(zh="检查项", en="Item"),
    "answer": _T(zh="回答", en="Answer"),
    "note": _T(zh="备注", en="Note"),
    # action-plan statuses (scoring.workshop.ActionStatus)
    "open": _T(zh="未开始", en="Open"),
    "in_progress": _T(zh="进行中", en="In progress"),
    "done": _T(zh="已完成", en="Done"),
    # the score as a range while answers are unknown (scoring.score_range)
    "score_range": _T(zh="得分区间", en="Score range"),
    "verdict_range": _T(zh="结论区间", en="Verdict range"),
    "verdict_can_change": _T(zh="结论仍可能改变", en="The verdict can still change"),
    "verdict_settled": _T(zh="无论其余答案如何，结论都不会改变", en="The verdict holds whatever the other answers are"),
    "decisive_unknowns": _T(zh="最关键的待答问题", en="The next questions that matter"),
    "if_worst": _T(zh="最差回答时", en="if answered at worst"),
    "if_best": _T(zh="最佳回答时", en="if answered at best"),
    # the workshop room (scoring.room, cli.py workshop)
    "respondents": _T(zh="答题人", en="Respondents"),
    "agenda": _T(zh="讨论议程", en="Discussion agenda"),
    "spread": _T(zh="分歧度", en="Spread"),
    "tie": _T(zh="平票", en="Tie"),
    "dropped": _T(zh="合并时略去的选项", en="Options the combined answer leaves out"),
    "missing": _T(zh="未作答", en="Not answered by"),
    "alpha": _T(zh="一致性（Krippendorff α）", en="Agreement (Krippendorff's alpha)"),
    "all_phases": _T(zh="全部阶段", en="all phases"),
    "ordinal": _T(zh="有序", en="ordinal"),
    "nominal": _T(zh="名义", en="nominal"),
    "role_divergence": _T(zh="角色间分歧", en="Divergence between roles"),
    "owner_coverage": _T(zh="负责角色未作答的问题", en="Questions no owning role has answered"),
}


def term(key: str, lang: str) -> str:
    t = TERMS.get(key)
    return t.get(lang) if t else key


def verdict_label(template: Template, verdict: str, lang: str) -> str:
    """`blocked`/`unknown` from the vocabulary, otherwise the template's own level label."""
    for lv in template.levels:
        if lv.id == verdict:
            return lv.label.get(lang)
    return term(verdict, lang)


def value_label(template: Template, item: Item, value: object, lang: str) -> str:
    """An answer value in words: option labels, scale labels, units."""
    if value is None:
        return "—"
    if value == NA:
        return NA_LABEL.get(lang)
    return item.kind.text(template, item, value, lang)
