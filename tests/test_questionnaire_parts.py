"""A long phase (a consultant's own 80-item checklist) is shown 30 items at a time: every answer is stored
and shown on its part, the parts keep the template's numbers, and a short phase has no parts at all.
The real page through AppTest, on SQLite."""

from __future__ import annotations

import copy

import yaml
from support import MINI, create, field, join, new_app, ok

from scoring import Answer

N = 80  # items in the long phase: parts of 30, 30 and 20


def _long_template(folder) -> None:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["id"] = "long"
    data["title"] = {"zh": "长清单", "en": "A long checklist"}
    strategy = data["phases"][0]
    first = strategy["items"][0]  # a status item without depends_on
    strategy["items"] = []
    for i in range(N):
        it = copy.deepcopy(first)
        it["id"] = f"strategy.long.q{i + 1}"
        it["question"] = {"zh": f"第 {i + 1} 题？", "en": f"Question {i + 1}?"}
        strategy["items"].append(it)
    (folder / "templates" / "long.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _drawn(at) -> list[int]:
    """The numbers of the long phase's items whose answer widget is on the page."""
    return sorted(int(r.key.split("::")[1].rsplit("q", 1)[1]) for r in at.radio
                  if (r.key or "").startswith("v::strategy.long."))


def test_a_long_phase_is_shown_part_by_part_and_every_answer_is_stored_and_shown(app_env):
    _long_template(app_env)
    aid = create(new_app(lang="en"), template="long", facilitator="Fiona")
    at = ok(join(new_app(lang="en", a=aid), "Ann").switch_page("ui/phases/strategy.py").run())
    assert _drawn(at) == list(range(1, 31))  # must NOT: item 31 or later drawn on the first part
    part = at.selectbox(key="part::strategy")
    assert part.options == ["1–30 (of 80)", "31–60 (of 80)", "61–80 (of 80)"]
    assert any("**1.30**" in m.value for m in at.markdown) and not any("**1.31**" in m.value for m in at.markdown)
    ok(field(at.radio, "v::strategy.long.q2").set_value("yes").run())

    ok(at.button(key="next_part::strategy").click().run())  # on to the next part, from under the last item
    assert _drawn(at) == list(range(31, 61))
    assert any("**1.45**" in m.value for m in at.markdown)  # the template's numbers, not the part's
    ok(field(at.radio, "v::strategy.long.q45").set_value("partial").run())

    ok(at.selectbox(key="part::strategy").set_value(2).run())
    assert _drawn(at) == list(range(61, 81))
    assert not [b for b in at.button if b.key == "next_part::strategy"]  # must NOT: a next part after the last
    ok(at.selectbox(key="part::strategy").set_value(0).run())
    assert field(at.radio, "v::strategy.long.q2").value == "yes"  # shown again as stored

    import storage

    stored = storage.open_repository().load_answers(aid)["Ann"]
    assert stored == {"strategy.long.q2": Answer(value="yes"), "strategy.long.q45": Answer(value="partial")}
    # the progress counts the answers of every part, not of the part shown
    assert any(c.value.startswith("Overall progress: 2/") for c in at.caption)


def test_a_short_phase_has_no_parts(app_env):
    aid = create(new_app(lang="en"), facilitator="Fiona")
    at = ok(join(new_app(lang="en", a=aid), "Ann").switch_page("ui/phases/strategy.py").run())
    assert not [s for s in at.selectbox if s.key == "part::strategy"]
    assert not [b for b in at.button if b.key == "next_part::strategy"]
