"""Who may do what: the facilitator is whoever holds the facilitator link (a role, not a typed name),
and a name already in the room is its owner's, proven by the token in their own link.

Each power is tried by the facilitator (it works) and by a participant, by someone typing the
facilitator's name, and by a wrong key (it must NOT work, and nothing stored changes)."""

from __future__ import annotations

import pytest
from support import MINI, create, field, join, link, new_app, ok

import storage
from checklists import load_template
from scoring import NOTE_MAX, Answer, AnswersError, parse_assessment

ITEM = "strategy.goals.defined"


def _workshop(**params: str):
    return ok(new_app(**params).switch_page("ui/workshop.py").run())


def _powers(at) -> dict[str, bool]:
    """Which facilitator controls the workshop page offers (and whether they can be used)."""
    method = at.radio(key="ws_method")
    return {"settings": not method.disabled,
            "out_of_scope": any((c.key or "").startswith("scope::") for c in at.checkbox),
            "final_answers": any(b.key == "final_save" for b in at.button)}


def test_only_the_facilitator_link_gives_the_facilitators_powers(app_env):
    ann = new_app(lang="en")
    aid = create(ann)
    facilitator = link(ann)
    assert facilitator["f"] and facilitator["t"] and facilitator["who"] == "Ann"
    repo = storage.open_repository()
    assert repo.get_assessment_meta(aid).has_facilitator_key

    # the facilitator's own link: every power
    at = _workshop(**facilitator)
    assert _powers(at) == {"settings": True, "out_of_scope": True, "final_answers": True}
    assert "Facilitator mode" in [c.value for c in at.sidebar.caption]
    at.radio(key="ws_method").set_value("min").run()
    assert repo.get_assessment_meta(aid).settings.method == "min"

    # must NOT: a participant, the facilitator's name typed by someone else, a wrong key, Ann's
    # participant link without the key
    bob = join(new_app(lang="en", a=aid), "Bob")
    for params in (link(bob), {"lang": "en", "a": aid, "who": "Ann"}, {**link(bob), "f": "x" * 32},
                   {k: v for k, v in facilitator.items() if k != "f"}):
        at = _workshop(**params)
        assert _powers(at) == {"settings": False, "out_of_scope": False, "final_answers": False}, params
        assert "Only the facilitator can change these settings." in [c.value for c in at.caption]
    assert repo.get_assessment_meta(aid).settings.method == "min"
    assert repo.load_final_answers(aid) == {} and repo.get_assessment_meta(aid).out_of_scope == {}


def test_only_the_facilitator_starts_a_reassessment_and_gets_its_own_key(app_env):
    ann = new_app(lang="en")
    aid = create(ann)
    bob = join(new_app(lang="en", a=aid), "Bob")
    repo = storage.open_repository()

    at = ok(new_app(**link(bob)).switch_page("ui/progress.py").run())
    assert at.button(key="reassess_button").disabled  # must NOT: a participant starts one
    assert repo.list_reassessments(aid) == []

    at = ok(new_app(**link(ann)).switch_page("ui/progress.py").run())
    ok(at.button(key="reassess_button").click().run())
    (new,) = repo.list_reassessments(aid)
    params = link(at)
    assert params["a"] == new.id and params["f"] != link(ann)["f"]
    assert repo.is_facilitator(new.id, params["f"])
    assert not repo.is_facilitator(new.id, link(ann)["f"])  # the old key opens nothing new
    assert _powers(_workshop(**params))["settings"]


def test_a_name_already_in_the_room_asks_for_its_owners_link(app_env):
    ann = new_app(lang="en")
    aid = create(ann)
    bob = join(new_app(lang="en", a=aid), "Bob Li")
    ok(bob.switch_page("ui/phases/strategy.py").run())
    field(bob.radio, f"v::{ITEM}").set_value("yes").run()

    # someone else types the same name, with a double or a full-width space, or full-width letters
    for typed in ("Bob Li", "Bob  Li", "Bob\u3000Li", "Ｂｏｂ Ｌｉ"):
        other = join(new_app(lang="en", a=aid), typed)
        assert any("Someone named 'Bob Li' has already joined" in w.value for w in other.warning), typed
        assert "who" not in other.query_params
        # and through a link that names Bob without his token
        other = ok(new_app(lang="en", a=aid, who=typed).switch_page("ui/phases/strategy.py").run())
        assert not [r for r in other.radio if (r.key or "").startswith(f"v::{ITEM}::")]  # must NOT see them
    repo = storage.open_repository()
    assert [r.name for r in repo.list_respondents(aid)] == ["Ann", "Bob Li"]

    # Bob's own link, in a new session: Bob, with his answer
    again = ok(new_app(**link(bob)).switch_page("ui/phases/strategy.py").run())
    assert field(again.radio, f"v::{ITEM}").value == "yes"
    assert repo.load_answers(aid)["Bob Li"] == {ITEM: Answer(value="yes")}


