"""Several app instances, one PostgreSQL (docs/deploying.md): two `streamlit run app.py` on different
loopback ports share DATABASE_URL; both migrate the empty database at start-up at the same moment, and
an answer given in a real chromium through one instance is seen through the other, both ways.
Needs TEST_DATABASE_URL, Debian chromium and playwright: skipped locally without them, failed in CI."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import fresh_pg_schema
from support import CHROMIUM, CHROMIUM_ARGS, need_browser, start_streamlit, stop

import storage
from storage.migrations import STEPS

QUESTION = "Are the business goals defined?"

pytestmark = [pytest.mark.postgres, pytest.mark.browser]


@pytest.fixture
def shared_db(pg_admin: sa.Engine) -> Iterator[str]:
    """An empty PostgreSQL schema that every instance reaches through DATABASE_URL."""
    with fresh_pg_schema(pg_admin, connect_timeout="5") as url:
        yield url


@pytest.fixture
def instances(tmp_path: Path, shared_db: str) -> Iterator[list[str]]:
    need_browser()
    # every instance serves the same templates (docs/deploying.md) and shares one database
    started = []
    try:
        for n in (1, 2):
            started.append(start_streamlit(tmp_path, {"DATABASE_URL": shared_db}, f"instance{n}"))
        yield [url for _, url in started]
    finally:
        for proc, _ in started:
            stop(proc)


def test_an_answer_saved_through_one_instance_is_seen_through_the_other(instances, shared_db):
    from playwright.sync_api import expect, sync_playwright

    one, two = instances
    expect.set_options(timeout=30_000)  # the first page of each instance loads the templates and migrates
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # two people, two browser contexts (no shared cookies), each served by its own instance
        ann = browser.new_context().new_page()
        bob = browser.new_context().new_page()
        for page in (ann, bob):
            page.set_default_timeout(30_000)

        # both instances meet the empty database at the same moment: each migrates it on its first
        # database access (here: looking up a link; goto returns before the page's script runs), and
        # the advisory lock lets one apply the steps and the other find them done
        for page, url in ((ann, one), (bob, two)):
            page.goto(f"{url}/?lang=en&a={'x' * 32}", wait_until="commit")
        for page in (ann, bob):
            expect(page.get_by_text("No assessment with this link").first).to_be_visible()
        with sa.create_engine(shared_db).connect() as conn:
            versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        assert versions == [s.version for s in STEPS]  # each step applied exactly once

        # Ann creates the assessment and answers through instance one
        ann.goto(f"{one}/?lang=en")
        ann.get_by_label("Checklist template").click()
        ann.get_by_role("option", name="Mini readiness checklist").click()
        ann.get_by_label("Organisation").fill("Example Co 示例")
        ann.get_by_label("Facilitator").fill("Ann")
        ann.get_by_role("button", name="Create assessment").click()
        expect(ann.get_by_text("Answering as: Ann").first).to_be_visible()
        aid = ann.url.split("a=")[1].split("&")[0]
        ann.get_by_role("link", name="Strategy", exact=True).click()
        ann.get_by_role("radiogroup", name=QUESTION).get_by_text("Yes", exact=True).click()
        expect(ann.get_by_text("Overall progress: 1/")).to_be_visible()

        # Bob opens the same link on instance two, sees Ann's answer in the results, and joins
        bob.goto(f"{two}/results?lang=en&a={aid}")
        expect(bob.get_by_test_id("stMetricValue").first).to_have_text("100")
        ann_link = ann.url.split("?", 1)[1]  # Ann's own link: her name and her token
        bob.goto(f"{two}/strategy?{ann_link}")  # Ann's own view, served by instance two
        expect(bob.get_by_role("radiogroup", name=QUESTION).get_by_role("radio", name="Yes", exact=True)).to_be_checked()

        # a change through instance two is what instance one shows after a reload
        bob.get_by_role("radiogroup", name=QUESTION).get_by_text("No", exact=True).click()
        expect(bob.get_by_text("Overall progress: 1/")).to_be_visible()
        engine = storage.new_engine(shared_db, upgrade=False)
        try:
            deadline = time.monotonic() + 20
            while storage.Repository(engine).load_answers(aid)["Ann"]["strategy.goals.defined"].value != "no":
                assert time.monotonic() < deadline, "the change through instance two was not stored"
                time.sleep(0.2)
        finally:
            engine.dispose()
        ann.reload()
        expect(ann.get_by_role("radiogroup", name=QUESTION).get_by_role("radio", name="No", exact=True)).to_be_checked()
        browser.close()
