"""What a person is told when the database fails, and what the log keeps: one true message per fault.

- locked or unreachable (`StorageUnavailable`): temporary, nothing saved is lost;
- damaged file (`StorageCorrupt`): not temporary, an administrator must restore it; no claim that
  data is safe;
- read-only or full (`StorageReadOnly`, `StorageFull`): answers are NOT being saved;
- a name in the link (`?who=`) the storage refuses: what is wrong with it.

Each message goes with a log line on "readiness.ui" naming the underlying error.
"""

from __future__ import annotations

import logging

import streamlit as st

from scoring import NAME_MAX, normalise_name
from scoring import name_problem as name_rule
from storage import (
    InvalidInput,
    StorageCorrupt,
    StorageError,
    StorageFull,
    StorageReadOnly,
    StorageUnavailable,
)
from ui.i18n import tr
from ui.text import plain

log = logging.getLogger("readiness.ui")

_MESSAGES: tuple[tuple[type[StorageError], str], ...] = (
    (StorageCorrupt, "db_corrupt"),
    (StorageFull, "db_full"),  # before its base class, StorageReadOnly
    (StorageReadOnly, "db_read_only"),
    (StorageUnavailable, "db_unavailable"),
)


def fault_key(error: BaseException) -> str | None:
    """The i18n key of the message for a storage fault, or None when `error` is no storage fault."""
    return next((key for kind, key in _MESSAGES if isinstance(error, kind)), None)


def show_fault(error: BaseException, lang: str, where: str = "page") -> bool:
    """Show the true message for a storage fault and log its cause; False when it is none."""
    key = fault_key(error)
    if key is None:
        return False
    cause = getattr(error, "cause", None) or error.__cause__ or error
    log.error("%s: %s (%s: %s)", where, key, type(cause).__name__, cause)
    st.error(tr(key, lang))
    return True


def name_problem(name: str, error: InvalidInput, lang: str) -> str:
    """The message for a name in the link that the storage refused, saying what is wrong with it."""
    cleaned = normalise_name(name)
    problem = name_rule(cleaned)  # the storage's own rule, so the words match why it refused
    if problem == "too_long":
        why = tr("name_too_long", lang, got=len(cleaned), n=NAME_MAX)
    elif problem is not None:
        why = tr(f"name_{problem}", lang)
    else:
        why = plain(error)
    shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
    return tr("name_invalid", lang, name=plain(shown), why=why)
