"""The questionnaire as people use it, in a real headless chromium against `streamlit run app.py`:
answer, move between phases and back, hide and show, switch language, edit a note, reload, two tabs,
quick clicks, a server restart, a database that refuses writes, a name clash.

Each path checks what must happen (every stored value shown, every click stored) and what must NOT
happen (a stored answer shown blank, a stored answer changed by a note edit, a click dropped, an
older tab overwriting a newer answer)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from support import BROWSER_WAIT_MS, MINI, RestartingServer, app_in_chromium

import storage
from checklists import load_all, load_template
from scoring import Answer

pytestmark = pytest.mark.browser

# a busy machine: every wait is generous, and none is a pass/fail timing
WAIT_MS = BROWSER_WAIT_MS
Q_GOALS = "Are the business goals defined?"
Q_MATURITY = "How mature is goal management?"
Q_STAGES = "How are funnel stages defined?"
Q_OWNER = "Do the exit criteria have an owner?"
Q_SOURCES = "Which data sources are inventoried?"
Q_DUPES = "Share of duplicate customer records (%)?"


class App:
    """One running app on its own SQLite file, the repository beside it, and a browser."""

    def __init__(self, tmp: Path, url: str, db: Path, browser):
        self.tmp, self.url, self.db, self.browser = tmp, url, db, browser
        self.repo = storage.open_repository(f"sqlite:///{db}")
        self.mini = load_template(MINI)

    def assessment(self, template: str = "mini") -> str:
        tpl = self.mini if template == "mini" else load_all()[0][template]
        return self.repo.create_assessment(tpl, "Example Co", "CRM", "en", "Ann",
                                           facilitator_key=storage.new_secret())

    def link(self, aid: str, name: str, page: str = "strategy", lang: str = "en") -> str:
        me = self.repo.join_as(aid, name)
        return f"{self.url}/{page}?lang={lang}&a={aid}&who={me.name}&t={me.token}"

    def tab(self, context=None):
        page = (context or self.browser.new_context()).new_page()
        page.set_default_timeout(WAIT_MS)
        return page

    def stored(self, aid: str, name: str) -> dict[str, Answer]:
        return self.repo.load_answers(aid).get(name, {})

    def wait_stored(self, aid: str, name: str, expected: dict[str, Answer], seconds: float = 60) -> None:
        """Until the database holds `expected` for these items (the server writes on its own time)."""
        deadline = time.monotonic() + seconds
        while True:
            got = {k: v for k, v in self.stored(aid, name).items() if k in expected}
            if got == expected or time.monotonic() > deadline:
                assert got == expected
                return
            time.sleep(0.2)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    with app_in_chromium(tmp, {"READINESS_BUSY_TIMEOUT_MS": "300"}) as (url, db, browser):
        yield App(tmp, url, db, browser)


# -- what a person does ------------------------------------------------------------------------

def ready(page) -> None:
    """The page has drawn its questions and finished running (as Streamlit's own e2e helpers wait:
    a moment for a click's rerun to start, then until the app says it is connected and not running)."""
    from playwright.sync_api import expect

    page.wait_for_timeout(150)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_text("Overall progress").first).to_be_visible()


def item(page, question: str):
    """The bordered box of one question (the innermost box holding its text)."""
    return page.get_by_test_id("stLayoutWrapper").filter(has_text=question).last


def choose(page, question: str, option: str) -> None:
    page.get_by_role("radiogroup", name=question).get_by_text(option, exact=True).click()
    ready(page)


def go(page, phase: str) -> None:
    page.get_by_role("link", name=phase, exact=True).first.click()
    ready(page)


def details(page, question: str):
    """The item's box with its "Guidance and evidence" open."""
    from playwright.sync_api import expect

    box = item(page, question)
    note = box.get_by_label("Note")
    if not note.is_visible():
        box.get_by_text("Guidance and evidence").click()
    expect(note).to_be_visible()
    return box


def write_note(page, question: str, text: str, *, enter: bool = True) -> None:
    box = details(page, question)
    note = box.get_by_label("Note")
    note.fill(text)
    if enter:
        note.press("Enter")
    ready(page)


