"""Bad input, generated: every reader of a file a user can hand us either loads it or raises its
named error (TemplateError / YamlProblems, AnswersError, ImportRefused, VendorSheetError), never
another exception, and a refused import leaves the stored answers as they were.

Inputs: arbitrary text and bytes, damaged copies of real files (a value replaced, a key dropped),
YAML bombs (10 000 levels of nesting, "billion laughs" aliases), files over the size limits, GBK,
UTF-16 and random bytes, and Chinese text in every field. Hypothesis runs with the one profile of
tests/conftest.py (derandomized: the same examples on every machine); each failure it ever found is
pinned below as an @example. How fast the readers are is measured in bench/, not here. The
systematic counterpart (every node of every shipped file mutated) is tests/test_corpus.py.
"""

from __future__ import annotations

import copy
import json
import random
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import storage
from checklists import (
    INTERNAL_ERROR,
    Template,
    TemplateError,
    YamlProblems,
    load_all,
    load_template,
    parse_template,
    parse_yaml_text,
)
from checklists.yamlsafe import MAX_BYTES
from scoring import Answer, AnswersError, Assessment, Confidence, assessment_to_document, load_assessment_text
from services import MAX_UPLOAD_BYTES, ImportRefused, import_document

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SHIPPED = ROOT / "checklists"
VENDOR_CONTENT = ROOT / "vendors"
FUZZ = settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                         HealthCheck.filter_too_much])
SMALL = settings(FUZZ, max_examples=40)


def loads_or_refuses(fn: Callable[[], Any], named: type[BaseException] | tuple) -> Any:
    """fn's result, or the named error; anything else fails the test (hypothesis then shrinks it).
    A refusal must say what is wrong, and no reader's last resort may have been needed for it."""
    try:
        return fn()
    except named as e:
        assert str(e).strip(), "a named error must say what is wrong"
        assert INTERNAL_ERROR not in str(e), f"a reader's last resort caught this: {e}"
        return e


# -- strategies -----------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CHINESE = st.text(CJK, min_size=1, max_size=30)
TEXT = st.text(st.one_of(CJK, st.characters(codec="utf-8")), max_size=40)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, CHINESE)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "big5", "latin-1"]


