"""What a report says, word for word, in both languages: the tables of report wording.

Report-only wording lives here; scoring words (verdicts, severities, answer values, metric names)
come from `scoring.vocabulary`, so the app, the CLI and the report call each thing by the same name.
Each sentence is filled only with numbers and names taken from the scoring result.
"""

from __future__ import annotations

from checklists import Text

# The report font's quotes and dashes are full-width (a Chinese font sets them so), which looks
# wrong in English; the English wording uses their ASCII forms instead.
LATIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "–", "…": "..."})


def words(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en.translate(LATIN))


# Report-only wording. Scoring words (verdicts, severities, answer values, metric names) come from
# scoring.vocabulary so the app, the CLI and the report call each thing by the same name.
REPORT_WORDS: dict[str, Text] = {
    "report": words("就绪度评估报告", "Readiness assessment report"),
    "doc_title": words("{report}：{title}", "{report}: {title}"),
    "subject": words("实施前就绪度评估：{template}", "Pre-implementation readiness assessment: {template}"),
    "organisation": words("组织", "Organisation"),
    "project": words("项目", "Project"),
    "checklist": words("评估清单", "Checklist"),
    "title_version": words("{title}（版本 {version}）", "{title} (version {version})"),
    "assessed_on": words("评估日期", "Assessed on"),
    "assessor": words("评估人", "Assessor"),
    "report_date": words("报告日期", "Report date"),
    "fingerprint": words("结果指纹", "Result fingerprint"),
    "confidential": words(
        "机密——仅供{org}及其指定顾问使用。本报告包含该组织自己的评估答案，请勿向其他人员分发。",
        "Confidential — prepared for {org} and its appointed advisers. It contains the organisation's "
        "own assessment answers; do not distribute it further."),
    "the_org": words("贵组织", "the organisation"),
    "The_org": words("贵组织", "The organisation"),
    "summary": words("执行摘要", "Executive summary"),
    "out_of_100": words("/ 100", "/ 100"),
    "level": words("级别", "Level"),
    "level_by_score": words("仅按得分的级别：{level}", "Level by score alone: {level}"),
    "top_gaps": words("最重要的差距", "Most important gaps"),
    "no_gaps": words("没有发现差距。", "No gaps were found."),
    "incomplete_none": words("已回答的问题中尚未发现差距。", "No gap among the answers given so far."),
    "overview": words("各阶段概览", "Phases at a glance"),
    "radar": words("五阶段得分雷达图", "Five-phase radar"),
    "radar_caption": words("刻度 0–100；虚线圈为级别门槛：{levels}", "Scale 0–100; dashed rings mark the level thresholds: {levels}"),
    "bars": words("各阶段得分与级别门槛", "Phase scores against the level thresholds"),
    "no_score": words("无得分", "no score"),
    "phases": words("分阶段结果", "Results by phase"),
    "weight": words("权重", "Weight"),
    "answered": words("已回答", "Answered"),
    "phase_gaps": words("本阶段差距与建议", "Gaps and recommendations in this phase"),
    "phase_no_gaps": words("本阶段没有差距。", "No gaps in this phase."),
    "phase_no_items": words("本阶段没有需要回答的检查项。", "No item of this phase was asked."),
    "score_0_100": words("得分", "Score"),
    "reason": words("理由", "Reason"),
    "confidence": words("把握", "Confidence"),
    "id": words("编号", "ID"),
    "not_asked": words("未询问（跳转逻辑）", "Not asked (skip logic)"),
    "free_text": words("不计分", "not scored"),
    "action_plan": words("行动计划", "Action plan"),
    "action_intro": words("针对差距约定的行动，含负责人、截止日期与状态。",
                       "The actions agreed on the gaps, with owner, due date and status."),
    "owner": words("负责人", "Owner"),
    "due": words("截止日期", "Due"),
    "status": words("状态", "Status"),
    "disagreements": words("意见分歧", "Disagreements"),
    "disagreements_intro": words(
        "以下检查项的受访者回答相差较大（分差以 0–100 计），建议在研讨会上讨论。",
        "Respondents answered these items far apart (spread on the 0–100 scale); they are the "
        "workshop's discussion agenda."),
    "spread": words("分差", "Spread"),
    # the workshop's figures (scoring.score_range, scoring.agreement)
    "score_range": words("得分区间", "Score range"),
    "score_range_intro": words(
        "仍有 {unknowns} 个问题未回答：无论如何回答，总体得分都在 {low} 到 {high} 之间，{verdicts}。"
        "下表列出最值得先回答的问题：按最差回答时最高还能得多少分、按最佳回答时最低会得多少分。",
        "{unknowns} questions are still unanswered: however they are answered, the overall score lies between "
        "{low} and {high}, and {verdicts}. The table lists the questions that matter most: the "
        "highest score still reachable if one is answered at its worst, and the lowest if answered at its best."),
    "verdict_between": words("结论在{low}与{high}之间", "the verdict lies between {low} and {high}"),
    "verdict_stays": words("结论始终是{verdict}", "the verdict stays {verdict}"),
    "if_worst": words("最差回答时最高", "At worst, at most"),
    "if_best": words("最佳回答时最低", "At best, at least"),
    "verdict_changes": words("可改变结论", "Can change the verdict"),
    "agreement": words("评估一致性（Krippendorff α）", "Agreement (Krippendorff's alpha)"),
    "agreement_intro": words(
        "{n} 位受访者回答的一致程度：1 为完全一致，0 为随机水平，负数为系统性分歧。是/部分/否与 0–4 级按有序计算，"
        "单选题按名义计算；未回答与不适用不计入。",
        "How far the {n} respondents agree: 1 is full agreement, 0 is chance, below 0 is systematic "
        "disagreement. Yes/partial/no and the 0–4 scale count as ordinal, single choices as nominal; "
        "unanswered and not applicable are left out."),
    "ordinal_alpha": words("有序 α", "Ordinal alpha"),
    "nominal_alpha": words("名义 α", "Nominal alpha"),
    "all_phases": words("全部阶段", "All phases"),
    "role_divergence": words("角色间分歧", "Divergence between roles"),
    "role_divergence_intro": words(
        "两个角色组的平均回答相差至少 {limit}（按 0–100 计）的检查项，差距大的在前。",
        "Items where the mean answers of two role groups differ by at least {limit} (on the 0–100 scale), "
        "largest first."),
    "roles_apart": words("角色", "Roles"),
    "role_means": words("各角色平均", "Mean per role"),
    # the workshop's rounds (scoring.convergence): how each disputed item's spread changed
    "convergence": words("第 {a} 轮 → 第 {b} 轮的收敛", "Convergence from round {a} to round {b}"),
    "convergence_intro": words(
        "第 {b} 轮重新询问的检查项在两轮中的分差（以 0–100 计）：{disputed} 个有争议的检查项中有 {converged} 个已收敛"
        "（分差降到阈值以下）。",
        "The spread (on the 0–100 scale) of the items asked again in round {b}, before and after: {converged} of "
        "the {disputed} disputed items converged (their spread came below the threshold)."),
    "spread_change": words("分差（第 {a} 轮 → 第 {b} 轮）", "Spread R{a} → R{b}"),
    "converged": words("已收敛", "Converged"),
    "progress": words("自 {date} 以来的进展", "Progress since {date}"),
    "progress_intro": words(
        "与 {date} 的基线评估相比：总体得分 {old} → {new}（{delta}）；已解决阻断项 {resolved} 个，新增 {new_blockers} 个；"
        "关闭差距 {closed} 个，新增 {opened} 个；完成行动 {done} 项。",
        "Against the baseline of {date}: overall score {old} → {new} ({delta}); blockers resolved {resolved}, "
        "new {new_blockers}; gaps closed {closed}, opened {opened}; actions done {done}."),
    "before": words("基线", "Baseline"),
    "after": words("本次", "Now"),
    "delta": words("变化", "Change"),
    "respondents": words("各受访者回答", "Answers by respondent"),
    "appendix": words("附录", "Appendix"),
    "all_answers": words("附录 A：检查项索引", "Appendix A: item index"),
    "full_texts": words("附录 C：完整长文本", "Appendix C: long texts in full"),
    "full_texts_intro": words("以下文本过长，表格中仅显示开头部分。",
                           "These texts are too long for a table cell, which shows their beginning."),
    "see_full": words("……（全文见附录 C，{ref}）", "… (full text in appendix C, {ref})"),
    "pdf_rest": words("……（其余 {n} 个字符未在 PDF 中列出：Word 与 Markdown 导出包含全文）",
                   "… ({n} more characters are not printed in the PDF: the Word and Markdown exports hold the "
                   "full text)"),
    "method": words("附录 B：评分方法", "Appendix B: scoring method"),
    "share": words("占比", "Share"),
    "from_score": words("起始分", "From score"),
    "description": words("说明", "Description"),
    "page": words("{page} / {pages}", "{page} / {pages}"),
    "contents": words("目录", "Contents"),
    "cover": words("封面", "Cover"),
    "confidential_footer": words("机密", "Confidential"),
    "since_baseline": words("较基线变化", "Change since baseline"),
    "question_ref": words("{phase} · 第 {number} 题", "{phase} · question {number}"),
    "question_no": words("题号", "No."),
    "provisional": words("暂定得分", "Provisional score"),
    "level_by_score_incomplete": words("回答尚不足以给出级别", "Too few answers for a level"),
    "impact_points": words("+{points} 分", "+{points} pts"),
    "impact_header": words("影响（分）", "Impact (pts)"),
    "impact_note": words(
        "按严重程度排序，同级再按影响排序；影响 = 补齐该差距后总体得分可提高的分数。",
        "Ranked by severity, then by impact; impact = the points the overall score would gain if the gap were "
        "closed."),
    "more_gaps": words("另有 {n} 项差距见“{section}”章节。", "{n} more gaps are listed in the section “{section}”."),
    "scope": words("范围、方法与参与人员", "Scope, approach and participants"),
    "scope_what": words(
        "评估对象：{org}的“{project}”项目，使用《{template}》（版本 {version}）清单，共 {phases} 个阶段、{items} 个检查项。",
        "What was assessed: {org}'s project “{project}”, with the checklist {template} (version {version}): "
        "{phases} phases, {items} items."),
    "scope_out": words("不在评估范围内的阶段：{phases}。", "Out of scope: {phases}."),
    "scope_how": words(
        "评估方法：参与人员逐项回答检查项并注明依据与把握程度；必备项未达标即为阻断项，得分按阶段加权汇总（详见附录 B）。",
        "Approach: the participants answered every item with its basis and their confidence; an unmet must-have "
        "item is a blocker, and scores are weighted per phase (appendix B gives the method)."),
    "scope_room": words("本报告基于 {n} 位参与人员的合并回答（{method}）。", "This report rests on the combined answers of "
                        "{n} participants ({method})."),
    "participants": words("参与人员", "Participants"),
    "method_mean": words("取各人回答得分的平均值", "the answer nearest the mean of their scores"),
    "method_min": words("取最不利的回答", "the least favourable answer"),
    "method_final": words("以主持人的最终答案为准，其余取平均", "the facilitator's final answer, else the mean"),
    "name": words("姓名", "Name"),
    "role": words("角色", "Role"),
    "findings": words("各阶段关键发现", "Key finding per phase"),
    "finding": words("关键发现", "Key finding"),
    "finding_blocked": words("{n} 个必备项未达标，最紧要的是：{question}", "{n} must-have item(s) unmet; first: {question}"),
    "finding_gap": words("最大的差距：{question}", "Largest gap: {question}"),
    "finding_none": words("已回答的检查项中没有差距。", "No gap among the answered items."),
    "finding_unanswered": words("尚无计分回答。", "No scored answer yet."),
    "heat_map": words("热力图：阶段 × 重要性", "Heat map: phase × criticality"),
    "heat_intro": words("每格为该阶段该重要性的检查项中已达成的计分权重占比；“—”表示没有计分回答。",
                        "Each cell is the share of the scored weight met among the phase's items of that "
                        "criticality; “—” where nothing is scored."),
    "roadmap": words("路线图", "Roadmap"),
    "roadmap_intro": words("差距按紧迫程度排入三个时段：阻断项立即处理，其余高优先级差距 30 天内，其余 90 天内；"
                           "已约定的行动显示负责人、截止日期与状态。",
                           "The gaps by urgency: blockers now, other high-severity gaps within 30 days, the rest "
                           "within 90 days; agreed actions show their owner, due date and status."),
    "now": words("立即（实施前）", "Now (before implementation)"),
    "days30": words("30 天内", "Within 30 days"),
    "days90": words("90 天内", "Within 90 days"),
    "roadmap_empty": words("此时段没有差距。", "No gap in this horizon."),
    "roadmap_more": words("另有 {n} 项，见各阶段章节。", "{n} more: see the phase sections."),
    "ready_on": words("按计划解除阻断日期：{date}。若行动计划按期完成，自该日起结论不再是“受阻”。",
                      "Ready on {date}, if the plan holds: from that date the verdict is no longer “blocked”."),
    "ready_now": words("结论当前未受阻。", "The verdict is not blocked now."),
    "ready_never": words("按当前行动计划，结论不会解除“受阻”：以下阻断项没有带负责人、截止日期且预期回答达标的行动：{items}。",
                         "With the current plan the verdict stays “blocked”: no action with an owner, a due date "
                         "and an expected answer that meets them covers {items}."),
    "projection_from": words("预测自 {date} 起，逐月计算：若当月到期的行动完成，得分、等级与结论如下。",
                             "Projected month by month from {date}: the score, level and verdict if the actions "
                             "due by then are done."),
    "critical_path": words("关键路径上的行动", "Actions on the critical path"),
    "expect": words("预期回答", "Expected answer"),
    "effort": words("工作量", "Effort"),
    "counts_from": words("计入日期", "Counts from"),
    "overdue_days": words("已逾期 {n} 天", "{n} days overdue"),
    "projection": words("按计划的预测", "Projection if the plan holds"),
    "date": words("日期", "Date"),
    "phase_targets": words("阶段目标", "Phase targets"),
    "target": words("目标等级", "Target level"),
    "target_reached": words("是否达到", "Reached"),
    "target_met": words("已达到", "met"),
    "target_not_met": words("未达到", "not met"),
    "index_intro": words("每个检查项的编号、题号、回答与把握程度；问题、得分与备注见各阶段章节。",
                         "Every item's id, question number, answer and confidence; the questions, scores and notes "
                         "are in the phase sections."),
    "placeholder_note": words("“[U+…]” 表示报告字体无法显示的字符（以其 Unicode 编码标出）。",
                              "“[U+…]” marks a character no report font can draw, named by its Unicode code."),
}

