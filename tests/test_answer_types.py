"""One object per answer type: what each type knows, exact scores, properties, and no type dispatch
anywhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklists import (
    ANSWER_TYPES,
    NA,
    SCALE_MAX,
    STATUS_SCORES,
    AnswerKind,
    AnswerType,
    NotAllowed,
    load_template,
)
from scoring import Answer, consolidate, item_score, normalise_value, value_label

ROOT = Path(__file__).resolve().parent.parent
MINI = load_template(Path(__file__).parent / "data" / "mini.yaml")
ITEM = {it.type: it for it in reversed(MINI.items())}  # the first item of each type
NUMBER = MINI.item("data.quality.duplicates")  # a percentage 0-100, target 5, lower is better, scored
ITEM[AnswerType.number] = MINI.item("vendor.criteria.cost")  # no bounds, unscored


def test_every_answer_type_has_exactly_one_object():
    assert set(ANSWER_TYPES) == set(AnswerType)
    for t, kind in ANSWER_TYPES.items():
        assert isinstance(kind, AnswerKind) and kind.type is t
    assert len({id(k) for k in ANSWER_TYPES.values()}) == len(AnswerType)
    # an item asks its type object, never a copy
    for it in MINI.items():
        assert it.kind is ANSWER_TYPES[it.type]


@pytest.mark.parametrize("t,values", [
    (AnswerType.status, ["yes", "partial", "no"]),
    (AnswerType.scale, list(range(SCALE_MAX + 1))),
    (AnswerType.choice, ["none", "names", "exit_criteria"]),
    (AnswerType.multi, ["spreadsheets", "mailboxes", "legacy"]),
    (AnswerType.number, []),
    (AnswerType.text, []),
])
def test_allowed_values(t, values):
    assert ITEM[t].allowed_values() == values
    assert NA not in ITEM[t].allowed_values()


@pytest.mark.parametrize("t,raw,value", [
    (AnswerType.status, True, "yes"), (AnswerType.status, " Partial ", "partial"), (AnswerType.status, False, "no"),
    (AnswerType.scale, "3", 3), (AnswerType.scale, 4.0, 4), (AnswerType.scale, 0, 0),
    (AnswerType.choice, "names", "names"),
    (AnswerType.multi, "legacy", ["legacy"]), (AnswerType.multi, ["legacy", "spreadsheets"], ["spreadsheets", "legacy"]),
    (AnswerType.number, "1,200", 1200), (AnswerType.number, 7.5, 7.5), (AnswerType.number, 3.0, 3),
    (AnswerType.text, 12, "12"), (AnswerType.text, "hi", "hi"),
])
def test_normalisation(t, raw, value):
    assert ITEM[t].kind.normalise(ITEM[t], raw) == value
    assert normalise_value(ITEM[t], raw) == value


@pytest.mark.parametrize("t,raw", [
    (AnswerType.status, "maybe"), (AnswerType.status, 1),
    (AnswerType.scale, SCALE_MAX + 1), (AnswerType.scale, True), (AnswerType.scale, "²"), (AnswerType.scale, 2.5),
    (AnswerType.choice, "other"), (AnswerType.choice, ["names"]),
    (AnswerType.multi, ["legacy", "other"]), (AnswerType.multi, 3),
    (AnswerType.number, "abc"), (AnswerType.number, True), (AnswerType.number, 1e16), (AnswerType.number, {"a": 1}),
    (AnswerType.text, True), (AnswerType.text, ["a"]),
])
def test_refused_values(t, raw):
    with pytest.raises(NotAllowed):
        ITEM[t].kind.normalise(ITEM[t], raw)
    with pytest.raises(ValueError, match=ITEM[t].id.replace(".", r"\.")):
        normalise_value(ITEM[t], raw)


@pytest.mark.parametrize("t,value,expected", [
    (AnswerType.status, "yes", 1.0), (AnswerType.status, "partial", 0.5), (AnswerType.status, "no", 0.0),
    (AnswerType.scale, 3, 0.75), (AnswerType.scale, 0, 0.0), (AnswerType.scale, SCALE_MAX, 1.0),
    (AnswerType.choice, "names", 0.5),
    # (0.5 + 1) / (0.5 + 0.5 + 1)
    (AnswerType.multi, ["spreadsheets", "legacy"], 0.75), (AnswerType.multi, [], 0.0),
    # lower is better, target 5: at or under is full marks, 7.5 is 1 - 2.5/5, 10 and more is zero
    (AnswerType.number, 4, 1.0), (AnswerType.number, 7.5, 0.5), (AnswerType.number, 12, 0.0),
    (AnswerType.text, "anything", None),
])
def test_exact_item_scores(t, value, expected):
    item = NUMBER if t is AnswerType.number else ITEM[t]
    assert item_score(item, value) == expected
    # not applicable and unanswered are never scored, whatever the type
    assert item_score(item, NA) is None and item_score(item, None) is None


def test_an_unscored_number_has_no_score_and_a_text_is_never_a_must():
    cost = MINI.item("vendor.criteria.cost")
    assert not cost.scored and item_score(cost, 100) is None
    assert not ITEM[AnswerType.text].scored
    assert ITEM[AnswerType.text].best_score() == 0.0


def test_answered_and_applicable():
    for kind in ANSWER_TYPES.values():
        assert not kind.is_answered(None) and kind.is_answered(NA)
        assert not kind.is_applicable(NA) and kind.is_applicable(None)


def test_plain_text_in_both_languages():
    t = MINI
    assert value_label(t, ITEM[AnswerType.status], "partial", "zh") == "部分"
    assert value_label(t, ITEM[AnswerType.status], "partial", "en") == "Partial"
    assert value_label(t, ITEM[AnswerType.multi], ["spreadsheets", "legacy"], "zh") == "表格、旧系统"
    assert value_label(t, ITEM[AnswerType.multi], ["spreadsheets", "legacy"], "en") == "Spreadsheets, Legacy systems"
    assert value_label(t, ITEM[AnswerType.choice], "names", "en") == "Names only"
    assert value_label(t, ITEM[AnswerType.scale], 2, "en") == "2 · 2"
    assert value_label(t, NUMBER, 7.5, "zh") == "7.5 %"
    assert value_label(t, ITEM[AnswerType.text], "hi", "en") == "hi"
    assert value_label(t, ITEM[AnswerType.status], NA, "zh") == "不适用"
    assert value_label(t, ITEM[AnswerType.status], None, "en") == "—"


def test_widgets():
    w = {t: k.widget for t, k in ANSWER_TYPES.items()}
    assert (w[AnswerType.status].kind, w[AnswerType.status].na) == ("radio", "checkbox")  # n/a alike for all
    assert w[AnswerType.scale].kind == "radio" and w[AnswerType.scale].horizontal
    assert w[AnswerType.choice].kind == "radio" and not w[AnswerType.choice].horizontal
    assert w[AnswerType.multi].kind == "multiselect"
    assert w[AnswerType.number].kind == "number"
    assert (w[AnswerType.text].kind, w[AnswerType.text].na) == ("text", "checkbox")


def _room(item_id: str, *values) -> dict[str, dict[str, Answer]]:
    return {f"r{n}": {item_id: Answer(value=v)} for n, v in enumerate(values)}


@pytest.mark.parametrize("item_id,values,method,expected", [
    # mean of 1, 0.5, 0 is 0.5 → partial; min → no
    ("strategy.goals.defined", ("yes", "partial", "no"), "mean", "partial"),
    ("strategy.goals.defined", ("yes", "partial", "no"), "min", "no"),
    # mean of 1 and 0.5 is 0.75: partial and yes are equally near; the tie goes to the lower score
    ("strategy.goals.defined", ("yes", "partial"), "mean", "partial"),
    # scale: mean of 4 and 1 is 2.5 levels → 2 (the lower of the two nearest)
    ("strategy.goals.maturity", (4, 1), "mean", 2),
    # choice: a plurality combines by the mean score (0.5, 0.5, 1 → names); a 1-1-1 split is a tie the
    # room settles, left unknown (tests/test_workshop_agenda.py)
    ("process.stages.model", ("exit_criteria", "names", "names"), "mean", "names"),
    ("process.stages.model", ("exit_criteria", "none", "names"), "min", "none"),
    # multi: options at least half chose; min: options all chose
    ("data.sources.inventory", (["spreadsheets", "legacy"], ["legacy"]), "mean", ["spreadsheets", "legacy"]),
    ("data.sources.inventory", (["spreadsheets", "legacy"], ["legacy"]), "min", ["legacy"]),
    # number, lower is better: the least favourable is the highest
    ("data.quality.duplicates", (4, 10), "min", 10), ("data.quality.duplicates", (4, 9), "mean", 6.5),
    ("team.roles.notes", ("a", "b"), "mean", "a\nb"),
])
def test_consolidation_per_type(item_id, values, method, expected):
    out = consolidate(MINI, _room(item_id, *values), method)
    assert out[item_id].value == expected


@given(st.lists(st.sampled_from(list(STATUS_SCORES)), min_size=1, max_size=6),
       st.sampled_from(["mean", "min"]))
def test_a_consolidated_answer_is_an_allowed_value_within_the_respondents_range(values, method):
    item = ITEM[AnswerType.status]
    got = consolidate(MINI, _room(item.id, *values), method)[item.id].value
    assert got in item.allowed_values()
    scores = [STATUS_SCORES[v] for v in values]
    assert min(scores) <= STATUS_SCORES[got] <= max(scores)
    if method == "min":
        assert STATUS_SCORES[got] == min(scores)


# -- no type dispatch outside the type objects ------------------------------------------------------

# Where naming an answer type is allowed: the type objects themselves, and the report's method section
# (reports/builder.py),
# which describes how a status answer scores. bench/ is a measuring harness, not product code.
# the report's method page names the status type to explain how its answers score
ALLOWED = {"checklists/answer_types.py": None, "reports/builder.py": 1, "bench/bench_all.py": None}
TYPE_NAMES = {t.value for t in AnswerType}


def _dispatches(path: Path) -> list[int]:
    """Lines that test an answer type: `AnswerType.x`, or a comparison of something named `type`/`t`
    with a type name ("status", ...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "AnswerType":
            lines.append(node.lineno)
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [ast.unparse(o) for o in operands]
            typed = any(n == "t" or n.endswith("type") or n.endswith("type.value") for n in names)
            strings = {o.value for o in ast.walk(node) if isinstance(o, ast.Constant) and isinstance(o.value, str)}
            if typed and strings & TYPE_NAMES:
                lines.append(node.lineno)
    return sorted(set(lines))


def _product_files() -> list[Path]:
    return [p for p in sorted(ROOT.rglob("*.py"))
            if p.relative_to(ROOT).parts[0] not in ("tests", ".venv", "venv", "build") and ".git" not in p.parts]


def test_no_answer_type_dispatch_outside_the_type_objects():
    found = {}
    for p in _product_files():
        rel = str(p.relative_to(ROOT))
        lines = _dispatches(p)
        if not lines or rel in ALLOWED and (ALLOWED[rel] is None or len(lines) <= ALLOWED[rel]):
            continue
        found[rel] = lines
    assert found == {}, f"answer types tested outside checklists/answer_types.py: {found}"


def test_the_dispatch_check_finds_dispatch():
    """The check above must be able to fail."""
    sample = ROOT / "tests" / "_dispatch_sample.py"
    sample.write_text('def f(item, t):\n    if item.type is AnswerType.scale:\n        return 1\n'
                      '    if t == "multi":\n        return 2\n    return item.type.value == "status"\n',
                      encoding="utf-8")
    try:
        assert _dispatches(sample) == [2, 4, 6]
    finally:
        sample.unlink()


def test_the_scale_maximum_and_the_status_values_are_not_repeated():
    """SCALE_MAX and the status values have one definition; no product code spells them out again."""
    offenders = []
    for p in _product_files():
        rel = str(p.relative_to(ROOT))
        if rel == "checklists/answer_types.py":
            continue
        text = p.read_text(encoding="utf-8")
        for needle in ('"yes", "partial", "no"', '"no", "partial", "yes"', "range(5)", "/ 4)", "0-4",
                       '"guess", "belief", "evidence"'):
            if needle in text and rel not in ("bench/bench_all.py",):
                offenders.append((rel, needle))
    assert offenders == []


# -- number answers: units and bounds from the template --------------------------------------------

def _shipped():
    from checklists import load_all

    templates, problems = load_all()
    assert problems == []
    return templates


def test_shipped_number_items_declare_bounds_and_whole_quantities():
    numbers = [it for t in _shipped().values() for it in t.items() if it.kind.widget.kind == "number"]
    assert len(numbers) == 12
    for it in numbers:
        spec = it.number
        assert spec.unit.zh and spec.unit.en
        assert spec.min == 0, it.id  # no baseline of these is ever negative
        if spec.unit.en == "%":
            assert spec.max == 100 and not spec.integer, it.id
        if spec.unit.en == "days":
            assert spec.integer, it.id
        if spec.unit.en != "%":
            assert spec.max is None, it.id


@pytest.mark.parametrize("item_id,raw,value", [
    ("strategy.kpis.cycle_days", 30, 30), ("strategy.kpis.cycle_days", "30", 30), ("strategy.kpis.cycle_days", 30.0, 30),
    ("strategy.kpis.cycle_days", 0, 0), ("strategy.kpis.lead_mql_rate", 100, 100),
    ("strategy.kpis.lead_mql_rate", 12.5, 12.5), ("strategy.kpis.lead_mql_rate", 0, 0),
])
def test_numbers_within_bounds_are_kept(item_id, raw, value):
    item = _shipped()["sales_funnel"].item(item_id)
    assert normalise_value(item, raw) == value


@pytest.mark.parametrize("item_id,raw,en,zh", [
    ("strategy.kpis.cycle_days", -30, "-30 is out of range; expected a whole number of at least 0 (days)",
     "-30 超出范围；应为一个整数，不小于 0（单位：天）"),
    ("strategy.kpis.cycle_days", 30.5, "30.5 is not a whole number; expected a whole number of at least 0 (days)",
     "30.5 不是整数；应为一个整数，不小于 0（单位：天）"),
    ("strategy.kpis.lead_mql_rate", 250, "250 is out of range; expected a number from 0 to 100 (%)",
     "250 超出范围；应为一个数，范围 0–100（单位：%）"),
    ("strategy.kpis.lead_mql_rate", -0.5, "-0.5 is out of range; expected a number from 0 to 100 (%)",
     "-0.5 超出范围；应为一个数，范围 0–100（单位：%）"),
])
def test_numbers_out_of_bounds_are_refused_in_both_languages(item_id, raw, en, zh):
    from scoring import refusal_text

    item = _shipped()["sales_funnel"].item(item_id)
    with pytest.raises(NotAllowed) as e:
        normalise_value(item, raw)
    assert refusal_text(e.value, "en") == f"'{item_id}': {en}"
    assert refusal_text(e.value, "zh") == f"“{item_id}”：{zh}"


def test_the_number_field_uses_the_bounds_and_shows_whole_numbers_without_decimals():
    t = _shipped()["sales_funnel"]
    days, rate = t.item("strategy.kpis.cycle_days"), t.item("strategy.kpis.lead_mql_rate")
    assert days.kind.field(days) == {"min_value": 0, "max_value": None, "step": 1, "format": "%d"}
    assert rate.kind.field(rate) == {"min_value": 0.0, "max_value": 100.0, "step": 1.0, "format": "%g"}
    assert days.kind.field_value(days, 30.0) == 30 and isinstance(days.kind.field_value(days, 30.0), int)
    assert value_label(t, days, 30, "zh") == "30 天" and value_label(t, days, 30, "en") == "30 days"
    assert value_label(t, rate, 12.5, "en") == "12.5 %"
    assert "30.0" not in value_label(t, days, 30.0, "en")


@pytest.mark.parametrize("spec,words", [
    ({"min": 10, "max": 5}, "min 10 is above max 5"),
    ({"min": 0.5, "integer": True}, "whole numbers"),
    ({"min": 0, "max": 100, "target": 120, "scored": True}, "outside min/max"),
])
def test_a_template_with_impossible_bounds_is_refused(spec, words):
    from pydantic import ValidationError

    from checklists.model import NumberSpec

    with pytest.raises(ValidationError, match=words):
        NumberSpec.model_validate({"unit": {"zh": "天", "en": "days"}, **spec})
    NumberSpec.model_validate({"unit": {"zh": "天", "en": "days"}, "min": 0, "max": 100, "integer": True})


def test_the_cli_refuses_an_out_of_bounds_number_with_its_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "answers.yaml"
    path.write_text("template: sales_funnel\nanswers:\n  strategy.kpis.cycle_days: 20\n"
                    "  strategy.kpis.lead_mql_rate: 250\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(ROOT / "cli.py"), "score", str(path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"{path}:4 [answers.strategy.kpis.lead_mql_rate]:" in res.stderr and "out of range" in res.stderr
    assert "cycle_days" not in res.stderr  # the value within bounds is not a problem


def test_an_answers_import_refuses_out_of_bounds_numbers_and_keeps_good_ones():
    from scoring import AnswersError, parse_assessment

    templates = _shipped()
    with pytest.raises(AnswersError) as e:
        parse_assessment({"template": "sales_funnel", "answers": {"strategy.kpis.cycle_days": -3}}, templates)
    assert "out of range" in str(e.value)
    ok = parse_assessment({"template": "sales_funnel", "answers": {"strategy.kpis.cycle_days": 45}}, templates)
    assert ok.answers["strategy.kpis.cycle_days"].value == 45


def test_the_questionnaire_refuses_a_number_out_of_bounds_and_keeps_the_stored_one(app_env):
    from support import create, field, new_app, ok

    from storage import open_repository

    at = new_app(lang="zh")
    aid = create(at)
    ok(at.switch_page("ui/phases/data.py").run())
    number = field(at.number_input, "v::data.quality.duplicates")
    assert (number.min, number.max, number.step) == (0.0, 100.0, 1.0)
    number.set_value(7.5).run()
    # the field's bounds refuse 250 (Streamlit keeps the value in [min, max]); the stored answer stays
    field(at.number_input, "v::data.quality.duplicates").set_value(250).run()
    assert field(at.number_input, "v::data.quality.duplicates").value == 7.5
    assert open_repository().load_answers(aid)["Ann"]["data.quality.duplicates"].value == 7.5
    # the unit and the range are shown in the page's language
    assert "一个数，范围 0–100（单位：%）" in [c.value for c in at.caption]
    assert not [c.value for c in at.caption if "a number from" in c.value]


# -- the option-state list --------------------------------------------------------------------------

STATES_YAML = """
  - id: team.roles.skills
    question: {zh: "以下能力分别是什么状态？", en: "What is the state of each of these skills?"}
    guidance: {zh: "逐项判断。", en: "One by one."}
    type: option_states
    criticality: should
    options:
      - {id: a, label: {zh: "甲", en: "A"}}
      - {id: b, label: {zh: "乙", en: "B"}}
      - {id: c, label: {zh: "丙", en: "C"}}
      - {id: d, label: {zh: "丁", en: "D"}}
    recommendation: {zh: "补齐。", en: "Close the gaps."}
"""


def _with_states():
    """mini with an option-state list (should, weight 1 → 2) in the team phase."""
    import yaml

    from checklists import Template

    doc = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text(encoding="utf-8"))
    team = next(p for p in doc["phases"] if p["id"] == "team")
    team["items"].insert(1, yaml.safe_load(STATES_YAML)[0])
    return Template.model_validate(doc)


STATES_T = _with_states()
SKILLS = STATES_T.item("team.roles.skills")
S = {"in_place": "in_place", "missing": "missing", "not_relevant": "not_relevant", "unexamined": "unexamined"}


def _score_states(value) -> float | None:
    return item_score(SKILLS, SKILLS.kind.normalise(SKILLS, value))


def test_the_option_state_list_is_one_object_like_the_others():
    kind = ANSWER_TYPES[AnswerType.option_states]
    assert SKILLS.kind is kind and kind.widget.kind == "option_states"
    assert not kind.fixed_values and kind.mapping_value
    assert kind.best_value(SKILLS) == {"a": "in_place", "b": "in_place", "c": "in_place", "d": "in_place"}


@pytest.mark.parametrize("raw,value", [
    ({"a": "in_place", "b": "Missing ", "c": "not_relevant"}, {"a": "in_place", "b": "missing", "c": "not_relevant"}),
    ({"d": "in_place", "a": "unexamined", "b": None}, {"d": "in_place"}),  # template order; unexamined left out
    (["a", "c"], {"a": "in_place", "b": "missing", "c": "in_place", "d": "missing"}),  # a multi-style list
    ({"a": "unexamined"}, None),  # nothing examined: unanswered
])
def test_option_state_normalisation(raw, value):
    assert normalise_value(SKILLS, raw) == value


@pytest.mark.parametrize("raw,en,zh", [
    ({"a": "maybe"}, "option a has the state 'maybe'", "选项 a 的状态 'maybe' 无效"),
    ({"x": "in_place"}, "names unknown option(s) x", "含有未知选项 x"),
    ("a", "is not allowed", "不接受"),
])
def test_option_state_refusals_in_both_languages(raw, en, zh):
    from scoring import refusal_text

    with pytest.raises(NotAllowed) as e:
        normalise_value(SKILLS, raw)
    assert en in refusal_text(e.value, "en") and zh in refusal_text(e.value, "zh")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in refusal_text(e.value, "en"))


