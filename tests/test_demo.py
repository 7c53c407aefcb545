"""The demo explains itself: a banner with three steps, the visitor joins as a guest (the facilitator
link offered, not taken), data on every page (workshop, results, action plan, progress since a
baseline, vendors), and the demo button re-opens the same demo instead of piling up copies."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from support import link, new_app, ok

from storage import open_repository
from ui.demo import find_demo


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def facilitator_key(at: AppTest) -> str:
    from urllib.parse import parse_qs, urlsplit

    shown = next(c.value for c in at.code if "f=" in c.value)
    return parse_qs(urlsplit(shown.strip()).query)["f"][0]


def click_demo(lang: str = "en") -> AppTest:
    at = ok(new_app(lang=lang).run())
    return ok(at.button(key="demo_button").click().run())


def test_the_demo_says_what_it_is_and_the_visitor_is_a_guest(app_env):
    at = click_demo()
    here = link(at)
    assert here["who"] == "Guest 1" and "f" not in here  # must NOT: silently the facilitator
    text = "\n".join(m.value for m in at.markdown)
    assert "#### This is a demo assessment" in text
    steps = [p.proto.label for p in at.get("page_link") if p.proto.label[:2] in ("1.", "2.", "3.")]
    assert steps == ["1. Workshop: where the room disagrees", "2. Results: verdict, blockers and gaps",
                     "3. Report: the PDF at the bottom of the results"]
    assert "Want to see it as the facilitator?" in [e.label for e in at.expander]
    aid = here["a"]
    assert open_repository().is_facilitator(aid, facilitator_key(at))
    assert not at.sidebar.caption or not any("Facilitator" in c.value for c in at.sidebar.caption)


def test_the_demo_has_data_on_every_page(app_env):
    at = click_demo()
    aid = link(at)["a"]
    repo = open_repository()
    plan = repo.load_action_plan(aid)
    assert len(plan) == 8 and all(a.owner and a.due for a in plan)
    assert {a.status.value for a in plan} == {"open", "in_progress", "done"}
    meta = repo.get_assessment_meta(aid)
    assert meta.baseline_id and repo.get_assessment_meta(meta.baseline_id).baseline_id is None
    sheet = repo.load_vendor_sheet(aid)
    assert sheet and len(sheet["vendors"]) >= 3
    page(at, "progress")
    # a real re-assessment chain: something changed since the baseline, nothing "not yet re-assessed"
    assert not any("Nothing to compare yet" in i.value for i in at.info)
    assert any(m.value.startswith("**Gaps closed") for m in at.markdown)
    assert not any("Not yet re-assessed" in m.value for m in at.markdown)
    page(at, "actions")
    assert at.dataframe or at.data_editor
    page(at, "vendors")
    assert at.dataframe or at.get("plotly_chart")
    page(at, "workshop")
    assert at.get("plotly_chart") or at.markdown


def test_the_demo_button_reopens_the_same_demo(app_env):
    a1, a2 = click_demo(), click_demo()
    first, second = link(a1), link(a2)
    repo = open_repository()
    assert first["a"] == second["a"] == find_demo(repo)
    # each visitor is a guest of their own, never the same person
    assert (first["who"], second["who"]) == ("Guest 1", "Guest 2") and first["t"] != second["t"]
    names = [p.name for p in repo.list_respondents(first["a"])]
    assert names.count("Guest 1") == 1 and len(names) == 5
    # must NOT: a second demo (a baseline and a re-assessment, once)
    meta = repo.get_assessment_meta(first["a"])
    same = repo.find_assessments(template_id=meta.template_id, organisation=meta.organisation,
                                 project=meta.project, facilitator=meta.facilitator)
    assert len(same) == 2
    # the facilitator link shown to the second visitor works; the first one's no longer does
    assert repo.is_facilitator(first["a"], facilitator_key(a2))
    assert not repo.is_facilitator(first["a"], facilitator_key(a1))


def test_the_demo_is_found_by_its_names_and_its_key_can_be_renewed(repo):
    from checklists import load_all
    from ui.demo import create_demo, open_demo

    templates = load_all()[0]
    assert find_demo(repo) is None
    aid, who, key = create_demo(repo, templates, "en")
    assert find_demo(repo) == aid and repo.is_facilitator(aid, key)
    again, new_key = open_demo(repo, templates, "en")
    assert again == aid and new_key != key
    assert repo.is_facilitator(aid, new_key) and not repo.is_facilitator(aid, key)  # the old key stops working
    meta = repo.get_assessment_meta(aid)
    # must NOT: another organisation's assessment taken for the demo
    other = repo.create_assessment(templates[meta.template_id], meta.organisation + " Ltd", meta.project, "en", who)
    found = repo.find_assessments(template_id=meta.template_id, organisation=meta.organisation,
                                  project=meta.project, facilitator=who)
    assert [m.id for m in found] == [meta.baseline_id, aid] and other not in [m.id for m in found]