# Narrative sentences: each is filled only with numbers and names taken from the result.
NARRATIVE: dict[str, Text] = {
    "score": words("{org}在《{template}》中的总体得分为 {overall} / 100，对应级别为“{level}”。",
                "{Org} scores {overall} out of 100 on the {template}, which corresponds to the level "
                "“{level}”."),
    "no_score": words("目前还没有可计分的回答，因此无法给出总体得分。",
                   "No scored answer has been given yet, so there is no overall score."),
    "score_blocked": words("{org}在《{template}》中的总体得分为 {overall} / 100，仅按得分对应级别“{level}”。",
                           "{Org} scores {overall} out of 100 on the {template}; by the score alone that is the "
                           "level “{level}”."),
    "blocked": words("但结论为“{blocked}”：有 {n} 个必备项未达到通过标准，须在实施前解决（见上方列表）。",
                     "The verdict is nevertheless “{blocked}”: {n} must-have item(s) fall below the pass "
                     "mark and must be resolved before implementation starts (listed above)."),
    "not_blocked": words("没有必备项低于通过标准，因此结论与得分一致：“{level}”。",
                         "No must-have item is below the pass mark, so the verdict follows the score: "
                         "“{level}”."),
    "incomplete": words(
        "结论为“{incomplete}”：适用的 {applicable} 个问题中只回答了 {answered} 个（{completion}%），低于给出结论所需的 "
        "{minimum}%。基于这些回答的暂定得分为 {overall} / 100，尚不能作为级别。",
        "The verdict is “{incomplete}”: only {answered} of {applicable} applicable questions are answered "
        "({completion}%), below the {minimum}% a verdict needs. The provisional score over these answers is "
        "{overall} out of 100; it is not a level yet."),
    "incomplete_gaps": words("目前已回答的问题中发现 {n} 项差距；未回答的问题可能还会发现更多。",
                             "{n} gaps were found among the answers given so far; the unanswered questions may "
                             "reveal more."),
    "incomplete_no_gaps": words("目前已回答的问题中尚未发现差距；未回答的问题仍可能发现差距。",
                                "No gap has been found among the answers given so far; the unanswered questions "
                                "may still reveal some."),
    "excluded_musts": words("另有 {n} 个必备项被标为不适用，未计入结论：{items}。",
                         "{n} must-have item(s) were marked not applicable and do not count toward the verdict: "
                         "{items}."),
    "completion": words("适用的 {applicable} 个问题中已回答 {answered} 个（{completion}%）。",
                     "{answered} of {applicable} applicable questions were answered ({completion}%)."),
    "unknowns": words("尚有 {n} 个问题未回答，补全后得分仍可能变化。",
                   "{n} remain unanswered, so the score may still move once they are."),
    "must": words("必备项达成 {met} / {applicable}（{share}%）。",
               "{met} of {applicable} must-have items are met ({share}%)."),
    "extremes": words("得分最高的阶段是“{best}”（{best_score}），最低的是“{worst}”（{worst_score}）。",
                   "The strongest phase is {best} ({best_score}); the weakest is {worst} ({worst_score})."),
    "evidence": words("有证据支撑的计分权重占 {evidence}%，其余基于判断或估计。",
                   "Evidence backs {evidence}% of the scored weight; the rest rests on belief or guesses."),
    "out_of_scope": words("不在评估范围内的阶段：{phases}。", "Phases out of scope: {phases}."),
    "gaps": words("共发现 {n} 项差距；最重要的几项列于下方，每项差距的建议见各阶段章节。",
                  "{n} gaps were found; the most severe are listed below, and each phase section gives a "
                  "recommendation for every gap."),
}