@pytest.mark.parametrize("value,expected", [
    # in place ÷ (in place + not in place)
    ({"a": S["in_place"], "b": S["missing"], "c": S["not_relevant"], "d": S["unexamined"]}, 0.5),
    ({"a": S["in_place"], "b": S["in_place"], "c": S["in_place"], "d": S["missing"]}, 0.75),
    ({"a": S["in_place"], "b": S["not_relevant"], "c": S["not_relevant"], "d": S["not_relevant"]}, 1.0),
    ({"a": S["missing"], "b": S["unexamined"]}, 0.0),
    ({"a": S["in_place"]}, 1.0),  # the rest not yet examined: unknown, not a gap
    ({"a": S["not_relevant"], "b": S["not_relevant"]}, None),  # nothing relevant examined: no score
])
def test_option_state_exact_scores(value, expected):
    assert _score_states(value) == expected


def test_option_state_hand_computed_assessment():
    from scoring import parse_assessment, score

    answers = {"strategy.goals.defined": "yes", "team.roles.sponsor": "yes",
               "team.roles.skills": {"a": "in_place", "b": "missing", "c": "not_relevant"}}
    a = parse_assessment({"template": "mini", "answers": answers}, {"mini": STATES_T})
    r = score(STATES_T, a)
    # team: sponsor must 3 × 1 + skills should 2 × (1 of 2 relevant) = 4 of 5 → 80
    assert r.phase("team").score == 80.0
    # strategy 100 (weight 2), team 80 (weight 1): (200 + 80) / 3 = 93.33
    assert r.overall == 93.33
    gap = next(g for g in r.gaps if g.item_id == "team.roles.skills")
    assert gap.score == 0.5 and gap.impact == 1.0 and gap.severity == "medium"
    skills = next(i for i in r.items if i.id == "team.roles.skills")
    assert skills.unknown_parts == ["d"] and skills.state == "scored"


