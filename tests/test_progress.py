"""Progress over time: comparing a baseline with a re-assessment on hand-computed cases, and trends."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklists import AnswerType, load_template
from scoring import (
    ActionItem,
    ActionStatus,
    Answer,
    Assessment,
    parse_assessment,
    score,
)
from scoring.progress import (
    Comparison,
    ComparisonError,
    Trend,
    compare,
    comparison_text,
    trend,
)

DATA = Path(__file__).parent / "data"
MINI = load_template(DATA / "mini.yaml")
# v2: data.quality.duplicates removed, team.roles.champion (status, should → weight 2) added
MINI_V2 = load_template(DATA / "progress" / "mini_v2.yaml")

# Effective weights in mini (item weight × multiplier must 3 / should 2 / nice 1):
#   strategy (phase weight 2): defined must 3, maturity should 2
#   process  (1): model should 2, exit_owner nice 1 (shown only when model = exit_criteria)
#   data     (1): inventory should 2 (multi 0.5/0.5/1), duplicates nice 1 (number, target 5, lower)
#   team     (1): sponsor must 3, notes text (never scored)
#   vendor   (1): cost number (unscored), integration should 2
OLD = {
    "strategy.goals.defined": "partial",                 # 0.5, a blocker (must_pass_score 1.0)
    "strategy.goals.maturity": 1,                        # 0.25
    "process.stages.model": "names",                     # 0.5; exit_owner stays hidden
    "data.sources.inventory": ["spreadsheets", "legacy"],  # (0.5 + 1) / 2 = 0.75
    "data.quality.duplicates": 10,                       # double the target of 5 → 0
    "team.roles.sponsor": "yes",                         # 1
    "team.roles.notes": "kick-off in March",
    "vendor.criteria.cost": 100,                         # unscored
    "vendor.criteria.integration": "no",                 # 0
}
# strategy (3*0.5 + 2*0.25)/5 = 40; process 50; data (2*0.75 + 1*0)/3 = 50; team 100; vendor 0
# overall (2*40 + 50 + 50 + 100 + 0)/6 = 280/6 = 46.67; blocked by strategy.goals.defined
# gaps: defined, maturity, model, inventory, duplicates, integration (6)
NEW = {
    "strategy.goals.defined": "yes",                     # 1 → blocker resolved, gap closed
    "strategy.goals.maturity": 3,                        # 0.75 → gap improved
    "process.stages.model": "exit_criteria",             # 1 → gap closed; shows exit_owner
    "process.stages.exit_owner": "partial",              # 0.5 → gap opened (was hidden)
    "data.sources.inventory": ["mailboxes"],             # 0.5 / 2 = 0.25 → gap worsened
    "data.quality.duplicates": 7.5,                      # 1 - 2.5/5 = 0.5 → gap improved
    "team.roles.sponsor": "partial",                     # 0.5 → new blocker, gap opened
    "team.roles.notes": "kick-off in March",             # unchanged
    "vendor.criteria.cost": 120,                         # changed, unscored
    "vendor.criteria.integration": {"value": "na", "reason": "no systems yet"},  # gap closed (n/a)
}
# strategy (3*1 + 2*0.75)/5 = 90; process (2*1 + 1*0.5)/3 = 83.33; data (2*0.25 + 1*0.5)/3 = 33.33
# team 3*0.5/3 = 50; vendor: nothing scored → None
# overall (2*90 + 83.33 + 33.33 + 50)/5 = 346.67/5 = 69.33; blocked by team.roles.sponsor
# gaps: maturity, exit_owner, inventory, duplicates, sponsor (5)


def assess(answers: dict, template=MINI, on: str | None = None, **extra) -> Assessment:
    doc = {"template": template.id, "answers": answers, **extra}
    if on:
        doc["assessed_on"] = on
    return parse_assessment(doc, {template.id: template})


OLD_A = assess(OLD, on="2024-01-15")
NEW_A = assess(NEW, on="2024-06-30")


@pytest.fixture(scope="module")
def cmp() -> Comparison:
    return compare(MINI, OLD_A, MINI, NEW_A)


def test_overall_and_phase_deltas(cmp):
    assert (cmp.old.overall, cmp.new.overall) == (46.67, 69.33)
    assert cmp.overall_delta == 22.66  # 69.33 - 46.67, from the rounded scores shown
    assert (cmp.old.verdict, cmp.new.verdict, cmp.verdict_change) == ("blocked", "blocked", "same")
    assert (cmp.old.assessed_on, cmp.new.assessed_on) == ("2024-01-15", "2024-06-30")
    assert {p.id: (p.old_score, p.new_score, p.delta) for p in cmp.phases} == {
        "strategy": (40.0, 90.0, 50.0),
        "process": (50.0, 83.33, 33.33),
        "data": (50.0, 33.33, -16.67),
        "team": (100.0, 50.0, -50.0),
        "vendor": (0.0, None, None),  # integration is n/a now: no score, so no delta
    }
    # every applicable question answered on both sides (n/a and hidden items leave the count)
    assert (cmp.old.completion, cmp.new.completion, cmp.completion_delta) == (100.0, 100.0, 0.0)
    assert [p.blockers for p in (cmp.old, cmp.new)] == [1, 1]
    assert not cmp.version_changed and cmp.added == [] and cmp.removed == []


def test_changed_items_only_plus_unchanged_count(cmp):
    assert [(c.item_id, c.old_score, c.new_score, c.delta) for c in cmp.changed] == [
        ("strategy.goals.defined", 0.5, 1.0, 0.5),
        ("strategy.goals.maturity", 0.25, 0.75, 0.5),
        ("process.stages.model", 0.5, 1.0, 0.5),
        ("process.stages.exit_owner", None, 0.5, None),  # hidden before: no score to subtract
        ("data.sources.inventory", 0.75, 0.25, -0.5),
        ("data.quality.duplicates", 0.0, 0.5, 0.5),
        ("team.roles.sponsor", 1.0, 0.5, -0.5),
        ("vendor.criteria.cost", None, None, None),      # a baseline number, never scored
        ("vendor.criteria.integration", 0.0, None, None),
    ]
    by_id = {c.item_id: c for c in cmp.changed}
    assert (by_id["vendor.criteria.cost"].old_value, by_id["vendor.criteria.cost"].new_value) == (100, 120)
    assert (by_id["process.stages.exit_owner"].old_state, by_id["process.stages.exit_owner"].new_state) == (
        "hidden", "scored")
    assert by_id["vendor.criteria.integration"].new_state == "na"
    assert cmp.unchanged == 1  # team.roles.notes; 9 changed + 1 unchanged = the 10 items


def test_blockers_and_gaps(cmp):
    def ids(changes):
        return [g.item_id for g in changes]

    assert ids(cmp.blockers_resolved) == ["strategy.goals.defined"]
    assert ids(cmp.blockers_new) == ["team.roles.sponsor"]
    assert ids(cmp.gaps_closed) == ["strategy.goals.defined", "process.stages.model", "vendor.criteria.integration"]
    assert [g.new_state for g in cmp.gaps_closed] == ["scored", "scored", "na"]
    assert ids(cmp.gaps_opened) == ["process.stages.exit_owner", "team.roles.sponsor"]
    assert ids(cmp.gaps_improved) == ["strategy.goals.maturity", "data.quality.duplicates"]
    assert ids(cmp.gaps_worsened) == ["data.sources.inventory"]
    # impact = effective weight × (1 − score): sponsor 3 × 0.5 = 1.5 now, not a gap before
    sponsor = cmp.gaps_opened[1]
    assert (sponsor.old_impact, sponsor.new_impact, sponsor.delta) == (None, 1.5, -0.5)
    # the counts add up: 6 old gaps − 3 closed + 2 opened = 5 new gaps
    assert cmp.old.gaps - len(cmp.gaps_closed) + len(cmp.gaps_opened) == cmp.new.gaps == 5


def test_actions_done():
    old_plan = [
        ActionItem(item_id="strategy.goals.defined", owner="Li", status=ActionStatus.in_progress),
        ActionItem(item_id="process.stages.model", owner="Wang", status=ActionStatus.done),
        ActionItem(item_id="data.sources.inventory", status=ActionStatus.done),
        ActionItem(item_id="team.roles.sponsor", status=ActionStatus.open),
    ]
    new_plan = [
        ActionItem(item_id="team.roles.sponsor", status=ActionStatus.open),
        ActionItem(item_id="data.sources.inventory", status=ActionStatus.done),  # done before, gap worse
        ActionItem(item_id="strategy.goals.maturity", owner="Li", status=ActionStatus.done),  # new in plan
        ActionItem(item_id="process.stages.model", owner="Wang", status=ActionStatus.done),  # gap closed now
        ActionItem(item_id="strategy.goals.defined", owner="Li", status=ActionStatus.done),
    ]
    c = compare(MINI, OLD_A, MINI, NEW_A, old_actions=old_plan, new_actions=new_plan)
    assert [(a.item_id, a.old_status, a.newly_done, a.gap_closed) for a in c.actions_done] == [
        ("strategy.goals.defined", ActionStatus.in_progress, True, True),
        ("strategy.goals.maturity", None, True, False),
        ("process.stages.model", ActionStatus.done, False, True),
    ]
    # no current plan given: the baseline's plan stands, so only "done and the gap closed" counts
    c = compare(MINI, OLD_A, MINI, NEW_A, old_actions=old_plan)
    assert [(a.item_id, a.newly_done, a.gap_closed) for a in c.actions_done] == [
        ("process.stages.model", False, True)]


def test_an_action_is_not_credited_for_a_gap_that_closed_by_going_na():
    plan = [ActionItem(item_id="vendor.criteria.integration", status=ActionStatus.done)]
    c = compare(MINI, OLD_A, MINI, NEW_A, old_actions=plan, new_actions=plan)
    assert "vendor.criteria.integration" in [g.item_id for g in c.gaps_closed]
    assert c.actions_done == []


def test_verdict_up_when_the_only_blocker_is_resolved():
    # fixing defined in OLD: strategy (3*1 + 2*0.25)/5 = 70; overall (140 + 50 + 50 + 100 + 0)/6 = 56.67
    fixed = assess({**OLD, "strategy.goals.defined": "yes"})
    c = compare(MINI, OLD_A, MINI, fixed)
    assert (c.new.overall, c.overall_delta, c.new.verdict, c.verdict_change) == (56.67, 10.0, "emerging", "up")
    assert compare(MINI, fixed, MINI, OLD_A).verdict_change == "down"


def test_comparing_an_assessment_with_itself_changes_nothing(cmp):
    same = compare(MINI, OLD_A, MINI, OLD_A)
    assert same.overall_delta == 0.0 and same.completion_delta == 0.0
    assert [p.delta for p in same.phases] == [0.0] * 5
    assert (same.changed, same.unchanged, same.verdict_change, same.has_changes) == ([], 10, "same", False)
    for field in ("added", "removed", "blockers_resolved", "blockers_new", "gaps_closed", "gaps_opened",
                  "gaps_improved", "gaps_worsened", "actions_done", "blockers_not_reassessed",
                  "gaps_not_reassessed"):
        assert getattr(same, field) == [], field
    assert cmp.has_changes
    # nothing answered: no score on either side, so every delta is None rather than 0
    empty = compare(MINI, assess({}), MINI, assess({}))
    assert empty.overall_delta is None and [p.delta for p in empty.phases] == [None] * 5


def test_a_phase_going_out_of_scope_has_no_delta():
    c = compare(MINI, OLD_A, MINI, assess(OLD, out_of_scope={"team": "handled by group HQ"}))
    team = next(p for p in c.phases if p.id == "team")
    assert (team.old_in_scope, team.new_in_scope, team.old_score, team.new_score, team.delta) == (
        True, False, 100.0, None, None)
    # overall without team: (2*40 + 50 + 50 + 0)/5 = 36; 36 - 46.67 = -10.67
    assert (c.new.overall, c.overall_delta) == (36.0, -10.67)
    assert c.has_changes and "team.roles.sponsor" in [i.item_id for i in c.changed]


def test_a_newer_template_version_adds_and_removes_items():
    # the same answers on v2, without the removed item and with the added one answered "no"
    v2_answers = {k: v for k, v in OLD.items() if k != "data.quality.duplicates"} | {"team.roles.champion": "no"}
    c = compare(MINI, OLD_A, MINI_V2, assess(v2_answers, MINI_V2, on="2024-06-30"))
    assert (c.version_changed, c.old.template_version, c.new.template_version) == (True, "1.0", "2.0")
    assert [(r.item_id, r.state, r.value, r.score) for r in c.added] == [("team.roles.champion", "scored", "no", 0.0)]
    assert [(r.item_id, r.value, r.score) for r in c.removed] == [("data.quality.duplicates", 10, 0.0)]
    # the 9 shared items kept their answers
    assert (c.changed, c.unchanged) == ([], 9)
    # data: inventory only = 75 (+25); team (3*1 + 2*0)/5 = 60 (−40)
    # overall (2*40 + 50 + 75 + 60 + 0)/6 = 265/6 = 44.17; 44.17 − 46.67 = −2.5
    deltas = {p.id: p.delta for p in c.phases}
    assert (deltas["data"], deltas["team"], c.new.overall, c.overall_delta) == (25.0, -40.0, 44.17, -2.5)
    assert [(g.item_id, g.old_state, g.new_state) for g in c.gaps_closed] == [
        ("data.quality.duplicates", "scored", "absent")]
    assert [(g.item_id, g.old_state, g.new_state) for g in c.gaps_opened] == [
        ("team.roles.champion", "absent", "scored")]
    text = comparison_text(c, MINI_V2, "en")
    assert "Items added in the new version (1):\n  team.roles.champion: Is there a champion" in text
    assert "data.quality.duplicates (0 → item removed)" in text


def test_a_template_version_never_goes_backwards():
    v2 = assess({"team.roles.champion": "yes"}, MINI_V2)
    with pytest.raises(ComparisonError, match="uses version 1.0 of 'mini', older than the baseline's 2.0; pass the older assessment first"):
        compare(MINI_V2, v2, MINI, OLD_A)


def test_different_templates_are_refused():
    other = MINI.model_copy(update={"id": "other"})
    with pytest.raises(ComparisonError, match="different templates: 'mini' \\(baseline\\) and 'other'"):
        compare(MINI, OLD_A, other, Assessment(template="other"))
    # answers that do not belong to the template they are given with
    with pytest.raises(ComparisonError, match="answers are for template 'other' but template 'mini'"):
        compare(MINI, OLD_A, MINI, Assessment(template="other"))


def test_a_refused_comparison_is_worded_in_each_language():
    import re

    v2 = assess({"team.roles.champion": "yes"}, MINI_V2)
    other = MINI.model_copy(update={"id": "other"})
    refusals = []
    for call in (lambda: compare(MINI_V2, v2, MINI, OLD_A),
                 lambda: compare(MINI, OLD_A, other, Assessment(template="other")),
                 lambda: compare(MINI, OLD_A, MINI, Assessment(template="other")),
                 lambda: trend([("a", score(MINI, OLD_A)), ("b", score(other, Assessment(template="other")))])):
        with pytest.raises(ComparisonError) as caught:
            call()
        refusals.append(caught.value)
    assert refusals[0].text("zh") == ("复评使用的是“mini”的版本 1.0，早于基线的 2.0；请把较早的评估放在前面")
    for e in refusals:
        assert e.text("en") == str(e)
        # must NOT happen: an English sentence in the Chinese wording, or Chinese in the English one
        assert not re.search(r"[a-z]{3,} [a-z]{3,}", re.sub(r"“[^”]*”", "", e.text("zh"))), e.text("zh")
        assert not re.search(r"[\u4e00-\u9fff]", e.text("en"))


def test_trend_is_ordered_by_date():
    mid = assess({**OLD, "strategy.goals.defined": "yes"})  # 56.67, no blockers (see above)
    t = trend([("2024-06-30", score(MINI, NEW_A)), (date(2024, 1, 15), score(MINI, OLD_A)),
               ("2024-03-01T09:00:00", score(MINI, mid))])
    assert t.labels == ["2024-01-15", "2024-03-01T09:00:00", "2024-06-30"]
    assert t.overall == [46.67, 56.67, 69.33]
    assert t.blockers == [1, 0, 1]
    assert t.verdicts == ["blocked", "emerging", "blocked"]
    assert list(t.phases) == ["strategy", "process", "data", "team", "vendor"]
    assert t.phases["strategy"] == [40.0, 70.0, 90.0]
    assert t.phases["vendor"] == [0.0, 0.0, None]
    assert t.template == "mini"


def test_trend_keeps_the_given_order_when_labels_are_not_dates():
    t = trend([("baseline", score(MINI, OLD_A)), ("after workshop", score(MINI, NEW_A))])
    assert (t.labels, t.overall) == (["baseline", "after workshop"], [46.67, 69.33])
    assert trend([]).labels == []


def test_trend_refuses_mixed_templates():
    other = score(MINI.model_copy(update={"id": "other"}), Assessment(template="other"))
    with pytest.raises(ComparisonError, match="one template; these points use mini, other"):
        trend([("2024-01-15", score(MINI, OLD_A)), ("2024-06-30", other)])


def test_json_round_trip(cmp):
    plan = [ActionItem(item_id="strategy.goals.defined", owner="Li", due="2024-03-31", status=ActionStatus.done)]
    c = compare(MINI, OLD_A, MINI, NEW_A, new_actions=plan)
    text = c.to_json()
    assert Comparison.model_validate_json(text) == c
    assert Comparison.model_validate(json.loads(text)).to_json() == text
    assert compare(MINI, OLD_A, MINI, NEW_A, new_actions=plan).to_json() == text  # deterministic
    t = trend([("2024-01-15", score(MINI, OLD_A)), ("2024-06-30", score(MINI, NEW_A))])
    assert Trend.model_validate_json(t.to_json()) == t


def test_text_in_both_languages(cmp):
    en = comparison_text(cmp, MINI, "en")
    for line in ["Baseline 2024-01-15 (version 1.0)  →  Re-assessment 2024-06-30 (version 1.0)",
                 "Overall score: 46.67 → 69.33 (+22.66)",
                 "Verdict: Blocked → Blocked =",
                 "Blockers resolved (1):\n  ✓ strategy.goals.defined (0.5 → 1): Are the business goals defined?",
                 "  ✗ process.stages.exit_owner (hidden → 0.5)",
                 "  ✓ vendor.criteria.integration (0 → Not applicable)",
                 "Changed answers (9; unchanged: 1):",
                 "  data.sources.inventory: Spreadsheets, Legacy systems → Mailboxes  (-0.5)"]:
        assert line in en, line
    zh = comparison_text(cmp, MINI, "zh")
    for line in ["总体得分: 46.67 → 69.33 (+22.66)", "已解除的阻断项 (1):", "新增阻断项 (1):",
                 "  data.sources.inventory: 表格、旧系统 → 邮箱  (-0.5)", "结论: 受阻 → 受阻 ="]:
        assert line in zh, line
    assert "Blockers" not in zh and "Changed" not in zh
    same = comparison_text(compare(MINI, OLD_A, MINI, OLD_A), MINI, "zh")
    assert "两次评估的回答没有变化。" in same


# ---- properties ----------------------------------------------------------------------------------

ANSWERABLE = [it for it in MINI.items() if it.type is not AnswerType.text]


def _values(item):
    if item.type is AnswerType.status:
        return st.sampled_from(["yes", "partial", "no", "na", None])
    if item.type is AnswerType.scale:
        return st.one_of(st.integers(0, 4), st.sampled_from(["na", None]))
    if item.type is AnswerType.choice:
        return st.sampled_from([o.id for o in item.options] + ["na", None])
    if item.type is AnswerType.multi:
        return st.one_of(st.lists(st.sampled_from([o.id for o in item.options]), unique=True).map(
            lambda v: [o.id for o in item.options if o.id in v]), st.sampled_from(["na", None]))
    return st.one_of(st.integers(0, 20), st.sampled_from(["na", None]))


answer_sets = st.fixed_dictionaries({it.id: _values(it) for it in ANSWERABLE}).map(
    lambda d: Assessment(template="mini", answers={k: Answer(value=v) for k, v in d.items() if v is not None}))


@settings(max_examples=60, deadline=None)
@given(answer_sets, answer_sets)
def test_counts_always_add_up(a, b):
    c = compare(MINI, a, MINI, b)
    assert c.old.gaps - len(c.gaps_closed) - len(c.gaps_not_reassessed) + len(c.gaps_opened) == c.new.gaps
    assert c.old.blockers - len(c.blockers_resolved) - len(c.blockers_not_reassessed) + len(c.blockers_new) == (
        c.new.blockers)
    # must NOT: an item the re-assessment left unanswered counted as resolved or closed
    answered_now = {k for k, a in b.answers.items() if a.value is not None}
    assert not [g for g in c.gaps_closed + c.blockers_resolved if g.new_state == "unknown"]
    assert {g.item_id for g in c.gaps_not_reassessed} <= set(MINI_IDS) - answered_now
    assert len(c.changed) + c.unchanged == len(MINI.items())
    assert compare(MINI, a, MINI, a).has_changes is False


MINI_IDS = [it.id for it in MINI.items()]


def ids(changes) -> list[str]:
    return [g.item_id for g in changes]


def test_a_blank_reassessment_resolves_no_blocker_and_closes_no_gap():
    # OLD has 6 gaps, 1 of them a blocker; a blank re-assessment knows nothing about any of them
    c = compare(MINI, OLD_A, MINI, assess({}))
    assert (c.blockers_resolved, c.gaps_closed, c.actions_done) == ([], [], [])
    assert ids(c.blockers_not_reassessed) == ["strategy.goals.defined"]
    assert ids(c.gaps_not_reassessed) == ["strategy.goals.defined", "strategy.goals.maturity", "process.stages.model",
                                          "data.sources.inventory", "data.quality.duplicates",
                                          "vendor.criteria.integration"]
    assert (c.blocker_delta, c.gap_delta, c.new.blockers, c.new.completion) == (0, 0, 0, 0.0)
    text = comparison_text(c, MINI, "en")
    assert "Blockers resolved" not in text and "Gaps closed" not in text
    assert "Gaps not yet re-assessed (unanswered in the re-assessment: unknown) (6):" in text


def test_a_follow_up_hidden_behind_an_unanswered_question_is_not_re_assessed_but_one_hidden_by_an_answer_closed():
    old = assess({"process.stages.model": "exit_criteria", "process.stages.exit_owner": "no"})
    # the parent unanswered: the owner question is hidden only because nobody answered yet
    blank = compare(MINI, old, MINI, assess({}))
    assert ids(blank.gaps_not_reassessed) == ["process.stages.exit_owner"] and blank.gaps_closed == []
    # the parent answered "names only": the owner question no longer applies, its gap is gone
    names = compare(MINI, old, MINI, assess({"process.stages.model": "names"}))
    assert "process.stages.exit_owner" in ids(names.gaps_closed) and names.gaps_not_reassessed == []


def test_progress_imports_no_adapter():
    code = ("import sys, scoring.progress; bad = [m for m in ('streamlit', 'reportlab', 'sqlalchemy', "
            "'plotly') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stdout + out.stderr