def pick(page, combo, option: str) -> None:
    """Choose `option` in a select box, as a person does: open it, click the option (and open it
    again if a rerun that was still arriving closed it)."""
    from playwright.sync_api import expect

    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(5):
        ready(page)
        combo.click()
        try:
            expect(choice).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    choice.click()
    ready(page)


def checked(page, question: str, option: str):
    return page.get_by_role("radiogroup", name=question).get_by_role("radio", name=option, exact=True)


def expect_shown(page, *, goals: str, maturity: str) -> None:
    from playwright.sync_api import expect

    expect(checked(page, Q_GOALS, goals)).to_be_checked()
    expect(checked(page, Q_MATURITY, maturity)).to_be_checked()


# -- paths ----------------------------------------------------------------------------------------

def test_answers_stay_shown_across_phases_and_a_note_edit_changes_only_the_note(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    page = app.tab()
    page.goto(app.link(aid, "Ann"))
    ready(page)
    choose(page, Q_GOALS, "Yes")
    choose(page, Q_MATURITY, "3 · 3")
    box = details(page, Q_GOALS)
    pick(page, box.get_by_role("combobox", name="Basis"), "Evidence")
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(value="yes", confidence="evidence")})
    go(page, "Process")
    choose(page, Q_STAGES, "With exit criteria")
    go(page, "Data")
    page.get_by_role("spinbutton", name=f"{Q_DUPES} (%)").fill("7.5")
    page.get_by_role("spinbutton", name=f"{Q_DUPES} (%)").press("Enter")
    ready(page)
    app.wait_stored(aid, "Ann", {"data.quality.duplicates": Answer(value=7.5)})

    # back to Strategy: every stored value is shown (must NOT be "Unanswered")
    go(page, "Strategy")
    expect_shown(page, goals="Yes", maturity="3 · 3")
    expect(checked(page, Q_GOALS, "Unanswered")).not_to_be_checked()
    expect(page.get_by_text("Overall progress: 4/")).to_be_visible()

    # a note on the first item, then a reload: the answer and its confidence are kept
    write_note(page, Q_GOALS, "目标已写入年度计划")
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(value="yes", note="目标已写入年度计划",
                                                                  confidence="evidence")})
    page.reload()
    ready(page)
    expect_shown(page, goals="Yes", maturity="3 · 3")
    expect(page.get_by_text("Overall progress: 4/")).to_be_visible()
    go(page, "Data")
    expect(page.get_by_role("spinbutton", name=f"{Q_DUPES} (%)")).to_have_value("7.5")
    go(page, "Process")
    expect(checked(page, Q_STAGES, "With exit criteria")).to_be_checked()
    # must NOT happen: the note edit rebuilt the answer from the widgets
    assert app.stored(aid, "Ann") == {
        "strategy.goals.defined": Answer(value="yes", note="目标已写入年度计划", confidence="evidence"),
        "strategy.goals.maturity": Answer(value=3),
        "process.stages.model": Answer(value="exit_criteria"),
        "data.quality.duplicates": Answer(value=7.5)}
    page.context.close()