def test_option_states_not_yet_examined_is_unknown_not_a_gap():
    from scoring import parse_assessment, score

    def run(value):
        answers = {"team.roles.sponsor": "yes", "team.roles.skills": value}
        return score(STATES_T, parse_assessment({"template": "mini", "answers": answers}, {"mini": STATES_T}))

    r = run({"a": "in_place", "b": "not_relevant"})  # c and d not yet examined
    assert "team.roles.skills" not in [g.item_id for g in r.gaps]
    assert next(i for i in r.items if i.id == "team.roles.skills").unknown_parts == ["c", "d"]
    assert r.phase("team").score == 100.0
    # nothing examined: the item is unanswered, so unknown (not a gap, not scored)
    r = run({"a": "unexamined"})
    assert "team.roles.skills" in r.unknowns and "team.roles.skills" not in [g.item_id for g in r.gaps]


_STATE = st.sampled_from(list(S.values()))
_ANSWER = st.fixed_dictionaries({k: _STATE for k in "abcd"})


@given(_ANSWER, st.sampled_from("abcd"))
def test_marking_an_option_not_relevant_instead_of_not_in_place_never_lowers_the_score(answer, option):
    missing = {**answer, option: "missing"}
    ruled_out = {**answer, option: "not_relevant"}
    before, after = _score_states(missing), _score_states(ruled_out)
    assert after is None or after >= before
    assert before is not None  # an option not in place is relevant: there is a score


