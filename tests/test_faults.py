"""Faults, driven for real: a database locked for a moment, an unreachable or silent PostgreSQL, a
database down while someone answers, a server restart mid-workshop, a write or a process stopped
half-way; and the backup (export_all / import_all) between SQLite and PostgreSQL, with every way a
backup folder can be bad. Each test checks what is stored afterwards, not only what was raised."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import fresh_pg_schema
from sqlalchemy.pool import NullPool
from support import create, field, free_port, link, new_app, ok, open_details

import storage
from checklists import load_template
from scoring import ActionItem, ActionStatus, Answer, Assessment, Confidence
from storage import schema
from storage.backup import MANIFEST, BackupError, export_all, import_all

ROOT = Path(__file__).resolve().parent.parent
MINI_PATH = Path(__file__).parent / "data" / "mini.yaml"
MINI = load_template(MINI_PATH)
ITEM = "strategy.goals.defined"


def _sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _new(repo: storage.Repository) -> tuple[str, int]:
    aid = repo.create_assessment(MINI, "示例制造", "CRM 2027", "zh", "Fiona")
    return aid, repo.join(aid, "Anna", "销售")


def _snapshot(repo: storage.Repository, aid: str) -> tuple:
    return (repo.get_assessment_meta(aid), repo.load_answers(aid), repo.load_final_answers(aid),
            repo.load_action_plan(aid), repo.audit_trail(aid), repo.list_respondents(aid),
            repo.load_vendor_sheet(aid), repo.vendor_audit_trail(aid), repo.load_rounds(aid), repo.round_state(aid))


# -- a database locked for a moment ---------------------------------------------------------


def _lock(db_url: str):
    """Take the write lock from another connection (as another process would); returns a release."""
    if _sqlite(db_url):
        blocker = sqlite3.connect(sa.make_url(db_url).database, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN EXCLUSIVE")
    else:
        engine = sa.create_engine(db_url, poolclass=NullPool)
        blocker = engine.raw_connection()
        blocker.cursor().execute("LOCK TABLE answers IN EXCLUSIVE MODE")

    def release() -> None:
        blocker.rollback()
        blocker.close()
    return release


class _Counting(storage.Repository):
    """A repository that counts transaction attempts, to see the retries happen."""

    attempts = 0

    def _tx(self, write: bool):
        type(self).attempts += 1
        return super()._tx(write)


def test_a_lock_held_for_a_moment_is_outlasted_by_the_bounded_retries(db_url: str):
    repo = storage.open_repository(db_url)
    aid, anna = _new(repo)
    engine = storage.new_engine(db_url, busy_timeout_ms=50)
    patient = type("P", (_Counting,), {"attempts": 0})(engine, retries=6, retry_delay=0.05)
    try:
        release = _lock(db_url)
        threading.Timer(0.4, release).start()
        # the retries' back-off adds up to well over a second: longer than the 0.4 s lock
        assert patient.save_answer(aid, anna, ITEM, Answer(value="yes"))
        assert patient.attempts >= 2, "the first attempt should have met the lock"
    finally:
        engine.dispose()
    assert repo.load_answers(aid) == {"Anna": {ITEM: Answer(value="yes")}}
    assert len(repo.audit_trail(aid)) == 1  # retried, yet written once


def test_a_lock_held_too_long_gives_storage_unavailable_after_bounded_retries_and_writes_nothing(db_url: str):
    repo = storage.open_repository(db_url)
    aid, anna = _new(repo)
    before = _snapshot(repo, aid)
    engine = storage.new_engine(db_url, busy_timeout_ms=50)
    impatient = storage.Repository(engine, retries=2, retry_delay=0.02)
    release = _lock(db_url)
    try:
        with pytest.raises(storage.StorageUnavailable, match="busy or unreachable after 3 attempts") as caught:
            impatient.save_answer(aid, anna, ITEM, Answer(value="yes"))
        assert caught.value.attempts == 3  # bounded: how long that takes is measured in bench/, not here
    finally:
        release()
        engine.dispose()
    assert _snapshot(repo, aid) == before


# -- an unreachable or silent PostgreSQL ----------------------------------------------------


def test_unreachable_postgresql_gives_storage_unavailable_not_a_hang():
    url = f"postgresql+psycopg://readiness@127.0.0.1:{free_port()}/readiness"  # nothing listens there
    engine = storage.new_engine(url, upgrade=False)
    repo = storage.Repository(engine, retries=2, retry_delay=0.01)
    try:
        with pytest.raises(storage.StorageUnavailable, match="unreachable") as caught:
            repo.save_answer("x" * 32, 1, ITEM, Answer(value="yes"))
        assert caught.value.attempts == 3  # a bounded number of tries, each with a connect timeout
        with pytest.raises(storage.StorageUnavailable):
            repo.get_assessment_meta("x" * 32)
        assert "Connection refused" in str(caught.value)  # the cause, for the log
    finally:
        engine.dispose()


def test_opening_an_unreachable_postgresql_gives_a_named_error():
    url = f"postgresql+psycopg://readiness@127.0.0.1:{free_port()}/readiness"
    with pytest.raises(storage.StorageUnavailable, match="cannot be reached"):
        storage.new_engine(url)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word (a hung server, a bad proxy)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    yield srv.getsockname()[1]
    srv.close()  # resets the connections waiting in the backlog: a stuck client gets an error


def _within(seconds: float, fn) -> tuple[bool, BaseException | None]:
    """Run fn in a thread; (finished in time, what it raised)."""
    out: list[BaseException | None] = [None]

    def run() -> None:
        try:
            fn()
        except BaseException as e:
            out[0] = e
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    return not t.is_alive(), out[0]


def test_a_silent_postgresql_is_given_up_on_with_connect_timeout(silent_server: int):
    # docs/deploying.md: put connect_timeout in DATABASE_URL (libpq's own parameter, in seconds)
    url = f"postgresql+psycopg://readiness@127.0.0.1:{silent_server}/readiness?connect_timeout=2"
    engine = storage.new_engine(url, upgrade=False)
    repo = storage.Repository(engine, retries=0)
    try:
        done, error = _within(15, lambda: repo.get_assessment_meta("x" * 32))
        assert done, "a silent server hung the call despite connect_timeout"
        assert isinstance(error, storage.StorageUnavailable), error
    finally:
        engine.dispose()


def test_a_silent_postgresql_is_given_up_on_by_default(silent_server: int):
    engine = storage.new_engine(f"postgresql+psycopg://readiness@127.0.0.1:{silent_server}/readiness",
                                upgrade=False)
    repo = storage.Repository(engine, retries=0)
    try:
        done, _ = _within(7, lambda: repo.get_assessment_meta("x" * 32))
        assert done, "hung"
    finally:
        engine.dispose()


# -- the questionnaire while the database is down (the real page, through AppTest) ------------


def _stored(aid: str, who: str = "Ann") -> dict[str, Answer]:
    """What the database holds, read on an engine of its own (the app's may be patched to fail)."""
    engine = storage.new_engine(storage.database_url())
    try:
        return storage.Repository(engine).load_answers(aid).get(who, {})
    finally:
        engine.dispose()


def kept(n: int) -> str:
    return (f"{n} change(s) not saved yet: the database cannot be reached. They are kept in this open page and "
            "sent automatically when it is back. Do not reload or close this page until this message goes away.")


def _queue(at, aid: str) -> set[str]:
    return set(at.session_state[f"questionnaire::{aid}"].queue)


def _down(*_a, **_k):
    raise storage.StorageUnavailable("the database is busy or unreachable after 4 attempts: test", 4)


def test_answers_given_while_writes_fail_are_kept_and_saved_when_the_database_is_back(app_env, monkeypatch):
    at = new_app(lang="en")
    aid = create(at)
    ok(at.switch_page("ui/phases/strategy.py").run())

    # the database refuses writes (locked by a long writer): reads still work
    with monkeypatch.context() as m:
        m.setattr(storage.Repository, "update_answer", _down)
        ok(field(at.radio, f"v::{ITEM}").set_value("yes").run())
        assert [w.value for w in at.warning] == [kept(1)]  # said once, and true
        ok(field(at.radio, "v::strategy.goals.maturity").set_value(3).run())
        assert [w.value for w in at.warning] == [kept(2)]
        # what the person chose is still on screen, and kept in the session
        assert field(at.radio, f"v::{ITEM}").value == "yes"
        assert _queue(at, aid) == {ITEM, "strategy.goals.maturity"}
        assert _stored(aid) == {}

    ok(at.run())  # the next run after the database is back
    assert _stored(aid) == {ITEM: Answer(value="yes"), "strategy.goals.maturity": Answer(value=3)}
    assert not _queue(at, aid)
    assert not at.warning
    assert [t.value for t in at.toast] == ["Answers kept during the outage are now saved."]


def test_an_answer_given_while_the_database_is_down_is_saved_when_it_is_back(app_env, monkeypatch):
    at = new_app(lang="en")
    aid = create(at)
    ok(at.switch_page("ui/phases/strategy.py").run())

    # the whole database is gone: every read and write fails
    with monkeypatch.context() as m:
        m.setattr(storage.Repository, "_run", _down)
        ok(field(at.radio, f"v::{ITEM}").set_value("partial").run())  # no traceback reaches the user
        # the assessment cannot be read either; the person is told that the answer is kept...
        assert kept(1) in [w.value for w in at.warning]
        assert _queue(at, aid) == {ITEM}  # ...and it is
        ok(at.run())  # a second run during the outage keeps it too
        assert _queue(at, aid) == {ITEM}

    ok(at.run())
    assert _stored(aid) == {ITEM: Answer(value="partial")}
    assert not _queue(at, aid)
    assert field(at.radio, f"v::{ITEM}").value == "partial"
    # saved, and said so: no stale "unavailable" warning next to it
    assert not at.warning, [w.value for w in at.warning]
    assert [t.value for t in at.toast] == ["Answers kept during the outage are now saved."]


def test_a_server_restart_mid_workshop_loses_nothing(app_env):
    from ui import common

    ann = new_app(lang="en")
    aid = create(ann)
    ok(ann.switch_page("ui/phases/strategy.py").run())
    ok(field(ann.radio, f"v::{ITEM}").set_value("yes").run())
    open_details(ann, ITEM)
    ok(field(ann.text_input, f"n::{ITEM}").input("目标已写入年度计划").run())
    bob = ok(new_app(lang="en", a=aid, who="Bob").switch_page("ui/phases/strategy.py").run())
    ok(field(bob.radio, f"v::{ITEM}").set_value("no").run())
    ann_link, bob_link = link(ann), link(bob)

    # the server process goes away: engines, cached resources and every session with it
    storage.dispose_engines()
    common._repository.clear()
    common.templates.clear()

    ann = ok(new_app(**ann_link).switch_page("ui/phases/strategy.py").run())
    assert field(ann.radio, f"v::{ITEM}").value == "yes"
    open_details(ann, ITEM)
    assert field(ann.text_input, f"n::{ITEM}").value == "目标已写入年度计划"
    ok(field(ann.radio, "v::strategy.goals.maturity").set_value(2).run())
    bob = ok(new_app(**bob_link).switch_page("ui/phases/strategy.py").run())
    assert field(bob.radio, f"v::{ITEM}").value == "no"

    repo = storage.open_repository()
    assert repo.load_answers(aid) == {
        "Ann": {ITEM: Answer(value="yes", note="目标已写入年度计划"), "strategy.goals.maturity": Answer(value=2)},
        "Bob": {ITEM: Answer(value="no")}}
    assert [(e.respondent, e.item_id) for e in repo.audit_trail(aid)] == [
        ("Ann", ITEM), ("Ann", ITEM), ("Bob", ITEM), ("Ann", "strategy.goals.maturity")]


# -- a write stopped half-way ---------------------------------------------------------------

FILE = Assessment(template="mini", answers={
    "data.quality.duplicates": Answer(value=7.5),
    "process.stages.model": Answer(value="exit_criteria"),
    "strategy.goals.defined": Answer(value="yes"),
    "strategy.goals.maturity": Answer(value=4),
    "team.roles.sponsor": Answer(value="yes"),
}, out_of_scope={"vendor": "chosen by group IT"})


def _prepared(repo: storage.Repository) -> tuple[str, int]:
    aid, anna = _new(repo)
    repo.save_answer(aid, anna, "strategy.goals.defined", Answer(value="no"))
    repo.save_answer(aid, anna, "team.roles.sponsor", Answer(value="partial", note="CFO 未确认"))
    return aid, anna


def test_an_import_failing_on_its_third_item_changes_nothing(db_url: str, monkeypatch):
    repo = storage.open_repository(db_url)
    aid, anna = _prepared(repo)
    before = _snapshot(repo, aid)
    real = storage.Repository._write_answer
    calls = []

    def third_fails(self, *args, **kwargs):
        calls.append(args[3])
        if len(calls) == 3:
            raise RuntimeError("disk gone half-way")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(storage.Repository, "_write_answer", third_fails)
    with pytest.raises(RuntimeError, match="half-way"):
        repo.import_answers(aid, anna, FILE, replace=True, with_scope=True)
    assert len(calls) == 3  # two answers were written inside the transaction before the failure
    monkeypatch.undo()
    assert _snapshot(repo, aid) == before
    # and the same import then goes through whole
    assert repo.import_answers(aid, anna, FILE, replace=True, with_scope=True) == 5


KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    import storage
    from scoring import Answer, Assessment
    repo = storage.open_repository({url!r})
    real = storage.Repository._write_answer
    n = []
    def crash_on_third(self, *args, **kwargs):
        n.append(1)
        if len(n) == 3:
            os.kill(os.getpid(), signal.SIGKILL)  # the server process dies in the middle of the write
        return real(self, *args, **kwargs)
    storage.Repository._write_answer = crash_on_third
    repo.import_answers({aid!r}, {rid!r}, Assessment.model_validate_json({file!r}), replace=True)
""")


def test_a_process_killed_in_the_middle_of_a_write_leaves_no_partial_state(db_url: str):
    repo = storage.open_repository(db_url)
    aid, anna = _prepared(repo)
    before = _snapshot(repo, aid)
    script = KILLER.format(root=str(ROOT), url=db_url, aid=aid, rid=anna, file=FILE.model_dump_json())
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr

    storage.dispose_engines(db_url)  # a restarted server: new connections, the crashed one's gone
    fresh = storage.open_repository(db_url)
    if not _sqlite(db_url):
        time.sleep(0.2)  # the server notices the dead backend and rolls its transaction back
    assert _snapshot(fresh, aid) == before
    assert fresh.save_answer(aid, anna, "strategy.goals.maturity", Answer(value=1))  # not left locked
    if _sqlite(db_url):
        with fresh.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# -- backup: export_all / import_all --------------------------------------------------------


@pytest.fixture
def pg_url(pg_admin: sa.Engine) -> Iterator[str]:
    """A fresh PostgreSQL schema (the second database of a round trip); skips locally without one."""
    with fresh_pg_schema(pg_admin) as url:
        yield url


def _workshop(repo: storage.Repository) -> list[str]:
    """A workshop using everything stored: every answer type, notes only, clears, final answers,
    an action plan, settings, out of scope, Chinese everywhere, and a re-assessment."""
    aid = repo.create_assessment(MINI, "示例制造有限公司", "CRM 2027 上线", "zh", "王敏")
    ann, bob, chen = repo.join(aid, "王敏", "销售总监"), repo.join(aid, "Bob", "IT"), repo.join(aid, "陈", "")
    for item_id, answer in {
        "strategy.goals.defined": Answer(value="yes", confidence=Confidence.evidence, note="年度计划第 3 页"),
        "strategy.goals.maturity": Answer(value=3),
        "process.stages.model": Answer(value="exit_criteria"),
        "data.sources.inventory": Answer(value=["spreadsheets", "legacy"], confidence=Confidence.guess),
        "data.quality.duplicates": Answer(value=7.5),
        "team.roles.notes": Answer(value="销售团队 12 人\nline two"),
        "vendor.criteria.integration": Answer(value="na", reason="尚无系统"),
    }.items():
        repo.save_answer(aid, ann, item_id, answer)
    repo.save_answer(aid, bob, "strategy.goals.defined", Answer(value="no"))
    repo.save_answer(aid, bob, "strategy.goals.defined", Answer(value="partial"))  # audit: old → new
    repo.save_answer(aid, bob, "team.roles.sponsor", Answer(note="还没问过 CEO"))  # a note only
    repo.save_answer(aid, chen, "team.roles.sponsor", Answer(value="no"))
    repo.delete_answer(aid, chen, "team.roles.sponsor")  # cleared: in the audit, not in answers
    repo.save_final_answer(aid, "strategy.goals.defined", Answer(value="partial", note="讨论后"))
    repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", owner="CEO 办公室", due="2027-03-31",
                                     status=ActionStatus.in_progress, note="下次董事会"))
    repo.update_settings(aid, method="min", spread_threshold=0.4)
    repo.set_out_of_scope(aid, "vendor", "集团 IT 已选定系统")
    repo.save_vendor_sheet(aid, {"vendors": [{"id": "a", "name": {"zh": "示例系统甲", "en": "CRM A"}}], "years": 3,
                                 "criteria": [{"id": "fit", "weight": 1}],
                                 "evaluations": {"Anna": {"a": {"criteria": {"fit": {"score": 4, "note": "演示很好"}},
                                                                "requirements": {}}}},
                                 "costs": {"a": [{"year": 1, "licence": 1000.5, "training": 0.0}]}}, who="Anna")
    repo.update_vendor_evaluation(aid, "Bob", "a", lambda ev: {**ev, "criteria": {"fit": {"score": 2, "note": None}}})
    again = repo.create_assessment(MINI, "示例制造有限公司", "CRM 2027 上线", "zh", "王敏", baseline_id=aid)
    repo.save_answer(again, repo.join(again, "王敏"), "strategy.goals.defined", Answer(value="yes"))
    # workshop rounds: blind round 1, a reveal, round 2 on the item, its answer beside round 1's, decided
    repo.open_round(again)
    repo.reveal(again, 1, ["strategy.goals.defined"])
    repo.open_round(again, ["strategy.goals.defined"])
    repo.save_answer(again, repo.join(again, "王敏"), "strategy.goals.defined", Answer(value="partial"))
    repo.set_decided(again, "strategy.goals.defined")
    empty = repo.create_assessment(MINI, "", "", "en", "")
    return [aid, again, empty]


def _everything(repo: storage.Repository, ids: list[str]) -> list[tuple]:
    return [_snapshot(repo, aid) for aid in ids]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "assessments").iterdir())}


def test_backup_round_trip_into_an_empty_database(db_url: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    ids = _workshop(source)
    exported = export_all(source, tmp_path / "one")
    assert (exported.assessments, exported.counts) == (3, {"respondents": 4, "answers": 11, "final_answers": 1,
                                                           "actions": 1, "audit": 15, "vendor_sheets": 1,
                                                           "vendor_scores": 2, "vendor_costs": 2,
                                                           "vendor_audit": 7, "workshop_rounds": 2,
                                                           "workshop_reveals": 1, "workshop_decided": 1, "phase_targets": 0})
    target = storage.open_repository(db_url)
    assert import_all(target, tmp_path / "one").counts == exported.counts
    assert _everything(target, ids) == _everything(source, ids)  # ids, timestamps, audit: exactly
    export_all(target, tmp_path / "two")
    assert _files(tmp_path / "two") == _files(tmp_path / "one")  # byte for byte

    # the imported database goes on working: new rows get new ids past the imported ones
    new = target.join(ids[0], "Dana")
    assert new > max(r.id for r in source.list_respondents(ids[0]))
    target.save_answer(ids[0], new, "strategy.goals.defined", Answer(value="yes"))
    assert target.audit_trail(ids[0])[-1].id > max(e.id for e in source.audit_trail(ids[0]))


def test_backup_round_trip_sqlite_postgresql_sqlite(pg_url: str, tmp_path: Path):
    first = storage.open_repository(f"sqlite:///{tmp_path / 'first.db'}")
    ids = _workshop(first)
    export_all(first, tmp_path / "from_sqlite")
    pg = storage.open_repository(pg_url)
    import_all(pg, tmp_path / "from_sqlite")
    export_all(pg, tmp_path / "from_postgresql")
    last = storage.open_repository(f"sqlite:///{tmp_path / 'last.db'}")
    import_all(last, tmp_path / "from_postgresql")
    export_all(last, tmp_path / "back_in_sqlite")

    assert _files(tmp_path / "from_sqlite") == _files(tmp_path / "from_postgresql") \
        == _files(tmp_path / "back_in_sqlite")
    assert _everything(first, ids) == _everything(pg, ids) == _everything(last, ids)
    manifest = json.loads((tmp_path / "from_postgresql" / MANIFEST).read_text())
    assert manifest["source"] == "postgresql" and manifest["counts"]["assessments"] == 3
    assert "@" not in json.dumps(manifest)  # no URL, so no credentials, in a backup


def test_export_sees_one_moment_while_the_app_writes(db_url: str, tmp_path: Path):
    repo = storage.open_repository(db_url)
    aid, anna = _new(repo)
    stop = threading.Event()

    def keep_writing() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            repo.save_answer(aid, anna, "team.roles.notes", Answer(value=f"note {i}"))
    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.1)
        export_all(repo, tmp_path / "live")
    finally:
        stop.set()
        writer.join(30)
    doc = json.loads(next((tmp_path / "live" / "assessments").iterdir()).read_text())
    # the answer row and the audit were read from one snapshot: the last audit entry is the answer
    assert doc["audit"][-1]["new"]["value"] == doc["answers"][0]["value"]
    assert len(doc["audit"]) == int(doc["answers"][0]["value"].split()[1])


def _rehash(folder: Path, name: str) -> None:
    """After editing a file on purpose, make the manifest's checksum agree (to reach deeper checks)."""
    m = json.loads((folder / MANIFEST).read_text())
    for e in m["assessments"]:
        if f"{e['id']}.json" == name:
            e["sha256"] = hashlib.sha256((folder / "assessments" / name).read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(m))


def _edit(folder: Path, fn) -> None:
    path = next(p for p in sorted((folder / "assessments").iterdir()) if json.loads(p.read_text())["respondents"])
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    _rehash(folder, path.name)


def _first_file(folder: Path) -> Path:
    return sorted((folder / "assessments").iterdir())[0]


BAD_FOLDERS = {
    "no manifest (an export that stopped)": (lambda f: (f / MANIFEST).unlink(), "did not finish"),
    "manifest not JSON": (lambda f: (f / MANIFEST).write_text("{"), "not valid JSON"),
    "not a backup": (lambda f: (f / MANIFEST).write_text('{"answers": {}}'), "not a readiness backup"),
    "newer format": (lambda f: (f / MANIFEST).write_text(json.dumps(
        {**json.loads((f / MANIFEST).read_text()), "format_version": 99})), "newer than this code"),
    "a file missing": (lambda f: _first_file(f).unlink(), "missing"),
    "a file cut short": (lambda f: _first_file(f).write_bytes(_first_file(f).read_bytes()[:200]),
                         "checksum differs"),
    "a file not in the manifest": (lambda f: shutil.copy(_first_file(f), f / "assessments" / "stray.json"),
                                   "not in the manifest"),
    "counts differ": (lambda f: _edit(f, lambda d: d["audit"].pop()), "row counts"),
    "a naive timestamp": (lambda f: _edit(f, lambda d: d["respondents"][0].update(created_at="2027-01-01T10:00:00")),
                          "timezone"),
    "an answer of no respondent": (lambda f: _edit(f, lambda d: d["answers"][0].update(respondent_id=999)),
                                   "respondents the file does not hold"),
    "a value no answer can hold": (lambda f: _edit(f, lambda d: d["answers"][0].update(value={"a": 1})),
                                   "answers.0.value"),
    "an id that is a path": (lambda f: _edit(f, lambda d: d["assessment"].update(id="../../evil")),
                             "assessment.id"),
}


@pytest.mark.parametrize("case", list(BAD_FOLDERS))
def test_a_bad_or_partial_backup_is_refused_whole(case: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    _workshop(source)
    folder = tmp_path / "backup"
    export_all(source, folder)
    spoil, message = BAD_FOLDERS[case]
    spoil(folder)
    target = storage.open_repository(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(BackupError) as caught:
        import_all(target, folder)
    assert message in str(caught.value), str(caught.value)
    with target.engine.connect() as conn:  # nothing at all was written
        assert all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
                   for t in schema.metadata.sorted_tables if t is not schema.schema_version)


def test_import_refuses_ids_the_target_holds_and_changes_nothing(db_url: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    _workshop(source)
    export_all(source, tmp_path / "backup")
    target = storage.open_repository(db_url)
    aid, _ = _new(target)  # respondent id 1 and its audit ids are taken
    target.save_answer(aid, 1, ITEM, Answer(value="yes"))
    before = _snapshot(target, aid)
    with pytest.raises(BackupError, match="already holds respondent ids"):
        import_all(target, tmp_path / "backup")
    assert _snapshot(target, aid) == before


def test_an_import_stopped_at_its_last_step_leaves_the_target_empty(tmp_path: Path, monkeypatch):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    _workshop(source)
    export_all(source, tmp_path / "backup")
    target = storage.open_repository(f"sqlite:///{tmp_path / 'target.db'}")
    from storage import backup

    def boom(conn, table):
        raise RuntimeError("power cut after every row was inserted")
    monkeypatch.setattr(backup, "_advance_sequence", boom)
    with pytest.raises(RuntimeError, match="power cut"):
        import_all(target, tmp_path / "backup")
    monkeypatch.undo()
    with target.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.audit)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.assessments)).scalar() == 0
    assert import_all(target, tmp_path / "backup").assessments == 3  # the same folder then imports