# The method appendix: every number in it is read from the template.
METHOD_WORDS: dict[str, Text] = {
    "items": words("每个适用的回答得分在 0 到 1 之间。{status}量表题选 n 级（0–4）得 n/4；单选题得所选选项的分值；"
                "多选题得所选选项分值之和占全部选项分值之和的比例；KPI 数值题仅在清单规定时按目标值计分；"
                "自由文本不计分。",
                "Each applicable answer scores between 0 and 1. {status}A scale level n (0–4) scores n/4; a "
                "choice scores its option's own value; a multiple choice scores the share of the options' "
                "total value that was ticked; a KPI number is scored against its target only where the "
                "checklist says so; free text is never scored."),
    "status": words("状态题：“{yes}”得 {y}，“{partial}”得 {p}，“{no}”得 {n}。",
                 "Status answers: “{yes}” scores {y}, “{partial}” {p}, “{no}” {n}. "),
    "weights": words("每个检查项的权重为其自身权重乘以重要性系数：{must} ×{m}，{should} ×{s}，{nice} ×{ni}。",
                  "An item weighs its own weight times its criticality multiplier: {must} ×{m}, "
                  "{should} ×{s}, {nice} ×{ni}."),
    "phase": words("阶段得分（0–100）是该阶段已回答的适用检查项得分的加权平均。标为不适用、被跳转逻辑跳过或尚未回答的检查项"
                "不计入得分（而不是按 0 分计），但会降低完成度。",
                "A phase score (0–100) is the weighted mean of the phase's answered, applicable items. "
                "Items marked not applicable, skipped by the questionnaire's logic or still unanswered are "
                "left out of the score rather than counted as zero; they lower the completion instead."),
    "overall": words("总体得分是各阶段得分按下表阶段权重的加权平均；不在范围内或没有任何计分回答的阶段不参与计算。",
                  "The overall score is the mean of the phase scores weighted by the phase weights below; "
                  "a phase that is out of scope or has no scored answer is left out."),
    "levels": words("级别取得分所达到的最高门槛：", "The level is the highest one whose threshold the score reaches:"),
    "blockers": words("得分低于 {pass_score}（检查项 0–1 分制）的必备项即为阻断项；只要存在阻断项，无论得分多少，"
                   "结论都是“{blocked}”。",
                   "A must item scoring below {pass_score} (on the 0–1 item scale) is a blocker; any "
                   "blocker makes the verdict “{blocked}”, whatever the score."),
    "overrides": words("以下检查项设定了自己的通过分：{items}。", "These items set their own pass mark: {items}."),
    "coverage": words("完成度 = 已回答的适用问题数 ÷ 适用问题数（自由文本题除外）。证据支撑度 = 回答把握为“{evidence}”"
                   "的计分权重占比，按阶段权重汇总。必备项达成 = 达到通过分的必备项 ÷ 适用的必备项。",
                   "Completion = answered applicable questions ÷ applicable questions (free-text items "
                   "excluded). Evidence coverage = the share of scored weight answered with confidence "
                   "“{evidence}”, combined with the phase weights. Must-have coverage = must items at or "
                   "above their pass mark ÷ applicable must items."),
    "provenance": words("评分版本 {scoring}；清单 {template} 版本 {version}；结果指纹 {fingerprint}。"
                     "相同的清单与回答总是得到相同的指纹。",
                     "Scoring version {scoring}; checklist {template} version {version}; result "
                     "fingerprint {fingerprint}. The same checklist and answers always give the same "
                     "fingerprint."),
}