@given(_ANSWER, st.sampled_from("abcd"))
def test_a_not_relevant_option_leaves_the_denominator(answer, option):
    with_it = {**answer, option: "not_relevant"}
    states = list(with_it.values())
    relevant = states.count("in_place") + states.count("missing")
    expected = states.count("in_place") / relevant if relevant else None
    assert _score_states(with_it) == expected


@given(_ANSWER, st.sampled_from("abcd"))
def test_not_yet_examined_is_never_a_gap(answer, option):
    """An option not yet examined changes neither the score nor the gap: only "not in place" does."""
    unexamined = {**answer, option: "unexamined"}
    rest = {k: v for k, v in unexamined.items() if k != option}
    assert _score_states(unexamined) == _score_states(rest or {"a": "unexamined"})
    if "missing" not in unexamined.values():
        assert _score_states(unexamined) in (1.0, None)  # no gap without an option not in place


def test_option_state_words_in_both_languages():
    value = {"a": "in_place", "b": "missing", "c": "not_relevant"}
    assert value_label(STATES_T, SKILLS, value, "zh") == "已具备：甲；未具备：乙；不相关：丙；尚未核查：丁"
    assert value_label(STATES_T, SKILLS, value, "en") == ("In place: A; Not in place: B; Not relevant: C; "
                                                          "Not yet examined: D")


