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