def test_join_as_gives_tokens_and_checks_them(repo: storage.Repository):
    aid = repo.create_assessment(load_template(MINI), "Acme", "", "en", "Ann", facilitator_key="k" * 32)
    li = repo.join_as(aid, "  Li\u3000Lei ")
    assert li.name == "Li Lei" and len(li.token) >= 32
    assert repo.join_as(aid, "Li Lei", token=li.token) == li
    for token in (None, "", "wrong", li.token[:-1]):
        with pytest.raises(storage.NameTaken):
            repo.join_as(aid, "Li Lei", token=token)
    # a name that joined through a trusted door (an import) is claimed once, then guarded
    rid = repo.join(aid, "Wang Min")
    wang = repo.join_as(aid, "Wang Min")
    assert wang.id == rid
    with pytest.raises(storage.NameTaken):
        repo.join_as(aid, "Wang Min")
    assert repo.is_facilitator(aid, "k" * 32)
    assert not any(repo.is_facilitator(aid, k) for k in (None, "", "k" * 31, li.token))


def test_a_field_change_writes_only_that_field_and_only_over_what_was_shown(repo: storage.Repository):
    aid = repo.create_assessment(load_template(MINI), "Acme", "", "en", "Ann")
    me = repo.join_as(aid, "Ann")
    first = repo.update_answer(aid, me.id, ITEM, {"value": "yes", "confidence": "evidence"}, expected_version=0)
    assert first.answer == Answer(value="yes", confidence="evidence") and first.version > 0
    noted = repo.update_answer(aid, me.id, ITEM, {"note": "年度计划"}, expected_version=first.version)
    assert noted.answer == Answer(value="yes", note="年度计划", confidence="evidence")  # value kept
    assert noted.version > first.version
    # must NOT: a page that showed the first version overwrites the newer one
    with pytest.raises(storage.AnswerConflict) as refused:
        repo.update_answer(aid, me.id, ITEM, {"value": "no"}, expected_version=first.version)
    assert refused.value.current == noted
    assert repo.load_respondent_answers(aid, me.id)[ITEM] == noted
    # clearing every field removes the answer; its version is then 0 again
    gone = repo.update_answer(aid, me.id, ITEM, {"value": None, "note": None, "confidence": None},
                              expected_version=noted.version)
    assert gone.version == 0 and repo.load_respondent_answers(aid, me.id) == {}
    assert [e.new for e in repo.audit_trail(aid)][-1] is None


def test_one_set_of_length_limits_at_every_door(repo: storage.Repository):
    tpl = load_template(MINI)
    aid = repo.create_assessment(tpl, "Acme", "", "en", "Ann")
    me = repo.join_as(aid, "Ann")
    fits, too_long = "备" * NOTE_MAX, "备" * (NOTE_MAX + 1)
    repo.update_answer(aid, me.id, ITEM, {"value": "yes", "note": fits})
    for door in (lambda: repo.update_answer(aid, me.id, ITEM, {"note": too_long}),
                 lambda: repo.save_answer(aid, me.id, ITEM, Answer(value="no", note=too_long)),
                 lambda: repo.save_final_answer(aid, ITEM, Answer(value="no", note=too_long))):
        with pytest.raises(storage.InvalidInput, match=f"at most {NOTE_MAX:,}"):
            door()
    with pytest.raises(AnswersError, match=f"'{ITEM}': the note is {NOTE_MAX + 1:,} characters"):
        parse_assessment({"template": "mini", "answers": {ITEM: {"value": "no", "note": too_long}}},
                         {"mini": tpl})
    # must NOT: a refused write changed what is stored; a later value-only change cuts the note
    repo.update_answer(aid, me.id, ITEM, {"value": "partial"})
    assert repo.load_answers(aid)["Ann"][ITEM] == Answer(value="partial", note=fits)
