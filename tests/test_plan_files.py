"""The plan in an answers file: read with located problems, written back unchanged, projected by the CLI."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

import cli
from checklists import load_template
from scoring import ActionItem, ActionStatus, AnswersError, assessment_to_document, load_assessment_text

DATA = Path(__file__).parent / "data"
MINI = load_template(DATA / "mini.yaml")

PLAN_FILE = """\
template: mini
answers:
  strategy.goals.defined: "no"
  strategy.goals.maturity: 2
  process.stages.model: names
  data.sources.inventory: [spreadsheets, mailboxes]
  data.quality.duplicates: 5
  team.roles.sponsor: "no"
  vendor.criteria.integration: "yes"
actions:
  - {item: strategy.goals.defined, owner: 李娜, due: 2027-03-20, expect: "yes", status: open, effort: M}
  - {item: [team.roles.sponsor, vendor.criteria.integration], owner: Wang Min, due: "2027-05-10", expect: "yes"}
  - {item: strategy.goals.maturity, expect: 3, status: in_progress, note: 季度复盘}
"""


def _load(text: str):
    return load_assessment_text(text, "plan.yaml", {"mini": MINI})


def test_the_plan_is_read_from_an_answers_file():
    a = _load(PLAN_FILE)
    assert a.actions == [
        ActionItem(item_id="strategy.goals.defined", owner="李娜", due="2027-03-20", expect="yes", effort="M"),
        ActionItem(item_id="team.roles.sponsor", items=["vendor.criteria.integration"], owner="Wang Min",
                   due="2027-05-10", expect="yes"),
        ActionItem(item_id="strategy.goals.maturity", expect=3, status=ActionStatus.in_progress, note="季度复盘"),
    ]


def test_export_then_import_keeps_the_plan():
    a = _load(PLAN_FILE)
    text = yaml.safe_dump(assessment_to_document(a), allow_unicode=True, sort_keys=False)
    assert _load(text) == a
    # must NOT: a file without a plan gains none
    plain = _load(PLAN_FILE.split("actions:")[0])
    assert plain.actions == [] and "actions" not in assessment_to_document(plain)


@pytest.mark.parametrize("entry, where, words", [
    ("{item: nope.x.y, owner: a}", "[actions[0].item]", "unknown item id 'nope.x.y'"),
    ("{item: team.roles.sponsor, due: next week}", "[actions[0].due]", "is not a date"),
    ("{item: team.roles.sponsor, due: \"2027-02-30\"}", "[actions[0].due]", "is not a date"),
    ("{item: team.roles.sponsor, expect: maybe}", "[actions[0].expect]", "'maybe' is not allowed"),
    ("{item: team.roles.sponsor, status: later}", "[actions[0].status]", "not one of open, in_progress, done"),
    ("{item: team.roles.sponsor, effort: XL}", "[actions[0].effort]", "not one of S, M, L"),
    ("{item: team.roles.sponsor, when: soon}", "[actions[0]]", "unknown key(s) when"),
    ("{item: team.roles.sponsor, status: [open]}", "[actions[0].status]", "not one of"),
    ("{item: [process.stages.model, team.roles.sponsor], expect: exit_criteria}", "[actions[0].expect]",
     "'exit_criteria' is not allowed"),
])
def test_a_bad_action_is_a_located_problem(entry, where, words):
    text = f"template: mini\nanswers: {{}}\nactions:\n  - {entry}\n"
    with pytest.raises(AnswersError) as e:
        _load(text)
    assert len(e.value.problems) == 1
    problem = e.value.problems[0]
    assert problem.startswith("plan.yaml:4 ") and where in problem and words in problem, problem


def test_two_actions_for_one_item_are_refused():
    text = "template: mini\nactions:\n  - {item: team.roles.sponsor}\n  - {item: team.roles.sponsor}\n"
    with pytest.raises(AnswersError, match=r"actions\[1\].item.*a second action"):
        _load(text)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def mini_file(tmp_path, monkeypatch) -> Path:
    custom = tmp_path / "custom"
    custom.mkdir()
    shutil.copy(DATA / "mini.yaml", custom / "mini.yaml")
    monkeypatch.setenv("READINESS_TEMPLATES_DIR", str(custom))
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_FILE, encoding="utf-8")
    return path


def test_score_json_gives_the_projection_and_the_ready_on_date(mini_file):
    code, out, err = _cli("score", str(mini_file), "--json", "--today", "2027-01-15")
    assert code == 0, err
    data = json.loads(out)
    # tests/test_projection.py computes this plan by hand: blocked until the sponsor action in May; the
    # maturity action has no due date, so it is not scheduled and moves nothing (must NOT count)
    assert data["ready_on"] == "2027-05-10"
    assert [(p["date"], p["score"], p["verdict"]) for p in data["projection"][:6]] == [
        ("2027-01-15", 42.78, "blocked"), ("2027-02-15", 42.78, "blocked"), ("2027-03-15", 42.78, "blocked"),
        ("2027-04-15", 62.78, "blocked"), ("2027-05-15", 79.44, "emerging"), ("2027-06-15", 79.44, "emerging")]
    assert [a["item_id"] for a in data["critical_path"]] == ["strategy.goals.defined", "team.roles.sponsor"]
    assert data["unplanned_blockers"] == [] and data["overall"] == 42.78  # today's score is unchanged
    # overdue by June: both slip to the day the projection starts
    code, out, _ = _cli("score", str(mini_file), "--json", "--today", "2027-06-01")
    assert json.loads(out)["ready_on"] == "2027-06-01"
    code, out, err = _cli("score", str(mini_file), "--today", "1st of May")
    assert code == 2 and "--today" in err and "Traceback" not in err


def test_score_text_names_the_ready_on_date(mini_file):
    code, out, _ = _cli("score", str(mini_file), "--today", "2027-01-15", "--lang", "zh")
    assert code == 0 and "按计划解除阻断日期：2027-05-10" in out
