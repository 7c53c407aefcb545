"""The workshop agenda covers every answer type: numbers, multi selections, choice ties, who is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklists import load_template
from scoring import (
    Answer,
    Assessment,
    choice_tie,
    consolidate,
    disagreements,
    item_spread,
    item_spreads,
    jaccard_distance,
    number_spread,
    score,
    set_spread,
)

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
COST = MINI.item("vendor.criteria.cost")  # number, no target, unscored
DUPES = MINI.item("data.quality.duplicates")  # number, target 5, lower is better, scored
INVENTORY = MINI.item("data.sources.inventory")  # multi: spreadsheets 0.5, mailboxes 0.5, legacy 1
MODEL = MINI.item("process.stages.model")  # choice: none 0, names 0.5, exit_criteria 1


def room(item_id: str, *values, **extra) -> dict[str, dict[str, Answer]]:
    out = {f"p{n}": {item_id: Answer(value=v)} for n, v in enumerate(values, start=1)}
    out.update(extra)
    return out


def test_a_30_90_45_day_baseline_is_a_disagreement_not_a_silent_55():
    d = item_spread(COST, room(COST.id, 30, 90, 45))
    # no target, no range: (90 - 30) / 90
    assert d.value_spread == pytest.approx(0.6667) and d.spread == pytest.approx(0.6667)
    assert d.reasons == ["spread"]
    assert [x.item_id for x in disagreements(MINI, room(COST.id, 30, 90, 45))] == [COST.id]
    # must NOT happen: close baselines stay off the agenda (33 - 30) / 33 = 0.09
    close = item_spread(COST, room(COST.id, 30, 33, 31))
    assert close.spread == pytest.approx(0.0909, abs=1e-4) and close.reasons == []


def test_a_number_with_a_target_spreads_relative_to_the_target():
    # (6 - 4) / 5 = 0.4; the scores 1.0 and 0.8 spread only 0.2
    d = item_spread(DUPES, room(DUPES.id, 4, 6))
    assert (d.score_spread, d.value_spread, d.spread) == (0.2, 0.4, 0.4)
    assert d.reasons == []
    assert item_spread(DUPES, room(DUPES.id, 2, 8)).reasons == ["spread"]  # 6 / 5, capped at 1
    assert item_spread(DUPES, room(DUPES.id, 2, 8)).spread == 1.0


def test_shipped_kpi_baselines_spread_relative_to_their_range_or_their_size():
    from checklists import load_all

    t = load_all()[0]["sales_funnel"]
    cycle, mql = t.item("strategy.kpis.cycle_days"), t.item("strategy.kpis.lead_mql_rate")
    # days: at least 0, no upper bound, no target: relative to the largest answer, (90 - 30) / 90
    assert item_spread(cycle, room(cycle.id, 30, 90, 45)).spread == pytest.approx(0.6667)
    # a percentage (0-100) without a target: relative to its range, (40 - 10) / 100
    assert item_spread(mql, room(mql.id, 10, 40)).spread == pytest.approx(0.3)
    assert item_spread(mql, room(mql.id, 10, 40)).reasons == []
    assert item_spread(mql, room(mql.id, 10, 70)).reasons == ["spread"]


def test_selections_sharing_nothing_are_on_the_agenda():
    d = item_spread(INVENTORY, room(INVENTORY.id, ["spreadsheets"], ["legacy"]))
    # scores 0.25 and 0.5 spread only 0.25; the selections share nothing: Jaccard distance 1
    assert (d.score_spread, d.value_spread, d.spread) == (0.25, 1.0, 1.0)
    assert "spread" in d.reasons
    same = item_spread(INVENTORY, room(INVENTORY.id, ["spreadsheets", "legacy"], ["spreadsheets", "legacy"]))
    assert (same.spread, same.reasons) == (0.0, [])


def test_the_combined_multi_answer_says_which_named_options_it_drops():
    answers = room(INVENTORY.id, ["spreadsheets", "legacy", "mailboxes"], ["spreadsheets", "legacy"],
                   ["spreadsheets", "legacy"])
    d = item_spread(INVENTORY, answers)
    # 1 - 2/3 = 0.33 is below the threshold, but mailboxes (named once of three) leaves the combined answer
    assert d.spread == pytest.approx(0.3333) and d.dropped == ["mailboxes"] and d.reasons == ["dropped"]
    assert consolidate(MINI, answers)[INVENTORY.id].value == ["spreadsheets", "legacy"]
    # "min" keeps only what everyone named: the same option dropped
    assert item_spread(INVENTORY, answers, method="min").dropped == ["mailboxes"]
    # must NOT happen: nothing dropped when everyone names the same
    assert item_spread(INVENTORY, room(INVENTORY.id, ["legacy"], ["legacy"])).dropped == []


def test_a_choice_tie_is_shown_and_never_resolved_by_the_mean():
    answers = room(MODEL.id, "none", "names", "exit_criteria")
    d = item_spread(MODEL, answers)
    assert d.tie == ["none", "names", "exit_criteria"] and "tie" in d.reasons
    combined = consolidate(MINI, answers, "mean")
    # the mean score (0.5) would pick "names": it must not
    assert MODEL.id not in combined
    # so the tie cannot drive depends_on: exit_owner stays hidden, the item is an unknown
    r = score(MINI, Assessment(template="mini", answers={**combined,
                                                         "process.stages.exit_owner": Answer(value="yes")}))
    assert next(i for i in r.items if i.id == "process.stages.exit_owner").state == "hidden"
    assert MODEL.id in r.unknowns
    # the facilitator's final answer settles it, and then it leaves the agenda for the tie
    final = {MODEL.id: Answer(value="exit_criteria")}
    assert consolidate(MINI, answers, "final", final=final)[MODEL.id].value == "exit_criteria"
    assert "tie" not in item_spread(MODEL, answers, method="final", final=final).reasons
    # "min" is an explicit rule, not a coin toss: the least favourable option
    assert consolidate(MINI, answers, "min")[MODEL.id].value == "none"


def test_a_clear_plurality_is_no_tie():
    answers = room(MODEL.id, "names", "names", "exit_criteria")
    assert item_spread(MODEL, answers).tie == []
    # mean of 0.5, 0.5, 1 = 0.67: nearest is names (0.5)
    assert consolidate(MINI, answers)[MODEL.id].value == "names"
    assert choice_tie(MODEL, ["names", "exit_criteria", "na", None]) == ["names", "exit_criteria"]
    assert choice_tie(INVENTORY, [["legacy"], ["spreadsheets"]]) == []


def test_who_has_not_answered_and_every_note_are_listed():
    answers = {
        "ana": {"strategy.goals.defined": Answer(value="yes", note="OKRs signed")},
        "bo": {"strategy.goals.defined": Answer(note="not sure yet")},
        "cy": {},
    }
    d = item_spread(MINI.item("strategy.goals.defined"), answers)
    assert d.missing == ["bo", "cy"] and d.notes == {"ana": "OKRs signed", "bo": "not sure yet"}
    assert d.phase == "strategy" and d.must is True
    assert item_spread(MINI.item("strategy.goals.maturity"), answers).must is False
    everything = item_spreads(MINI, answers)
    assert [x.item_id for x in everything] == [it.id for it in MINI.items()]
    assert all(x.missing == ["ana", "bo", "cy"] for x in everything if x.item_id != "strategy.goals.defined")


def test_na_split_stays_on_the_agenda():
    answers = room("vendor.criteria.integration", "na", "yes")
    assert [d.reasons for d in disagreements(MINI, answers)] == [["na_split"]]


def test_the_old_agenda_is_unchanged_for_status_and_scale():
    rooms = {
        "ana": {"strategy.goals.defined": Answer(value="yes"), "strategy.goals.maturity": Answer(value=4)},
        "bo": {"strategy.goals.defined": Answer(value="no"), "strategy.goals.maturity": Answer(value=3)},
    }
    agenda = disagreements(MINI, rooms, threshold=0.5)
    assert [(d.item_id, d.spread, d.reasons) for d in agenda] == [("strategy.goals.defined", 1.0, ["spread"])]


OPTION_IDS = [o.id for o in INVENTORY.options]
selection = st.lists(st.sampled_from(OPTION_IDS), unique=True)


@given(st.lists(selection, min_size=1, max_size=6))
def test_set_spread_is_a_distance_between_selections(selections):
    s = set_spread(selections)
    assert 0 <= s <= 1
    canon = [frozenset(x) for x in selections]
    assert (s == 0) == (len(set(canon)) == 1)
    assert s == set_spread(list(reversed(selections)))
    for a in selections:
        assert jaccard_distance(a, a) == 0


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=6))
def test_number_spread_is_scale_free_and_bounded(numbers):
    s = number_spread(COST, numbers)
    assert 0 <= s <= 1
    if len(set(numbers)) == 1:
        assert s == 0
    doubled = number_spread(COST, [2 * n for n in numbers])
    assert doubled == pytest.approx(s, abs=1e-9)


@given(st.sampled_from([it.id for it in MINI.items()]), st.integers(min_value=2, max_value=5))
def test_identical_answers_never_reach_the_agenda(item_id, people):
    item = MINI.item(item_id)
    value = {"status": "partial", "scale": 2, "choice": "names", "multi": ["legacy"], "number": 12,
             "text": "same"}[item.type.value]
    d = item_spread(item, room(item_id, *[value] * people))
    assert d.spread == 0 and d.reasons == [] and d.tie == [] and d.dropped == []


def _kpis():
    from checklists import load_all

    t = load_all()[0]["sales_funnel"]
    return t, t.item("strategy.kpis.kpi_set")  # an option-state list


def test_option_state_lists_that_agree_on_nothing_are_on_the_agenda():
    t, kpis = _kpis()
    apart = room(kpis.id, {"stage_conversion": "in_place", "win_rate": "in_place"},
                 {"cac": "in_place", "deal_size": "in_place"})
    d = item_spread(kpis, apart)
    assert d.value_spread == 1.0 and "spread" in d.reasons
    # the same states: no spread; an option one of them has not examined is not a disagreement
    same = room(kpis.id, {"cac": "in_place", "win_rate": "missing"},
                {"cac": "in_place", "win_rate": "missing", "activity": "unexamined"})
    assert item_spread(kpis, same).spread == 0 and item_spread(kpis, same).reasons == []


def test_the_combined_option_state_list_says_which_in_place_options_it_drops():
    t, kpis = _kpis()
    answers = room(kpis.id, {"stage_conversion": "in_place", "cac": "missing"},
                   {"stage_conversion": "in_place", "cac": "missing"},
                   {"stage_conversion": "in_place", "cac": "in_place"})
    d = item_spread(kpis, answers)
    # two say the CAC is not tracked, one that it is: the combined list has it not in place, and says so
    assert consolidate(t, answers)[kpis.id].value == {"stage_conversion": "in_place", "cac": "missing"}
    assert d.dropped == ["cac"] and "dropped" in d.reasons
    # weighed three to one (an owner), the one who tracks it carries the option
    weighted = kpis.kind.combine(kpis, [a[kpis.id].value for _w, a in sorted(answers.items())][::-1], "mean",
                                 [3.0, 1.0, 1.0])
    assert weighted == {"stage_conversion": "in_place", "cac": "in_place"}
    # must NOT happen: nothing dropped when the room agrees
    agree = room(kpis.id, {"cac": "in_place"}, {"cac": "in_place"})
    assert item_spread(kpis, agree).dropped == []
