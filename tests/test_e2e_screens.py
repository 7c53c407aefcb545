"""Screens in a real headless chromium: the first click on a sidebar link right after typing an
answer, and an item's note marker after a reload (F5)."""

from __future__ import annotations

import pytest
from support import app_in_chromium
from test_e2e_questionnaire import WAIT_MS, App, details, item, ready

from scoring import Answer

pytestmark = pytest.mark.browser
Q_NOTES = "Team notes"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e_screens")
    with app_in_chromium(tmp) as (url, db, browser):
        yield App(tmp, url, db, browser)


def test_the_first_sidebar_click_after_typing_a_text_answer_opens_the_page(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    page = app.tab()
    page.goto(app.link(aid, "Ann", page="team"))
    ready(page)
    box = item(page, Q_NOTES)
    box.get_by_role("textbox", name=Q_NOTES).click()
    page.keyboard.type("销售与市场需要共同的线索定义")
    # no blur, no Ctrl+Enter, no pause: straight to the sidebar
    page.get_by_test_id("stSidebar").get_by_role("link", name="Vendor", exact=True).click()
    page.wait_for_url("**/vendor?*", timeout=WAIT_MS)
    ready(page)
    expect(page.get_by_role("heading", name="Vendor").first).to_be_visible()
    # and what was typed is stored (must NOT: the click swallowed or the text lost)
    app.wait_stored(aid, "Ann", {"team.roles.notes": Answer(value="销售与市场需要共同的线索定义")})
    page.context.close()


def test_after_a_reload_an_item_shows_that_it_has_a_note(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    page = app.tab()
    page.goto(app.link(aid, "Ann"))
    ready(page)
    q_goals, q_maturity = "Are the business goals defined?", "How mature is goal management?"
    expect(item(page, q_goals).get_by_text("✎ note")).to_have_count(0)  # must NOT: a marker without a note
    box = details(page, q_goals)
    box.get_by_label("Note").fill("目标已写入年度计划")
    box.get_by_label("Note").press("Enter")
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(note="目标已写入年度计划")})
    page.reload()
    ready(page)
    # folded away under the guidance, the note is still announced beside its question (and numbered)
    expect(item(page, q_goals).get_by_text("✎ note")).to_be_visible()
    expect(item(page, q_goals).get_by_text("1.1", exact=True)).to_be_visible()
    expect(item(page, q_maturity).get_by_text("✎ note")).to_have_count(0)
    page.context.close()


def test_sidebar_titles_wrap_instead_of_being_cut(app):
    from playwright.sync_api import expect

    aid = app.assessment(template="sales_funnel")
    page = app.tab()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app.link(aid, "Ann", page="strategy"))
    page.wait_for_timeout(150)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    side = page.get_by_test_id("stSidebar")
    longest = side.get_by_role("link", name="Tool selection and implementation planning", exact=True)
    expect(longest).to_be_visible()
    # every link's title is laid out whole: nothing overflows its box (must NOT: cut with "…")
    cut = side.get_by_test_id("stPageLink-NavLink").evaluate_all(
        "links => links.filter(a => [...a.querySelectorAll('p, span, div')].some("
        "e => e.scrollWidth - e.clientWidth > 1)).map(a => a.textContent)")
    assert cut == []
    box = longest.bounding_box()
    assert box is not None and box["height"] > 0
    page.context.close()