def test_an_export_stopped_half_way_cannot_be_imported(tmp_path: Path, monkeypatch):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    _workshop(source)
    from storage import backup

    real, written = backup._write_atomic, []

    def second_fails(path, data):
        written.append(path)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real(path, data)
    monkeypatch.setattr(backup, "_write_atomic", second_fails)
    with pytest.raises(OSError):
        export_all(source, tmp_path / "cut")
    monkeypatch.undo()
    assert not (tmp_path / "cut" / MANIFEST).exists()
    with pytest.raises(BackupError, match="did not finish"):
        import_all(storage.open_repository(f"sqlite:///{tmp_path / 'target.db'}"), tmp_path / "cut")
    with pytest.raises(BackupError, match="not an empty folder"):
        export_all(source, tmp_path / "cut")  # and a second export never mixes into it


def test_every_table_of_an_assessment_is_in_the_backup():
    from storage import backup

    # a new table must be added to the backup (and to _workshop, so the round trips cover it)
    per_assessment = {t.name for t in schema.metadata.sorted_tables if "assessment_id" in t.c}
    assert per_assessment == set(backup.TABLES)
    assert {t.name for t in schema.metadata.sorted_tables} == {*backup.TABLES, "assessments", "schema_version"}


def test_backup_errors_are_storage_errors():
    assert issubclass(BackupError, storage.StorageError)  # the doors (app, CLI) already handle those


