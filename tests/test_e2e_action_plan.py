"""The action plan in a real headless chromium: at 1400 px the editable columns are on screen without
scrolling and take an edit; at 390 px (a phone) the number, owner and due date do and the page does not
overflow; after a save the grid stays where it was scrolled to."""

from __future__ import annotations

import time

import pytest
from support import BROWSER_WAIT_MS, MINI, app_in_chromium

import storage
from checklists import load_template
from scoring import ActionItem, Answer
from ui.plan_views import WIDTHS

pytestmark = pytest.mark.browser
WAIT_MS = BROWSER_WAIT_MS
EDITABLE = ["✎ Owner", "✎ Due date", "✎ Status", "✎ Expected answer", "✎ Effort"]
ORDER = ["no", "owner", "due", "status", "expect", "effort"]
HEADER_H = 35  # the grid's header row
GOALS, SPONSOR = "strategy.goals.defined", "team.roles.sponsor"
NOBODY = ActionItem(item_id="none")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with app_in_chromium(tmp_path_factory.mktemp("e2e_plan")) as (url, db, browser):
        yield url, storage.open_repository(f"sqlite:///{db}"), browser


def _room(repo) -> tuple[str, str]:
    aid = repo.create_assessment(load_template(MINI), "Example Co", "CRM", "en", "Ann",
                                 facilitator_key=storage.new_secret())
    me = repo.join_as(aid, "Ann")
    for item, value in {"strategy.goals.defined": "no", "team.roles.sponsor": "no", "strategy.goals.maturity": 1,
                        "process.stages.model": "names", "vendor.criteria.integration": "partial"}.items():
        repo.save_answer(aid, me.id, item, Answer(value=value))
    return aid, f"actions?lang=en&a={aid}&who={me.name}&t={me.token}"


_WINDOWS: list = []  # the browser windows a test opened, closed after it


@pytest.fixture(autouse=True)
def _close_windows():
    yield
    while _WINDOWS:
        _WINDOWS.pop().close()


