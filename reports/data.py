"""Everything a readiness report says, decided before any layout.

`build_report` is pure: it reads the template, the assessment and the scoring result and returns a
`ReportData` whose strings are already in the chosen language and whose numbers all come from the
result (or, for the method appendix, from the template itself). The PDF layer only lays it out, so
what a report claims is tested here, like scoring.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checklists import AnswerType, Criticality, Item, Template, Text
from scoring import (
    ActionItem,
    Assessment,
    Comparison,
    Disagreement,
    Gap,
    ItemResult,
    ReadinessResult,
    item_score,
    palette,
    term,
    value_label,
    verdict_label,
)
from vendors import (
    VendorResult,
    vendor_robustness,
)

from .errors import ReportError
from .logo import Logo, validate_logo

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")
TOP_GAPS = 5
# A table row cannot continue on the next page, so a cell must stay well below a page's height:
# longer user texts are cut in their cell and printed in full in the appendix.
CELL_CHARS = 300
CELL_LINES = 10
# The PDF's appendix C is bounded too, so that no single note can stall a report (reportlab re-wraps
# what is left of a paragraph on every page it spills over: quadratic in its length). Each text prints
# at most APPENDIX_CHARS, all of them together at most APPENDIX_TOTAL_CHARS, in paragraphs of at most
# CHUNK_CHARS; what is left is named, and the Word and Markdown exports carry every text in full.
APPENDIX_CHARS = 20_000
APPENDIX_TOTAL_CHARS = 200_000
CHUNK_CHARS = 1_000


# The report font's quotes and dashes are full-width (a Chinese font sets them so), which looks
# wrong in English; the English wording uses their ASCII forms instead.
_LATIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "–", "…": "..."})


def _T(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en.translate(_LATIN))


# Report-only wording. Scoring words (verdicts, severities, answer values, metric names) come from
# scoring.vocabulary so the app, the CLI and the report call each thing by the same name.
S: dict[str, Text] = {
    "report": _T("就绪度评估报告", "Readiness assessment report"),
    "doc_title": _T("{report}：{title}", "{report}: {title}"),
    "subject": _T("实施前就绪度评估：{template}", "Pre-implementation readiness assessment: {template}"),
    "organisation": _T("组织", "Organisation"),
    "project": _T("项目", "Project"),
    "checklist": _T("评估清单", "Checklist"),
    "title_version": _T("{title}（版本 {version}）", "{title} (version {version})"),
    "assessed_on": _T("评估日期", "Assessed on"),
    "assessor": _T("评估人", "Assessor"),
    "report_date": _T("报告日期", "Report date"),
    "fingerprint": _T("结果指纹", "Result fingerprint"),
    "confidential": _T(
        "机密——仅供{org}及其指定顾问使用。本报告包含该组织自己的评估答案，请勿向其他人员分发。",
        "Confidential — prepared for {org} and its appointed advisers. It contains the organisation's "
        "own assessment answers; do not distribute it further."),
    "the_org": _T("贵组织", "the organisation"),
    "The_org": _T("贵组织", "The organisation"),
    "summary": _T("执行摘要", "Executive summary"),
    "out_of_100": _T("/ 100", "/ 100"),
    "level": _T("级别", "Level"),
    "level_by_score": _T("仅按得分的级别：{level}", "Level by score alone: {level}"),
    "top_gaps": _T("影响最大的差距", "Largest gaps by impact"),
    "no_gaps": _T("没有发现差距。", "No gaps were found."),
    "overview": _T("各阶段概览", "Phases at a glance"),
    "radar": _T("五阶段得分雷达图", "Five-phase radar"),
    "radar_caption": _T("刻度 0–100；虚线圈为级别门槛：{levels}", "Scale 0–100; dashed rings mark the level thresholds: {levels}"),
    "bars": _T("各阶段得分与级别门槛", "Phase scores against the level thresholds"),
    "no_score": _T("无得分", "no score"),
    "phases": _T("分阶段结果", "Results by phase"),
    "weight": _T("权重", "Weight"),
    "answered": _T("已回答", "Answered"),
    "phase_gaps": _T("本阶段差距与建议", "Gaps and recommendations in this phase"),
    "phase_no_gaps": _T("本阶段没有差距。", "No gaps in this phase."),
    "phase_no_items": _T("本阶段没有需要回答的检查项。", "No item of this phase was asked."),
    "score_0_100": _T("得分", "Score"),
    "reason": _T("理由", "Reason"),
    "confidence": _T("把握", "Confidence"),
    "id": _T("编号", "ID"),
    "not_asked": _T("未询问（跳转逻辑）", "Not asked (skip logic)"),
    "free_text": _T("不计分", "not scored"),
    "action_plan": _T("行动计划", "Action plan"),
    "action_intro": _T("针对差距约定的行动，含负责人、截止日期与状态。",
                       "The actions agreed on the gaps, with owner, due date and status."),
    "owner": _T("负责人", "Owner"),
    "due": _T("截止日期", "Due"),
    "status": _T("状态", "Status"),
    "disagreements": _T("意见分歧", "Disagreements"),
    "disagreements_intro": _T(
        "以下检查项的受访者回答相差较大（分差以 0–100 计），建议在研讨会上讨论。",
        "Respondents answered these items far apart (spread on the 0–100 scale); they are the "
        "workshop's discussion agenda."),
    "spread": _T("分差", "Spread"),
    "progress": _T("自 {date} 以来的进展", "Progress since {date}"),
    "progress_intro": _T(
        "与 {date} 的基线评估相比：总体得分 {old} → {new}（{delta}）；已解决阻断项 {resolved} 个，新增 {new_blockers} 个；"
        "关闭差距 {closed} 个，新增 {opened} 个；完成行动 {done} 项。",
        "Against the baseline of {date}: overall score {old} → {new} ({delta}); blockers resolved {resolved}, "
        "new {new_blockers}; gaps closed {closed}, opened {opened}; actions done {done}."),
    "before": _T("基线", "Baseline"),
    "after": _T("本次", "Now"),
    "delta": _T("变化", "Change"),
    "respondents": _T("各受访者回答", "Answers by respondent"),
    "appendix": _T("附录", "Appendix"),
    "all_answers": _T("附录 A：全部回答", "Appendix A: every answer"),
    "full_texts": _T("附录 C：完整长文本", "Appendix C: long texts in full"),
    "full_texts_intro": _T("以下文本过长，表格中仅显示开头部分。",
                           "These texts are too long for a table cell, which shows their beginning."),
    "see_full": _T("……（全文见附录 C，{ref}）", "… (full text in appendix C, {ref})"),
    "pdf_rest": _T("……（其余 {n} 个字符未在 PDF 中列出：Word 与 Markdown 导出包含全文）",
                   "… ({n} more characters are not printed in the PDF: the Word and Markdown exports hold the "
                   "full text)"),
    "method": _T("附录 B：评分方法", "Appendix B: scoring method"),
    "share": _T("占比", "Share"),
    "from_score": _T("起始分", "From score"),
    "description": _T("说明", "Description"),
    "page": _T("{page} / {pages}", "{page} / {pages}"),
    "contents": _T("目录", "Contents"),
    "cover": _T("封面", "Cover"),
}

# Narrative sentences: each is filled only with numbers and names taken from the result.
N: dict[str, Text] = {
    "score": _T("{org}在《{template}》中的总体得分为 {overall} / 100，对应级别为“{level}”。",
                "{Org} scores {overall} out of 100 on the {template}, which corresponds to the level "
                "“{level}”."),
    "no_score": _T("目前还没有可计分的回答，因此无法给出总体得分。",
                   "No scored answer has been given yet, so there is no overall score."),
    "blocked": _T("但结论为“{blocked}”：有 {n} 个必备项未达到通过标准，须在实施前解决（见下方列表）。",
                  "The verdict is nevertheless “{blocked}”: {n} must-have item(s) fall below the pass "
                  "mark and must be resolved before implementation starts (listed below)."),
    "not_blocked": _T("没有必备项低于通过标准，因此结论与得分一致：“{level}”。",
                      "No must-have item is below the pass mark, so the verdict follows the score: "
                      "“{level}”."),
    "excluded_musts": _T("另有 {n} 个必备项被标为不适用，未计入结论：{items}。",
                         "{n} must-have item(s) were marked not applicable and do not count toward the verdict: "
                         "{items}."),
    "completion": _T("适用的 {applicable} 个问题中已回答 {answered} 个（{completion}%）。",
                     "{answered} of {applicable} applicable questions were answered ({completion}%)."),
    "unknowns": _T("尚有 {n} 个问题未回答，补全后得分仍可能变化。",
                   "{n} remain unanswered, so the score may still move once they are."),
    "must": _T("必备项达成 {met} / {applicable}（{share}%）。",
               "{met} of {applicable} must-have items are met ({share}%)."),
    "extremes": _T("得分最高的阶段是“{best}”（{best_score}），最低的是“{worst}”（{worst_score}）。",
                   "The strongest phase is {best} ({best_score}); the weakest is {worst} ({worst_score})."),
    "evidence": _T("有证据支撑的计分权重占 {evidence}%，其余基于判断或估计。",
                   "Evidence backs {evidence}% of the scored weight; the rest rests on belief or guesses."),
    "out_of_scope": _T("不在评估范围内的阶段：{phases}。", "Phases out of scope: {phases}."),
    "gaps": _T("共发现 {n} 项差距；影响最大的几项列于下方，每项差距的建议见各阶段章节。",
               "{n} gaps were found; the largest are listed below, and each phase section gives a "
               "recommendation for every gap."),
}

# The method appendix: every number in it is read from the template.
M: dict[str, Text] = {
    "items": _T("每个适用的回答得分在 0 到 1 之间。{status}量表题选 n 级（0–4）得 n/4；单选题得所选选项的分值；"
                "多选题得所选选项分值之和占全部选项分值之和的比例；KPI 数值题仅在清单规定时按目标值计分；"
                "自由文本不计分。",
                "Each applicable answer scores between 0 and 1. {status}A scale level n (0–4) scores n/4; a "
                "choice scores its option's own value; a multiple choice scores the share of the options' "
                "total value that was ticked; a KPI number is scored against its target only where the "
                "checklist says so; free text is never scored."),
    "status": _T("状态题：“{yes}”得 {y}，“{partial}”得 {p}，“{no}”得 {n}。",
                 "Status answers: “{yes}” scores {y}, “{partial}” {p}, “{no}” {n}. "),
    "weights": _T("每个检查项的权重为其自身权重乘以重要性系数：{must} ×{m}，{should} ×{s}，{nice} ×{ni}。",
                  "An item weighs its own weight times its criticality multiplier: {must} ×{m}, "
                  "{should} ×{s}, {nice} ×{ni}."),
    "phase": _T("阶段得分（0–100）是该阶段已回答的适用检查项得分的加权平均。标为不适用、被跳转逻辑跳过或尚未回答的检查项"
                "不计入得分（而不是按 0 分计），但会降低完成度。",
                "A phase score (0–100) is the weighted mean of the phase's answered, applicable items. "
                "Items marked not applicable, skipped by the questionnaire's logic or still unanswered are "
                "left out of the score rather than counted as zero; they lower the completion instead."),
    "overall": _T("总体得分是各阶段得分按下表阶段权重的加权平均；不在范围内或没有任何计分回答的阶段不参与计算。",
                  "The overall score is the mean of the phase scores weighted by the phase weights below; "
                  "a phase that is out of scope or has no scored answer is left out."),
    "levels": _T("级别取得分所达到的最高门槛：", "The level is the highest one whose threshold the score reaches:"),
    "blockers": _T("得分低于 {pass_score}（检查项 0–1 分制）的必备项即为阻断项；只要存在阻断项，无论得分多少，"
                   "结论都是“{blocked}”。",
                   "A must item scoring below {pass_score} (on the 0–1 item scale) is a blocker; any "
                   "blocker makes the verdict “{blocked}”, whatever the score."),
    "overrides": _T("以下检查项设定了自己的通过分：{items}。", "These items set their own pass mark: {items}."),
    "coverage": _T("完成度 = 已回答的适用问题数 ÷ 适用问题数（自由文本题除外）。证据支撑度 = 回答把握为“{evidence}”"
                   "的计分权重占比，按阶段权重汇总。必备项达成 = 达到通过分的必备项 ÷ 适用的必备项。",
                   "Completion = answered applicable questions ÷ applicable questions (free-text items "
                   "excluded). Evidence coverage = the share of scored weight answered with confidence "
                   "“{evidence}”, combined with the phase weights. Must-have coverage = must items at or "
                   "above their pass mark ÷ applicable must items."),
    "provenance": _T("评分版本 {scoring}；清单 {template} 版本 {version}；结果指纹 {fingerprint}。"
                     "相同的清单与回答总是得到相同的指纹。",
                     "Scoring version {scoring}; checklist {template} version {version}; result "
                     "fingerprint {fingerprint}. The same checklist and answers always give the same "
                     "fingerprint."),
}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meta(_M):
    title: str
    author: str
    subject: str
    keywords: list[str]
    language: str  # BCP 47 tag for the PDF catalogue
    created: datetime | None = None


class Fact(_M):
    label: str
    value: str


class Cover(_M):
    kicker: str
    title: str
    organisation: str
    project: str
    fields: list[Fact]
    confidentiality: str
    logo: Logo | None = None


class GapRow(_M):
    item_id: str
    phase: str
    severity: str
    severity_label: str
    question: str
    recommendation: str
    impact: str
    blocker: bool


class Summary(_M):
    heading: str
    overall_label: str
    overall: str  # as printed; "—" when there is no score
    out_of: str
    verdict: str
    verdict_heading: str
    verdict_label: str
    # "blocked", "unknown", or "level": then the level's place among the template's levels
    tone: Literal["blocked", "unknown", "level"]
    level_index: int
    level_count: int
    level_label: str
    level_note: str
    recommendation_label: str
    blocked: bool
    blockers_heading: str
    blockers: list[GapRow]
    metrics: list[Fact]
    narrative: list[str]
    gaps_heading: str
    gap_headers: list[str]
    top_gaps: list[GapRow]
    no_gaps: str


class PhasePoint(_M):
    id: str
    label: str
    score: float | None
    score_text: str
    level_label: str
    # hex, as the app's phase bars colour it (scoring.palette.phase_colour: blocked first)
    colour: str = palette.UNKNOWN


class Threshold(_M):
    label: str
    min_score: float


class TableSection(_M):
    """A titled table of plain strings; `widths` are relative column widths."""

    heading: str
    intro: str | None = None
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]


class Charts(_M):
    heading: str
    radar_title: str
    radar_caption: str
    bars_title: str
    phases: list[PhasePoint]
    thresholds: list[Threshold]
    table: TableSection


class ItemRow(_M):
    item_id: str
    question: str
    criticality: str
    criticality_label: str
    answer: str
    score: str
    state: str
    note: str
    blocker: bool


class PhaseSection(_M):
    id: str
    heading: str
    description: str | None
    out_of_scope: str | None
    facts: list[Fact]
    item_headers: list[str]
    items: list[ItemRow]
    no_items: str
    gaps_heading: str
    gaps: list[GapRow]
    no_gaps: str


class LongText(_M):
    ref: str
    label: str
    text: str  # in full: the Word and Markdown exports print this
    shown: str = ""  # what the PDF prints: the text, or its beginning when the appendix bound is reached
    rest: str = ""  # the PDF's statement of what it left out (empty when it prints everything)


class Method(_M):
    heading: str
    paragraphs: list[str]
    weights: TableSection
    levels: TableSection
    closing: list[str]


class VendorBar(_M):
    """One vendor's weighted score as the sum of its criteria's contributions (chart order = rank)."""

    label: str
    qualified: bool
    score: float
    score_text: str
    parts: list[float]   # contribution of each criterion, in `VendorSection.chart_criteria` order


class VendorSection(_M):
    """The vendor comparison: who leads and how firmly, the table, knock-outs, chart and sensitivity."""

    heading: str
    summary: list[str]
    leader: str | None
    table: TableSection
    knockouts_heading: str
    knockouts: list[str]
    no_knockouts: str
    risks_heading: str
    risks: list[str]
    chart_title: str
    chart_criteria: list[str]
    chart_bars: list[VendorBar]
    chart_caption: str
    sensitivity: TableSection | None
    method_heading: str
    method: list[str]


class ReportData(_M):
    lang: Lang
    meta: Meta
    page_format: str  # "{page} / {pages}"
    footer: str
    outline: dict[str, str]  # bookmark titles of the sections without a heading of their own
    cover: Cover
    summary: Summary
    charts: Charts
    phases_heading: str
    phases: list[PhaseSection]
    action_plan: TableSection | None = None
    disagreements: TableSection | None = None
    progress: TableSection | None = None
    # the vendor comparison, when the assessment has a vendor sheet (absent otherwise: no placeholder)
    vendor: VendorSection | None = None
    appendix_heading: str
    answers: TableSection
    long_texts_heading: str
    long_texts_intro: str
    long_texts: list[LongText]
    method: Method


class ReportOptions(_M):
    lang: Lang = "en"
    logo: bytes | None = None
    action_plan: list[ActionItem] | None = None
    disagreements: list[Disagreement] | None = None
    # a comparison with an earlier assessment adds a "Progress since <date>" section
    comparison: Comparison | None = None
    # a vendor comparison adds its section (table, knock-outs, chart, sensitivity)
    vendors: VendorResult | None = None
    created: datetime | None = None
    top_gaps: int = Field(default=TOP_GAPS, ge=0, le=50)


def num(x: float | None) -> str:
    """A score as every view prints it: up to two decimals, no trailing zeros."""
    return "—" if x is None else f"{x:g}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:g}%"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """User text as plain text: control characters dropped, line ends normalised."""
    s = "" if text is None else str(text)
    return _CONTROL.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))


# ── the vendor comparison ────────────────────────────────────────────────────────────────────

V: dict[str, Text] = {
    "heading": _T("供应商对比", "Vendor comparison"),
    "leader": _T("领先者：{name}，加权得分 {score} / 100，必备需求满足 {met} / {musts} 项。",
                 "Leader: {name}, with a weighted score of {score} out of 100 and {met} of {musts} must-haves met."),
    "leader_no_musts": _T("领先者：{name}，加权得分 {score} / 100。",
                          "Leader: {name}, with a weighted score of {score} out of 100."),
    "none": _T("没有供应商满足全部必备需求：在淘汰原因消除之前，不能推荐任何一家。",
               "No vendor meets every must-have: none can be recommended until the knock-out reasons are cleared."),
    "robust": _T("领先稳健：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}有 {share}% 保持第一。",
                 "The lead is robust: in {runs} simulations that vary every weight by up to ±{spread}%, {name} "
                 "comes first in {share}% of them."),
    "fair": _T("领先较稳：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}有 {share}% 保持第一。",
               "The lead is fairly robust: in {runs} simulations that vary every weight by up to ±{spread}%, "
               "{name} comes first in {share}% of them."),
    "fragile": _T("领先不稳：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}只有 {share}% 保持第一；"
                  "决定前请再审视权重与评分。",
                  "The lead is fragile: in {runs} simulations that vary every weight by up to ±{spread}%, {name} "
                  "comes first in only {share}% of them; revisit the weights and scores before deciding."),
    "nearest_up": _T("最敏感的标准是“{criterion}”：其权重占比从 {now} 升至 {at} 时，{rival}追平领先者。",
                     "The closest call is “{criterion}”: if its weight share rises from {now} to {at}, {rival} "
                     "draws level with the leader."),
    "nearest_down": _T("最敏感的标准是“{criterion}”：其权重占比从 {now} 降至 {at} 时，{rival}追平领先者。",
                       "The closest call is “{criterion}”: if its weight share falls from {now} to {at}, {rival} "
                       "draws level with the leader."),
    "stable": _T("任何一项标准的权重在 0–100% 之间单独变化，领先者都不会改变。",
                 "Moving any single criterion's weight anywhere between 0 and 100% does not change the leader."),
    "single": _T("只有一家供应商未被淘汰，没有可比较的对手。",
                 "Only one vendor is qualified, so there is no rival to weigh it against."),
    "rank": _T("排名", "Rank"),
    "vendor": _T("供应商", "Vendor"),
    "score": _T("加权得分", "Score"),
    "musts": _T("必备满足", "Must-haves met"),
    "nice": _T("加分覆盖", "Nice-to-have coverage"),
    "tco": _T("总拥有成本（{currency}，{years} 年）", "TCO ({currency}, {years} years)"),
    "per_cost": _T("得分 / 万元", "Score per 10k"),
    "status": _T("状态", "Status"),
    "qualified": _T("入围", "Qualified"),
    "knocked_out": _T("淘汰", "Knocked out"),
    "table_intro": _T("排名：未淘汰者在前，再按加权得分、加分覆盖、较低成本。评估人：{evaluators}。",
                      "Rank: qualified vendors first, then by score, nice-to-have coverage and lower cost. "
                      "Evaluators: {evaluators}."),
    "knockouts": _T("淘汰原因", "Knock-outs"),
    "no_knockouts": _T("没有供应商被淘汰。", "No vendor is knocked out."),
    "risks": _T("必备需求上的待确认风险", "Open risks on must-haves"),
    "chart": _T("加权得分构成（按评估标准）", "Weighted score by criterion"),
    "chart_caption": _T("每段为一项标准对加权得分（0–100）的贡献；淘汰的供应商以浅色显示。",
                        "Each segment is one criterion's contribution to the weighted score (0–100); "
                        "knocked-out vendors are shown pale."),
    "sensitivity": _T("敏感性：领先者保持不变的权重占比区间", "Sensitivity: weight share over which the leader holds"),
    "criterion": _T("评估标准", "Criterion"),
    "share_now": _T("当前占比", "Share now"),
    "holds_down": _T("下限（其后领先者）", "Lower limit (then leads)"),
    "holds_up": _T("上限（其后领先者）", "Upper limit (then leads)"),
    "holds": _T("不变", "holds"),
    "method": _T("对比方法", "How the comparison works"),
}


def _v(key: str, lang: str, **kw: object) -> str:
    text = V[key].get(lang)
    return text.format(**kw) if kw else text


def _share(x: float) -> str:
    return f"{round(100 * x, 1):g}%"


def vendor_summary(result: VendorResult, lang: str) -> list[str]:
    """The leader, how robust the lead is, and the closest call, as sentences (app and report alike)."""
    names = {v.id: clean(v.name.get(lang)) for v in result.vendors}
    if result.leader is None:
        return [_v("none", lang)]
    lead = result.vendor(result.leader)
    key = "leader" if lead.must_total else "leader_no_musts"
    out = [_v(key, lang, name=names[lead.id], score=num(round(lead.score, 2)), met=lead.must_met,
              musts=lead.must_total)]
    robustness = vendor_robustness(result)
    if robustness is None:
        out.append(_v("single", lang))
        return out
    mc = result.monte_carlo
    out.append(_v(robustness, lang, runs=f"{mc.runs:,}", spread=f"{mc.spread * 100:g}", name=names[lead.id],
                  share=f"{round(100 * mc.shares.get(lead.id, 0.0), 1):g}"))
    nearest = None  # (distance in share, direction, row, threshold)
    for row in result.sensitivity.rows:
        for direction, th in (("up", row.up), ("down", row.down)):
            if th is not None:
                dist = abs(th.share - row.share)
                if nearest is None or dist < nearest[0]:
                    nearest = (dist, direction, row, th)
    if nearest is None:
        out.append(_v("stable", lang))
    else:
        _d, direction, row, th = nearest
        out.append(_v(f"nearest_{direction}", lang, criterion=clean(row.name.get(lang)), now=_share(row.share),
                      at=_share(th.share), rival=names.get(th.rival, th.rival)))
    return out


def vendor_section(result: VendorResult, lang: str) -> VendorSection:
    """The report's vendor section in one language; every number comes from `result`."""
    names = {v.id: clean(v.name.get(lang)) for v in result.vendors}
    st = result.settings
    rows = []
    for v in result.vendors:
        rows.append([
            str(v.rank), names[v.id], num(round(v.score, 2)), f"{v.must_met}/{v.must_total}", pct(v.nice_coverage),
            f"{v.cost.total:,.0f}" if v.cost is not None else "—",
            f"{v.score_per_10k:.2f}" if v.score_per_10k is not None else "—",
            _v("qualified" if v.qualified else "knocked_out", lang)])
    sep = "、" if lang == "zh" else ", "
    table = TableSection(
        heading="", intro=_v("table_intro", lang, evaluators=sep.join(clean(e) for e in result.evaluators) or "—"),
        headers=[_v("rank", lang), _v("vendor", lang), _v("score", lang), _v("musts", lang), _v("nice", lang),
                 _v("tco", lang, currency=clean(result.currency), years=st.years), _v("per_cost", lang),
                 _v("status", lang)],
        rows=rows, widths=[0.8, 3.1, 1.3, 1.4, 1.5, 2.0, 1.3, 1.8])
    knockouts = [f"{names[v.id]}: {clean(f.message.get(lang))}" for v in result.vendors for f in v.knockouts]
    risks = [f"{names[v.id]}: {clean(f.message.get(lang))}" for v in result.vendors for f in v.risks
             if f.kind in ("must_partly", "must_unknown")]
    crits = result.vendors[0].criteria if result.vendors else []
    bars = [VendorBar(label=names[v.id], qualified=v.qualified, score=v.score, score_text=num(round(v.score, 1)),
                      parts=[c.contribution for c in v.criteria]) for v in result.vendors]
    sens = None
    if vendor_robustness(result) is not None:
        def limit(th, end: str) -> str:
            return f"{_share(th.share)} → {names.get(th.rival, th.rival)}" if th is not None \
                else f"{end} ({_v('holds', lang)})"

        sens = TableSection(
            heading=_v("sensitivity", lang),
            headers=[_v("criterion", lang), _v("share_now", lang), _v("holds_down", lang), _v("holds_up", lang)],
            rows=[[clean(r.name.get(lang)), _share(r.share), limit(r.down, "0%"), limit(r.up, "100%")]
                  for r in result.sensitivity.rows],
            widths=[3.2, 1.3, 2.6, 2.6])
    method = [result.method.get(lang), result.sensitivity.method.get(lang), result.monte_carlo.method.get(lang)]
    return VendorSection(
        heading=_v("heading", lang), summary=vendor_summary(result, lang),
        leader=names[result.leader] if result.leader else None, table=table,
        knockouts_heading=_v("knockouts", lang), knockouts=knockouts, no_knockouts=_v("no_knockouts", lang),
        risks_heading=_v("risks", lang), risks=risks,
        chart_title=_v("chart", lang), chart_criteria=[clean(c.name.get(lang)) for c in crits], chart_bars=bars,
        chart_caption=_v("chart_caption", lang), sensitivity=sens, method_heading=_v("method", lang),
        method=[m.translate(_LATIN) if lang == "en" else m for m in method])


