"""The stored action plan states its effect (items, expected answer, effort); phase targets per
assessment; schema version 6 upgrades a database holding plans; a backup keeps both."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

import storage
from checklists import load_template
from scoring import ActionItem, ActionStatus
from storage.backup import export_all, import_all

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")


def _new(repo: storage.Repository) -> str:
    return repo.create_assessment(MINI, "Acme", "CRM 2027", "en", "Fiona")


def test_an_action_keeps_its_items_expected_answer_and_effort(repo: storage.Repository):
    aid = _new(repo)
    a = ActionItem(item_id="team.roles.sponsor", owner="CEO", due="2027-05-10", expect="yes", effort="S",
                   items=["strategy.goals.defined"])
    b = ActionItem(item_id="data.sources.inventory", owner="IT", due="2027-03-01",
                   expect=["spreadsheets", "legacy"], effort="L", status=ActionStatus.in_progress)
    c = ActionItem(item_id="strategy.goals.maturity", expect=3)
    for x in (a, b, c):
        repo.save_action(aid, x)
    assert repo.load_action_plan(aid) == [b, c, a]
    # replacing an action drops what the new one no longer says
    plain = ActionItem(item_id="team.roles.sponsor", owner="CEO")
    repo.save_action(aid, plain)
    assert repo.load_action_plan(aid)[-1] == plain
    assert plain.expect is None and plain.items == [] and plain.effort is None
    with pytest.raises(storage.InvalidInput):
        repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", items=[""]))


def test_phase_targets_per_assessment(repo: storage.Repository):
    aid, other = _new(repo), _new(repo)
    assert repo.load_phase_targets(aid) == {}
    repo.save_phase_target(aid, "vendor", "emerging")
    repo.save_phase_target(aid, "data", "ready")
    repo.save_phase_target(aid, "data", "not_ready")
    assert repo.load_phase_targets(aid) == {"data": "not_ready", "vendor": "emerging"}
    repo.save_phase_target(aid, "vendor", None)  # back to the template's default
    assert repo.load_phase_targets(aid) == {"data": "not_ready"}
    assert repo.load_phase_targets(other) == {}  # must NOT leak into another assessment
    with pytest.raises(storage.InvalidInput):
        repo.save_phase_target(aid, "marketing", "ready")


def test_version_6_upgrades_a_database_holding_a_plan(db_url: str):
    engine = storage.new_engine(db_url, upgrade=False)
    assert storage.migrate(engine, target=5) == 5
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    aid = "v5-assessment-0123456789abcdefghij"
    md = sa.MetaData()
    tables = {n: sa.Table(n, md, autoload_with=engine) for n in ("assessments", "actions")}
    assert "expect" not in tables["actions"].c
    with engine.begin() as conn:
        conn.execute(tables["assessments"].insert().values(
            id=aid, template_id="mini", template_version="1.0", organisation="Acme", project="P1",
            language="en", facilitator="Fiona", created_at=at, updated_at=at, settings={}, out_of_scope={}))
        conn.execute(tables["actions"].insert().values(
            assessment_id=aid, item_id="team.roles.sponsor", owner="CEO", due="2026-06-30",
            status="open", note="ask", updated_at=at))
    engine.dispose()
    engine = storage.new_engine(db_url)
    try:
        with engine.connect() as conn:
            assert storage.current_version(conn) >= 6
        repo = storage.Repository(engine)
        assert repo.load_action_plan(aid) == [ActionItem(item_id="team.roles.sponsor", owner="CEO",
                                                         due="2026-06-30", note="ask")]
        assert repo.load_phase_targets(aid) == {}
        repo.save_phase_target(aid, "team", "ready")
        assert repo.load_phase_targets(aid) == {"team": "ready"}
    finally:
        engine.dispose()


def test_a_backup_keeps_the_plan_effects_and_the_targets(db_url: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    aid = _new(source)
    action = ActionItem(item_id="team.roles.sponsor", owner="CEO", due="2027-05-10", expect="yes", effort="M",
                        items=["strategy.goals.defined"])
    source.save_action(aid, action)
    source.save_phase_target(aid, "vendor", "emerging")
    exported = export_all(source, tmp_path / "out")
    assert exported.counts["phase_targets"] == 1 and exported.counts["actions"] == 1
    target = storage.open_repository(db_url)
    import_all(target, tmp_path / "out")
    assert target.load_action_plan(aid) == [action]
    assert target.load_phase_targets(aid) == {"vendor": "emerging"}


def test_the_room_export_carries_the_plan_and_an_import_sets_it(repo: storage.Repository):
    from services import export_document, import_document

    aid = _new(repo)
    action = ActionItem(item_id="team.roles.sponsor", owner="王敏", due="2027-05-10", expect="yes", effort="S")
    repo.save_action(aid, action)
    text = export_document(repo, aid, MINI)
    assert "actions:" in text
    other = _new(repo)
    rid = repo.join(other, "Anna", "ops")
    import_document(repo, other, rid, "plan.yaml", text.encode("utf-8"), {"mini": MINI}, MINI)
    assert repo.load_action_plan(other) == [action]
    # must NOT: one respondent's own export carries no plan
    assert "actions:" not in export_document(repo, aid, MINI, respondent="Anna")
