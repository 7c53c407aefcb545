"""Which database errors are faults no retry can fix, and what they are called.

A locked or unreachable database is temporary: the repository retries and then raises
`StorageUnavailable`. A damaged file, a read-only database or a full disk stays so until an
administrator acts; retrying only hides it behind "unavailable for a moment". `install` hooks
`classify` into an engine (SQLAlchemy's handle_error event), so every statement and every connect
raises the named error at once — `StorageCorrupt`, `StorageReadOnly` or `StorageFull` — and the
log "readiness.storage" names the database's own error. The failed transaction is rolled back as
usual: nothing stored is changed.
"""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .errors import StorageCorrupt, StorageFault, StorageFull, StorageReadOnly

log = logging.getLogger("readiness.storage")

# SQLite primary result codes (the low byte of an extended code)
SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 8, 11, 13, 26
# PostgreSQL SQLSTATEs
PG_READ_ONLY_TRANSACTION = "25006"
PG_DISK_FULL = "53100"
PG_CORRUPT = ("XX001", "XX002")  # data_corrupted, index_corrupted

_MESSAGES: tuple[tuple[str, type[StorageFault]], ...] = (
    ("file is not a database", StorageCorrupt),
    ("database disk image is malformed", StorageCorrupt),
    ("malformed database schema", StorageCorrupt),
    ("attempt to write a readonly database", StorageReadOnly),
    ("readonly database", StorageReadOnly),
    ("database or disk is full", StorageFull),
    ("read-only transaction", StorageReadOnly),
    ("no space left on device", StorageFull),
)
_WHAT = {
    StorageCorrupt: "the database file is damaged or not a database",
    StorageReadOnly: "the database is read-only: nothing can be saved",
    StorageFull: "the database's disk is full: nothing can be saved",
}


def _kind(error: BaseException) -> type[StorageFault] | None:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.Error) and code is not None:
        primary = code & 0xFF
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return StorageCorrupt
        if primary == SQLITE_READONLY:
            return StorageReadOnly
        if primary == SQLITE_FULL:
            return StorageFull
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if state == PG_READ_ONLY_TRANSACTION:
        return StorageReadOnly
    if state == PG_DISK_FULL:
        return StorageFull
    if state in PG_CORRUPT:
        return StorageCorrupt
    text = str(error).lower()
    return next((kind for needle, kind in _MESSAGES if needle in text), None)


def classify(error: BaseException) -> StorageFault | None:
    """The named fault for a database driver's error, or None when it is not one (a lock, a lost
    connection, a constraint: those keep their own handling)."""
    orig = getattr(error, "orig", None) or error
    kind = _kind(orig)
    if kind is None:
        return None
    return kind(f"{_WHAT[kind]} ({type(orig).__name__}: {orig})", orig)


def install(engine: Engine) -> None:
    """Raise the named fault instead of the driver's error, on every statement and connect."""

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx) -> None:
        fault = classify(ctx.original_exception)
        if fault is not None:
            log.error("%s on %s", fault, engine.url.render_as_string(hide_password=True))
            raise fault from ctx.original_exception