class _Builder:
    def __init__(self, template: Template, assessment: Assessment, result: ReadinessResult,
                 options: ReportOptions):
        self.t, self.a, self.r, self.o = template, assessment, result, options
        self.lang = options.lang
        self.items = {it.id: it for it in template.items()}
        self.results = {ir.id: ir for ir in result.items}
        self.long: list[LongText] = []
        self._long_keys: dict[tuple[str, str], str] = {}

    # wording ---------------------------------------------------------------------------------
    def s(self, key: str, **kw: object) -> str:
        text = S[key].get(self.lang)
        return text.format(**kw) if kw else text

    def n(self, table: dict[str, Text], key: str, **kw: object) -> str:
        return table[key].get(self.lang).format(**kw)

    def term(self, key: str) -> str:
        return term(key, self.lang)

    def question(self, item_id: str) -> str:
        it = self.items.get(item_id)
        return it.question.get(self.lang) if it else item_id

    def phase_title(self, phase_id: str) -> str:
        try:
            return self.t.phase(phase_id).title.get(self.lang)
        except KeyError:
            return phase_id

    def org(self) -> str:
        return clean(self.a.organisation).strip()

    def cell(self, text: object, item_id: str, label: str) -> str:
        """User text for a table cell: cut when too long, the full text kept for appendix C."""
        s = clean(text)
        lines = s.split("\n")
        if len(s) <= CELL_CHARS and len(lines) <= CELL_LINES:
            return s
        key = (item_id, label)
        ref = self._long_keys.get(key)
        if ref is None:
            ref = f"C{len(self.long) + 1}"
            self._long_keys[key] = ref
            self.long.append(LongText(ref=ref, label=f"{ref} · {item_id} · {label}", text=s))
        head = "\n".join(lines[:CELL_LINES])[:CELL_CHARS].rstrip()
        return head + self.s("see_full", ref=ref)

    def bounded_long_texts(self) -> list[LongText]:
        """Appendix C as the PDF prints it: each text up to APPENDIX_CHARS, all up to
        APPENDIX_TOTAL_CHARS; the rest named with where to find it."""
        out, budget = [], APPENDIX_TOTAL_CHARS
        for lt in self.long:
            n = max(0, min(len(lt.text), APPENDIX_CHARS, budget))
            budget -= n
            rest = len(lt.text) - n
            out.append(lt.model_copy(update={
                "shown": lt.text[:n].rstrip(), "rest": self.s("pdf_rest", n=f"{rest:,}") if rest else ""}))
        return out

    # parts -----------------------------------------------------------------------------------
    def gap_row(self, g: Gap) -> GapRow:
        return GapRow(item_id=g.item_id, phase=self.phase_title(g.phase), severity=g.severity,
                      severity_label=self.term(g.severity), question=g.question.get(self.lang),
                      recommendation=g.recommendation.get(self.lang), impact=num(g.impact),
                      blocker=g.blocker)

    def meta(self) -> Meta:
        title = self.t.title.get(self.lang)
        org = self.org()
        full = f"{title} — {org}" if org else title
        assessor = clean(self.a.respondent).strip()
        return Meta(
            title=self.s("doc_title", report=self.s("report"), title=full),
            author=assessor or org or self.s("report"),
            subject=self.s("subject", template=title),
            keywords=["readiness", self.t.id, f"{self.t.id} v{self.t.version}", self.r.verdict,
                      f"fingerprint {self.r.fingerprint[:16]}"],
            language="zh-CN" if self.lang == "zh" else "en",
            created=self.o.created)

    def cover(self, logo: Logo | None) -> Cover:
        org = self.org()
        created = self.o.created.strftime("%Y-%m-%d") if self.o.created else "—"
        fields = [
            Fact(label=self.s("organisation"), value=org or "—"),
            Fact(label=self.s("project"), value=clean(self.a.project).strip() or "—"),
            Fact(label=self.s("checklist"),
                 value=self.s("title_version", title=self.t.title.get(self.lang), version=self.t.version)),
            Fact(label=self.s("assessed_on"), value=clean(self.a.assessed_on).strip() or "—"),
            Fact(label=self.s("assessor"), value=clean(self.a.respondent).strip() or "—"),
            Fact(label=self.s("report_date"), value=created),
            Fact(label=self.s("fingerprint"), value=self.r.fingerprint[:16]),
        ]
        return Cover(kicker=self.s("report"), title=self.t.title.get(self.lang), organisation=org,
                     project=clean(self.a.project).strip(), fields=fields,
                     confidentiality=self.s("confidential", org=org or self.s("the_org")), logo=logo)

    def narrative(self) -> list[str]:
        """Three short paragraphs: the verdict, how complete and well-founded it is, what is missing."""
        r, lang = self.r, self.lang
        verdict: list[str] = []
        basis: list[str] = []
        rest: list[str] = []
        out = verdict
        level = verdict_label(self.t, r.level, lang) if r.level else self.term("unknown")
        org = self.org()
        if r.overall is None:
            out.append(self.n(N, "no_score"))
        else:
            out.append(self.n(N, "score", org=org or self.s("the_org"), Org=org or self.s("The_org"),
                              template=self.t.title.get(lang), overall=num(r.overall), level=level))
        if r.blocked:
            out.append(self.n(N, "blocked", blocked=self.term("blocked"), n=len(r.blockers)))
        elif r.overall is not None:
            out.append(self.n(N, "not_blocked", level=level))
        if r.excluded_musts:
            # the reasons are the respondents' words: they sit beside the verdict they change
            sep = "；" if lang == "zh" else "; "
            items = sep.join(f"{self.question(n.item_id)} ({clean(n.reason) if n.reason else self.term('no_reason')})"
                             for n in r.excluded_musts)
            out.append(self.n(N, "excluded_musts", n=len(r.excluded_musts), items=items))
        out = basis
        out.append(self.n(N, "completion", answered=r.progress.answered, applicable=r.progress.applicable,
                          completion=num(r.progress.share)))
        if r.unknowns:
            out.append(self.n(N, "unknowns", n=len(r.unknowns)))
        if r.must_coverage.applicable:
            out.append(self.n(N, "must", met=r.must_coverage.met, applicable=r.must_coverage.applicable,
                              share=num(r.must_coverage.share)))
        scored = [p for p in r.phases if p.in_scope and p.score is not None]
        if len(scored) >= 2:
            # first of equals wins, in the template's phase order, so the sentence is reproducible
            best = max(scored, key=lambda p: p.score)
            worst = min(scored, key=lambda p: p.score)
            if best.score != worst.score:
                out.append(self.n(N, "extremes", best=best.title.get(lang), best_score=num(best.score),
                                  worst=worst.title.get(lang), worst_score=num(worst.score)))
        if r.evidence_coverage is not None:
            out.append(self.n(N, "evidence", evidence=num(r.evidence_coverage)))
        out = rest
        if r.out_of_scope:
            sep = "、" if lang == "zh" else ", "
            out.append(self.n(N, "out_of_scope", phases=sep.join(self.phase_title(p) for p in r.out_of_scope)))
        if r.gaps:
            out.append(self.n(N, "gaps", n=len(r.gaps)))
        joiner = "" if lang == "zh" else " "
        return [joiner.join(group) for group in (verdict, basis, rest) if group]

    def summary(self) -> Summary:
        r, lang = self.r, self.lang
        ids = [lv.id for lv in self.t.levels]
        tone = "blocked" if r.blocked else "unknown" if r.level is None else "level"

        def cov(c) -> str:
            return "—" if c.share is None else f"{num(c.share)}% ({c.met}/{c.applicable})"

        metrics = [
            Fact(label=self.term("completion"), value=pct(r.completion)),
            Fact(label=self.term("must_coverage"), value=cov(r.must_coverage)),
            Fact(label=self.term("should_coverage"), value=cov(r.should_coverage)),
            Fact(label=self.term("nice_coverage"), value=cov(r.nice_coverage)),
            Fact(label=self.term("evidence_coverage"), value=pct(r.evidence_coverage)),
        ]
        others = [g for g in r.gaps if not g.blocker][: self.o.top_gaps]
        return Summary(
            heading=self.s("summary"), overall_label=self.term("overall"), overall=num(r.overall),
            out_of=self.s("out_of_100"), verdict=r.verdict, verdict_heading=self.term("verdict"),
            verdict_label=verdict_label(self.t, r.verdict, lang), tone=tone,
            level_index=ids.index(r.level) if r.level in ids else 0, level_count=len(ids),
            level_label=verdict_label(self.t, r.level, lang) if r.level else self.term("unknown"),
            level_note=self.s("level_by_score", level=verdict_label(self.t, r.level, lang) if r.level
                              else self.term("unknown")),
            recommendation_label=self.term("recommendation"),
            blocked=r.blocked, blockers_heading=f"{self.term('blockers')} ({len(r.blockers)})",
            blockers=[self.gap_row(g) for g in r.blockers], metrics=metrics, narrative=self.narrative(),
            gaps_heading=self.s("top_gaps"),
            gap_headers=[self.term("severity"), self.term("item"), self.term("recommendation"),
                         self.term("impact")],
            top_gaps=[self.gap_row(g) for g in others], no_gaps=self.s("no_gaps"))

    def charts(self) -> Charts:
        points = []
        rows = []
        for p in self.r.phases:
            if not p.in_scope:
                shown = self.term("out_of_scope")
            elif p.score is None:
                shown = self.s("no_score")
            else:
                shown = num(p.score)
            level = verdict_label(self.t, p.level, self.lang) if p.level else "—"
            points.append(PhasePoint(id=p.id, label=p.title.get(self.lang),
                                     score=p.score if p.in_scope else None, score_text=shown,
                                     level_label=level, colour=palette.phase_colour(self.t, p)))
            rows.append([p.title.get(self.lang), num(p.weight), shown, level,
                         f"{pct(p.completion)} ({p.answered}/{p.applicable})", str(p.blockers)])
        table = TableSection(
            heading=self.s("overview"),
            headers=[self.term("phase"), self.s("weight"), self.term("score"), self.s("level"),
                     self.term("completion"), self.term("blockers")],
            rows=rows, widths=[3, 1.2, 1.6, 2.2, 2.4, 1.3])
        sep = " · "
        caption = self.s("radar_caption", levels=sep.join(f"{lv.label.get(self.lang)} {num(lv.min_score)}"
                                                           for lv in self.t.levels if 0 < lv.min_score < 100))
        return Charts(heading=self.s("overview"), radar_title=self.s("radar"), radar_caption=caption,
                      bars_title=self.s("bars"),
                      phases=points,
                      thresholds=[Threshold(label=lv.label.get(self.lang), min_score=lv.min_score)
                                  for lv in self.t.levels],
                      table=table)

    def item_row(self, it: Item, ir: ItemResult) -> ItemRow:
        ans = self.a.answers.get(it.id)
        state = ir.state
        if state == "hidden":
            answer = self.s("not_asked")
        elif state == "out_of_scope":
            answer = self.term("out_of_scope")
        elif state == "unknown":
            answer = self.term("unknowns")
        elif it.kind.free_text and ir.value not in (None, "na"):
            answer = self.cell(ir.value, it.id, self.term("answer"))
        else:
            answer = value_label(self.t, it, ir.value, self.lang)
        if ir.score is not None:
            score = num(round(ir.score * 100, 1))
        elif state == "unscored" or (state == "answered" and not it.scored):
            score = self.s("free_text")
        else:
            score = "—"
        notes = []
        if ans is not None and ans.reason:
            notes.append(f"{self.s('reason')}: {clean(ans.reason)}")
        if ans is not None and ans.note:
            notes.append(clean(ans.note))
        note = self.cell("\n".join(notes), it.id, self.term("note")) if notes else ""
        blocker = any(g.item_id == it.id for g in self.r.blockers)
        return ItemRow(item_id=it.id, question=it.question.get(self.lang), criticality=it.criticality.value,
                       criticality_label=self.term(it.criticality.value), answer=answer, score=score,
                       state=state, note=note, blocker=blocker)

    def phases(self) -> list[PhaseSection]:
        out = []
        for ph, ps in zip(self.t.phases, self.r.phases, strict=True):
            rows = [self.item_row(it, self.results[it.id]) for it in ph.items
                    if self.results[it.id].state not in ("hidden", "out_of_scope")]
            facts = [
                Fact(label=self.term("score"), value=f"{num(ps.score)} / 100" if ps.score is not None else "—"),
                Fact(label=self.s("level"),
                     value=verdict_label(self.t, ps.level, self.lang) if ps.level else "—"),
                Fact(label=f"{self.term('completion')} ({ps.answered}/{ps.applicable})", value=pct(ps.completion)),
                Fact(label=self.s("weight"), value=num(ps.weight)),
                Fact(label=self.term("evidence_coverage"), value=pct(ps.evidence_coverage)),
                Fact(label=self.term("blockers"), value=str(ps.blockers)),
            ]
            oos = None
            if not ps.in_scope:
                reason = self.cell(ps.out_of_scope_reason, ph.id, self.term("out_of_scope")).strip()
                oos = f"{self.term('out_of_scope')}: {reason}" if reason else self.term("out_of_scope")
            out.append(PhaseSection(
                id=ph.id, heading=ph.title.get(self.lang),
                description=ph.description.get(self.lang) if ph.description else None,
                out_of_scope=oos, facts=facts,
                item_headers=[self.term("item"), self.term("answer"), self.term("score"), self.term("note")],
                items=rows, no_items=self.s("phase_no_items"),
                gaps_heading=self.s("phase_gaps"),
                gaps=[self.gap_row(g) for g in self.r.gaps if g.phase == ph.id],
                no_gaps=self.s("phase_no_gaps")))
        return out

    def action_plan(self, plan: list[ActionItem]) -> TableSection:
        rows = []
        for a in plan:
            rows.append([f"{self.question(a.item_id)}\n{a.item_id}",
                         self.cell(a.owner, a.item_id, self.s("owner")) or "—", clean(a.due) or "—",
                         self.term(a.status.value),
                         self.cell(a.note, a.item_id, self.s("action_plan")) or ""])
        return TableSection(heading=self.s("action_plan"), intro=self.s("action_intro"),
                            headers=[self.term("item"), self.s("owner"), self.s("due"), self.s("status"),
                                     self.term("note")],
                            rows=rows, widths=[4, 1.8, 1.5, 1.4, 3])

    def progress(self, cmp: Comparison) -> TableSection:
        def signed(x: float | None) -> str:
            return "—" if x is None else ("±0" if x == 0 else f"{x:+g}")

        date = clean(cmp.old.assessed_on) or "—"
        rows = [[p.title.get(self.lang), num(p.old_score), num(p.new_score), signed(p.delta)] for p in cmp.phases]
        rows.append([self.term("overall"), num(cmp.old.overall), num(cmp.new.overall), signed(cmp.overall_delta)])
        intro = self.s("progress_intro", date=date, old=num(cmp.old.overall), new=num(cmp.new.overall),
                       delta=signed(cmp.overall_delta), resolved=len(cmp.blockers_resolved),
                       new_blockers=len(cmp.blockers_new), closed=len(cmp.gaps_closed),
                       opened=len(cmp.gaps_opened), done=len(cmp.actions_done))
        return TableSection(heading=self.s("progress", date=date), intro=intro,
                            headers=[self.term("phase"), self.s("before"), self.s("after"), self.s("delta")],
                            rows=rows, widths=[4, 1.5, 1.5, 1.5])

    def disagreements(self, items: list[Disagreement]) -> TableSection:
        rows = []
        sep = "；" if self.lang == "zh" else "; "
        for d in items:
            it = self.items.get(d.item_id)
            answers = []
            for who, value in d.values.items():
                shown = value_label(self.t, it, value, self.lang) if it else clean(value)
                answers.append(f"{clean(who)}: {shown}")
            rows.append([f"{self.question(d.item_id)}\n{d.item_id}", num(round(d.spread * 100, 1)),
                         self.cell(sep.join(answers), d.item_id, self.s("respondents"))])
        return TableSection(heading=self.s("disagreements"), intro=self.s("disagreements_intro"),
                            headers=[self.term("item"), self.s("spread"), self.s("respondents")],
                            rows=rows, widths=[4.5, 1.2, 5])

    def answers(self) -> TableSection:
        rows = []
        for it in self.t.items():
            row = self.item_row(it, self.results[it.id])
            ans = self.a.answers.get(it.id)
            conf = self.term(ans.confidence.value) if ans is not None and ans.confidence else "—"
            rows.append([it.id, row.question, row.answer, conf, row.note])
        return TableSection(heading=self.s("all_answers"),
                            headers=[self.s("id"), self.term("item"), self.term("answer"), self.s("confidence"),
                                     self.term("note")],
                            rows=rows, widths=[2.9, 3.9, 2.3, 1.5, 3.0])

    def method(self) -> Method:
        t, lang = self.t, self.lang
        status_item = next((it for it in t.items() if it.type is AnswerType.status), None)
        status = ""
        if status_item is not None:
            # the values come from the scoring itself, so this sentence cannot drift from it
            y, p, n_ = (item_score(status_item, v) for v in status_item.allowed_values())
            status = self.n(M, "status", yes=self.term("yes"), partial=self.term("partial"), no=self.term("no"),
                            y=num(y), p=num(p), n=num(n_))
        m = t.multipliers
        paragraphs = [
            self.n(M, "items", status=status),
            self.n(M, "weights", must=self.term("must"), should=self.term("should"), nice=self.term("nice"),
                   m=num(m.must), s=num(m.should), ni=num(m.nice)),
            self.n(M, "phase"),
            self.n(M, "overall"),
        ]
        total = sum(ph.weight for ph in t.phases)
        weights = TableSection(
            heading="", headers=[self.term("phase"), self.s("weight"), self.s("share")],
            rows=[[ph.title.get(lang), num(ph.weight), pct(round(100 * ph.weight / total, 1))] for ph in t.phases],
            widths=[3, 1.5, 1.5])
        levels = TableSection(
            heading=self.n(M, "levels"), headers=[self.s("level"), self.s("from_score"), self.s("description")],
            rows=[[lv.label.get(lang), num(lv.min_score), lv.description.get(lang) if lv.description else ""]
                  for lv in t.levels],
            widths=[2, 1.3, 6])
        closing = [self.n(M, "blockers", pass_score=num(t.must_pass_score), blocked=self.term("blocked"))]
        overrides = [it for it in t.items() if it.criticality is Criticality.must and it.pass_score is not None]
        if overrides:
            sep = "、" if lang == "zh" else ", "
            closing.append(self.n(M, "overrides", items=sep.join(f"{it.id} ({num(it.pass_score)})"
                                                                 for it in overrides)))
        closing.append(self.n(M, "coverage", evidence=self.term("evidence")))
        closing.append(self.n(M, "provenance", scoring=self.r.scoring_version, template=t.id,
                              version=t.version, fingerprint=self.r.fingerprint[:16]))
        return Method(heading=self.s("method"), paragraphs=paragraphs, weights=weights, levels=levels,
                      closing=closing)


