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


class NameTaken(StorageError):
    """Someone already joined under this name, and the link does not hold their token."""
