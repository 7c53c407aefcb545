"""The real Streamlit app driven by AppTest: create, answer every type, watch the score, come back by
link, several respondents, imports. Runs on SQLite (a temporary file)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from support import MINI, create, field, join, link, new_app, ok, open_details

from checklists import load_template
from scoring import ActionItem, ActionStatus, Answer, parse_assessment, score
from storage import open_repository


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_home_renders_in_both_languages(app_env):
    at = ok(new_app(lang="en").run())
    assert at.title[0].value == "Readiness assessment"
    at = ok(new_app(lang="zh").run())
    assert at.title[0].value == "实施就绪度评估"


def test_create_answer_every_type_and_watch_the_score(app_env):
    at = new_app(lang="en")
    aid = create(at)
    assert len(aid) >= 20 and at.query_params["who"] == "Ann"

    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    page(at, "results")
    assert metric(at, "Overall score") == "100"
    # scale level 2 = 0.5: strategy (3*1 + 2*0.5)/5 = 80
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.maturity").set_value(2).run()
    page(at, "results")
    assert metric(at, "Overall score") == "80"

    page(at, "phases/process")
    assert not [r for r in at.radio if (r.key or "").startswith("v::process.stages.exit_owner::")]  # hidden by depends_on
    field(at.radio, "v::process.stages.model").set_value("exit_criteria").run()
    assert [r for r in at.radio if (r.key or "").startswith("v::process.stages.exit_owner::")]  # appears
    field(at.radio, "v::process.stages.exit_owner").set_value("partial").run()

    page(at, "phases/data")
    field(at.multiselect, "v::data.sources.inventory").set_value(["spreadsheets", "legacy"]).run()
    field(at.number_input, "v::data.quality.duplicates").set_value(7.5).run()
    page(at, "phases/team")
    field(at.radio, "v::team.roles.sponsor").set_value("no").run()
    field(at.text_area, "v::team.roles.notes").input("销售与市场需要共同的线索定义").run()
    page(at, "phases/vendor")
    field(at.number_input, "v::vendor.criteria.cost").set_value(100).run()
    field(at.checkbox, "na::vendor.criteria.integration").check().run()
    field(at.text_input, "r::vendor.criteria.integration").input("no systems yet").run()

    page(at, "results")
    # as the worked example of tests/test_scoring.py but maturity 2: strategy (3 + 2*0.5)/5 = 80,
    # process 83.33, data 66.67, team 0 -> (2*80 + 83.33 + 66.67 + 0)/5 = 62, blocked by the sponsor
    assert metric(at, "Overall score") == "62"
    assert metric(at, "Verdict") == "Blocked"
    assert any("Blocked" in e.value and "executive sponsor" in e.value for e in at.error)

    stored = open_repository().load_answers(aid)["Ann"]
    assert stored["data.sources.inventory"].value == ["spreadsheets", "legacy"]
    assert stored["vendor.criteria.integration"] == Answer(value="na", reason="no systems yet")
    assert stored["team.roles.notes"].value == "销售与市场需要共同的线索定义"


def test_a_new_session_with_the_link_sees_every_answer(app_env):
    at = new_app(lang="en")
    create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("partial").run()
    open_details(at, "strategy.goals.defined")
    field(at.text_input, "n::strategy.goals.defined").input("目标还在讨论").run()

    # a refresh or a new tab: a new session that only has the URL
    again = new_app(**link(at))
    ok(again.switch_page("ui/phases/strategy.py").run())
    assert field(again.radio, "v::strategy.goals.defined").value == "partial"
    open_details(again, "strategy.goals.defined")
    assert field(again.text_input, "n::strategy.goals.defined").value == "目标还在讨论"
    # a visitor without the link sees no assessment
    stranger = ok(new_app(lang="en").switch_page("ui/results.py").run())
    assert not stranger.metric


def test_two_respondents_consolidated_view_and_final_answer(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()

    bob = join(new_app(lang="en", a=aid), "Bob", "IT")
    assert bob.query_params["who"] == "Bob"
    page(bob, "phases/strategy")
    field(bob.radio, "v::strategy.goals.defined").set_value("no").run()

    answers = open_repository().load_answers(aid)
    assert answers["Ann"]["strategy.goals.defined"].value == "yes"
    assert answers["Bob"]["strategy.goals.defined"].value == "no"

    page(at, "workshop")
    assert any("Discussion agenda: disagreements (1)" in s.value for s in at.subheader)
    # mean of yes (1) and no (0) = 0.5 -> partial
    assert any("Combined answers: Partial" in c.value for c in at.caption)
    at.radio(key="ws_method").set_value("final").run()
    at.selectbox(key="final::strategy.goals.defined").set_value("yes").run()
    ok(at)
    assert open_repository().load_final_answers(aid)["strategy.goals.defined"].value == "yes"
    page(at, "results")
    assert metric(at, "Overall score") == "100"

    # Bob is not the facilitator: he cannot change the method
    page(bob, "workshop")
    assert bob.radio(key="ws_method").disabled


def test_import_good_and_bad_files(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    page(at, "transfer")

    bad = b"template: mini\nanswers:\n  strategy.goals.defined: maybe\n  strategy.goals.maturity: 3\n"
    at.file_uploader(key="import_file").upload("bad.yaml", bad, "application/x-yaml")
    ok(at.run())
    at.button(key="import_button").click().run()
    ok(at)
    assert any("not imported" in e.value and "strategy.goals.defined" in e.value for e in at.error)
    stored = open_repository().load_answers(aid)["Ann"]
    assert stored == {"strategy.goals.defined": Answer(value="yes")}  # nothing changed

    for name, data in [("broken.yaml", b"template: mini\nanswers: [unclosed\n"),
                       ("gbk.yaml", "组织: 坏".encode("gbk")),
                       ("other.yaml", b"template: sales_funnel\nanswers: {}\n")]:
        at.file_uploader(key="import_file").set_value((name, data, "application/x-yaml"))
        ok(at.run())
        at.button(key="import_button").click().run()
        ok(at)
        assert at.error, name
    assert open_repository().load_answers(aid)["Ann"] == {"strategy.goals.defined": Answer(value="yes")}

    good = b"template: mini\nanswers:\n  strategy.goals.maturity: 3\n  team.roles.sponsor: yes\n"
    at.file_uploader(key="import_file").set_value(("good.yaml", good, "application/x-yaml"))
    ok(at.run())
    at.button(key="import_button").click().run()
    assert any("Imported 2 answers" in s.value for s in at.success)
    stored = open_repository().load_answers(aid)["Ann"]
    assert stored["team.roles.sponsor"].value == "yes" and stored["strategy.goals.defined"].value == "yes"


def test_demo_assessment_in_one_click(app_env):
    at = ok(new_app(lang="zh").run())
    at.button(key="demo_button").click().run()
    ok(at)
    aid = at.query_params["a"]
    people = open_repository().list_respondents(aid)
    assert len(people) == 4  # the three of the demo file and the visitor, a guest
    page(at, "results")
    assert metric(at, "总体得分") not in ("—", "")
    page(at, "workshop")
    assert any("分歧项" in s.value for s in at.subheader)


def test_every_page_renders_without_an_assessment(app_env):
    for p in ["home", "results", "workshop", "actions", "transfer", "phases/strategy", "phases/vendor"]:
        at = ok(new_app(lang="en").switch_page(f"ui/{p}.py").run())
        assert not at.exception


def test_action_plan_is_stored(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/team")
    field(at.radio, "v::team.roles.sponsor").set_value("no").run()
    page(at, "actions")
    editor = [d for d in at.dataframe if (d.key or "").startswith("action_editor::")]
    assert len(editor) == 1
    # the page shows a stored plan (storing edited rows is tests/test_services_assessments.py)
    open_repository().save_action(aid, ActionItem(item_id="team.roles.sponsor", owner="CEO 办公室", due="2027-01-31",
                                                  status=ActionStatus.in_progress))
    page(at, "actions")
    assert at.dataframe or at.data_editor


def test_reassessment_progress_and_trend(app_env):
    at = new_app(lang="en")
    first = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("no").run()
    page(at, "progress")
    assert any("Nothing to compare yet" in i.value for i in at.info)
    at.radio(key="reassess_copy").set_value("copy").run()
    at.button(key="reassess_button").click().run()
    ok(at)
    second = at.query_params["a"]
    assert second != first
    repo = open_repository()
    assert repo.get_assessment_meta(second).baseline_id == first
    # the answers were copied as the starting point
    assert repo.load_answers(second)["Ann"]["strategy.goals.defined"].value == "no"

    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    page(at, "progress")
    # strategy went from 0 (defined no) to 100: overall +100, the blocker is resolved
    assert next(m for m in at.metric if m.label == "Overall score").value == "100"
    assert any("Blockers resolved (1)" in m.value for m in at.markdown)


def test_a_broken_custom_template_is_listed_with_its_problems_and_hides_nothing(app_env):
    # a level id that is a list once raised TypeError while loading, and every page showed an error
    bad = MINI.read_text(encoding="utf-8").replace("{id: not_ready,", "{id: [not_ready],", 1)
    assert bad != MINI.read_text(encoding="utf-8")
    (app_env / "templates" / "broken.yaml").write_text(bad + "# **not markdown**\n", encoding="utf-8")
    at = ok(new_app(lang="en").run())
    assert len(at.selectbox(key="new_template").options) == 4  # the three shipped templates and mini
    assert any("could not be used" in w.value for w in at.warning)
    shown = "\n".join(c.value for c in at.code)
    assert "broken.yaml:" in shown and "[levels[0].id]" in shown
    assert "internal error" not in shown
    listed = "\n".join(t.value for t in at.text)
    for tid in ("sales_funnel", "crm_system", "customer_followup", "mini"):
        assert f"· {tid} v" in listed


def test_a_must_marked_not_applicable_asks_for_its_reason(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    field(at.checkbox, "na::strategy.goals.defined").check().run()
    hint = "This is a must item: marking it not applicable needs a reason."
    assert any(hint in c.value for c in at.caption)
    field(at.text_input, "r::strategy.goals.defined").input("集团统一制定目标").run()
    assert not any(hint in c.value for c in at.caption)
    assert open_repository().load_answers(aid)["Ann"]["strategy.goals.defined"] == Answer(
        value="na", reason="集团统一制定目标")
    # a should item marked n/a gets no such hint
    field(at.checkbox, "na::strategy.goals.maturity").check().run()
    assert not any(hint in c.value for c in at.caption)


def _progress_texts(at: AppTest) -> tuple[str, str]:
    """The phase progress bar's text and the overall progress caption, as the questionnaire shows them."""
    bar = at.get("progress")
    assert len(bar) == 1
    overall = [c.value for c in at.caption if c.value.startswith("Overall progress:")]
    assert len(overall) == 1
    return bar[0].proto.text, overall[0]


