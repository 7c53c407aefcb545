"""End to end in a real headless chromium: `streamlit run app.py` on a free loopback port, create an
assessment, answer, reload the page, the answer is still there, open the results."""

from __future__ import annotations

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, need_browser, start_streamlit, stop

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    need_browser()
    proc, url = start_streamlit(tmp_path, {"READINESS_DB_PATH": str(tmp_path / "e2e.db"), "DATABASE_URL": ""})
    yield url
    stop(proc)


def test_create_answer_reload_and_see_results(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{server}/?lang=en")
        page.get_by_label("Checklist template").click()
        page.get_by_role("option", name="Mini readiness checklist").click()
        page.get_by_label("Organisation").fill("Example Co 示例")
        page.get_by_label("Facilitator").fill("Ann")
        page.get_by_role("button", name="Create assessment").click()
        expect(page.get_by_text("Answering as: Ann").first).to_be_visible()
        assert "a=" in page.url

        page.get_by_role("link", name="Strategy", exact=True).click()
        expect(page.get_by_text("Are the business goals defined?").first).to_be_visible()
        question = page.get_by_role("radiogroup", name="Are the business goals defined?")
        question.get_by_text("Yes", exact=True).click()
        expect(page.get_by_text("Overall progress: 1/")).to_be_visible()

        page.reload()
        expect(page.get_by_text("Are the business goals defined?").first).to_be_visible()
        question = page.get_by_role("radiogroup", name="Are the business goals defined?")
        expect(question.get_by_role("radio", name="Yes")).to_be_checked()

        page.get_by_role("link", name="Results", exact=True).click()
        expect(page.get_by_text("Overall score")).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("100")
        page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
        browser.close()