def test_hidden_and_shown_again_filter_and_language_show_what_is_stored(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    page = app.tab()
    page.goto(app.link(aid, "Ann", page="process"))
    ready(page)
    choose(page, Q_STAGES, "With exit criteria")
    choose(page, Q_OWNER, "Partial")
    # the parent hides its child, then shows it again: the child's stored answer is shown
    choose(page, Q_STAGES, "Names only")
    expect(page.get_by_role("radiogroup", name=Q_OWNER)).to_have_count(0)
    choose(page, Q_STAGES, "With exit criteria")
    expect(checked(page, Q_OWNER, "Partial")).to_be_checked()
    # must NOT happen: hiding a child changed what is stored for it
    assert app.stored(aid, "Ann")["process.stages.exit_owner"] == Answer(value="partial")

    # "show only unanswered" on and off
    go(page, "Strategy")
    choose(page, Q_GOALS, "No")
    page.get_by_text("Show only unanswered").click()
    ready(page)
    expect(page.get_by_role("radiogroup", name=Q_GOALS)).to_have_count(0)
    page.get_by_text("Show only unanswered").click()
    ready(page)
    expect(checked(page, Q_GOALS, "No")).to_be_checked()

    # the language switch: the same answers, in Chinese
    go(page, "Data")
    box = item(page, Q_SOURCES)
    box.get_by_role("combobox").click()
    page.get_by_role("option", name="Legacy systems").click()
    page.keyboard.press("Escape")
    ready(page)
    app.wait_stored(aid, "Ann", {"data.sources.inventory": Answer(value=["legacy"])})
    page.get_by_text("中文", exact=True).click()
    expect(page.get_by_text("总体进度").first).to_be_visible()
    expect(page.get_by_text("旧系统", exact=True)).to_be_visible()  # the tag, in the new language
    expect(page.get_by_text("Legacy systems", exact=True)).to_have_count(0)
    page.get_by_role("link", name="战略", exact=True).first.click()
    expect(page.get_by_role("radiogroup", name="业务目标是否已明确？").get_by_role(
        "radio", name="否", exact=True)).to_be_checked()
    assert app.stored(aid, "Ann")["strategy.goals.defined"] == Answer(value="no")
    page.context.close()


def test_a_note_typed_without_enter_is_stored_before_the_tab_closes(app):
    aid = app.assessment()
    page = app.tab()
    page.goto(app.link(aid, "Ann"))
    ready(page)
    choose(page, Q_GOALS, "Partial")
    write_note(page, Q_GOALS, "还在讨论", enter=False)
    # the note saves after a short pause in typing; no Enter, no click elsewhere
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(value="partial", note="还在讨论")})
    page.context.close()
    assert app.stored(aid, "Ann")["strategy.goals.defined"] == Answer(value="partial", note="还在讨论")


def test_an_older_tab_never_overwrites_a_newer_answer(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    url = app.link(aid, "Ann")
    ctx = app.browser.new_context()
    old, new = app.tab(ctx), app.tab(ctx)
    old.goto(url)
    ready(old)
    choose(old, Q_GOALS, "Yes")
    details(old, Q_GOALS)  # its note box open before the newer answer exists (opening it runs the page)
    ready(old)
    new.goto(url)
    ready(new)
    choose(new, Q_GOALS, "No")
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(value="no")})

    # the older tab still shows "Yes"; a note typed there is refused, and the page says why
    write_note(old, Q_GOALS, "from the old tab")
    expect(old.get_by_text("was changed elsewhere").first).to_be_visible()
    expect(checked(old, Q_GOALS, "No")).to_be_checked()  # now shows what is stored
    # must NOT happen: the older tab's view replaced the newer answer
    assert app.stored(aid, "Ann")["strategy.goals.defined"] == Answer(value="no")
    # a change made after the page caught up is stored
    choose(old, Q_MATURITY, "2 · 2")
    app.wait_stored(aid, "Ann", {"strategy.goals.maturity": Answer(value=2),
                                 "strategy.goals.defined": Answer(value="no")})
    ctx.close()


def test_quick_clicks_are_all_stored(app):
    from playwright.sync_api import expect

    aid = app.assessment("sales_funnel")
    page = app.tab()
    page.goto(app.link(aid, "Ann", page="process"))
    ready(page)
    groups = page.get_by_role("radiogroup")
    expect(groups.nth(8)).to_be_visible()
    names = [groups.nth(i).get_attribute("aria-label") for i in range(1, 9)]  # 0 is the language
    for name in names:
        page.get_by_role("radiogroup", name=name).get_by_text("Yes", exact=True).click()
        time.sleep(0.25)
    ready(page)
    tpl = load_all()[0]["sales_funnel"]
    ids = [it.id for it in tpl.phase("process").items if it.question.en in names]
    assert len(ids) == 8
    app.wait_stored(aid, "Ann", {i: Answer(value="yes") for i in ids})
    page.reload()
    ready(page)
    for name in names:  # must NOT happen: a click shown as given but not stored
        expect(checked(page, name, "Yes")).to_be_checked()
    page.context.close()


