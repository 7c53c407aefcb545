"""Named storage errors; each door (app, CLI) turns them into a message for the user."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error the storage layer raises on purpose."""


class StorageUnavailable(StorageError):
    """The database stayed locked or unreachable after bounded retries; nothing was written."""

    def __init__(self, message: str, attempts: int):
        self.attempts = attempts
        super().__init__(message)


class NotFound(StorageError, LookupError):
    """An assessment or respondent id that the database does not hold."""


class InvalidInput(StorageError, ValueError):
    """A value the storage refuses before writing (blank name, unknown phase, reserved name…)."""


class TemplateMismatch(StorageError):
    """An imported answers file belongs to another template than the assessment."""


class AdminAccessDenied(StorageError):
    """The admin password is missing, not configured, or wrong."""


class AnswerConflict(StorageError):
    """The answer changed since the page that sends this change showed it; nothing was written.

    `current` is the stored answer now (a StoredAnswer), so the page can show it and say so.
    """

    def __init__(self, message: str, current: object):
        self.current = current
        super().__init__(message)


class AnswerLocked(AnswerConflict):
    """The item was revealed to the room in this round: its answers there are final (a later round may
    ask it again); nothing was written. `current` is the stored answer, as for AnswerConflict."""


class NameTaken(StorageError):
    """Someone already joined under this name, and the link does not hold their token."""


class StorageFault(StorageError):
    """The database itself is damaged or cannot take writes: no retry helps, an administrator must act.

    `cause` is the database's own error, for the log; the user is told what it means, not its text."""

    def __init__(self, message: str, cause: BaseException | None = None):
        self.cause = cause
        super().__init__(message)


class StorageCorrupt(StorageFault):
    """The database file is not a database or is damaged ("file is not a database", "database disk
    image is malformed"; PostgreSQL data_corrupted / index_corrupted). Nothing can be read or saved
    reliably until it is restored from a backup."""


class StorageReadOnly(StorageFault):
    """The database takes no writes: opened read-only, a read-only file or transaction (PostgreSQL
    read_only_sql_transaction, e.g. a standby). Reading works; nothing new is saved."""


class StorageFull(StorageReadOnly):
    """The disk (or the database's size limit) is full: nothing new is saved until space is freed."""
