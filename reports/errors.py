"""The one error the report layer raises for a problem its caller can fix."""

from __future__ import annotations


class ReportError(Exception):
    """A report cannot be built as asked (a bad logo, an unusable font…); the message says why."""