def _open(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    _WINDOWS.append(context)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    _ready(page)
    return page


def _ready(page) -> None:
    """Wait for the page's state: connected, no script running, the grid drawn."""
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.locator('[data-testid="stDataFrame"] th').first.wait_for(state="attached")  # the grid's table is built
    # the projection chart below the grid loads its drawing code late; until it has drawn, the page's
    # frontend is still rendering and an edit typed then can be dropped by the grid before it is sent
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(state="attached")


def _grid(page) -> dict:
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert box is not None
    return box


def _header_names(page) -> list[str]:
    """The column headers in their on-screen order (the grid's accessible table)."""
    return [t.strip() for t in page.locator('[data-testid="stDataFrame"] th').all_inner_texts()]


def _column_x(grid: dict, name: str, scrolled: float = 0) -> tuple[float, float]:
    """Left and right edge on screen of a column (the number column is pinned, the rest scroll)."""
    left = grid["x"] + 1
    for key in ORDER:
        right = left + WIDTHS[key]
        if key == name:
            shift = 0 if key == "no" else scrolled
            return left - shift, right - shift
        left = right
    raise KeyError(name)


def _cell_editor(page, column: str, row: int, scrolled: float):
    """Double-click a cell and return its open editor, or None when what opened (if anything) is not that
    cell's editor: a double-click that lands while the page is still laying out or redrawing after a
    save may open nothing, or the read-only viewer of a neighbouring cell (a disabled text area), which
    takes keystrokes without a word of complaint."""
    page.bring_to_front()  # the window a person types in has the focus (another tab may have had it)
    grid = _grid(page)
    left, right = _column_x(grid, column, scrolled)
    top = grid["y"] + HEADER_H + 35 * row
    page.mouse.dblclick((left + right) / 2, top + 17)
    editor = page.locator("#portal textarea, #portal input").first
    try:
        editor.wait_for(state="visible", timeout=10_000)
        box = editor.bounding_box()
        writable = editor.is_enabled()
    except Exception:  # it never opened, or closed again while the grid was redrawn
        return None
    if not (writable and box and left <= box["x"] + box["width"] / 2 <= right and top <= box["y"] + box["height"] / 2
            <= top + 35):
        page.keyboard.press("Escape")
        return None
    return editor


def _cell_text(page, column: str, row: int) -> str | None:
    """What the grid shows in a cell, read from its accessible table (the canvas is not readable)."""
    header = {"no": "No.", **dict(zip(ORDER[1:], EDITABLE, strict=True))}[column]
    return page.evaluate("""([header, row]) => {
        const table = document.querySelector('[data-testid="stDataFrame"] table');
        if (!table) return null;
        const names = [...table.querySelectorAll('th')].map(th => th.innerText.trim());
        const tr = table.querySelectorAll('tbody tr')[row];
        const at = names.indexOf(header);
        return tr && at >= 0 && tr.cells[at] ? tr.cells[at].innerText.trim() : null;
    }""", [header, row])


def _type_into(page, column: str, row: int, text: str, scrolled: float = 0, settle: bool = True,
               taken=None) -> None:
    """Type into a cell as a person does and press Enter. A person whose text did not go in (the editor
    did not open at that cell, or closed under the keys while the page was still drawing) types it
    again, and so does this, a bounded number of times. An edit counts as taken once the grid shows it
    or `taken()` (the database holds it) says so, and is then never typed again: from then on the
    database must hold it, or the test fails. Without `settle` the first double-click does not wait
    for the page to finish rerunning."""
    for attempt in range(6):
        if settle or attempt:
            _ready(page)
        editor = _cell_editor(page, column, row, scrolled)
        if editor is None:
            continue
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        try:
            typed = editor.input_value(timeout=5_000)
        except Exception:
            typed = None
        if typed != text:  # the editor closed or was replaced under the keys: cancel, nothing was entered
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("Enter")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if _cell_text(page, column, row) == text or (taken is not None and taken()):
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never went into {column} of row {row}: {_cell_text(page, column, row)!r}")


def _stored(repo, aid: str, check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not check({a.item_id: a for a in repo.load_action_plan(aid)}):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def _edit(page, repo, aid: str, column: str, row: int, text: str, check, scrolled: float = 0) -> None:
    """Type into a cell and require the database to hold it: an edit the grid took is never retyped."""
    _type_into(page, column, row, text, scrolled, taken=lambda: _stored(repo, aid, check, 0))
    assert _stored(repo, aid, check, 30), repo.load_action_plan(aid)
    _ready(page)


def test_at_1400_px_the_editable_columns_are_on_screen_and_take_an_edit(app):
    from playwright.sync_api import expect

    url, repo, browser = app
    aid, path = _room(repo)
    page = _open(browser, f"{url}/{path}", 1400)
    assert _header_names(page)[:6] == ["No.", *EDITABLE]
    grid = _grid(page)
    # the header row is inside the viewport, and so is every editable column, without any scrolling
    assert grid["y"] >= 0 and grid["y"] + HEADER_H <= 900, grid
    for key in ORDER:
        left, right = _column_x(grid, key)
        assert grid["x"] <= left and right <= min(grid["x"] + grid["width"], 1400), (key, left, right, grid)
    # must NOT: a raw id column, or "None"
    assert "id" not in _header_names(page) and "None" not in page.get_by_test_id("stDataFrame").inner_text()
    # the cells at those places really are the owner and due date of the first row (1.1, a blocker)
    _edit(page, repo, aid, "owner", 0, "Li Na",
          lambda p: p.get("strategy.goals.defined") and p["strategy.goals.defined"].owner == "Li Na")
    _edit(page, repo, aid, "due", 0, "2027-03-20", lambda p: p["strategy.goals.defined"].due == "2027-03-20")
    # one blocker is now planned: only the sponsor is still flagged (once the page has rerun from the save)
    flagged = page.get_by_text("These blockers have no action with an owner and a due date")
    expect(flagged.locator("..").locator("..")).to_contain_text("No. 4.1")
    expect(page.get_by_test_id("stAlert").first).not_to_contain_text("No. 1.1")


def test_a_second_edit_typed_right_after_the_first_is_stored_and_neither_is_reverted(app):
    """Nothing a person types is lost: the next edits go in while the page is still saving and rerunning
    from the first one, without waiting for it to settle."""
    from playwright.sync_api import expect

    url, repo, browser = app
    aid, path = _room(repo)
    page = _open(browser, f"{url}/{path}", 1400)

    def plan() -> dict:
        return {a.item_id: a for a in repo.load_action_plan(aid)}

    _type_into(page, "owner", 0, "Li Na", taken=lambda: plan().get(GOALS, NOBODY).owner == "Li Na")
    _type_into(page, "due", 0, "2027-03-20", settle=False,
               taken=lambda: plan().get(GOALS, NOBODY).due == "2027-03-20")
    _type_into(page, "owner", 1, "Wang Min", settle=False,
               taken=lambda: plan().get(SPONSOR, NOBODY).owner == "Wang Min")
    want = {"strategy.goals.defined": ("Li Na", "2027-03-20"), "team.roles.sponsor": ("Wang Min", None)}

    def held(plan: dict) -> bool:
        return {k: (plan[k].owner, plan[k].due) for k in want if k in plan} == want

    assert _stored(repo, aid, held, 30), repo.load_action_plan(aid)
    grid = page.get_by_test_id("stDataFrame").first
    for text in ("Li Na", "2027-03-20", "Wang Min"):
        expect(grid).to_contain_text(text)
    # must NOT: a later rerun writing an older state of a row back, or the page showing less than is stored
    _ready(page)
    page.reload()
    _ready(page)
    for text in ("Li Na", "2027-03-20", "Wang Min"):
        expect(page.get_by_test_id("stDataFrame").first).to_contain_text(text)
    assert held({a.item_id: a for a in repo.load_action_plan(aid)}), repo.load_action_plan(aid)
    assert len(repo.load_action_plan(aid)) == 2  # and nothing typed landed in another row


def test_two_people_editing_one_action_in_two_tabs_both_keep_their_edit(app):
    """Two laptops show the same plan; one sets the owner, then the other, without reloading, the due
    date of the same action: each writes only the cell they edited, and the second tab then shows both."""
    from playwright.sync_api import expect

    url, repo, browser = app
    aid, path = _room(repo)
    first = _open(browser, f"{url}/{path}", 1400)
    second = _open(browser, f"{url}/{path}", 1400)
    _edit(first, repo, aid, "owner", 0, "Li Na",
          lambda p: p.get("strategy.goals.defined") and p["strategy.goals.defined"].owner == "Li Na")
    assert _cell_text(second, "owner", 0) == ""  # the second tab has not run since
    _edit(second, repo, aid, "due", 0, "2027-03-20", lambda p: p["strategy.goals.defined"].due == "2027-03-20")
    # must NOT: the second tab's blank owner written over the first tab's
    (action,) = repo.load_action_plan(aid)
    assert (action.owner, action.due) == ("Li Na", "2027-03-20")
    # the second tab now shows what is stored, the first tab's owner included
    _ready(second)
    expect(second.get_by_test_id("stDataFrame").first).to_contain_text("Li Na")
    assert (_cell_text(second, "owner", 0), _cell_text(second, "due", 0)) == ("Li Na", "2027-03-20")


def test_after_a_save_the_grid_stays_where_it_was_scrolled(app):
    url, repo, browser = app
    aid, path = _room(repo)
    page = _open(browser, f"{url}/{path}", 1000)
    scroller = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
    scroller.evaluate("el => { el.scrollLeft = 120; }")
    page.wait_for_timeout(300)
    before = scroller.evaluate("el => el.scrollLeft")
    assert before > 0
    _edit(page, repo, aid, "due", 1, "2027-05-10",
          lambda p: p.get("team.roles.sponsor") and p["team.roles.sponsor"].due == "2027-05-10", scrolled=before)
    page.wait_for_timeout(1000)
    after = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.evaluate("el => el.scrollLeft")
    assert after == before  # must NOT jump back to the first column


def test_at_390_px_number_owner_and_due_date_fit_and_nothing_overflows(app):
    url, repo, browser = app
    aid, path = _room(repo)
    page = _open(browser, f"{url}/{path}", 390)
    grid = _grid(page)
    assert grid["x"] >= 0 and grid["x"] + grid["width"] <= 390, grid
    for key in ("no", "owner", "due"):
        left, right = _column_x(grid, key)
        assert grid["x"] <= left and right <= 390, (key, left, right)
    _edit(page, repo, aid, "owner", 1, "Wang Min",
          lambda p: p.get("team.roles.sponsor") and p["team.roles.sponsor"].owner == "Wang Min")
    # the roadmap and the flagged blockers wrap: the page itself never scrolls sideways
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    roadmap = page.get_by_text("Not scheduled (no due date)").first
    roadmap.scroll_into_view_if_needed()
    box = roadmap.locator("..").locator("..").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
