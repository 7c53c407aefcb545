"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when given) and the app's environment."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.pool import NullPool

import storage

PG_URL_ENV = "TEST_DATABASE_URL"

# One Hypothesis profile for every run, on a laptop and in CI alike: the same examples each time
# (derandomize), nothing remembered between runs (database=None), a failure printed with the blob that
# reproduces it, and no per-example deadline (a shared machine's timings are noise: speed is measured in
# bench/, never in a test's pass or fail).
settings.register_profile("readiness", derandomize=True, database=None, print_blob=True, deadline=None)
settings.load_profile("readiness")


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_URL_ENV, "").strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url or None


@pytest.fixture(scope="session", autouse=True)
def _browser_waits() -> None:
    """Playwright's `expect` waits 5 s by default: too short for a busy 2-core machine. Every browser
    test waits as long as a page may take there (a wait, never a pass/fail timing)."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sa.Engine]:
    """An engine on TEST_DATABASE_URL; skips locally without it, fails in CI (CI=true)."""
    base = _pg_base_url()
    if base is None:
        reason = f"{PG_URL_ENV} is not set: no PostgreSQL server to run the PostgreSQL cases against"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must start one and set {PG_URL_ENV}")
        pytest.skip(reason)
    engine = sa.create_engine(base, poolclass=NullPool)
    yield engine
    engine.dispose()


@contextlib.contextmanager
def fresh_pg_schema(admin: sa.Engine, **query: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty PostgreSQL schema (dropped afterwards)."""
    schema = f"test_{uuid.uuid4().hex[:20]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    # every connection of this URL sees only this schema (and creates its tables there)
    url = (sa.make_url(admin.url).update_query_dict({"options": f"-csearch_path={schema}", **query})
           .render_as_string(hide_password=False))
    try:
        yield url
    finally:
        storage.dispose_engines(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema per test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'readiness.db'}"
        yield url
        storage.dispose_engines(url)
        return
    with fresh_pg_schema(request.getfixturevalue("pg_admin")) as url:
        yield url


@pytest.fixture
def repo(db_url: str) -> storage.Repository:
    """A repository on the test's database, schema migrated to the latest version."""
    return storage.open_repository(db_url)


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app on a fresh SQLite file, with the small test template in the custom-template folder."""
    from support import MINI, ROOT

    custom = tmp_path / "templates"
    custom.mkdir()
    shutil.copy(MINI, custom / "mini.yaml")
    monkeypatch.setenv("READINESS_TEMPLATES_DIR", str(custom))
    monkeypatch.setenv("READINESS_DB_PATH", str(tmp_path / "app.db"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv(storage.ADMIN_PASSWORD_ENV, raising=False)
    monkeypatch.chdir(ROOT)
    from ui import common

    # cached per process: the template folder and the database differ per test
    common.templates.clear()
    common._repository.clear()
    from ui import lockout

    lockout.ADMIN.reset()  # wrong admin guesses are counted per process: each test starts with none
    yield tmp_path
    common._repository.clear()
    storage.dispose_engines()


_MAIN = __import__("sys").modules["__main__"]


@pytest.fixture(autouse=True)
def _main_module_restored() -> Iterator[None]:
    """AppTest runs app.py as `__main__`; a process started with spawn re-runs the parent's `__main__`,
    so after an AppTest it would start by running the app and die. Put pytest's own back after each test."""
    import sys

    yield
    sys.modules["__main__"] = _MAIN