def test_option_state_consolidation_is_per_option():
    room = {"ann": {SKILLS.id: Answer(value={"a": "in_place", "b": "in_place", "c": "not_relevant"})},
            "bob": {SKILLS.id: Answer(value={"a": "in_place", "b": "missing", "c": "not_relevant"})},
            "cy": {SKILLS.id: Answer(value={"a": "missing", "c": "in_place", "d": "in_place"})}}
    mean = consolidate(STATES_T, room, "mean")[SKILLS.id].value
    # a: 2 of 3 in place; b: 1 : 1 is a tie → not in place; c: 2 of 3 not relevant; d: only cy examined it
    assert mean == {"a": "in_place", "b": "missing", "c": "not_relevant", "d": "in_place"}
    least = consolidate(STATES_T, room, "min")[SKILLS.id].value
    assert least == {"a": "missing", "b": "missing", "c": "not_relevant", "d": "in_place"}


def test_option_state_answers_file_round_trip():
    from scoring import assessment_to_document, parse_assessment

    doc = {"template": "mini", "answers": {
        "team.roles.skills": {"value": {"b": "missing", "a": "in_place"}, "note": "见会议纪要", "confidence": "belief"},
        "strategy.goals.defined": "yes"}}
    a = parse_assessment(doc, {"mini": STATES_T})
    assert a.answers["team.roles.skills"].value == {"a": "in_place", "b": "missing"}
    again = parse_assessment(assessment_to_document(a), {"mini": STATES_T})
    assert again == a
    # the bare mapping form (no note) round-trips too
    b = parse_assessment({"template": "mini", "answers": {"team.roles.skills": {"c": "not_relevant"}}},
                         {"mini": STATES_T})
    assert assessment_to_document(b)["answers"]["team.roles.skills"] == {"c": "not_relevant"}
    assert parse_assessment(assessment_to_document(b), {"mini": STATES_T}) == b