def build_report(template: Template, assessment: Assessment, result: ReadinessResult,
                 options: ReportOptions | None = None) -> ReportData:
    """The report's content in one language; raises `ReportError` for a bad logo or mismatched inputs."""
    options = options or ReportOptions()
    if options.lang not in LANGS:
        raise ReportError(f"unknown report language {options.lang!r}; use zh or en")
    if result.template != template.id or assessment.template != template.id:
        raise ReportError(f"the result ({result.template}) and the assessment ({assessment.template}) must "
                          f"belong to the template {template.id}")
    logo = validate_logo(options.logo) if options.logo is not None else None
    b = _Builder(template, assessment, result, options)
    summary = b.summary()
    charts = b.charts()
    phases = b.phases()
    action_plan = b.action_plan(options.action_plan) if options.action_plan else None
    disagreements = b.disagreements(options.disagreements) if options.disagreements else None
    progress = b.progress(options.comparison) if options.comparison else None
    vendor = vendor_section(options.vendors, options.lang) if options.vendors is not None else None
    answers = b.answers()
    method = b.method()
    org = b.org()
    title = template.title.get(options.lang)
    return ReportData(
        lang=options.lang, meta=b.meta(), page_format=b.s("page"),
        footer=f"{org} · {title}" if org else title,
        outline={"cover": b.s("cover"), "appendix": b.s("appendix")},
        cover=b.cover(logo), summary=summary, charts=charts, phases_heading=b.s("phases"), phases=phases,
        action_plan=action_plan, disagreements=disagreements, progress=progress, vendor=vendor,
        appendix_heading=b.s("appendix"),
        answers=answers, long_texts_heading=b.s("full_texts"), long_texts_intro=b.s("full_texts_intro"),
        long_texts=b.bounded_long_texts(), method=method)
