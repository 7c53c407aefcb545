"""The action plan page in AppTest: editable columns first, question numbers instead of ids, no None,
the ready-on date and what it waits for, flagged blockers, phase targets; in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from support import create, field, new_app, ok

from scoring import ActionItem, ActionStatus
from storage import open_repository


def page(at, name):
    return ok(at.switch_page(f"ui/{name}.py").run())


def _blocked_room(lang: str):
    at = new_app(lang=lang)
    aid = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("no").run()
    page(at, "phases/team")
    field(at.radio, "v::team.roles.sponsor").set_value("no").run()
    return at, aid


def _editor(at):
    found = [d for d in at.dataframe if (d.key or "").startswith("action_editor::")]
    assert len(found) == 1
    return found[0]


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    parts += [w.value for w in at.warning] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_editor_shows_editable_columns_first_numbers_not_ids_and_no_none(app_env, lang):
    at, aid = _blocked_room(lang)
    page(at, "actions")
    editor = _editor(at)
    df = editor.value.reset_index(drop=True)  # the index holds the item id; the page hides it
    owner, due = ("Owner", "Due date") if lang == "en" else ("负责人", "截止日期")
    assert list(df.columns)[:2] == [owner, due]
    assert "id" not in df.columns and "_id" not in df.columns
    text = df.astype(str).to_string()
    assert "team.roles.sponsor" not in text and "None" not in text, text
    assert "4.1" in set(df.iloc[:, 5]) and "1.1" in set(df.iloc[:, 5])  # question numbers
    assert "✎" in _text(at)
    # both blockers flagged: nobody owns them yet
    flagged = "These blockers have no action" if lang == "en" else "以下阻断项还没有带负责人和截止日期的行动"
    assert flagged in _text(at)
    never = "Not with this plan" if lang == "en" else "按当前计划无法解除"
    assert never in _text(at)


def test_a_stored_plan_gives_the_ready_on_date_and_its_critical_path(app_env):
    at, aid = _blocked_room("en")
    repo = open_repository()
    soon = dt.date.today() + dt.timedelta(days=40)
    later = dt.date.today() + dt.timedelta(days=100)
    repo.save_action(aid, ActionItem(item_id="strategy.goals.defined", owner="Li Na", due=soon.isoformat(),
                                     expect="yes", effort="S"))
    repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", owner="Wang Min", due=later.isoformat(),
                                     expect="yes"))
    page(at, "actions")
    assert next(m.value for m in at.metric if m.label == "Ready on, if the plan holds") == later.isoformat()
    text = _text(at)
    assert "These blockers have no action" not in text  # must NOT flag a planned blocker
    assert "No. 1.1" in text and "No. 4.1" in text and "Wang Min" in text
    assert "Within 90 days" in text and "Later" in text
    df = _editor(at).value
    row = df[df["No."] == "4.1"].iloc[0]
    assert (row["Owner"], row["Expected answer"], row["Answer today"]) == ("Wang Min", "Yes", "No")
    # an overdue action slips: ready on today at the earliest, never in the past
    repo.save_action(aid, ActionItem(item_id="team.roles.sponsor", owner="Wang Min", expect="yes",
                                     due=(dt.date.today() - dt.timedelta(days=3)).isoformat(),
                                     status=ActionStatus.in_progress))
    page(at, "actions")
    assert next(m.value for m in at.metric if m.label == "Ready on, if the plan holds") == soon.isoformat()
    assert "3 days overdue" in _text(at)  # the slip is shown on the critical path


def test_phase_targets_are_set_per_assessment(app_env):
    at, aid = _blocked_room("zh")
    page(at, "actions")
    box = at.selectbox(key="target::vendor")
    assert box.value is None
    box.set_value("emerging").run()
    assert open_repository().load_phase_targets(aid) == {"vendor": "emerging"}
    at.selectbox(key="target::vendor").set_value(None).run()
    assert open_repository().load_phase_targets(aid) == {}


def test_the_results_page_shows_the_ready_on_date_critical_path_and_targets(app_env):
    at, aid = _blocked_room("zh")
    repo = open_repository()
    due = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    for item in ("strategy.goals.defined", "team.roles.sponsor"):
        repo.save_action(aid, ActionItem(item_id=item, owner="王敏", due=due, expect="yes"))
    repo.save_phase_target(aid, "strategy", "emerging")
    page(at, "results")
    assert next(m.value for m in at.metric if m.label == "按计划解除阻断日期") == due
    text = _text(at)
    assert "关键路径上的行动" in text and "题号 1.1" in text and "题号 4.1" in text
    assert "战略 — 目标 初步就绪 (50) · 0 ✗" in text
    # must NOT: planned blockers flagged as unowned
    assert "以下阻断项还没有带负责人和截止日期的行动" not in text


def test_target_lines_follow_the_template_and_the_assessment():
    from pathlib import Path

    from checklists import load_template
    from ui.plan_views import target_lines

    shipped = load_template(Path(__file__).parent.parent / "checklists" / "sales_funnel.yaml")
    assert target_lines(shipped, {}) == [65, 65, 65, 65, 65]
    assert target_lines(shipped, {"vendor": "foundational"}) == [65, 65, 65, 65, 40]
    mini = load_template(Path(__file__).parent / "data" / "mini.yaml")
    assert target_lines(mini, {}) == [None] * 5


def test_progress_shows_whether_each_expected_answer_was_reached(app_env):
    at, first = _blocked_room("en")
    repo = open_repository()
    repo.save_action(first, ActionItem(item_id="strategy.goals.defined", owner="Li", due="2027-03-01", expect="yes"))
    repo.save_action(first, ActionItem(item_id="team.roles.sponsor", owner="Wang", due="2027-05-01", expect="yes"))
    page(at, "progress")
    at.radio(key="reassess_copy").set_value("copy").run()
    at.button(key="reassess_button").click().run()
    ok(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    page(at, "progress")
    table = next(d.value for d in at.dataframe if "Planned vs actual" in d.value.columns)
    got = dict(zip(table["No."], table["Planned vs actual"], strict=True))
    assert got == {"1.1": "Expected answer reached", "4.1": "Expected answer not reached"}


def test_the_projection_chart_has_no_month_names_and_colours_blocked_points():
    from pathlib import Path

    from checklists import load_template
    from scoring import parse_assessment, project
    from ui.plan_views import projection_figure

    mini = load_template(Path(__file__).parent / "data" / "mini.yaml")
    a = parse_assessment({"template": "mini", "answers": {"strategy.goals.defined": "no", "team.roles.sponsor": "yes"}},
                         {"mini": mini})
    plan = [ActionItem(item_id="strategy.goals.defined", owner="Li", due="2027-03-20", expect="yes")]
    fig = projection_figure(project(mini, a, plan, today=dt.date(2027, 1, 15)), mini, "zh")
    assert fig.layout.xaxis.tickformat == "%Y-%m"
    colours = list(fig.data[0].marker.color)
    assert colours[:3] == ["#B42318"] * 3 and "#B42318" not in colours[3:]
    assert list(fig.data[0].text)[:1] == ["受阻"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_edited_cells_become_only_the_fields_they_change(lang):
    from pathlib import Path

    from checklists import load_template
    from ui.plan_views import NONE, cells_to_changes, expect_choices, plan_columns

    mini = load_template(Path(__file__).parent / "data" / "mini.yaml")
    col = plan_columns(lang)
    yes = next(label for label, v in expect_choices(mini, mini.item("team.roles.sponsor"), lang).items() if v == "yes")
    changes, problems = cells_to_changes(mini, "team.roles.sponsor",
                                         {col["owner"]: " 王敏 ", col["due"]: "2027-05-10", col["expect"]: yes}, lang)
    assert changes == {"owner": "王敏", "due": "2027-05-10", "expect": "yes"} and problems == []
    # clearing a cell clears its field; a column not edited is not named at all (what is stored stays)
    changes, _ = cells_to_changes(mini, "team.roles.sponsor", {col["due"]: "", col["effort"]: NONE}, lang)
    assert changes == {"due": None, "effort": None}
    # must NOT: a date that is no date, or an answer the item does not take, replace what is stored
    changes, problems = cells_to_changes(mini, "team.roles.sponsor",
                                         {col["due"]: "2027-02-30", col["expect"]: "maybe"}, lang)
    assert changes == {} and len(problems) == 2
    assert "4.1" in problems[0] and "2027-02-30" in problems[0] and "maybe" in problems[1]


def _plan_editor(repo):
    """An assessment of the small template with two gaps, as the plan editor shows it (row ids, labels)."""
    from pathlib import Path

    from checklists import load_template
    from scoring import Answer
    from ui.plan_views import plan_columns

    mini = load_template(Path(__file__).parent / "data" / "mini.yaml")
    aid = repo.create_assessment(mini, "Example Co", "CRM", "en", "Ann")
    me = repo.join(aid, "Ann")
    for item in ("strategy.goals.defined", "team.roles.sponsor"):
        repo.save_answer(aid, me, item, Answer(value="no"))
    return mini, aid, ["strategy.goals.defined", "team.roles.sponsor"], plan_columns("en")


def test_editor_cells_are_stored_once_each_over_what_is_stored_now(repo):
    from ui.plan_views import plan_snapshot, store_edits

    mini, aid, rows, col = _plan_editor(repo)
    edits = {0: {col["owner"]: "Li Na"}}
    done = store_edits(repo, mini, aid, "en", rows, edits, {}, plan_snapshot([]))
    assert done.saved and done.fault is None and done.problems == []
    assert [(a.item_id, a.owner) for a in repo.load_action_plan(aid)] == [("strategy.goals.defined", "Li Na")]
    assert done.known == plan_snapshot(repo.load_action_plan(aid))  # the editor shows all that is stored
    # someone else renames the owner; this editor then sets a due date on the same row: its old owner
    # cell (already stored once) must NOT be written again over theirs
    (a,) = repo.load_action_plan(aid)
    repo.save_action(aid, a.model_copy(update={"owner": "Wang Min"}))
    edits = {0: {col["owner"]: "Li Na", col["due"]: "2027-03-20"}}
    again = store_edits(repo, mini, aid, "en", rows, edits, done.applied, done.known)
    (a,) = repo.load_action_plan(aid)
    assert (a.owner, a.due) == ("Wang Min", "2027-03-20")
    assert again.known is None  # the plan changed elsewhere: the page starts its editor again from storage


def test_an_edit_the_database_refuses_is_kept_and_stored_with_the_next_one(repo, monkeypatch):
    import storage
    from ui.plan_views import plan_snapshot, store_edits

    mini, aid, rows, col = _plan_editor(repo)
    real = repo.save_action

    def down(*args, **kwargs):
        raise storage.StorageUnavailable("the database is busy", 4)

    monkeypatch.setattr(repo, "save_action", down)
    first = {1: {col["owner"]: "Wang Min"}}
    failed = store_edits(repo, mini, aid, "en", rows, first, {}, plan_snapshot([]))
    assert isinstance(failed.fault, storage.StorageUnavailable) and not failed.saved
    assert failed.applied == {}  # must NOT count as stored
    monkeypatch.setattr(repo, "save_action", real)
    both = {1: {col["owner"]: "Wang Min", col["due"]: "2027-05-10"}}
    done = store_edits(repo, mini, aid, "en", rows, both, failed.applied, failed.known)
    assert done.fault is None
    (a,) = repo.load_action_plan(aid)
    assert (a.item_id, a.owner, a.due) == ("team.roles.sponsor", "Wang Min", "2027-05-10")


def test_an_edit_the_database_refused_is_saved_on_a_later_run_of_the_page(app_env, monkeypatch):
    """The editor's save failed (database unavailable): the page says so, keeps the edit, and stores it
    on its next run once the database is back; a run while it is still down stores nothing twice."""
    import storage
    import ui.plan_views

    at, aid = _blocked_room("en")
    page(at, "actions")
    rows = list(_editor(at).value.index)
    at.session_state["plan_retry"] = {"aid": aid, "key": _editor(at).key, "rows": rows,
                                      "edits": {0: {"Owner": "Li Na"}}}
    real = ui.plan_views.save_plan_changes

    def down(*args, **kwargs):
        raise storage.StorageUnavailable("the database is busy", 4)

    monkeypatch.setattr(ui.plan_views, "save_plan_changes", down)
    page(at, "actions")
    assert [e.value for e in at.error] == [
        "The database cannot be reached right now. Everything saved before is kept; this page works again once "
        "it is back."]
    assert open_repository().load_action_plan(aid) == []  # must NOT: claimed as stored
    monkeypatch.setattr(ui.plan_views, "save_plan_changes", real)
    page(at, "actions")
    (action,) = open_repository().load_action_plan(aid)
    assert (action.item_id, action.owner) == (rows[0], "Li Na")
    assert "plan_retry" not in at.session_state and not at.error
