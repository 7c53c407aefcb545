"""An answer's click reruns only its item (a fragment): the server restarts between the page loading and
the first click, in a real headless chromium against `streamlit run app.py`.

The new server process has never run the page, so it holds none of its fragments; the browser still
names the item's fragment with the click. What must happen: the answer is stored and shown (and the
page's progress counts it). What must NOT happen: the click dropped without a word (shown on the
screen, never stored), or an answer stored for another item."""

from __future__ import annotations

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, RestartingServer, need_browser
from test_e2e_questionnaire import Q_GOALS, Q_MATURITY, WAIT_MS, checked, ready

from scoring import Answer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("first", ["radio", "note"])
def test_a_page_loaded_before_a_server_restart_stores_its_first_click(tmp_path, first):
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    server = RestartingServer(tmp_path)
    repo, aid = server.repo, server.aid
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(WAIT_MS)
            page.goto(server.strategy_page)
            ready(page)
            if first == "note":  # the item's box is open before the restart: its note is a widget of the fragment
                page.get_by_test_id("stLayoutWrapper").filter(has_text=Q_GOALS).last.get_by_text(
                    "Guidance and evidence").click()
                ready(page)
            assert repo.load_answers(aid).get("Ann", {}) == {}  # nothing clicked before the restart

            server.restart()  # the server goes away, and a new one starts on the same port
            app = page.get_by_test_id("stApp")
            expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
            # the first thing after the reconnect: a click on an item (no page-wide click before it)
            if first == "radio":
                page.get_by_role("radiogroup", name=Q_MATURITY).get_by_text("2 · 2", exact=True).click()
                item_id, expected = "strategy.goals.maturity", Answer(value=2)
            else:
                note = page.get_by_test_id("stLayoutWrapper").filter(has_text=Q_GOALS).last.get_by_label("Note")
                note.fill("写入年度计划")
                note.press("Enter")
                item_id, expected = "strategy.goals.defined", Answer(note="写入年度计划")

            # must happen: stored; must NOT happen: dropped, or stored for another item
            assert server.answers_once_stored(item_id) == {item_id: expected}
            ready(page)
            if first == "radio":  # the progress counts it (drawn by the item's run or the page's)
                expect(page.get_by_text("Overall progress: 1/").first).to_be_visible()
            page.reload()
            ready(page)
            if first == "radio":
                expect(checked(page, Q_MATURITY, "2 · 2")).to_be_checked()
                expect(checked(page, Q_GOALS, "Yes")).not_to_be_checked()
            else:
                expect(page.get_by_test_id("stLayoutWrapper").filter(has_text=Q_GOALS).last
                       .get_by_text("✎ note")).to_be_visible()
            browser.close()
    finally:
        server.close()