def test_a_template_option_state_list_is_checked():
    import yaml
    from pydantic import ValidationError

    from checklists.model import Item

    item = yaml.safe_load(STATES_YAML)[0]
    scored = {**item, "options": [{**o, "score": 1} for o in item["options"]]}
    with pytest.raises(ValidationError, match="have no score"):
        Item.model_validate(scored)
    reserved = {**item, "options": item["options"][:3] + [{"id": "note", "label": {"zh": "注", "en": "N"}}]}
    with pytest.raises(ValidationError, match="reserved"):
        Item.model_validate(reserved)
    choice = {**item, "type": "choice"}
    with pytest.raises(ValidationError, match="needs a score"):
        Item.model_validate(choice)


def test_the_shipped_templates_use_option_state_lists_for_goals_kpis_pain_points_and_sources():
    templates = _shipped()
    used = {t.id: [it.id for it in t.items() if it.type is AnswerType.option_states] for t in templates.values()}
    assert used == {
        "crm_system": ["strategy.kpis.efficiency_kpis", "strategy.kpis.growth_kpis", "strategy.kpis.relationship_kpis"],
        "customer_followup": ["strategy.goals.pain_points", "strategy.kpis.process_metrics",
                              "strategy.kpis.outcome_metrics", "data.inventory.sources"],
        "sales_funnel": ["strategy.goals.goal_review", "strategy.goals.pain_diagnosis", "strategy.kpis.kpi_set"],
    }
    # ruling a KPI out on purpose costs nothing: all relevant ones in place is full marks
    kpis = templates["sales_funnel"].item("strategy.kpis.kpi_set")
    value = {"stage_conversion": "in_place", "cycle_length": "in_place", "deal_size": "not_relevant",
             "cac": "not_relevant", "win_rate": "in_place", "activity": "in_place"}
    assert item_score(kpis, normalise_value(kpis, value)) == 1.0


