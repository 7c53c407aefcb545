"""Template loading, validation messages, skip-logic lint, schema and content coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from checklists import (
    CUSTOM_DIR_ENV,
    TemplateError,
    lint,
    load_all,
    load_template,
    template_files,
    template_json_schema_text,
)
from checklists.loader import SHIPPED_DIR

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
SHIPPED = sorted(p for p in template_files() if p.parent == SHIPPED_DIR)


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def _problems(tmp_path: Path, text: str):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        load_template(path)
    return path, exc.value.problems


def test_shipped_templates_exist():
    assert {p.stem for p in SHIPPED} >= {"sales_funnel", "crm_system", "customer_followup"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_template_validates_and_is_complete(path):
    t = load_template(path)
    assert t.id == path.stem
    assert [p.id for p in t.phases] == ["strategy", "process", "data", "team", "vendor"]
    assert 40 <= len(t.items()) <= 120
    report = lint(t)
    assert report.ok
    # authors keep must items visible: a blocker that can disappear would undermine the verdict
    assert report.hideable_musts == []
    assert all(v == 100 for v in report.max_phase_score.values()), report.max_phase_score
    types = {it.type.value for it in t.items()}
    assert {"status", "scale", "number"} <= types
    assert any(it.criticality.value == "must" for it in t.items())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_concepts_of_the_seeds_are_in_the_template(path):
    concepts = yaml.safe_load((DATA / "concepts" / f"{path.stem}.yaml").read_text(encoding="utf-8"))["concepts"]
    assert len(concepts) >= 25
    t = load_template(path)
    zh = json.dumps(t.model_dump(mode="json"), ensure_ascii=False)
    en = zh.lower()
    missing = [c for c in concepts if c["zh"] not in zh or c["en"].lower() not in en]
    assert missing == []


MUTATIONS = [
    # (name, old, new, needle for the expected line, field, words in the message)
    ("unknown key", "        type: scale\n", "        type: scale\n        colour: red\n",
     "colour: red", "phases[0].items[1].colour", "unknown key 'colour'"),
    ("missing translation", 'question: {zh: "目标管理成熟度？", en: "How mature is goal management?"}',
     'question: {zh: "目标管理成熟度？"}', "目标管理成熟度", "phases[0].items[1].question.en",
     "missing translation 'en'"),
    ("weight not positive", "    weight: 2\n", "    weight: 0\n", "    weight: 0", "phases[0].weight",
     "greater than 0"),
    ("phase outside the five", "  - id: team\n", "  - id: marketing\n", "id: marketing", "phases[3].id",
     "not one of the five phases"),
    ("duplicate item id", "id: process.stages.exit_owner", "id: process.stages.model", ("id: process.stages.model", 2),
     "phases[1].items[1].id", "duplicate item id 'process.stages.model'"),
    ("depends_on missing item", "depends_on: {item: process.stages.model,", "depends_on: {item: process.stages.nope,",
     "process.stages.nope", "phases[1].items[1].depends_on[0].item", "not an item of this template"),
    ("depends_on impossible answer", "in: [exit_criteria]", "in: [perfect]", "in: [perfect]",
     "phases[1].items[1].depends_on[0].in", "'perfect' is not a possible answer"),
    ("thresholds out of order", "min_score: 80", "min_score: 40", "min_score: 40", "levels[2].min_score",
     "thresholds out of order"),
    ("item in the wrong phase", "id: data.quality.duplicates", "id: team.quality.duplicates",
     "team.quality.duplicates", "phases[2].items[1].id", "must start with its phase 'data.'"),
]


@pytest.mark.parametrize("name,old,new,needle,field,words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_error_names_file_line_and_field(tmp_path, name, old, new, needle, field, words):
    text = MINI.read_text(encoding="utf-8")
    assert old in text, name
    bad = text.replace(old, new, 1)
    path, problems = _problems(tmp_path, bad)
    match = [p for p in problems if p.field == field]
    assert match, [str(p) for p in problems]
    p = match[0]
    assert p.file == str(path)
    needle, nth = needle if isinstance(needle, tuple) else (needle, 1)
    assert p.line == _line_of(bad, needle, nth)
    assert words in p.message
    assert f"{path}:{p.line} [{field}]" in str(p)


def test_all_problems_reported_at_once(tmp_path):
    # a field-level problem (an unknown key) does not hide the cross-field ones (order, duplicates)
    text = MINI.read_text(encoding="utf-8")
    bad = (text.replace("min_score: 80", "min_score: 40")
           .replace("        type: scale\n", "        type: scale\n        colour: red\n")
           .replace("id: vendor.criteria.integration", "id: vendor.criteria.cost"))
    _path, problems = _problems(tmp_path, bad)
    assert [p.field for p in problems] == ["levels[2].min_score", "phases[0].items[1].colour",
                                           "phases[4].items[1].id"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_answer_rules_are_checked_once_the_fields_are_valid(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    bad = text.replace("min_score: 80", "min_score: 40").replace("in: [exit_criteria]", "in: [perfect]")
    _path, problems = _problems(tmp_path, bad)
    assert {p.field for p in problems} == {"levels[2].min_score", "phases[1].items[1].depends_on[0].in"}


def test_yaml_syntax_error_has_line(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("    weight: 2\n", "    weight: [2\n", 1)
    path, problems = _problems(tmp_path, text)
    assert problems[0].line is not None and "invalid YAML" in problems[0].message


def test_duplicate_yaml_key_is_refused(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("version: \"1.0\"\n", "version: \"1.0\"\nversion: \"2\"\n")
    _path, problems = _problems(tmp_path, text)
    assert problems[0].line == 4 and "duplicate key 'version'" in problems[0].message


def test_aliases_and_huge_files_are_refused(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    _p, problems = _problems(tmp_path, bomb)
    assert "aliases" in problems[0].message
    _p, problems = _problems(tmp_path, "x: " + "y" * 1_100_000 + "\n")
    assert "larger than" in problems[0].message


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes("标题: 坏".encode("gbk"))
    with pytest.raises(TemplateError) as exc:
        load_template(path)
    assert "not UTF-8" in str(exc.value)


LINT_BASE = MINI.read_text(encoding="utf-8")


def test_lint_finds_unreachable_item_and_hideable_must(tmp_path):
    # exit_owner shows only when model == exit_criteria AND model == none: impossible
    text = LINT_BASE.replace(
        "depends_on: {item: process.stages.model, in: [exit_criteria]}",
        "depends_on: [{item: process.stages.model, in: [exit_criteria]}, {item: process.stages.model, in: [none]}]")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    report = lint(load_template(path))
    assert report.unreachable == ["process.stages.exit_owner"]
    assert not report.ok

    text = LINT_BASE.replace("        criticality: nice\n        depends_on:", "        criticality: must\n        depends_on:")
    path.write_text(text, encoding="utf-8")
    report = lint(load_template(path))
    assert report.hideable_musts == ["process.stages.exit_owner"]
    assert report.ok


def test_lint_max_reachable_score(tmp_path):
    # the best stage-model option now scores 0.8, so process caps at (2*0.8 + 1*1)/3 = 86.67
    text = LINT_BASE.replace('en: "With exit criteria"}, score: 1}', 'en: "With exit criteria"}, score: 0.8}')
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    report = lint(load_template(path))
    assert report.max_phase_score["process"] == 86.67
    assert report.max_phase_score["strategy"] == 100
    assert report.capped_items == ["process.stages.model"]


def test_custom_templates_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(CUSTOM_DIR_ENV, str(tmp_path))
    (tmp_path / "mine.yaml").write_text(LINT_BASE.replace("id: mini", "id: mine"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(LINT_BASE.replace("id: mini", "id: broken").replace(
        "weight: 2", "weight: -1"), encoding="utf-8")
    templates, problems = load_all()
    assert "mine" in templates and "broken" not in templates
    assert any("broken.yaml" in p.file and p.field == "phases[0].weight" for p in problems)
    assert set(templates) >= {p.stem for p in SHIPPED}


def test_schema_json_is_current():
    on_disk = (SHIPPED_DIR / "schema.json").read_text(encoding="utf-8")
    assert on_disk == template_json_schema_text(), "run: python cli.py schema -o checklists/schema.json"


def test_schema_describes_the_format():
    schema = json.loads(template_json_schema_text())
    assert set(schema["required"]) >= {"id", "version", "title", "levels", "multipliers", "phases"}
    item = schema["$defs"]["Item"]
    assert item["additionalProperties"] is False
    assert {"question", "guidance", "type", "recommendation"} <= set(item["required"])


def _content_models() -> list[type]:
    """Every pydantic model defined in the content modules: templates, vendor content, answers."""
    import inspect

    from pydantic import BaseModel

    import checklists.base
    import checklists.model
    import scoring.answers
    import vendors.model

    return [cls for mod in (checklists.base, checklists.model, vendors.model, scoring.answers)
            for _, cls in inspect.getmembers(mod, inspect.isclass)
            if issubclass(cls, BaseModel) and cls.__module__ == mod.__name__
            and cls is not checklists.base.FrozenModel]   # the base of computed results, not content


@pytest.mark.parametrize("cls", _content_models(), ids=lambda c: c.__name__)
def test_every_content_model_is_strict_frozen_and_finite(cls):
    from checklists import StrictModel

    assert issubclass(cls, StrictModel)
    config = cls.model_config
    assert config.get("extra") == "forbid" and config.get("frozen") is True
    assert config.get("allow_inf_nan") is False


def test_the_content_models_include_templates_vendor_content_and_answers():
    names = {c.__name__ for c in _content_models()}
    assert {"Template", "Item", "Text", "VendorSheet", "CriteriaCatalogue", "Answer", "Assessment"} <= names


@pytest.mark.parametrize("text,field,words", [
    ("weight: .inf", "phases[0].weight", "must be a finite number"),
    ("weight: .nan", "phases[0].weight", "must be a finite number"),
    ("weight: 1e999", "phases[0].weight", "must be a finite number"),   # overflows to inf when read
    ("weight: 1.0e+308", "phases[0].weight", "must be at most 1000"),
])
def test_phase_weights_must_be_finite_and_bounded(tmp_path, text, field, words):
    src = MINI.read_text(encoding="utf-8")
    assert "    weight: 2\n" in src
    path, problems = _problems(tmp_path, src.replace("    weight: 2\n", f"    {text}\n", 1))
    assert any(p.field == field and p.message.startswith(words) for p in problems), problems


def test_the_last_resort_turns_a_reader_bug_into_a_located_problem(monkeypatch, tmp_path):
    # a bug in a reader (simulated: the structure pass raises) costs one file, never the others
    import checklists.loader
    from checklists import INTERNAL_ERROR

    real = checklists.loader._structure_problems

    def broken(doc):
        if doc.file.endswith("mini.yaml"):
            raise RuntimeError("simulated bug")
        return real(doc)

    monkeypatch.setattr(checklists.loader, "_structure_problems", broken)
    loaded, problems = load_all([*SHIPPED, MINI])
    assert set(loaded) == {"sales_funnel", "crm_system", "customer_followup"}
    assert [(p.file, p.message) for p in problems] == [
        (str(MINI), f"{INTERNAL_ERROR} {MINI}: RuntimeError: simulated bug")]


def test_a_folder_named_like_a_template_is_a_problem_not_a_crash(monkeypatch, tmp_path):
    # read_bytes() on a folder raised IsADirectoryError out of load_all (after a successful stat)
    (tmp_path / "x.yaml").mkdir()
    monkeypatch.setenv(CUSTOM_DIR_ENV, str(tmp_path))
    loaded, problems = load_all()
    assert set(loaded) == {"sales_funnel", "crm_system", "customer_followup"}
    assert [str(p) for p in problems] == [f"{tmp_path / 'x.yaml'}: cannot read the file: Is a directory"]


def test_question_numbers_follow_the_template_order_and_are_unique():
    from checklists import load_template

    t = load_template(SHIPPED_DIR / "sales_funnel.yaml")
    numbers = [t.question_number(it.id) for it in t.items()]
    assert len(set(numbers)) == len(numbers)
    first = t.phases[0].items[0]
    assert t.question_number(first.id) == "1.1"
    second_phase_third = t.phases[1].items[2]
    assert t.question_number(second_phase_third.id) == "2.3"
    with pytest.raises(KeyError):
        t.question_number("no.such.item")
