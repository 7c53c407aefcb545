"""Storage against real databases (SQLite file; PostgreSQL when TEST_DATABASE_URL is set).

What matters is that nothing typed is lost: concurrent writers, later writes, restarts, failed
imports and locked databases are each driven for real and the stored rows are checked.
"""

from __future__ import annotations

import itertools
import sqlite3
import string
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import storage
from checklists import load_template
from scoring import (
    ActionItem,
    ActionStatus,
    Answer,
    Assessment,
    Confidence,
    assessment_to_document,
    consolidate,
    parse_assessment,
)
from storage import schema
from storage.migrations import STEPS

MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")

# One answer per answer type of mini, with every optional field used somewhere.
MINI_ANSWERS = {
    "strategy.goals.defined": Answer(value="yes", confidence=Confidence.evidence),
    "strategy.goals.maturity": Answer(value=3, note="quarterly reviews"),
    "process.stages.model": Answer(value="exit_criteria"),
    "data.sources.inventory": Answer(value=["spreadsheets", "legacy"], confidence=Confidence.guess),
    "data.quality.duplicates": Answer(value=7.5),
    "team.roles.notes": Answer(value="销售团队 12 人\nline two"),
    "vendor.criteria.integration": Answer(value="na", reason="no systems yet"),
}


def _new(repo: storage.Repository, **kw) -> str:
    return repo.create_assessment(MINI, "Acme", "CRM 2025", "zh", "Fiona", **kw)


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _run_threads(targets: list) -> None:
    """Start all, release them at once, join, and re-raise the first failure."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except BaseException as e:
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not [t for t in threads if t.is_alive()], "a writer hung"
    if errors:
        raise errors[0]


# -- assessments --------------------------------------------------------------------------


def test_create_and_open_round_trip(repo: storage.Repository, db_url: str):
    aid = _new(repo)
    meta = repo.get_assessment_meta(aid)
    assert meta is not None
    assert (meta.id, meta.template_id, meta.template_version) == (aid, "mini", "1.0")
    assert (meta.organisation, meta.project, meta.language, meta.facilitator) == ("Acme", "CRM 2025", "zh", "Fiona")
    assert meta.settings == storage.AssessmentSettings(method="mean", spread_threshold=0.5)
    assert meta.out_of_scope == {} and meta.baseline_id is None
    assert meta.created_at.tzinfo is not None and meta.created_at <= datetime.now(UTC)
    # a second repository on the same URL (another page, another laptop) opens the same assessment
    assert storage.open_repository(db_url).get_assessment_meta(aid) == meta


def test_unknown_ids(repo: storage.Repository):
    assert repo.get_assessment_meta("no-such-id") is None
    assert repo.get_assessment_meta("") is None
    with pytest.raises(storage.NotFound):
        repo.join("no-such-id", "Anna")
    with pytest.raises(storage.NotFound):
        repo.load_answers("no-such-id")
    aid = _new(repo)
    with pytest.raises(storage.NotFound):
        repo.save_answer(aid, 999_999, "strategy.goals.defined", Answer(value="yes"))
    other = _new(repo)
    stranger = repo.join(other, "Bob")
    # a respondent of another assessment cannot write into this one
    with pytest.raises(storage.NotFound):
        repo.save_answer(aid, stranger, "strategy.goals.defined", Answer(value="yes"))
    assert repo.load_answers(aid) == {}


def test_ids_are_long_and_random(repo: storage.Repository):
    ids = [_new(repo) for _ in range(30)]
    alphabet = set(string.ascii_letters + string.digits + "-_")
    assert len(set(ids)) == len(ids)
    for i in ids:
        assert len(i) >= 32 and set(i) <= alphabet  # 24 random bytes, URL-safe
    # not a counter: no shared prefix beyond chance, not numeric, not ordered by creation
    prefixes = {i[:4] for i in ids}
    assert len(prefixes) >= 28
    assert not any(i.isdigit() for i in ids)
    assert ids != sorted(ids)


def test_settings_scope_and_reassessment(repo: storage.Repository):
    aid = _new(repo)
    assert repo.update_settings(aid, method="final") == storage.AssessmentSettings(method="final")
    assert repo.update_settings(aid, spread_threshold=0.25).model_dump() == {"method": "final",
                                                                             "spread_threshold": 0.25}
    with pytest.raises(storage.InvalidInput):
        repo.update_settings(aid, method="median")
    with pytest.raises(storage.InvalidInput):
        repo.update_settings(aid, spread_threshold=2)
    assert repo.set_out_of_scope(aid, "vendor", "chosen already") == {"vendor": "chosen already"}
    repo.set_out_of_scope(aid, "data", "")
    assert repo.set_out_of_scope(aid, "data", None) == {"vendor": "chosen already"}
    with pytest.raises(storage.InvalidInput):
        repo.set_out_of_scope(aid, "marketing", "x")
    meta = repo.get_assessment_meta(aid)
    assert meta.settings.method == "final" and meta.out_of_scope == {"vendor": "chosen already"}

    again = _new(repo, baseline_id=aid)
    assert repo.get_assessment_meta(again).baseline_id == aid
    assert [m.id for m in repo.list_reassessments(aid)] == [again]
    with pytest.raises(storage.NotFound):
        _new(repo, baseline_id="missing")


# -- respondents and answers --------------------------------------------------------------


def test_join_is_idempotent(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna Li", "sales")
    assert repo.join(aid, "  Anna   Li ") == anna  # retyped after a refresh
    assert repo.join(aid, "Anna Li", "sales lead") == anna
    bob = repo.join(aid, "Bob")
    assert bob != anna
    for bad in ("", "   ", "__final__", "x" * 101):
        with pytest.raises(storage.InvalidInput):
            repo.join(aid, bad)
    repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="yes"))
    people = repo.list_respondents(aid)
    assert [(p.name, p.role, p.answered) for p in people] == [("Anna Li", "sales lead", 1), ("Bob", "", 0)]


def test_joining_at_once_with_one_name_gives_one_respondent(repo: storage.Repository):
    aid = _new(repo)
    ids: list[int] = []
    _run_threads([lambda: ids.append(repo.join(aid, "Anna")) for _ in range(8)])
    assert len(set(ids)) == 1
    assert [p.name for p in repo.list_respondents(aid)] == ["Anna"]


def test_answers_save_and_reload(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    for item_id, answer in MINI_ANSWERS.items():
        assert repo.save_answer(aid, anna, item_id, answer) is True
    repo.join(aid, "Bob")
    loaded = repo.load_answers(aid)
    assert loaded == {"Anna": MINI_ANSWERS, "Bob": {}}
    # the types survive, not only equality (3 stays an int, 7.5 a float, the list a list)
    assert type(loaded["Anna"]["strategy.goals.maturity"].value) is int
    assert type(loaded["Anna"]["data.quality.duplicates"].value) is float


def test_export_is_a_valid_answers_file(repo: storage.Repository):
    aid = _new(repo)
    anna, bob = repo.join(aid, "Anna"), repo.join(aid, "Bob")
    repo.set_out_of_scope(aid, "vendor", "decided")
    for item_id, answer in MINI_ANSWERS.items():
        repo.save_answer(aid, anna, item_id, answer)
    repo.save_answer(aid, bob, "strategy.goals.defined", Answer(value="no"))

    mine = repo.export_assessment(aid, anna)
    assert mine.respondent == "Anna" and mine.answers == MINI_ANSWERS
    assert mine.out_of_scope == {"vendor": "decided"} and mine.organisation == "Acme"
    # export → answers file → parse gives the same assessment back
    assert parse_assessment(assessment_to_document(mine), {"mini": MINI}) == mine

    room = consolidate(MINI, repo.load_answers(aid), "mean")
    together = repo.export_assessment(aid, consolidated=room)
    assert together.respondent is None and together.answers == room
    with pytest.raises(storage.InvalidInput):
        repo.export_assessment(aid)


def test_later_write_wins_and_audit_records_old_and_new(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    item = "strategy.goals.defined"
    first, second = Answer(value="no"), Answer(value="partial", note="pilot team only")
    assert repo.save_answer(aid, anna, item, first)
    assert repo.save_answer(aid, anna, item, second)
    # the same value again (a page rerun) is not a change: no write, no audit row
    assert repo.save_answer(aid, anna, item, second) is False
    assert repo.load_answers(aid)["Anna"] == {item: second}
    repo.save_answer(aid, anna, "team.roles.sponsor", Answer(value="yes"))
    assert repo.delete_answer(aid, anna, item) is True
    assert repo.delete_answer(aid, anna, item) is False
    assert repo.load_answers(aid)["Anna"] == {"team.roles.sponsor": Answer(value="yes")}

    trail = repo.audit_trail(aid, item)
    assert [(e.respondent, e.old, e.new) for e in trail] == [
        ("Anna", None, first), ("Anna", first, second), ("Anna", second, None)]
    assert trail == sorted(trail, key=lambda e: (e.at, e.id))
    assert len(repo.audit_trail(aid)) == 4


def test_final_answers(repo: storage.Repository):
    aid = _new(repo)
    item = "team.roles.sponsor"
    assert repo.save_final_answer(aid, item, Answer(value="partial", note="agreed in the room"))
    assert repo.save_final_answer(aid, item, Answer(value="yes"))
    assert repo.load_final_answers(aid) == {item: Answer(value="yes")}
    # final answers are not a respondent: they never show up among the room's answers
    assert repo.load_answers(aid) == {} and repo.list_respondents(aid) == []
    assert repo.save_final_answer(aid, item, None)
    assert repo.load_final_answers(aid) == {}
    trail = repo.audit_trail(aid, item)
    assert [e.respondent for e in trail] == [storage.FINAL] * 3
    assert (trail[1].old.value, trail[1].new.value, trail[2].new) == ("partial", "yes", None)


def test_action_plan(repo: storage.Repository):
    aid = _new(repo)
    a = ActionItem(item_id="team.roles.sponsor", owner="CEO", due="2025-09-30", note="ask the board")
    b = ActionItem(item_id="data.sources.inventory", owner="IT")
    repo.save_action(aid, a)
    repo.save_action(aid, b)
    done = a.model_copy(update={"status": ActionStatus.done})
    repo.save_action(aid, done)
    assert repo.load_action_plan(aid) == [b, done]
    assert repo.delete_action(aid, b.item_id) and not repo.delete_action(aid, b.item_id)
    assert repo.load_action_plan(aid) == [done]
    with pytest.raises(storage.InvalidInput):
        repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", due="next week"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=200), st.integers(-10**12, 10**12),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.lists(st.text(max_size=20), max_size=5)),
       note=st.one_of(st.none(), st.text(max_size=200)))
@example(value="\x00", note="\x00x")
def test_any_value_round_trips(repo: storage.Repository, value, note):
    aid = _new(repo)
    who = repo.join(aid, "Anna")
    answer = Answer(value=value, note=note)
    repo.save_answer(aid, who, "team.roles.notes", answer)
    assert repo.load_answers(aid)["Anna"]["team.roles.notes"] == storage.storable(answer)


def test_nul_characters_are_dropped_not_fatal(repo: storage.Repository):
    # PostgreSQL text cannot hold NUL; a pasted one must not make the save fail
    aid = _new(repo)
    anna = repo.join(aid, "An\x00na")
    assert repo.save_answer(aid, anna, "team.roles.notes", Answer(value="a\x00b", note="n\x00m", reason="\x00"))
    assert repo.load_answers(aid) == {"Anna": {"team.roles.notes": Answer(value="ab", note="nm", reason="")}}
    assert not repo.save_answer(aid, anna, "team.roles.notes", Answer(value="a\x00b", note="n\x00m", reason=""))


# -- concurrency, restarts ----------------------------------------------------------------


def test_two_respondents_saving_at_once_both_survive(repo: storage.Repository):
    aid = _new(repo)
    anna, bob = repo.join(aid, "Anna"), repo.join(aid, "Bob")
    _run_threads([
        lambda: repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="yes")),
        lambda: repo.save_answer(aid, bob, "team.roles.sponsor", Answer(value="no")),
    ])
    assert repo.load_answers(aid) == {"Anna": {"strategy.goals.defined": Answer(value="yes")},
                                      "Bob": {"team.roles.sponsor": Answer(value="no")}}


def test_many_writers_lose_nothing_and_duplicate_nothing(repo: storage.Repository):
    aid = _new(repo)
    people = {f"P{i:02d}": repo.join(aid, f"P{i:02d}") for i in range(12)}
    items_per_thread = 8
    expected: dict[str, dict[str, Answer]] = {name: {} for name in people}
    targets = []
    # 24 threads: two per respondent (two tabs of one laptop), each writing its own items
    for name, rid in people.items():
        for half in range(2):
            mine = {f"process.hammer.i{half}_{k}": Answer(value=f"{name}-{half}-{k}") for k in range(items_per_thread)}
            expected[name].update(mine)

            def write(rid=rid, mine=mine):
                for item_id, answer in mine.items():
                    repo.save_answer(aid, rid, item_id, answer)
            targets.append(write)
    _run_threads(targets)

    assert repo.load_answers(aid) == expected
    trail = repo.audit_trail(aid)
    total = len(people) * 2 * items_per_thread
    assert len(trail) == total
    assert len({(e.respondent, e.item_id) for e in trail}) == total  # one write each, none twice
    assert all(e.old is None for e in trail)
    assert sum(p.answered for p in repo.list_respondents(aid)) == total


def test_same_item_raced_by_one_respondent_ends_with_one_of_the_writes(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    values = [Answer(value=str(i)) for i in range(10)]
    _run_threads([lambda a=a: repo.save_answer(aid, anna, "team.roles.notes", a) for a in values])
    stored = repo.load_answers(aid)["Anna"]["team.roles.notes"]
    trail = repo.audit_trail(aid)
    # the audit is a chain: each write's old value is exactly the previous write's new value
    assert trail[0].old is None and trail[-1].new == stored
    assert all(prev.new == nxt.old for prev, nxt in itertools.pairwise(trail))
    assert sorted(e.new.value for e in trail) == sorted(a.value for a in values)


def test_a_new_engine_sees_everything(repo: storage.Repository, db_url: str):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    for item_id, answer in MINI_ANSWERS.items():
        repo.save_answer(aid, anna, item_id, answer)
    repo.save_final_answer(aid, "team.roles.sponsor", Answer(value="yes"))
    repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", owner="CEO"))
    before = (repo.get_assessment_meta(aid), repo.load_answers(aid), repo.load_final_answers(aid),
              repo.load_action_plan(aid), repo.audit_trail(aid))

    storage.dispose_engines()  # the server process is gone...
    engine = storage.new_engine(db_url)  # ...and a new one starts (running migrations again)
    try:
        fresh = storage.Repository(engine)
        after = (fresh.get_assessment_meta(aid), fresh.load_answers(aid), fresh.load_final_answers(aid),
                 fresh.load_action_plan(aid), fresh.audit_trail(aid))
        assert after == before
        with engine.connect() as conn:
            assert storage.current_version(conn) == storage.LATEST_VERSION
    finally:
        engine.dispose()


def test_postgresql_connections_dropped_by_a_restart_are_replaced(repo: storage.Repository, db_url: str):
    if _is_sqlite(db_url):
        pytest.skip("PostgreSQL only: SQLite has no server connection to lose")
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="yes"))
    # what a server restart does to the pool: every open connection is cut
    with sa.create_engine(db_url, poolclass=sa.pool.NullPool).connect() as admin:
        cut = admin.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalars().all()
    assert cut and all(cut)
    assert repo.save_answer(aid, anna, "team.roles.sponsor", Answer(value="no"))
    assert repo.load_answers(aid)["Anna"] == {"strategy.goals.defined": Answer(value="yes"),
                                              "team.roles.sponsor": Answer(value="no")}


# -- import -------------------------------------------------------------------------------


def test_import_answers(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    repo.save_answer(aid, anna, "team.roles.sponsor", Answer(value="no"))
    repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="no"))
    file = Assessment(template="mini", answers=MINI_ANSWERS, out_of_scope={"vendor": "done"})
    assert repo.import_answers(aid, anna, file) == len(MINI_ANSWERS)
    assert repo.load_answers(aid)["Anna"] == {**MINI_ANSWERS, "team.roles.sponsor": Answer(value="no")}
    assert repo.get_assessment_meta(aid).out_of_scope == {}
    assert repo.import_answers(aid, anna, file) == 0  # the same file again changes nothing

    # replace=True: the respondent's answers become exactly the file's
    assert repo.import_answers(aid, anna, file, replace=True, with_scope=True) == 1
    assert repo.load_answers(aid)["Anna"] == MINI_ANSWERS
    assert repo.get_assessment_meta(aid).out_of_scope == {"vendor": "done"}

    with pytest.raises(storage.TemplateMismatch):
        repo.import_answers(aid, anna, Assessment(template="other", answers=MINI_ANSWERS))


def test_failed_import_changes_nothing(repo: storage.Repository):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="no"))
    repo.save_answer(aid, anna, "team.roles.sponsor", Answer(value="partial"))
    before = (repo.load_answers(aid), repo.audit_trail(aid), repo.get_assessment_meta(aid))

    # answers are written in item order; the bad one sits in the middle, after real writes
    broken = dict(MINI_ANSWERS)
    broken["process.stages.model"] = Answer.model_construct(value=object(), note=None, reason=None,
                                                            confidence=None)
    file = Assessment.model_construct(template="mini", answers=broken, out_of_scope={"vendor": "x"})
    assert sorted(broken).index("process.stages.model") not in (0, len(broken) - 1)
    with pytest.raises(Exception):  # noqa: B017 - whatever the failure, the point is what is stored
        repo.import_answers(aid, anna, file, replace=True, with_scope=True)

    assert (repo.load_answers(aid), repo.audit_trail(aid), repo.get_assessment_meta(aid)) == before


# -- admin --------------------------------------------------------------------------------


def _all_stored_text(repo: storage.Repository) -> str:
    with repo.engine.connect() as conn:
        return "\n".join(repr(row) for table in schema.metadata.sorted_tables
                         for row in conn.execute(sa.select(table)))


def test_list_assessments_needs_the_admin_password(repo: storage.Repository, db_url: str, monkeypatch):
    secret = "correct horse battery staple 42"
    first, second = _new(repo), _new(repo)
    monkeypatch.delenv(storage.ADMIN_PASSWORD_ENV, raising=False)
    with pytest.raises(storage.AdminAccessDenied):
        repo.list_assessments(secret)  # no password configured: nobody gets the list

    monkeypatch.setenv(storage.ADMIN_PASSWORD_ENV, secret)
    for wrong in (None, "", "correct horse", secret + " ", secret.upper()):
        with pytest.raises(storage.AdminAccessDenied):
            repo.list_assessments(wrong)
    repo.save_answer(first, repo.join(first, "Anna"), "team.roles.sponsor", Answer(value="yes"))
    assert [m.id for m in repo.list_assessments(secret)] == [first, second]  # last changed first

    # a password handed over by the UI (Streamlit secrets) works without the environment
    monkeypatch.delenv(storage.ADMIN_PASSWORD_ENV)
    from_secrets = storage.Repository(repo.engine, admin_password="from-secrets")
    assert len(from_secrets.list_assessments("from-secrets")) == 2
    with pytest.raises(storage.AdminAccessDenied):
        from_secrets.list_assessments(secret)

    assert secret not in _all_stored_text(repo) and "from-secrets" not in _all_stored_text(repo)
    if _is_sqlite(db_url):
        path = Path(sa.make_url(db_url).database)
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert secret.encode() not in raw and b"from-secrets" not in raw


# -- failures -----------------------------------------------------------------------------


def test_locked_database_raises_storage_unavailable_after_bounded_retries(repo: storage.Repository,
                                                                          db_url: str):
    aid = _new(repo)
    anna = repo.join(aid, "Anna")
    engine = storage.new_engine(db_url, busy_timeout_ms=20)
    impatient = storage.Repository(engine, retries=2, retry_delay=0.01)
    item, answer = "strategy.goals.defined", Answer(value="yes")
    try:
        if _is_sqlite(db_url):
            blocker = sqlite3.connect(sa.make_url(db_url).database, isolation_level=None)
            blocker.execute("BEGIN EXCLUSIVE")
        else:
            blocker = engine.raw_connection()
            blocker.cursor().execute("LOCK TABLE answers IN EXCLUSIVE MODE")
        try:
            with pytest.raises(storage.StorageUnavailable) as caught:
                impatient.save_answer(aid, anna, item, answer)
            assert caught.value.attempts == 3
            # reads still work while a writer holds the lock (WAL / MVCC)
            assert impatient.load_answers(aid) == {"Anna": {}}
        finally:
            blocker.rollback()
            blocker.close()
        # once the lock is gone the same call succeeds, and exactly once
        assert impatient.save_answer(aid, anna, item, answer)
        assert repo.load_answers(aid) == {"Anna": {item: answer}}
        assert len(repo.audit_trail(aid)) == 1
    finally:
        engine.dispose()


# -- engine, migrations -------------------------------------------------------------------


def test_database_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/readiness")
    assert storage.database_url() == "postgresql+psycopg://u:p@db:5432/readiness"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/readiness")
    assert storage.database_url() == "postgresql+psycopg://u:p@db/readiness"
    monkeypatch.delenv("DATABASE_URL")
    target = tmp_path / "nested" / "deeper" / "r.db"
    monkeypatch.setenv(storage.DB_PATH_ENV, str(target))
    assert storage.database_url() == f"sqlite:///{target}"
    monkeypatch.delenv(storage.DB_PATH_ENV)
    monkeypatch.chdir(tmp_path)
    assert storage.database_url() == f"sqlite:///{tmp_path / 'data' / 'readiness.db'}"

    engine = storage.new_engine(f"sqlite:///{target}")  # creates the missing folders
    try:
        with engine.connect() as conn:
            pragmas = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                       for p in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000, "synchronous": 2}
        assert target.is_file()
    finally:
        engine.dispose()
    with pytest.raises(ValueError):
        storage.new_engine("sqlite://")


def _v1_database(db_url: str) -> sa.Engine:
    engine = storage.new_engine(db_url, upgrade=False)
    assert storage.migrate(engine, target=1) == 1
    return engine


def test_migration_from_v1_keeps_the_data(db_url: str):
    engine = _v1_database(db_url)
    at = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    aid = "v1-assessment-0123456789abcdefghij"
    md = sa.MetaData()
    # v1's tables as the database has them (no baseline_id yet)
    tables = {name: sa.Table(name, md, autoload_with=engine)
              for name in ("assessments", "respondents", "answers", "final_answers", "audit", "actions")}
    assert "baseline_id" not in tables["assessments"].c
    with engine.begin() as conn:
        conn.execute(tables["assessments"].insert().values(
            id=aid, template_id="mini", template_version="1.0", organisation="Acme", project="P1",
            language="en", facilitator="Fiona", created_at=at, updated_at=at,
            settings={"method": "min", "spread_threshold": 0.3}, out_of_scope={"vendor": "later"}))
        rid = conn.execute(tables["respondents"].insert().values(
            assessment_id=aid, name="Anna", role="ops", created_at=at)).inserted_primary_key[0]
        conn.execute(tables["answers"].insert().values(
            assessment_id=aid, respondent_id=rid, item_id="data.sources.inventory",
            value=["legacy"], note="n", reason=None, confidence="belief", updated_at=at))
        conn.execute(tables["final_answers"].insert().values(
            assessment_id=aid, item_id="team.roles.sponsor", value="yes", updated_at=at))
        conn.execute(tables["audit"].insert().values(
            assessment_id=aid, respondent="Anna", item_id="data.sources.inventory", old=None,
            new={"value": ["legacy"], "note": "n", "confidence": "belief"}, at=at))
        conn.execute(tables["actions"].insert().values(
            assessment_id=aid, item_id="team.roles.sponsor", owner="CEO", due="2025-06-30",
            status="in_progress", note="", updated_at=at))
    engine.dispose()

    engine = storage.new_engine(db_url)  # startup: upgrades to the latest version
    try:
        with engine.connect() as conn:
            assert storage.current_version(conn) == storage.LATEST_VERSION == STEPS[-1].version >= 2
        repo = storage.Repository(engine)
        meta = repo.get_assessment_meta(aid)
        assert (meta.organisation, meta.settings.method, meta.settings.spread_threshold) == ("Acme", "min", 0.3)
        assert meta.out_of_scope == {"vendor": "later"} and meta.created_at == at and meta.baseline_id is None
        answer = Answer(value=["legacy"], note="n", confidence=Confidence.belief)
        assert repo.load_answers(aid) == {"Anna": {"data.sources.inventory": answer}}
        assert repo.load_final_answers(aid) == {"team.roles.sponsor": Answer(value="yes")}
        assert [(e.respondent, e.old, e.new, e.at) for e in repo.audit_trail(aid)] == [
            ("Anna", None, answer, at)]
        assert repo.load_action_plan(aid) == [ActionItem(item_id="team.roles.sponsor", owner="CEO",
                                                         due="2025-06-30", status=ActionStatus.in_progress)]
        # the old data works with the new schema: a re-assessment of the migrated one
        again = _new(repo, baseline_id=aid)
        assert [m.id for m in repo.list_reassessments(aid)] == [again]
        # running the migrations again is a no-op
        assert storage.migrate(engine) == storage.LATEST_VERSION
        with engine.connect() as conn:
            versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
        assert sorted(versions) == [s.version for s in STEPS]
    finally:
        engine.dispose()


def test_migrated_schema_matches_schema_py(db_url: str):
    engine = storage.new_engine(db_url)
    try:
        inspector = sa.inspect(engine)
        assert set(inspector.get_table_names()) == set(schema.metadata.tables)
        for table in schema.metadata.sorted_tables:
            got = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            assert got == {c.name: c.nullable for c in table.columns}, table.name
            assert ({i["name"] for i in inspector.get_indexes(table.name)}
                    >= {i.name for i in table.indexes}), table.name
            fks = {tuple(fk["constrained_columns"]) for fk in inspector.get_foreign_keys(table.name)}
            assert fks == {tuple(c.name for c in fk.columns) for fk in table.foreign_key_constraints}, table.name
    finally:
        engine.dispose()


def test_concurrent_startups_migrate_once(db_url: str):
    engines: list[sa.Engine] = []
    lock = threading.Lock()

    def start():
        e = storage.new_engine(db_url)
        with lock:
            engines.append(e)
    try:
        _run_threads([start] * 4)
        with engines[0].connect() as conn:
            versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
        assert sorted(versions) == [s.version for s in STEPS]
    finally:
        for e in engines:
            e.dispose()


def test_a_newer_database_is_refused(db_url: str):
    engine = storage.new_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(schema.schema_version.insert().values(
                version=storage.LATEST_VERSION + 1, description="from the future",
                applied_at=datetime.now(UTC)))
        with pytest.raises(storage.StorageError, match="newer"):
            storage.migrate(engine)
    finally:
        engine.dispose()


def test_storage_imports_no_ui():
    code = ("import sys, storage; bad = [m for m in ('streamlit', 'reportlab', 'ui') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], check=False, cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_vendor_sheet_round_trip(repo: storage.Repository):
    aid = _new(repo)
    assert repo.load_vendor_sheet(aid) is None
    sheet = {"vendors": [{"id": "a", "name": {"zh": "示例系统甲", "en": "Example CRM A"}}], "years": 3}
    repo.save_vendor_sheet(aid, sheet)
    assert repo.load_vendor_sheet(aid) == sheet
    repo.save_vendor_sheet(aid, {**sheet, "years": 5})
    assert repo.load_vendor_sheet(aid)["years"] == 5
    with pytest.raises(storage.NotFound):
        repo.load_vendor_sheet("no-such-assessment-id-0000")