# -- faults no retry fixes: each gets its own true message, and the log names the cause ----------
# Tests run as root, and root writes through chmod: a read-only database is opened through a
# read-only SQLite URI (`?mode=ro`), as a database on a read-only mount or a copy without write
# permission would be; a full disk is SQLite's page limit (PRAGMA max_page_count) on the app's own
# engine, which fails with the same SQLITE_FULL as a full disk.

CORRUPT = ("The database file is damaged and cannot be read or written reliably. This will not fix itself: "
           "tell your administrator (it needs restoring from the latest backup). Until then, no new answers "
           "can be saved.")
READ_ONLY = "The database is read-only: your answers are NOT being saved. Tell your administrator."
FULL = ("The database's disk is full: your answers are NOT being saved. Tell your administrator to free "
        "some space.")
UNAVAILABLE = ("The database cannot be reached right now. Everything saved before is kept; this page works "
               "again once it is back.")


def _fresh_app_process() -> None:
    """As after a restart of the app: no cached engine or repository."""
    from ui import common

    common._repository.clear()
    storage.dispose_engines()


def _seeded(path: Path) -> str:
    repo = storage.open_repository(f"sqlite:///{path}")
    aid, rid = _new(repo)
    repo.save_answer(aid, rid, ITEM, Answer(value="yes", note="保存好的"))
    _fresh_app_process()
    return aid


