"""What several test files share: driving the app with AppTest, and the rule for parts CI must have."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini.yaml"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM = "/usr/bin/chromium"
# as the probe of this machine runs it: no sandbox as root, and no background traffic off the box
BROWSER_WAIT_MS = 30_000  # how long a browser test waits for the page (a busy machine is slow, never wrong)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need(ok: bool, reason: str) -> None:
    """Skip locally with a reason; in CI a missing part is a failure."""
    if not ok:
        if IN_CI:
            pytest.fail(f"CI must provide this: {reason}")
        pytest.skip(reason)


def need_browser() -> None:
    need(Path(CHROMIUM).exists(), "Debian chromium is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        need(False, "playwright (the Python package) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_app(**params: str) -> AppTest:
    """The real app, as a browser opening a URL with these query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def field(widgets, key: str):
    """The questionnaire widget `kind::item_id` on the page; its full key also carries a generation and
    the language, which change when the stored answer changed elsewhere or the language switched."""
    found = [w for w in widgets if (w.key or "").startswith(key + "::")]
    assert len(found) == 1, f"{key}: {[w.key for w in found]}"
    return found[0]


def open_details(at: AppTest, item_id: str) -> AppTest:
    """Open an item's "guidance and evidence" box, as a click on it does: its note and basis widgets
    exist only while it is open."""
    at.session_state[f"x::{item_id}::{link(at)['a'][:8]}"] = True
    return ok(at.run())


def link(at: AppTest) -> dict[str, str]:
    """The URL's query parameters this session is at: a person's own link (a refresh opens it again)."""
    return {k: at.query_params[k] if isinstance(at.query_params[k], str) else at.query_params[k][0]
            for k in at.query_params}


def create(at: AppTest, org: str = "示例公司", facilitator: str = "Ann", template: str = "mini",
           project: str = "CRM 2027") -> str:
    """Fill in and submit the home page's new-assessment form; returns the new assessment's id."""
    ok(at.run())
    at.selectbox(key="new_template").set_value(template)
    at.text_input(key="new_org").input(org)
    at.text_input(key="new_project").input(project)
    at.text_input(key="new_facilitator").input(facilitator)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:create_form")).click()
    ok(at.run())
    return at.query_params["a"]


def join(at: AppTest, name: str, role: str = "") -> AppTest:
    """Fill in and submit the home page's join form, as a person with the assessment link does."""
    ok(at.run())
    at.text_input(key="join_name").input(name)
    if role:
        at.text_input(key="join_role").input(role)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:join_form")).click()
    return ok(at.run())


def start_streamlit(tmp_path: Path, env: dict[str, str], name: str = "app",
                    port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free loopback port, serving the small test template; waits until
    it answers its health check. Returns the process and its base URL."""
    custom = tmp_path / "templates"
    custom.mkdir(exist_ok=True)
    shutil.copy(MINI, custom / "mini.yaml")
    port = port or free_port()
    full_env = {**os.environ, "READINESS_TEMPLATES_DIR": str(custom), **env}
    log = tmp_path / f"{name}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=full_env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"{url} did not start within 60 s:\n{log.read_text(errors='replace')}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


class RestartingServer:
    """`streamlit run app.py` on its own SQLite file, with one assessment of the small template that Ann
    has joined; `restart()` stops the server and starts a new process on the same port, as a deploy or a
    crash does while browser tabs stay open."""

    def __init__(self, tmp_path: Path):
        import storage
        from checklists import load_template

        self.tmp_path = tmp_path
        self.db = tmp_path / "restart.db"
        self.env = {"READINESS_DB_PATH": str(self.db), "DATABASE_URL": ""}
        self.proc, self.url = start_streamlit(tmp_path, self.env)
        self.repo = storage.open_repository(f"sqlite:///{self.db}")
        self.aid = self.repo.create_assessment(load_template(MINI), "Example Co", "CRM", "en", "Ann")
        me = self.repo.join_as(self.aid, "Ann")
        self.strategy_page = f"{self.url}/strategy?lang=en&a={self.aid}&who=Ann&t={me.token}"

    def restart(self) -> None:
        stop(self.proc)
        self.proc, _ = start_streamlit(self.tmp_path, self.env, name="app2", port=int(self.url.rsplit(":", 1)[1]))

    def answers_once_stored(self, item_id: str, seconds: float = 60) -> dict:
        """Ann's answers as soon as one for `item_id` is stored (or as they are after `seconds`)."""
        deadline = time.monotonic() + seconds
        while item_id not in self.repo.load_answers(self.aid).get("Ann", {}) and time.monotonic() < deadline:
            time.sleep(0.3)
        return self.repo.load_answers(self.aid).get("Ann", {})

    def close(self) -> None:
        import storage

        stop(self.proc)
        storage.dispose_engines(f"sqlite:///{self.db}")


@contextmanager
def app_in_chromium(tmp: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, Path, Any]]:
    """The app served from `tmp` on its own SQLite file, and a headless chromium to open it with:
    yields the app's URL, the database file and the browser; stops both afterwards."""
    import storage

    need_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_WAIT_MS)
    db = tmp / "app.db"
    proc, url = start_streamlit(tmp, {"READINESS_DB_PATH": str(db), "DATABASE_URL": "", **(env or {})})
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield url, db, browser
            finally:
                browser.close()
    finally:
        stop(proc)
        storage.dispose_engines(f"sqlite:///{db}")
