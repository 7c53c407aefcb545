"""Targets and the projection of an action plan: a hand-computed plan, and the properties any plan keeps."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists import AnswerType, load_template
from scoring import (
    ActionItem,
    ActionStatus,
    Assessment,
    add_months,
    apply_plan,
    parse_assessment,
    phase_targets,
    plan_outcomes,
    project,
    score,
    target_status,
)

DATA = Path(__file__).parent / "data"
MINI = load_template(DATA / "mini.yaml")
SHIPPED = load_template(Path(__file__).parent.parent / "checklists" / "sales_funnel.yaml")
TODAY = date(2027, 1, 15)

# mini, effective weights: strategy (phase weight 2): defined must 3, maturity should 2; process (1):
# model should 2, exit_owner nice 1 (shown when model = exit_criteria); data (1): inventory should 2,
# duplicates nice 1 (target 5, lower); team (1): sponsor must 3; vendor (1): cost unscored, integration 2.
BASE = {
    "strategy.goals.defined": "no", "strategy.goals.maturity": 2,       # strategy (0 + 2*.5)/5 = 20
    "process.stages.model": "names",                                     # process 50
    "data.sources.inventory": ["spreadsheets", "mailboxes"],             # data (2*.5 + 1*1)/3 = 66.67
    "data.quality.duplicates": 5,
    "team.roles.sponsor": "no",                                          # team 0
    "vendor.criteria.integration": "yes",                                # vendor 100
}
# today (2*20 + 50 + 66.667 + 0 + 100)/6 = 42.78, blocked by two musts
# goals defined:    strategy (3 + 1)/5 = 80 -> (160 + 50 + 66.667 + 0 + 100)/6 = 62.78, still blocked
# and a sponsor:    team 100 -> (160 + 50 + 66.667 + 100 + 100)/6 = 79.44 -> "emerging" (50..80);
#                   completion 7 of 8 questions (cost unanswered, exit_owner hidden, notes is text)
MARCH = ActionItem(item_id="strategy.goals.defined", owner="Li Na", due="2027-03-20", expect="yes", effort="M")
MAY = ActionItem(item_id="team.roles.sponsor", owner="Wang Min", due="2027-05-10", expect="yes")


def mini(answers: dict) -> Assessment:
    return parse_assessment({"template": "mini", "answers": answers}, {"mini": MINI})


def test_hand_computed_plan_blocked_until_may_then_the_level_of_the_answers_after_actions():
    p = project(MINI, mini(BASE), [MAY, MARCH], today=TODAY)
    got = [(pt.date, pt.score, pt.verdict) for pt in p.points]
    assert got == [
        ("2027-01-15", 42.78, "blocked"), ("2027-02-15", 42.78, "blocked"), ("2027-03-15", 42.78, "blocked"),
        ("2027-04-15", 62.78, "blocked"), ("2027-05-15", 79.44, "emerging"), ("2027-06-15", 79.44, "emerging"),
        ("2027-07-15", 79.44, "emerging"),
    ]
    assert p.points[0].level == "not_ready" and p.points[-1].level == "emerging"
    assert p.ready_on == "2027-05-10"
    assert [a.item_id for a in p.critical_path] == ["strategy.goals.defined", "team.roles.sponsor"]
    assert [a.resolves for a in p.critical_path] == [["strategy.goals.defined"], ["team.roles.sponsor"]]
    assert p.unplanned_blockers == [] and p.unresolved_blockers == [] and p.slipped == []


def test_partial_is_not_enough_for_a_must_so_the_plan_never_gets_there():
    partial = MAY.model_copy(update={"expect": "partial"})
    p = project(MINI, mini(BASE), [MARCH, partial], today=TODAY)
    assert p.ready_on is None
    assert p.unresolved_blockers == ["team.roles.sponsor"]
    assert [a.item_id for a in p.critical_path] == ["strategy.goals.defined"]
    assert all(pt.verdict == "blocked" for pt in p.points)
    # partial still raises the score: team 50 -> (160 + 50 + 66.667 + 50 + 100)/6 = 71.11
    assert p.points[-1].score == 71.11


def test_a_blocker_without_an_owned_dated_action_is_flagged():
    no_owner = MAY.model_copy(update={"owner": "  "})
    p = project(MINI, mini(BASE), [MARCH, no_owner], today=TODAY)
    assert p.unplanned_blockers == ["team.roles.sponsor"]
    no_date = MAY.model_copy(update={"due": None})
    p = project(MINI, mini(BASE), [MARCH, no_date], today=TODAY)
    assert p.unplanned_blockers == ["team.roles.sponsor"] and p.ready_on is None
    # must NOT: a blocker with an owned, dated action is never flagged
    assert project(MINI, mini(BASE), [MARCH, MAY], today=TODAY).unplanned_blockers == []
    assert project(MINI, mini(BASE), [], today=TODAY).unplanned_blockers == ["strategy.goals.defined",
                                                                          "team.roles.sponsor"]


def test_an_overdue_action_slips_to_today_and_moves_ready_on_later():
    p = project(MINI, mini(BASE), [MARCH, MAY], today=date(2027, 6, 1))
    assert p.ready_on == "2027-06-01"  # both overdue: done today at the earliest
    assert [(a.item_id, a.days_overdue, a.effective) for a in p.slipped] == [
        ("strategy.goals.defined", 73, "2027-06-01"), ("team.roles.sponsor", 22, "2027-06-01")]
    p = project(MINI, mini(BASE), [MARCH, MAY], today=date(2027, 4, 1))
    assert p.ready_on == "2027-05-10" and [a.days_overdue for a in p.slipped] == [12]
    # must NOT: a done action is never slipped
    done = MARCH.model_copy(update={"status": ActionStatus.done})
    assert project(MINI, mini(BASE), [done, MAY], today=date(2027, 4, 1)).slipped == []


def test_an_action_never_lowers_an_answer_and_never_hides_a_question():
    worse = ActionItem(item_id="vendor.criteria.integration", owner="x", due="2027-02-01", expect="no")
    assert apply_plan(MINI, mini(BASE), [worse], today=TODAY) == mini(BASE)
    # exit criteria bring exit_owner into view: its old answer (given while hidden) counts as unknown
    answers = {**BASE, "process.stages.exit_owner": "no"}
    reveal = ActionItem(item_id="process.stages.model", owner="x", due="2027-02-01", expect="exit_criteria")
    after = apply_plan(MINI, mini(answers), [reveal], today=TODAY)
    assert after.answers["process.stages.model"].value == "exit_criteria"
    assert "process.stages.exit_owner" not in after.answers
    # must NOT: a planned answer that would hide a question of today is not applied
    shown = {**BASE, "process.stages.model": "exit_criteria", "process.stages.exit_owner": "yes"}
    hide = ActionItem(item_id="process.stages.model", owner="x", due="2027-02-01", expect="names")
    assert apply_plan(MINI, mini(shown), [hide], today=TODAY) == mini(shown)


def test_an_action_on_several_items_and_a_value_one_of_them_does_not_allow():
    both = ActionItem(item_id="strategy.goals.defined", items=["team.roles.sponsor", "process.stages.model"],
                      owner="x", due="2027-02-01", expect="yes")
    after = apply_plan(MINI, mini(BASE), [both], today=TODAY)
    assert after.answers["strategy.goals.defined"].value == "yes"
    assert after.answers["team.roles.sponsor"].value == "yes"
    assert after.answers["process.stages.model"].value == "names"  # "yes" is no option of a choice
    assert project(MINI, mini(BASE), [both], today=TODAY).ready_on == "2027-02-01"


def test_targets_default_from_the_template_and_per_assessment():
    assert phase_targets(SHIPPED) == {p.id: "ready" for p in SHIPPED.phases}
    own = phase_targets(SHIPPED, {"vendor": "foundational", "data": "no_such_level"})
    assert own["vendor"] == "foundational" and own["data"] == "ready"
    assert phase_targets(MINI) == {p.id: None for p in MINI.phases}
    status = {t.phase: t for t in target_status(MINI, score(MINI, mini(BASE)), {"strategy": "emerging",
                                                                               "data": "emerging"})}
    assert (status["strategy"].min_score, status["strategy"].score, status["strategy"].met) == (50, 20.0, False)
    assert (status["data"].min_score, status["data"].met) == (50, True)
    assert status["team"].level is None and status["team"].met is None


def test_planned_versus_actual_at_reassessment():
    later = mini({**BASE, "strategy.goals.defined": "yes", "team.roles.sponsor": "partial"})
    out = {(o.item_id, o.outcome) for o in plan_outcomes(MINI, [MARCH, MAY], later)}
    assert out == {("strategy.goals.defined", "reached"), ("team.roles.sponsor", "not_reached")}
    blank = mini({})
    assert {o.outcome for o in plan_outcomes(MINI, [MARCH, MAY], blank)} == {"unanswered"}


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


# -- properties -------------------------------------------------------------------------------------------

def _value(item, draw):
    if item.type is AnswerType.status:
        return draw(st.sampled_from(["yes", "partial", "no"]))
    if item.type is AnswerType.scale:
        return draw(st.integers(0, 4))
    if item.type is AnswerType.choice:
        return draw(st.sampled_from([o.id for o in item.options]))
    if item.type is AnswerType.multi:
        return draw(st.lists(st.sampled_from([o.id for o in item.options]), unique=True))
    if item.type is AnswerType.number:
        return draw(st.integers(0, 50))
    return None


@st.composite
def plans(draw, template):
    scored = [it for it in template.items() if it.type is not AnswerType.text]
    chosen = draw(st.lists(st.sampled_from(scored), min_size=1, max_size=12, unique_by=lambda i: i.id))
    answers = {it.id: _value(it, draw) for it in chosen}
    assessment = parse_assessment({"template": template.id, "answers": answers}, {template.id: template})
    n = draw(st.integers(0, 5))
    actions = []
    for _ in range(n):
        item = draw(st.sampled_from(chosen))
        actions.append(ActionItem(
            item_id=item.id, owner=draw(st.sampled_from(["", "Li"])),
            due=draw(st.one_of(st.none(), st.integers(-90, 900).map(lambda d: (TODAY + timedelta(d)).isoformat()))),
            status=draw(st.sampled_from(list(ActionStatus))), expect=_value(item, draw)))
    return assessment, actions


PROPS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def _inf(d: str | None) -> str:
    return d or "9999-12-31"


@pytest.mark.parametrize("template", [MINI, SHIPPED], ids=["mini", "sales_funnel"])
def test_properties_of_any_plan(template):
    @PROPS
    @given(plans(template), st.data())
    def check(plan, data):
        assessment, actions = plan
        p = project(template, assessment, actions, today=TODAY)
        # the last point is the score with every scheduled action applied
        every = score(template, apply_plan(template, assessment, actions, today=TODAY))
        assert (p.points[-1].score, p.points[-1].verdict) == (every.overall, every.verdict)
        # ready_on agrees with the points: blocked before it, not blocked from it on
        for pt in p.points:
            assert (pt.verdict == "blocked") == (pt.date < _inf(p.ready_on))
        # an action never lowers the projected score, at any point
        extra = data.draw(plans(template).map(lambda pl: pl[1]))
        more = project(template, assessment, actions + extra, today=TODAY, months=len(p.points) - 1)
        for before, after in zip(p.points, more.points, strict=True):
            assert (before.score is None) == (after.score is None)
            assert before.score is None or after.score >= before.score
        assert _inf(more.ready_on) <= _inf(p.ready_on)
        # an action left open past its due date moves ready_on later, never earlier
        later = TODAY + timedelta(days=data.draw(st.integers(1, 900)))
        moved = project(template, assessment, actions, today=later)
        assert _inf(moved.ready_on) >= _inf(p.ready_on)
        assert moved.ready_on is None or moved.ready_on >= later.isoformat()

    check()


def test_the_roadmap_puts_each_action_in_one_horizon():
    from scoring import roadmap

    def act(item, due, status=ActionStatus.open):
        return ActionItem(item_id=item, due=due, status=status)

    plan = [act("a.b.c", "2027-01-10"), act("a.b.d", "2027-01-15"), act("a.b.e", "2027-02-14"),
            act("a.b.f", "2027-02-15"), act("a.b.g", "2027-04-15"), act("a.b.h", "2027-04-16"),
            act("a.b.i", None), act("a.b.j", None, ActionStatus.in_progress), act("a.b.k", "2027-09-01",
                                                                                  ActionStatus.done)]
    got = {h: [a.item_id for a in acts] for h, acts in roadmap(plan, TODAY).items()}
    # 30 days from 15 Jan is 14 Feb; 90 days is 15 Apr
    assert got == {"now": ["a.b.c", "a.b.d", "a.b.j"], "30": ["a.b.e"], "90": ["a.b.f", "a.b.g"],
                   "later": ["a.b.h"], "unscheduled": ["a.b.i"], "done": ["a.b.k"]}


def test_a_due_date_that_is_not_a_date_leaves_the_action_unscheduled():
    from scoring import roadmap

    odd = MAY.model_copy(update={"due": "+1"})
    p = project(MINI, mini(BASE), [MARCH, odd], today=TODAY)
    assert p.ready_on is None and p.unplanned_blockers == ["team.roles.sponsor"] and p.slipped == []
    assert roadmap([odd], TODAY)["unscheduled"] == [odd]