def _logged(caplog, logger: str, *needles: str) -> bool:
    return any(r.name == logger and all(n in r.getMessage() for n in needles) for r in caplog.records)


def test_a_corrupt_database_file_says_so_and_never_that_data_is_safe(app_env, caplog):
    db = app_env / "app.db"
    aid = _seeded(db)
    with db.open("r+b") as f:
        f.write(b"this is no longer a database" * 4)  # the header and the first page are gone
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    at = ok(new_app(lang="en", a=aid, who="Anna").switch_page("ui/results.py").run())
    assert [e.value for e in at.error] == [CORRUPT]
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.info])
    assert "safe" not in shown and "for a moment" not in shown  # must NOT happen: a false comfort
    assert _logged(caplog, "readiness.storage", "file is not a database")
    assert _logged(caplog, "readiness.ui", "db_corrupt", "file is not a database")
    # the same on the home page, in Chinese
    at = ok(new_app(lang="zh", a=aid).run())
    assert any("数据库文件已损坏" in e.value for e in at.error)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # nothing was written over it


def test_a_read_only_database_says_answers_are_not_saved(app_env, monkeypatch, caplog):
    db = app_env / "app.db"
    aid = _seeded(db)
    before = _snapshot(storage.open_repository(f"sqlite:///{db}"), aid)
    _fresh_app_process()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///file:{db}?mode=ro&uri=true")
    at = ok(new_app(lang="en", a=aid).run())  # reading works: the page opens
    at.text_input(key="join_name").input("Bruno")
    ok(next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:join_form")).click().run())
    assert READ_ONLY in [e.value for e in at.error]
    assert not at.warning  # must NOT happen: "kept on this page and saved later"
    assert _logged(caplog, "readiness.storage", "attempt to write a readonly database")
    assert _logged(caplog, "readiness.ui", "db_read_only", "readonly database")
    monkeypatch.delenv("DATABASE_URL")
    _fresh_app_process()
    assert _snapshot(storage.open_repository(f"sqlite:///{db}"), aid) == before


def test_a_full_disk_says_answers_are_not_saved_and_changes_nothing(app_env, caplog):
    db = app_env / "app.db"
    aid = _seeded(db)
    url = f"sqlite:///{db}"
    before = _snapshot(storage.open_repository(url), aid)
    engine = storage.get_engine(url)  # the app's own engine: the database may not grow by one page

    @sa.event.listens_for(engine, "connect")
    def _no_room(dbapi_conn, _record) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    at = ok(new_app(lang="en", a=aid, who="Anna").switch_page("ui/vendors.py").run())
    ok(at.button(key="vendor_start_catalogue").click().run())  # a whole sheet: needs new pages
    assert FULL in [e.value for e in at.error]
    assert _logged(caplog, "readiness.storage", "database or disk is full")
    assert _logged(caplog, "readiness.ui", "db_full", "database or disk is full")
    _fresh_app_process()
    assert _snapshot(storage.open_repository(url), aid) == before


def test_an_unreachable_database_is_temporary_and_the_log_names_why(app_env, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://readiness@127.0.0.1:{free_port()}/readiness")
    _fresh_app_process()
    at = ok(new_app(lang="en", a="x" * 32).run())
    assert [e.value for e in at.error] == [UNAVAILABLE]
    assert _logged(caplog, "readiness.ui", "db_unavailable", "Connection refused")


@pytest.mark.parametrize("name,why", [
    ("__final__", "names starting with “__” are reserved for the app"),
    ("x" * 101, "it has 101 characters and at most 100 are allowed"),
])
def test_a_bad_name_in_the_link_says_what_is_wrong_with_it(app_env, caplog, name, why):
    at = new_app(lang="en")
    aid = create(at)
    at = ok(new_app(lang="en", a=aid, who=name).switch_page("ui/transfer.py").run())
    (message,) = [e.value for e in at.error]
    assert not [u for u in at.get("file_uploader")]  # no import under a name that cannot be one
    assert why in message and "cannot be used" in message
    assert _logged(caplog, "readiness.ui", "name in the link refused")
    # the questionnaire, where such a link usually leads, says the same instead of a generic error
    at = ok(new_app(lang="en", a=aid, who=name).switch_page("ui/phases/strategy.py").run())
    assert [e.value for e in at.error] == [message]
    assert [r.name for r in storage.open_repository().list_respondents(aid)] == ["Ann"]  # nobody joined


class _PgError(Exception):
    """A stand-in for a psycopg error: only its SQLSTATE matters to the classification."""

    def __init__(self, sqlstate: str):
        self.sqlstate = sqlstate
        super().__init__(f"SQLSTATE {sqlstate}")


@pytest.mark.parametrize("error,kind", [
    (sqlite3.DatabaseError("file is not a database"), storage.StorageCorrupt),
    (sqlite3.DatabaseError("database disk image is malformed"), storage.StorageCorrupt),
    (sqlite3.OperationalError("attempt to write a readonly database"), storage.StorageReadOnly),
    (sqlite3.OperationalError("database or disk is full"), storage.StorageFull),
    (_PgError("25006"), storage.StorageReadOnly),  # read_only_sql_transaction (a standby)
    (_PgError("53100"), storage.StorageFull),  # disk_full
    (_PgError("XX001"), storage.StorageCorrupt),  # data_corrupted
    (sqlite3.OperationalError("database is locked"), None),  # temporary: retried, then "unavailable"
    (_PgError("55P03"), None),  # lock_not_available: temporary too
])
def test_database_errors_are_classified_once(error, kind):
    fault = storage.classify_fault(error)
    assert (type(fault) if fault else None) is kind
    if fault is not None:
        assert fault.cause is error and str(error) in str(fault)
        assert not isinstance(fault, storage.StorageUnavailable)  # never "for a moment"
