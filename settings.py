"""Every setting the app reads from its surroundings, in one place: environment variables and the one
Streamlit secret. The rest of the code asks these functions and never reads the environment itself
(tests/test_architecture.py checks that).

| name                        | what                                                                 |
|-----------------------------|----------------------------------------------------------------------|
| DATABASE_URL                | the database (postgres://, postgresql://, sqlite:///…); default SQLite |
| READINESS_DB_PATH           | the SQLite file when DATABASE_URL is not set (default data/readiness.db) |
| READINESS_BUSY_TIMEOUT_MS   | how long one statement waits for a lock before the retries take over  |
| READINESS_ADMIN_PASSWORD    | the admin password (or `admin_password` in .streamlit/secrets.toml)   |
| READINESS_TEMPLATES_DIR     | the folder of the users' own templates (default checklists/custom)    |
| READINESS_PDF_FONT          | the TrueType font the PDF report embeds                               |
| READINESS_PUBLIC_URL        | the address participants open (e.g. http://192.168.1.20:8501)        |

Standard library only: every package, the core included, may ask it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DATABASE_URL_ENV = "DATABASE_URL"
DB_PATH_ENV = "READINESS_DB_PATH"
BUSY_TIMEOUT_ENV = "READINESS_BUSY_TIMEOUT_MS"
ADMIN_PASSWORD_ENV = "READINESS_ADMIN_PASSWORD"
ADMIN_PASSWORD_SECRET = "admin_password"
TEMPLATES_DIR_ENV = "READINESS_TEMPLATES_DIR"
PDF_FONT_ENV = "READINESS_PDF_FONT"
PUBLIC_URL_ENV = "READINESS_PUBLIC_URL"


def _env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A variable's value without surrounding blanks; None when unset or blank."""
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or None


def database_url() -> str | None:
    return _env(DATABASE_URL_ENV)


def db_path() -> str | None:
    return os.environ.get(DB_PATH_ENV) or None


def busy_timeout_ms() -> int | None:
    """Milliseconds, when set to a whole number; None otherwise (the storage default applies)."""
    value = _env(BUSY_TIMEOUT_ENV)
    return int(value) if value and value.isdigit() else None


def admin_password(*, secrets: bool = True) -> str | None:
    """From the environment, else (with `secrets`) Streamlit's secrets; never from the database."""
    value = os.environ.get(ADMIN_PASSWORD_ENV)  # a password is taken as typed, blanks included
    if value or not secrets:
        return value or None
    try:
        import streamlit as st  # only the app has secrets; imported here so the core never needs it

        return st.secrets.get(ADMIN_PASSWORD_SECRET)  # type: ignore[no-any-return]
    except Exception:
        return None


def templates_dir() -> str | None:
    return os.environ.get(TEMPLATES_DIR_ENV) or None


def pdf_font() -> str | None:
    return _env(PDF_FONT_ENV)


def public_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The configured address participants open, without a trailing slash."""
    value = _env(PUBLIC_URL_ENV, environ)
    return value.rstrip("/") or None if value else None