def test_the_cli_skeleton_explains_option_state_lists():
    import cli

    lines = cli.skeleton_text(_shipped()["sales_funnel"]).splitlines()
    at = lines.index("  strategy.kpis.kpi_set:")
    assert any(ln.startswith("  # allowed: a mapping of options (stage_conversion, cycle_length, deal_size, cac, "
                             "win_rate, activity) to states (in_place, missing, not_relevant); an option left out "
                             "is not yet examined") for ln in lines[at - 3:at])


def test_the_questionnaire_asks_each_option_state_and_stores_the_list(app_env):
    from support import create, new_app, ok

    from storage import open_repository

    at = new_app(lang="zh")
    aid = create(at, template="sales_funnel")
    ok(at.switch_page("ui/phases/strategy.py").run())

    def radio(option: str):
        found = [r for r in at.radio if (r.key or "").startswith("v::strategy.kpis.kpi_set::")
                 and r.key.endswith("::" + option)]
        assert len(found) == 1
        return found[0]

    assert radio("cac").value == "unexamined" and radio("cac").options[0] == "已具备"
    radio("cac").set_value("not_relevant").run()
    radio("win_rate").set_value("in_place").run()
    radio("activity").set_value("missing").run()
    ok(at)
    stored = open_repository().load_answers(aid)["Ann"]["strategy.kpis.kpi_set"].value
    assert stored == {"cac": "not_relevant", "win_rate": "in_place", "activity": "missing"}
    radio("activity").set_value("unexamined").run()
    stored = open_repository().load_answers(aid)["Ann"]["strategy.kpis.kpi_set"].value
    assert stored == {"cac": "not_relevant", "win_rate": "in_place"}


# -- one located-problem type, one wording, both languages -------------------------------------------

def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


BAD_ANSWERS = """template: mini
answers:
  strategy.goals.defined: maybe
  strategy.goals.nonsense: yes
  strategy.goals.maturity: {value: 2, confidence: sure}
  team.roles.sponsor: {value: na}
out_of_scope: {marketing: "later"}
"""


def test_answers_file_problems_are_located_and_worded_in_both_languages():
    from checklists import Problem
    from scoring import AnswersError, load_assessment_text

    with pytest.raises(AnswersError) as e:
        load_assessment_text(BAD_ANSWERS, "answers.yaml", {"mini": MINI})
    located = e.value.located
    assert all(isinstance(p, Problem) and p.file == "answers.yaml" and p.line for p in located)
    assert [(p.line, p.field) for p in located] == [
        (3, "answers.strategy.goals.defined"), (4, "answers.strategy.goals.nonsense"),
        (5, "answers.strategy.goals.maturity"), (6, "answers.team.roles.sponsor"), (7, "out_of_scope.marketing")]
    zh, en = e.value.texts("zh"), e.value.texts("en")
    # the English lines are what the command line prints, unchanged
    assert en == e.value.problems
    assert "answers.yaml:3 [answers.strategy.goals.defined]: 'strategy.goals.defined': 'maybe' is not allowed; " \
           "expected yes, partial, no, na" in en
    assert any("unknown item id 'strategy.goals.nonsense'" in t for t in en)
    # the Chinese lines say the same without English words (ids, values and keys aside)
    assert zh[0] == ("answers.yaml:3 [answers.strategy.goals.defined]：“strategy.goals.defined”：不接受 'maybe'；"
                     "应为yes、partial、no，或 na（不适用）")
    assert zh[1] == "answers.yaml:4 [answers.strategy.goals.nonsense]：模板“mini”中没有检查项 id“strategy.goals.nonsense”"
    for line in zh:
        assert _has_chinese(line)
        for english in ("is not allowed", "unknown item", "expected", "must", "needs a reason", "is not a phase",
                        "is not one of"):
            assert english not in line, line
    for line in en:
        assert not _has_chinese(line), line


def test_a_bare_document_has_unlocated_problems_in_both_languages():
    from scoring import AnswersError, parse_assessment

    with pytest.raises(AnswersError) as e:
        parse_assessment({"template": "mini", "answers": {"strategy.goals.defined": "maybe"}}, {"mini": MINI})
    assert e.value.problems == ["'strategy.goals.defined': 'maybe' is not allowed; expected yes, partial, no, na"]
    assert e.value.texts("zh") == ["“strategy.goals.defined”：不接受 'maybe'；应为yes、partial、no，或 na（不适用）"]


def test_yaml_and_import_problems_have_chinese_forms():
    from checklists import YamlProblems, parse_yaml_text
    from services import ImportRefused, import_document

    with pytest.raises(YamlProblems) as e:
        parse_yaml_text("a: 1\na: 2\n", "x.yaml")
    assert e.value.problems[0].text("zh") == "重复的键“a”（首次出现在第 1 行）"
    assert str(e.value.problems[0]) == "x.yaml:2 [a]: duplicate key 'a' (first on line 1)"

    class NoRepo:  # the file is refused before anything is stored
        def import_answers(self, *a):
            raise AssertionError("nothing may be stored")

    with pytest.raises(ImportRefused) as refused:
        import_document(NoRepo(), "a", 1, "bad.yaml", BAD_ANSWERS.encode(), {"mini": MINI}, MINI)
    assert all(_has_chinese(t) for t in refused.value.texts("zh"))
    assert refused.value.problems == [str(p) for p in refused.value.located]
    with pytest.raises(ImportRefused) as refused:
        import_document(NoRepo(), "a", 1, "bad.yaml", b"\xff\xfe", {"mini": MINI}, MINI)
    assert refused.value.texts("zh") == ["bad.yaml：文件不是 UTF-8 文本"]


