"""User text is text: hostile names, reasons, notes, owners and vendor names walk through every page
and every export without becoming Markdown, HTML, an image or a formula."""

from __future__ import annotations

import io

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest
from support import MINI, new_app, ok

import storage
from checklists import load_template
from reports import ReportOptions, build_report, export_file, report_markdown
from scoring import ActionItem, Answer, escape_markdown, score
from services import room_assessment
from services import vendor_sheet as vs
from ui.text import chart_text, plain

IMG = "![](http://host/x.png)"
TAG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
BOLD = "**x**"
ORG = f"Org {IMG} {BOLD}"
PROJECT = f"Project {TAG}"
WHO = f"Eve {BOLD} {IMG}"
REASON = f"reason {IMG} {TAG}"
NOTE = f"note {SCRIPT} {IMG}"
OWNER = f"{IMG} {TAG}"
VENDOR = f"Vendor {IMG} {TAG}"
ESCAPED_IMG = r"\!\[\](http://host/x.png)"
MINI_T = load_template(MINI)


# -- the rule --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,shown", [
    (IMG, ESCAPED_IMG),
    (BOLD, r"\*\*x\*\*"),
    (TAG, "&lt;img src=x onerror=alert(1)&gt;"),
    ("a | b", r"a \| b"),
    ("# title\n- item\n1. first\n===", "\\# title\n\\- item\n1\\. first\n\\==="),
    (":red[x] $x$ ~y~ `c` _i_", r":red\[x\] \$x\$ \~y\~ \`c\` \_i\_"),
    ("R&D 62.5 2027-01-15 C-3PO", "R&amp;D 62.5 2027-01-15 C-3PO"),  # numbers and dates stay readable
    ("王敏", "王敏"),
    # an _ between letters is no emphasis (ids stay readable); at a word's edge it could be, so it is escaped
    ("crm_a a_b_c __b__ a__b", r"crm_a a_b_c \_\_b\_\_ a\_\_b"),
])
def test_markdown_escape_by_hand(text, shown):
    assert escape_markdown(text) == shown


def test_the_ui_helper_keeps_line_breaks_and_takes_anything():
    assert plain("a\nb") == "a  \nb"
    assert plain(None) == "" and plain(3) == "3"
    assert chart_text("<a href='javascript:x'>v</a>") == "&lt;a href='javascript:x'&gt;v&lt;/a&gt;"


# -- the app ---------------------------------------------------------------------------------

def _markdown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer: bodies (markdown, captions,
    titles, alerts, toasts, metrics), labels (widgets, expanders, tabs, page links) and help texts."""
    out: list[str] = []

    def fields(msg) -> None:
        for fd, value in msg.ListFields():
            if fd.type == fd.TYPE_MESSAGE:
                for m in [value] if hasattr(value, "ListFields") else value:
                    fields(m)
            elif fd.name in ("body", "label", "help") and isinstance(value, str):
                out.append(value)
            elif fd.name == "options" and msg.DESCRIPTOR.name == "Radio":
                out.extend(value)  # radio options are Markdown too

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and not hasattr(proto, "data"):  # table cells are shown as plain text
            fields(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return out


def _nothing_live(at: AppTest) -> list[str]:
    texts = _markdown_texts(at)
    live = [t for t in texts if "![" in t or "<img" in t or "<script" in t or BOLD in t]
    assert live == [], live  # must NOT happen: an image, a tag or bold text from user input
    return texts


@pytest.fixture
def hostile(app_env):
    """An assessment whose every user-typed field holds Markdown and HTML."""
    repo = storage.open_repository()
    aid = repo.create_assessment(MINI_T, ORG, PROJECT, "en", "Fiona")
    fiona, eve = repo.join(aid, "Fiona", "facilitator"), repo.join(aid, WHO, f"role {BOLD}")
    repo.save_answer(aid, fiona, "strategy.goals.defined", Answer(value="yes"))
    repo.save_answer(aid, eve, "strategy.goals.defined", Answer(value="no", note=NOTE))
    repo.save_answer(aid, eve, "strategy.goals.maturity", Answer(value="na", reason=REASON))
    repo.set_out_of_scope(aid, "vendor", REASON)
    repo.save_action(aid, ActionItem(item_id="strategy.goals.defined", owner=OWNER, note=NOTE))
    sheet = vs.start_sheet(repo, aid, "example")
    first = sheet.vendors[0]
    vs.save_sheet(repo, aid, sheet.model_copy(update={
        "vendors": [first.model_copy(update={"name": first.name.model_copy(update={"en": VENDOR, "zh": VENDOR})})]
        + list(sheet.vendors[1:])}))
    return aid


@pytest.mark.parametrize("page", ["home", "results", "workshop", "actions", "transfer", "progress", "vendors"])
def test_hostile_text_is_shown_as_text_on_every_page(hostile, page):
    who = "Fiona" if page == "workshop" else WHO
    at = ok(new_app(lang="en", a=hostile, who=who).switch_page(f"ui/{page}.py").run())
    texts = _nothing_live(at)
    # the organisation is in the sidebar of every page, escaped: shown as the characters typed
    assert any(escape_markdown(ORG) in t for t in texts), page
    assert any(escape_markdown(WHO) in t for t in texts), page  # "joined as" in the sidebar


def test_reasons_names_and_vendor_names_are_escaped_where_shown(hostile):
    at = ok(new_app(lang="en", a=hostile, who="Fiona").switch_page("ui/results.py").run())
    texts = _nothing_live(at)
    assert any(escape_markdown(REASON) in t for t in texts)  # n/a and out-of-scope reasons
    at = ok(new_app(lang="en", a=hostile, who="Fiona").switch_page("ui/workshop.py").run())
    assert any(escape_markdown(WHO) in t for t in _nothing_live(at))  # the agenda names who said what
    at = ok(new_app(lang="en", a=hostile, who="Fiona").switch_page("ui/vendors.py").run())
    assert any(escape_markdown(VENDOR) in t for t in _nothing_live(at))


# -- the exports -----------------------------------------------------------------------------

def _hostile_report(aid: str, lang: str = "en"):
    repo = storage.open_repository()
    a = room_assessment(repo, aid, MINI_T)
    a = a.model_copy(update={"respondent": WHO})
    return MINI_T, a, score(MINI_T, a), repo.load_action_plan(aid)


def test_markdown_export_carries_no_live_tag_image_or_bold(hostile):
    t, a, r, plan = _hostile_report(hostile)
    md = export_file("md", t, a, r, lang="en", action_plan=plan,
                     vendors=vs.stored_result(storage.open_repository(), hostile)).decode()
    for live in ("<script", "<img", "![", BOLD):
        assert live not in md, live
    assert escape_markdown(ORG) in md and "&lt;script&gt;" in md and "&lt;img" in md
    assert ESCAPED_IMG in md
    # a table row keeps its cells: a | in user text does not open a new one
    data = build_report(t, a.model_copy(update={"organisation": "a | b"}), r, ReportOptions(lang="en"))
    assert "a \\| b" in report_markdown(data)


def test_docx_keeps_user_text_as_literal_text(hostile):
    t, a, r, plan = _hostile_report(hostile)
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="en", action_plan=plan)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ORG in text  # Word shows text, it never renders Markdown or HTML: exactly what was typed