def test_questionnaire_progress_is_the_results_completion(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    field(at.radio, "v::strategy.goals.maturity").set_value(2).run()
    page(at, "phases/data")
    field(at.checkbox, "na::data.sources.inventory").check().run()
    page(at, "phases/vendor")
    field(at.checkbox, "na::vendor.criteria.integration").check().run()
    # 8 questions (exit_owner hidden, the text item never counts), 2 of them n/a: 2 answered of 6, 33.33 %;
    # counting n/a as answered would say 4/8 = 50 % while the result says 33.33 % and "incomplete"
    page(at, "phases/strategy")
    assert _progress_texts(at) == ("Progress: 2/2 answered", "Overall progress: 2/6")
    page(at, "phases/data")
    assert _progress_texts(at) == ("Progress: 0/1 answered", "Overall progress: 2/6")
    page(at, "results")
    assert metric(at, "Completion") == "33.33%"
    assert metric(at, "Verdict") == "Incomplete"
    answers = open_repository().load_answers(aid)["Ann"]
    tpl = load_template(MINI)
    assert score(tpl, parse_assessment({"template": "mini", "answers": {
        k: a.model_dump(exclude_none=True) for k, a in answers.items()}}, {"mini": tpl})).progress.model_dump() == {
        "answered": 2, "applicable": 6, "share": 33.33}

    # a hidden depends_on child keeps its stored answer but counts nowhere: exit criteria show the
    # owner question (answered: 4 of 9 - 2 n/a = 7, 57.14 %), "names only" hides it again
    page(at, "phases/process")
    field(at.radio, "v::process.stages.model").set_value("exit_criteria").run()
    field(at.radio, "v::process.stages.exit_owner").set_value("yes").run()
    assert _progress_texts(at) == ("Progress: 2/2 answered", "Overall progress: 4/7")
    page(at, "results")
    assert metric(at, "Completion") == "57.14%"
    page(at, "phases/process")
    field(at.radio, "v::process.stages.model").set_value("names").run()
    # 3 answered (goals, maturity, stages) of 8 - 2 n/a - the hidden owner = 6: 50 %
    assert _progress_texts(at) == ("Progress: 1/1 answered", "Overall progress: 3/6")
    page(at, "results")
    assert metric(at, "Completion") == "50%"


def _labels(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def test_questions_show_their_number_and_a_note_marker_after_a_new_session(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/process")
    # question numbers: phase 2, items 1 and 2 ("2.2" is hidden by depends_on until exit criteria)
    assert any(v.startswith("**2.1** **How are funnel stages defined?**") for v in _labels(at))
    assert not any("1.1" in v for v in _labels(at))  # must NOT: numbers of another phase
    page(at, "phases/strategy")
    assert not any("note" in v for v in _labels(at))  # must NOT: a note marker without a note
    open_details(at, "strategy.goals.maturity")
    field(at.text_input, "n::strategy.goals.maturity").input("only the sales team").run()
    # a new session with the same link (a browser refresh, F5): the item says it has a note
    again = ok(new_app(**link(at)).switch_page("ui/phases/strategy.py").run())
    marked = [v for v in _labels(again) if ":blue-badge[✎ note]" in v]
    assert len(marked) == 1 and "1.2" in marked[0] and "How mature is goal management?" in marked[0]
    assert open_repository().load_answers(aid)["Ann"]["strategy.goals.maturity"].note == "only the sales team"


def test_follow_up_questions_are_not_called_hidden_before_anything_is_answered(app_env):
    at = new_app(lang="en")
    create(at)
    page(at, "phases/process")
    captions = [c.value for c in at.caption]
    assert "1 follow-up questions appear depending on answers not given yet" in captions
    assert not any("hidden by earlier answers" in c for c in captions)  # must NOT: nothing answered yet
    field(at.radio, "v::process.stages.model").set_value("names").run()
    captions = [c.value for c in at.caption]
    assert "1 questions hidden by earlier answers" in captions
    assert not any("follow-up" in c for c in captions)


def test_not_applicable_is_the_same_checkbox_for_every_item_type(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "phases/strategy")
    goals = field(at.radio, "v::strategy.goals.defined")
    assert "na" not in goals.options and "Not applicable" not in goals.options  # must NOT: an inline n/a
    field(at.checkbox, "na::strategy.goals.defined").check().run()
    assert field(at.radio, "v::strategy.goals.defined").disabled
    assert open_repository().load_answers(aid)["Ann"]["strategy.goals.defined"].value == "na"
    field(at.checkbox, "na::strategy.goals.defined").uncheck().run()
    assert "strategy.goals.defined" not in open_repository().load_answers(aid).get("Ann", {})


def test_the_two_language_controls_are_told_apart_and_the_mean_explains_its_rounding(app_env):
    at = ok(new_app(lang="en").run())
    labels = [r.label for r in at.radio]
    assert "Interface language" in labels and "Assessment and report language" in labels
    assert "Language" not in labels  # must NOT: two controls with the same name
    create(at)
    page(at, "workshop")
    method = at.radio(key="ws_method")
    assert "average 0.25" in method.help and 'the combined answer is "no"' in method.help
    # whole sidebar titles: the page carries the wrapping rule for links, captions and tags
    assert any("white-space: normal" in m.value for m in at.sidebar.markdown)


def test_the_join_form_speaks_the_interface_language(app_env):
    at = new_app(lang="zh")
    aid = create(at)
    fresh = ok(new_app(lang="zh", a=aid).run())
    role = fresh.text_input(key="join_role")
    assert role.placeholder == "销售 / 市场 / IT / 财务"
    assert "sales" not in role.placeholder  # must NOT: English in the Chinese form
