"""Engines: PostgreSQL from DATABASE_URL, else an embedded SQLite file; one cached engine per URL.

SQLite runs in WAL mode (readers never wait for the writer) with synchronous=FULL (a committed
answer survives a crash of the machine, not only of the app), a busy timeout, and foreign keys on.
The driver's own transaction handling is switched off and we emit BEGIN ourselves, so a write
transaction starts with BEGIN IMMEDIATE: it waits for the write lock up front instead of failing
half-way when it upgrades from reading to writing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

import settings

from .errors import StorageUnavailable
from .faults import install as install_fault_names
from .migrations import migrate

DATABASE_URL_ENV = settings.DATABASE_URL_ENV
DB_PATH_ENV = settings.DB_PATH_ENV
DEFAULT_DB_PATH = Path("data") / "readiness.db"
# How long one statement waits for a lock (SQLite busy_timeout, PostgreSQL lock_timeout) before
# the repository's bounded retries take over.
DEFAULT_BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5

_engines: dict[tuple[str, int], Engine] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    """DATABASE_URL when set (postgres:// and postgresql:// are given the psycopg driver), else SQLite."""
    url = settings.database_url()
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    path = Path(settings.db_path() or DEFAULT_DB_PATH).expanduser().resolve()
    return f"sqlite:///{path}"


def _switch_to_wal(cur: sqlite3.Cursor, busy_timeout_ms: int) -> None:
    """WAL is stored in the file: switch only once. Switching needs a moment alone with the file and
    SQLite answers "locked" at once (no busy wait) while another connection is in a transaction, as
    when several processes start on a new file together: wait for that moment, or for one of them to
    have switched it, as long as any other lock is waited for."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cur.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class WriterTurns:
    """Writers of one SQLite file take turns through a lock on a file beside it (`flock`), so a
    writer waiting for the database learns the moment it is free instead of sleeping in SQLite's
    busy handler (it sleeps up to 100 ms a time and lets later writers overtake, so under a full room
    a few saves waited for seconds). Bounded like every other lock wait: after the busy timeout the
    write fails as "database is locked" and the repository's retries and the page's queue take over.
    One open file per thread and process (flock excludes open files, not processes)."""

    def __init__(self, path: str, timeout_ms: int):
        self.path = path
        self.timeout = timeout_ms / 1000
        self._local = threading.local()

    def _fd(self) -> int | None:
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:  # a forked child must not share its parent's file
            try:
                self._local.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:  # a read-only folder: no turns, SQLite's own locking (and its fault) decide
                self._local.fd = None
            self._local.pid = pid
        return self._local.fd

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        fd = self._fd()
        if fd is None:
            yield
            return
        deadline = time.monotonic() + self.timeout
        pause = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise sqlite3.OperationalError("database is locked (waiting for another writer)") from e
                time.sleep(pause)
                pause = min(pause * 2, 0.004)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def writer_turns(engine: Engine) -> WriterTurns | None:
    """The SQLite engine's writer turns (None for PostgreSQL, whose row locks queue writers)."""
    return getattr(engine, "_readiness_writer_turns", None)


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.url.database:
        engine._readiness_writer_turns = WriterTurns(  # type: ignore[attr-defined]
            str(Path(engine.url.database).expanduser()) + ".writers", busy_timeout_ms)
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _switch_to_wal(cur, busy_timeout_ms)
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        write = conn.get_execution_options().get("readiness_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgres_setup(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # without it a stuck lock would hang a page forever instead of reaching StorageUnavailable
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
        dbapi_conn.commit()


def new_engine(url: str | None = None, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
               upgrade: bool = True) -> Engine:
    """A fresh engine (not cached), its schema migrated to the latest version unless upgrade=False."""
    url = url or database_url()
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("SQLite needs a file: every connection of an in-memory database is a new, empty one")
        if not parsed.database.startswith("file:"):  # a URI names an existing file and its open mode
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed)
        _sqlite_setup(engine, busy_timeout_ms)
    elif backend == "postgresql":
        # pre-ping replaces connections a database restart has closed, so the next save just works
        # libpq waits without limit on a server that accepts but never answers; bound it
        connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_S}
        engine = sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
        _postgres_setup(engine, busy_timeout_ms)
    else:
        raise ValueError(f"unsupported database {backend!r}; use postgresql+psycopg://… or sqlite:///path")
    install_fault_names(engine)  # a damaged, read-only or full database is named, not retried
    if upgrade:
        try:
            migrate(engine)
        except (sa.exc.OperationalError, sa.exc.TimeoutError) as e:
            engine.dispose()
            raise StorageUnavailable(f"the database cannot be reached: {getattr(e, 'orig', e)}", 1) from e
        except Exception:
            engine.dispose()
            raise
    return engine


def get_engine(url: str | None = None, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """The process-wide engine for a URL (created and migrated on first use)."""
    url = url or database_url()
    key = (url, busy_timeout_ms)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = new_engine(url, busy_timeout_ms=busy_timeout_ms)
        return engine


def dispose_engines(url: str | None = None) -> None:
    """Close and forget cached engines (all, or those of one URL): tests, and shutdown."""
    with _engines_lock:
        for key in [k for k in _engines if url is None or k[0] == url]:
            _engines.pop(key).dispose()