def _dump(doc: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(doc, ensure_ascii=False, default=str)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _parent(doc: Any, path: tuple) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def damaged(draw, original: Any) -> Any:
    """A copy of a real document with one to three things changed: a value replaced, a key or list
    entry dropped, a key added, an entry duplicated."""
    doc = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        what = draw(st.sampled_from(["replace", "replace", "drop", "add", "duplicate"]))
        if what == "replace":
            parent[path[-1]] = draw(VALUES)
        elif what == "drop":
            del parent[path[-1]]
        elif what == "add" and isinstance(parent, dict):
            parent[draw(TEXT)] = draw(VALUES)
        elif what == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return doc


def _raw(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


MINI_DOC = _raw(DATA / "mini.yaml")
FUNNEL_DOC = _raw(SHIPPED / "sales_funnel.yaml")
TEMPLATES: dict[str, Template] = {**load_all()[0], "mini": load_template(DATA / "mini.yaml")}
FUNNEL_ANSWERS = _raw(DATA / "answers" / "sales_funnel.yaml")
MINI_ANSWERS = assessment_to_document(Assessment(template="mini", organisation="示例", answers={
    "strategy.goals.defined": Answer(value="yes", confidence=Confidence.evidence),
    "strategy.goals.maturity": Answer(value=3, note="季度复盘"),
    "process.stages.model": Answer(value="exit_criteria"),
    "data.sources.inventory": Answer(value=["spreadsheets", "legacy"]),
    "data.quality.duplicates": Answer(value=7.5),
    "team.roles.notes": Answer(value="销售团队 12 人"),
    "vendor.criteria.integration": Answer(value="na", reason="尚无系统"),
}))


# -- templates ------------------------------------------------------------------------------


def _template_from_text(text: str) -> Template:
    return parse_template(parse_yaml_text(text, "fuzz.yaml"))


@FUZZ
@given(st.one_of(st.text(max_size=400), st.builds(_dump, VALUES, st.booleans())))
@example("[" * 40 + "]" * 40)
@example("a: &x [1]\nb: *x\n")
@example("id: mini\nid: mini\n")
@example("\ufeffid: 迷你\n")
@example("levels:\n- id: [not_ready]\n")  # TypeError: a list put in a set of level ids
@example("phases:\n- sections:\n  - id: {a: 1}\n")  # TypeError: a mapping put in a set of section ids
@example("levels:\n- {id: a, min_score: 1" + "0" * 400 + "}\n")  # math.isfinite() of it would overflow
def test_any_text_is_a_template_or_a_named_error(text: str):
    result = loads_or_refuses(lambda: _template_from_text(text), (YamlProblems, TemplateError))
    assert isinstance(result, (Template, YamlProblems, TemplateError))


def _damaged_template(doc: Any, as_json: bool) -> None:
    result = loads_or_refuses(lambda: _template_from_text(_dump(doc, as_json)), (YamlProblems, TemplateError))
    if isinstance(result, TemplateError):
        # every problem is located in the file, so an author can find it
        assert all(p.file == "fuzz.yaml" for p in result.problems)


def _with(doc: Any, path: tuple, value: Any) -> Any:
    out = copy.deepcopy(doc)
    _parent(out, path)[path[-1]] = value
    return out


@FUZZ
@given(damaged(MINI_DOC), st.booleans())
@example(_with(MINI_DOC, ("levels", 0, "id"), ["not_ready"]), False)  # the bug that took the app down
@example(_with(MINI_DOC, ("phases", 0, "weight"), float("inf")), False)
@example(_with(MINI_DOC, ("multipliers", "must"), 1e308), True)
def test_a_damaged_template_is_a_template_or_a_template_error(doc: Any, as_json: bool):
    _damaged_template(doc, as_json)


@settings(FUZZ, max_examples=8)  # a shipped template is large: a few, for its size and variety
@given(damaged(FUNNEL_DOC), st.booleans())
def test_a_damaged_shipped_template_is_a_template_or_a_template_error(doc: Any, as_json: bool):
    _damaged_template(doc, as_json)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _encoded(draw_text: str, encoding: str) -> bytes:
    return draw_text.encode(encoding, errors="replace")


BYTES = st.one_of(
    st.binary(max_size=600),
    st.builds(_encoded, st.builds(_dump, st.one_of(damaged(MINI_DOC), VALUES), st.booleans()),
              st.sampled_from(ENCODINGS)),
)


@FUZZ
@given(BYTES)
@example(yaml.safe_dump(MINI_DOC, allow_unicode=True).encode("gbk"))
@example(yaml.safe_dump(MINI_DOC, allow_unicode=True).encode("utf-16"))
@example(b"\xff\xfe\x00\x00garbage")
def test_any_bytes_in_a_template_file_are_a_template_or_a_template_error(folder: Path, raw: bytes):
    path = folder / "custom.yaml"
    path.write_bytes(raw)
    loads_or_refuses(lambda: load_template(path), TemplateError)


@SMALL
@given(st.data())
def test_chinese_in_every_text_field_loads(data):
    doc = copy.deepcopy(MINI_DOC)
    for path in list(_paths(doc)):
        if path and path[-1] in ("zh", "en"):
            _parent(doc, path)[path[-1]] = data.draw(CHINESE)
    tpl = _template_from_text(yaml.safe_dump(doc, allow_unicode=True))
    assert tpl.title.en == doc["title"]["en"] and tpl.items()[0].question.zh == doc["phases"][0]["items"][0][
        "question"]["zh"]


def test_chinese_ids_are_refused_with_the_field_named():
    doc = copy.deepcopy(MINI_DOC)
    doc["phases"][0]["items"][0]["id"] = "战略.目标.明确"
    with pytest.raises(TemplateError) as caught:
        _template_from_text(yaml.safe_dump(doc, allow_unicode=True))
    assert "phases[0].items[0].id" in str(caught.value)


# -- answers files --------------------------------------------------------------------------


@FUZZ
@given(st.one_of(st.text(max_size=400), st.builds(_dump, VALUES, st.booleans()),
                 st.builds(_dump, damaged(FUNNEL_ANSWERS), st.booleans()),
                 st.builds(_dump, damaged(MINI_ANSWERS), st.booleans())))
@example("template: mini\nanswers: [unclosed\n")
@example('{"template": "mini", "answers": {"strategy.goals.defined": {"value": "yes", "value": "no"}}}')
@example("template: mini\nanswers:\n  data.quality.duplicates: 1" + "0" * 400 + "\n")  # OverflowError in float()
@example("template: mini\nanswers:\n  strategy.goals.maturity: '²'\n")  # isdigit() but not int(): was a raw int() message
def test_any_text_is_an_assessment_or_an_answers_error(text: str):
    loads_or_refuses(lambda: load_assessment_text(text, "answers.yaml", TEMPLATES), AnswersError)


@SMALL
@given(st.data())
def test_chinese_everywhere_in_an_answers_file_loads(data):
    doc = copy.deepcopy(MINI_ANSWERS)
    for key in ("organisation", "project", "respondent", "assessed_on"):
        doc[key] = data.draw(CHINESE)
    doc["answers"]["team.roles.notes"] = data.draw(CHINESE)
    doc["answers"]["strategy.goals.maturity"] = {"value": 2, "note": data.draw(CHINESE)}
    doc["answers"]["vendor.criteria.integration"] = {"value": "na", "reason": data.draw(CHINESE)}
    doc["out_of_scope"] = {"vendor": data.draw(CHINESE)}
    a = load_assessment_text(yaml.safe_dump(doc, allow_unicode=True), "答案.yaml", TEMPLATES)
    assert a.organisation == doc["organisation"] and a.out_of_scope == doc["out_of_scope"]
    assert a.answers["strategy.goals.maturity"].note == doc["answers"]["strategy.goals.maturity"]["note"]


# -- importing an answers file into a real database: all or nothing -------------------------


@pytest.fixture(scope="module")
def room(folder: Path) -> Iterator[tuple[storage.Repository, str, int]]:
    url = f"sqlite:///{folder / 'fuzz.db'}"
    repo = storage.open_repository(url)
    aid = repo.create_assessment(TEMPLATES["mini"], "示例", "模糊测试", "zh", "Fiona")
    rid = repo.join(aid, "Anna")
    repo.save_answer(aid, rid, "strategy.goals.defined", Answer(value="no", note="尚未"))
    yield repo, aid, rid
    storage.dispose_engines(url)


NAMES = st.sampled_from(["answers.yaml", "答案.yml", "../../evil.yaml", "a.json", "x", "/etc/passwd"])


@settings(FUZZ, max_examples=80)
@given(st.one_of(BYTES, st.builds(_encoded, st.builds(_dump, damaged(MINI_ANSWERS), st.booleans()),
                                  st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16"]))), NAMES)
@example(b"template: mini\nanswers:\n  strategy.goals.defined: yes\n  team.roles.sponsor: maybe\n", "a.yaml")
def test_an_import_stores_the_whole_file_or_nothing(room, raw: bytes, name: str):
    repo, aid, rid = room
    before = (repo.load_answers(aid), len(repo.audit_trail(aid)))
    result = loads_or_refuses(lambda: import_document(repo, aid, rid, name, raw, TEMPLATES, TEMPLATES["mini"]),
                              ImportRefused)
    if isinstance(result, ImportRefused):
        assert (repo.load_answers(aid), len(repo.audit_trail(aid))) == before
        return
    incoming = load_assessment_text(raw.decode("utf-8-sig"), name, TEMPLATES)
    stored = repo.load_answers(aid)["Anna"]
    assert all(stored[k] == storage.storable(v) for k, v in incoming.answers.items())
    assert set(stored) == set(before[0]["Anna"]) | set(incoming.answers)  # nothing else touched


# -- vendor sheets (sheets/, when present) --------------------------------------------------


def _sheets():
    try:
        import sheets
    except ImportError:
        pytest.skip("no sheets package: the vendor-sheet readers are not built yet")
    if not hasattr(sheets, "sheet_from_bytes"):
        pytest.skip("sheets has no sheet_from_bytes")
    return sheets


def _spoil(data: bytes, rng: random.Random) -> bytes:
    """Cut short, flip bytes, or splice in garbage: what a broken upload or a bad disk does."""
    b = bytearray(data)
    how = rng.choice(["cut", "flip", "splice"])
    if how == "cut":
        return bytes(b[: rng.randrange(len(b))])
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        if how == "flip":
            b[i] ^= 1 << rng.randrange(8)
        else:
            b[i:i] = rng.randbytes(rng.randint(1, 20))
    return bytes(b)


@pytest.fixture(scope="module")
def sheet_files() -> dict[str, bytes]:
    sheets = _sheets()
    sheet = sheets.read_sheet(VENDOR_CONTENT / "vendors_example.yaml")
    return {ext: sheets.sheet_to_bytes(sheet, f"vendors.{ext}") for ext in ("csv", "xlsx", "yaml", "json")}


@FUZZ
@given(st.data())
def test_any_bytes_are_a_vendor_sheet_or_a_sheet_error(sheet_files, data):
    sheets = _sheets()
    ext = data.draw(st.sampled_from(["csv", "xlsx", "yaml", "json", "xls", "txt"]))
    source = data.draw(st.sampled_from(["spoiled", "spoiled", "bytes", "encoded"]))
    if source == "spoiled" and ext in sheet_files:
        raw = _spoil(sheet_files[ext], random.Random(data.draw(st.integers(0, 2**32))))
    elif source == "encoded":
        text = data.draw(st.one_of(st.text(max_size=300), st.builds(
            lambda rows: "\n".join(",".join(r) for r in rows),
            st.lists(st.lists(st.one_of(TEXT, CHINESE), max_size=8), max_size=8))))
        raw = text.encode(data.draw(st.sampled_from(ENCODINGS)), errors="replace")
    else:
        raw = data.draw(st.binary(max_size=600))
    loads_or_refuses(lambda: sheets.sheet_from_bytes(raw, f"../供应商.{ext}"), sheets.VendorSheetError)


# -- bombs, oversized files, wrong encodings ------------------------------------------------

BOMBS = {
    "nesting 10000 levels, flow mappings": "a: {" * 10_000 + "}" * 10_000,
    "nesting 10000 levels, flow lists": "[" * 10_000 + "]" * 10_000,
    "nesting 700 levels, block mappings": "".join("  " * i + "a:\n" for i in range(700)) + "  " * 700 + "b: 1\n",
    "nesting 500 levels, block lists": "".join("  " * i + "-\n" for i in range(500)),
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("bcdefgh", "cdefghi", strict=False))
                      + "answers: *i\ntemplate: mini\n",
    "a million aliases": "template: mini\nx: &x a\nanswers: [" + ", ".join(["*x"] * 100_000) + "]\n",
    "a merge key bomb": "a: &a {x: 1}\nb: {<<: [*a, *a, *a]}\n",
    "over 1 MB": "template: mini\nanswers: {}\nnote: " + "很" * 400_000 + "\n",
    "a 1 MB line of one scalar": "template: " + "x" * (MAX_BYTES + 1),
    "a python tag": "template: !!python/object/apply:os.system ['echo pwned']\n",
    "NUL and control characters": "template: mini\x00\x01\x02\nanswers: {}\n",
    "only a BOM": "\ufeff",
    "empty": "",
}
RAW_BOMBS = {
    "GBK": "template: mini\norganisation: 示例制造有限公司\nanswers: {}\n".encode("gbk"),
    "UTF-16": "template: mini\norganisation: 示例\nanswers: {}\n".encode("utf-16"),
    "random bytes": random.Random(7).randbytes(4096),
    "a zip": b"PK\x03\x04" + random.Random(8).randbytes(2000),
    f"over the upload limit ({MAX_UPLOAD_BYTES} bytes)": b"template: mini\n#" + b"x" * MAX_UPLOAD_BYTES,
}


def _targets(folder: Path) -> dict[str, Callable[[bytes], Any]]:
    def template_file(raw: bytes) -> Any:
        path = folder / "bomb.yaml"
        path.write_bytes(raw)
        return load_template(path)

    def sheet(raw: bytes) -> Any:
        sheets = _sheets()
        return sheets.sheet_from_bytes(raw, "bomb.yaml")

    return {
        "template file": template_file,
        "answers text": lambda raw: load_assessment_text(raw.decode("utf-8", "replace"), "bomb.yaml", TEMPLATES),
        "answers upload": None,  # needs the database: see the test
        "vendor sheet": sheet,
    }


NAMED = {"template file": TemplateError, "answers text": AnswersError, "answers upload": ImportRefused}


HEAVY = {"nesting 10000 levels, flow mappings", "nesting 10000 levels, flow lists"}
CASES = [(bomb, target) for bomb in [*BOMBS, *RAW_BOMBS]
         for target in ["template file", "answers text", "answers upload", "vendor sheet"]
         if not (bomb in RAW_BOMBS and target == "answers text")  # that one takes text, not bytes
         and not (bomb in HEAVY and target not in ("answers upload", "vendor sheet"))]  # the uploads: enough


@pytest.mark.parametrize(("bomb", "target"), CASES)
def test_bombs_and_bad_encodings_are_refused(bomb: str, target: str, folder: Path, room):
    raw = RAW_BOMBS[bomb] if bomb in RAW_BOMBS else BOMBS[bomb].encode("utf-8")
    named = _sheets().VendorSheetError if target == "vendor sheet" else NAMED[target]
    if target == "answers upload":
        repo, aid, rid = room
        before = repo.load_answers(aid)
        fn = lambda: import_document(repo, aid, rid, "bomb.yaml", raw, TEMPLATES, TEMPLATES["mini"])  # noqa: E731
    else:
        call = _targets(folder)[target]
        fn = lambda: call(raw)  # noqa: E731
    result = loads_or_refuses(fn, named)
    assert isinstance(result, BaseException), f"{bomb} was accepted by {target}"
    if target == "answers upload":
        assert room[0].load_answers(room[1]) == before


def test_the_largest_file_allowed_is_read():
    # ~1 MB of plain YAML; how long it takes is measured in bench/bench_all.py ("reader" case)
    text = "".join("- 1\n" for _ in range((MAX_BYTES - 100) // 4))
    doc = loads_or_refuses(lambda: parse_yaml_text(text, "big.yaml"), YamlProblems)
    assert len(doc.data) == (MAX_BYTES - 100) // 4


# -- bugs these tests found once, one input each (regressions) -------------------------------------------


def _cut_worksheet() -> bytes:
    """A real workbook whose sheet XML is cut in half (a damaged download, a bad disk)."""
    import io
    import zipfile

    sheets = _sheets()
    good = sheets.sheet_to_bytes(sheets.read_sheet(VENDOR_CONTENT / "vendors_example.yaml"), "v.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]
            dst.writestr(info, body)
    return out.getvalue()


KNOWN_BUG_CASES = [
    pytest.param("x: !foo 1\n", id="an unknown tag"),
    pytest.param("x: !!python/name:os.system\n", id="a python tag"),
    pytest.param("x: !!binary xx\n", id="a bad !!binary"),
    pytest.param("x: !!timestamp 2025-13-45\n", id="a bad !!timestamp"),
    pytest.param("? [a, b]\n: 1\n", id="a complex key"),
]


@pytest.mark.parametrize("text", KNOWN_BUG_CASES)
def test_known_yaml_bugs(text: str):
    with pytest.raises(YamlProblems):
        parse_yaml_text(text, "t.yaml")


def test_known_bug_a_list_as_confidence():
    with pytest.raises(AnswersError):
        load_assessment_text("template: mini\nanswers:\n  strategy.goals.defined: {value: yes, confidence: []}\n",
                             "a.yaml", TEMPLATES)


def test_known_bug_a_cut_workbook():
    sheets = _sheets()
    with pytest.raises(sheets.VendorSheetError):
        sheets.sheet_from_bytes(_cut_worksheet(), "v.xlsx")


def test_known_bug_a_list_as_a_cost_year():
    # raised TypeError: the year was looked up in a set before its type was checked
    sheets = _sheets()
    doc = yaml.safe_load((VENDOR_CONTENT / "vendors_example.yaml").read_text(encoding="utf-8"))
    vid = next(iter(doc["costs"]))
    doc["costs"][vid][0]["year"] = [1]
    with pytest.raises(sheets.VendorSheetError) as caught:
        sheets.sheet_from_bytes(yaml.safe_dump(doc, allow_unicode=True).encode(), "v.yaml")
    assert f"costs.{vid}[0].year" in str(caught.value) and INTERNAL_ERROR not in str(caught.value)


def test_known_bug_a_whole_number_cell_of_5000_digits():
    # raised ValueError from int(): Python refuses to convert more than 4300 digits
    sheets = _sheets()
    text = sheets.sheet_to_csv(sheets.read_sheet(VENDOR_CONTENT / "vendors_example.yaml"))
    assert "\nsetting,,,years,,3," in text
    text = text.replace("\nsetting,,,years,,3,", "\nsetting,,,years,," + "9" * 5000 + ",", 1)
    with pytest.raises(sheets.VendorSheetError) as caught:
        sheets.sheet_from_csv(text, "v.csv")
    assert INTERNAL_ERROR not in str(caught.value)


def test_hypothesis_runs_with_the_one_profile_everywhere():
    # the same examples on a laptop and in CI: derandomized, nothing remembered between runs
    current = settings()
    assert current.derandomize is True and current.database is None and current.deadline is None
    assert current.print_blob is True and FUZZ.derandomize is True
