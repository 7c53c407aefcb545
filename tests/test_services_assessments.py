"""The assessment use cases (services) the pages and the command line share: a respondent's answers
exported in the answers format, edited action-plan rows stored, and the chain of re-assessments. Driven
through the services on a real repository (SQLite and PostgreSQL); the pages that call them are tested
in tests/test_app.py."""

from __future__ import annotations

from pathlib import Path

import yaml

import storage
from checklists import load_template
from scoring import Answer, parse_assessment, score
from services import assessment_chain, export_document, save_plan_changes, start_reassessment

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")


def _answered(repo: storage.Repository, item_id: str, value: str) -> str:
    """A new assessment of the mini template in which Ann has answered one item."""
    aid = repo.create_assessment(MINI, "示例公司", "CRM 2027", "en", "Ann")
    repo.save_answer(aid, repo.join(aid, "Ann"), item_id, Answer(value=value))
    return aid


def test_export_matches_the_answers_format(repo: storage.Repository):
    aid = _answered(repo, "strategy.goals.defined", "partial")
    text = export_document(repo, aid, MINI, respondent="Ann")
    a = parse_assessment(yaml.safe_load(text), {"mini": MINI})
    assert a.answers["strategy.goals.defined"].value == "partial"
    assert score(MINI, a).phase("strategy").score == 50.0
    # must NOT: another respondent's export carries Ann's answers
    other = parse_assessment(yaml.safe_load(export_document(repo, aid, MINI, respondent="Bo")), {"mini": MINI})
    assert other.answers == {}


def test_action_plan_changes_are_stored_field_by_field(repo: storage.Repository):
    aid = _answered(repo, "team.roles.sponsor", "no")
    change = {"team.roles.sponsor": {"owner": "CEO 办公室", "due": "2027-01-31", "status": "in_progress"}}
    assert save_plan_changes(repo, aid, change) == ["team.roles.sponsor"]
    plan = repo.load_action_plan(aid)
    assert [(p.item_id, p.owner, p.due, p.status.value) for p in plan] == [
        ("team.roles.sponsor", "CEO 办公室", "2027-01-31", "in_progress")]
    # must NOT: the same change saved again counts as a change
    assert save_plan_changes(repo, aid, change) == []
    # two people edit different fields of one action: each writes only their field, both are kept
    assert save_plan_changes(repo, aid, {"team.roles.sponsor": {"effort": "M"}}) == ["team.roles.sponsor"]
    assert save_plan_changes(repo, aid, {"team.roles.sponsor": {"expect": "yes"}}) == ["team.roles.sponsor"]
    (a,) = repo.load_action_plan(aid)
    assert (a.owner, a.due, a.status.value, a.effort, a.expect) == ("CEO 办公室", "2027-01-31", "in_progress", "M",
                                                                    "yes")


def test_an_edit_that_leaves_an_action_empty_creates_nothing(repo: storage.Repository):
    aid = _answered(repo, "team.roles.sponsor", "no")
    assert save_plan_changes(repo, aid, {"team.roles.sponsor": {"owner": "", "effort": None}}) == []
    assert repo.load_action_plan(aid) == []  # must NOT: an empty row stored for every cell clicked


def test_a_reassessment_joins_the_chain_of_its_baseline(repo: storage.Repository):
    first = _answered(repo, "strategy.goals.defined", "no")
    unrelated = _answered(repo, "strategy.goals.defined", "yes")
    second = start_reassessment(repo, first, MINI, "Ann", copy_answers=True)
    assert repo.get_assessment_meta(second).baseline_id == first
    # the answers were copied as the starting point
    assert repo.load_answers(second)["Ann"]["strategy.goals.defined"].value == "no"
    assert assessment_chain(repo, second) == [first, second]
    assert assessment_chain(repo, first) == [first, second]  # the same chain from either end
    assert unrelated not in assessment_chain(repo, second)  # must NOT: another organisation's assessment