def test_one_translation_of_pydantic_errors():
    """The template reader and the answers reader word pydantic's errors with checklists.plain_words."""
    from pydantic import ValidationError

    from checklists import plain_words
    from checklists.model import Level

    with pytest.raises(ValidationError) as e:
        Level.model_validate({"id": "x", "min_score": 120, "label": {"zh": "甲", "en": "A"}, "colour": 1})
    words = [plain_words(err) for err in e.value.errors()]
    assert [w.en for w in words] == ["must be at most 100 (got 120)", "unknown key 'colour'"]
    assert [w.zh for w in words] == ["必须至多为 100（实际为 120）", "未知的键“colour”"]
    translators = []
    for p in _product_files():
        rel = str(p.relative_to(ROOT))
        if ".errors()" in p.read_text(encoding="utf-8"):
            translators.append(rel)
    # the vendor reader keeps its vendor wording in English and takes the Chinese from plain_words where
    # it has none of its own; the backup reader (command line only) words pydantic's errors in English
    assert set(translators) <= {"checklists/errors.py", "checklists/loader.py", "scoring/answers.py",
                                "vendors/model.py", "storage/backup.py"}
    for rel in ("checklists/loader.py", "scoring/answers.py", "vendors/model.py"):
        assert "plain_words(err" in (ROOT / rel).read_text(encoding="utf-8")


def test_vendor_sheet_problems_have_chinese_forms():
    import yaml

    from vendors import EXAMPLE_SHEET_FILE, VendorSheetError, parse_vendor_sheet

    doc = yaml.safe_load(EXAMPLE_SHEET_FILE.read_text(encoding="utf-8"))
    first = doc["evaluations"][0] if isinstance(doc.get("evaluations"), list) else None
    doc["colour"] = "red"
    if first is not None:
        first["criteria"] = [{**c, "score": 9} for c in first.get("criteria") or []][:1] or first.get("criteria")
    from checklists import parse_yaml_text

    with pytest.raises(VendorSheetError) as e:
        parse_vendor_sheet(parse_yaml_text(yaml.safe_dump(doc, allow_unicode=True), "sheet.yaml"))
    problems = e.value.problems
    assert any(p.message == "unknown key 'colour'" and p.text("zh") == "未知的键“colour”" for p in problems)
    for p in problems:
        assert _has_chinese(p.text("zh")), p


def test_template_problems_have_chinese_forms():
    import yaml

    from checklists import TemplateError, parse_template, parse_yaml_text

    doc = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text(encoding="utf-8"))
    doc["levels"][0]["min_score"] = 5                                   # a loader rule
    doc["phases"][0]["items"][0]["colour"] = "red"                      # pydantic: extra key
    doc["phases"][0]["items"][1]["scale_labels"] = [{"zh": "零", "en": "zero"}]  # a type rule (model)
    doc["phases"][2]["items"][1]["number"]["min"] = 50                  # a bound rule: min 50 > target 5
    doc["phases"][1]["items"][1]["depends_on"] = {"item": "process.stages.model", "in": ["sometimes"]}
    with pytest.raises(TemplateError) as e:
        parse_template(parse_yaml_text(yaml.safe_dump(doc, allow_unicode=True), "bad.yaml"))
    problems = e.value.problems
    assert len(problems) >= 4
    for p in problems:
        assert _has_chinese(p.text("zh")), p
        assert not _has_chinese(p.text("en")), p
    en = " | ".join(p.message for p in problems)
    assert "the first level must start at 0" in en and "unknown key 'colour'" in en
    assert "a scale needs exactly 5 labels (levels 0-4)" in en and "outside min/max" in en
    zh = " | ".join(p.text("zh") for p in problems)
    assert "第一个等级必须从 0 开始" in zh and "未知的键“colour”" in zh and "量表需要正好 5 个标签" in zh


def test_an_unknown_option_state_list_spans_the_score_range():
    """Unanswered, the list can still end anywhere between every option not in place and every one in
    place: team = (3·1 + 2·s)/5 with s from 0 to 1, so 60 to 100; overall (2·100 + team)/3."""
    from scoring import parse_assessment, score_range

    a = parse_assessment({"template": "mini", "answers": {
        "strategy.goals.defined": "yes", "strategy.goals.maturity": 4, "team.roles.sponsor": "yes",
        "team.roles.notes": "x"}}, {"mini": STATES_T})
    only_skills = a.model_copy(update={"out_of_scope": {p: "-" for p in ("process", "data", "vendor")}})
    r = score_range(STATES_T, only_skills)
    assert (r.low, r.high) == (86.67, 100.0)
    assert [d.item for d in r.decisive_unknowns] == ["team.roles.skills"]
    assert r.decisive_unknowns[0].worst == {o: "missing" for o in "abcd"}