VENDOR_WORDS: dict[str, Text] = {
    "heading": words("供应商对比", "Vendor comparison"),
    "leader": words("领先者：{name}，加权得分 {score} / 100，必备需求满足 {met} / {musts} 项。",
                 "Leader: {name}, with a weighted score of {score} out of 100 and {met} of {musts} must-haves met."),
    "leader_no_musts": words("领先者：{name}，加权得分 {score} / 100。",
                          "Leader: {name}, with a weighted score of {score} out of 100."),
    "none": words("没有供应商满足全部必备需求：在淘汰原因消除之前，不能推荐任何一家。",
               "No vendor meets every must-have: none can be recommended until the knock-out reasons are cleared."),
    "robust": words("领先稳健：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}有 {share}% 保持第一。",
                 "The lead is robust: in {runs} simulations that vary every weight by up to ±{spread}%, {name} "
                 "comes first in {share}% of them."),
    "fair": words("领先较稳：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}有 {share}% 保持第一。",
               "The lead is fairly robust: in {runs} simulations that vary every weight by up to ±{spread}%, "
               "{name} comes first in {share}% of them."),
    "fragile": words("领先不稳：在 {runs} 次权重各自随机浮动 ±{spread}% 的模拟中，{name}只有 {share}% 保持第一；"
                  "决定前请再审视权重与评分。",
                  "The lead is fragile: in {runs} simulations that vary every weight by up to ±{spread}%, {name} "
                  "comes first in only {share}% of them; revisit the weights and scores before deciding."),
    "nearest_up": words("最敏感的标准是“{criterion}”：其权重占比从 {now} 升至 {at} 时，{rival}追平领先者。",
                     "The closest call is “{criterion}”: if its weight share rises from {now} to {at}, {rival} "
                     "draws level with the leader."),
    "nearest_down": words("最敏感的标准是“{criterion}”：其权重占比从 {now} 降至 {at} 时，{rival}追平领先者。",
                       "The closest call is “{criterion}”: if its weight share falls from {now} to {at}, {rival} "
                       "draws level with the leader."),
    "stable": words("任何一项标准的权重在 0–100% 之间单独变化，领先者都不会改变。",
                 "Moving any single criterion's weight anywhere between 0 and 100% does not change the leader."),
    "single": words("只有一家供应商未被淘汰，没有可比较的对手。",
                 "Only one vendor is qualified, so there is no rival to weigh it against."),
    "rank": words("排名", "Rank"),
    "vendor": words("供应商", "Vendor"),
    "score": words("加权得分", "Score"),
    "musts": words("必备满足", "Must-haves met"),
    "nice": words("加分覆盖", "Nice-to-have coverage"),
    "tco": words("总拥有成本（{currency}，{years} 年）", "TCO ({currency}, {years} years)"),
    "per_cost": words("得分 / 万元", "Score per 10k"),
    "status": words("状态", "Status"),
    "qualified": words("入围", "Qualified"),
    "knocked_out": words("淘汰", "Knocked out"),
    "table_intro": words("排名：未淘汰者在前，再按加权得分、加分覆盖、较低成本。评估人：{evaluators}。",
                      "Rank: qualified vendors first, then by score, nice-to-have coverage and lower cost. "
                      "Evaluators: {evaluators}."),
    "knockouts": words("淘汰原因", "Knock-outs"),
    "no_knockouts": words("没有供应商被淘汰。", "No vendor is knocked out."),
    "risks": words("必备需求上的待确认风险", "Open risks on must-haves"),
    "chart": words("加权得分构成（按评估标准）", "Weighted score by criterion"),
    "chart_caption": words("每段为一项标准对加权得分（0–100）的贡献；淘汰的供应商以浅色显示。",
                        "Each segment is one criterion's contribution to the weighted score (0–100); "
                        "knocked-out vendors are shown pale."),
    "sensitivity": words("敏感性：领先者保持不变的权重占比区间", "Sensitivity: weight share over which the leader holds"),
    "criterion": words("评估标准", "Criterion"),
    "share_now": words("当前占比", "Share now"),
    "holds_down": words("下限（其后领先者）", "Lower limit (then leads)"),
    "holds_up": words("上限（其后领先者）", "Upper limit (then leads)"),
    "holds": words("不变", "holds"),
    "method": words("对比方法", "How the comparison works"),
    "roi": words("投资回报与回收期", "Return on investment and payback"),
    "roi_intro": words("ROI = （收益 + 节省 − 投资）÷ 投资，投资为 {years} 年总拥有成本；回收期为累计收益追平累计成本之时。",
                       "ROI = (gains + savings − investment) ÷ investment, the investment being the {years}-year "
                       "total cost of ownership; payback is when the cumulative benefits catch up with the costs."),
    "investment": words("投资（{currency}）", "Investment ({currency})"),
    "benefits": words("收益与节省（{currency}）", "Gains and savings ({currency})"),
    "net": words("净收益（{currency}）", "Net ({currency})"),
    "payback": words("回收期", "Payback"),
    "years": words("年", "years"),
    "never": words("期内无法回收", "not within the period"),
}