def test_answers_given_while_the_database_refuses_writes_arrive_without_a_refresh(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    ann, bob = app.tab(), app.tab()
    ann.goto(app.link(aid, "Ann"))
    bob.goto(app.link(aid, "Bob"))
    ready(ann)
    ready(bob)
    lock = sqlite3.connect(app.db, timeout=30, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the database: every write waits, then fails
    try:
        choose(ann, Q_GOALS, "Yes")
        expect(ann.get_by_text("1 change(s) not saved yet").first).to_be_visible()
        choose(bob, Q_GOALS, "No")
        choose(ann, Q_MATURITY, "1 · 1")
        expect(ann.get_by_text("2 change(s) not saved yet").first).to_be_visible()
        expect(bob.get_by_text("1 change(s) not saved yet").first).to_be_visible()
        assert app.stored(aid, "Ann") == {} and app.stored(aid, "Bob") == {}
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    # no reload, no click: each page sends what it kept, and its warning goes away
    app.wait_stored(aid, "Ann", {"strategy.goals.defined": Answer(value="yes"),
                                 "strategy.goals.maturity": Answer(value=1)})
    app.wait_stored(aid, "Bob", {"strategy.goals.defined": Answer(value="no")})
    for page in (ann, bob):
        expect(page.get_by_text("not saved yet")).to_have_count(0)
        ready(page)
    expect_shown(ann, goals="Yes", maturity="1 · 1")
    expect(checked(bob, Q_GOALS, "No")).to_be_checked()
    for page in (ann, bob):
        page.context.close()


def test_a_name_already_in_the_room_is_not_shared(app):
    from playwright.sync_api import expect

    aid = app.assessment()
    li = app.tab()
    li.goto(app.link(aid, "Li Lei"))
    ready(li)
    choose(li, Q_GOALS, "Yes")
    app.wait_stored(aid, "Li Lei", {"strategy.goals.defined": Answer(value="yes")})

    # another person joins as "Li　Lei" (a full-width space, as an input method types it)
    other = app.tab()
    other.goto(f"{app.url}/?lang=en&a={aid}")
    other.get_by_label("Your name").fill("Li\u3000Lei")
    other.get_by_role("button", name="Join").click()
    expect(other.get_by_text("Someone named 'Li Lei' has already joined").first).to_be_visible()
    other.goto(f"{app.url}/strategy?lang=en&a={aid}&who=Li%20Lei")
    expect(other.get_by_text("Someone named 'Li Lei' has already joined").first).to_be_visible()
    # must NOT happen: the other person sees or changes Li Lei's answers
    expect(other.get_by_role("radiogroup", name=Q_GOALS)).to_have_count(0)

    # Li Lei's own link, in a new browser: the same person, the same answers
    again = app.tab()
    again.goto(li.url)
    ready(again)
    expect(checked(again, Q_GOALS, "Yes")).to_be_checked()
    for p in (li, other, again):
        p.context.close()


def test_a_tab_left_open_across_a_server_restart_stores_its_next_answer(app, tmp_path):
    from playwright.sync_api import expect

    server = RestartingServer(tmp_path)
    try:
        page = app.tab()
        page.goto(server.strategy_page)
        ready(page)
        choose(page, Q_GOALS, "Yes")

        server.restart()
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-connection-state", "CONNECTED")
        page.get_by_role("radiogroup", name=Q_MATURITY).get_by_text("2 · 2", exact=True).click()

        # must NOT happen: the first answer after the restart dropped without a word
        assert server.answers_once_stored("strategy.goals.maturity") == {
            "strategy.goals.defined": Answer(value="yes"), "strategy.goals.maturity": Answer(value=2)}
        ready(page)
        expect_shown(page, goals="Yes", maturity="2 · 2")
        page.context.close()
    finally:
        server.close()
