"""Every reader is total, proven on a deterministic corpus that runs in full on every run.

For each shipped file (the three templates, the requirements and criteria catalogues, the example
vendor sheet in YAML, CSV and XLSX, the demo workshop's answers) and a real backup folder (the demo
exported from SQLite) the parsed tree is mutated in memory,
one change at a time, re-serialised and handed to the reader a user's file goes through:

- at every node of the tree, its type is swapped: every scalar becomes a list or a mapping (the
  unhashable values that once broke readers), every third scalar also null, every list or mapping
  one of its three other kinds, in turn;
- at the leaves, the values that broke readers before: NaN, +inf, -inf, 1e308, -0.0, an empty
  string, a 10 000-character string, control characters (in rotation: every leaf of the catalogues
  and the answers, every third of the vendor sheet, every eighth of a template or a backup file;
  and all of them at the first three numeric fields of each name).

Each outcome must be a value, or the reader's named error whose every problem names the file, and
none of them may come from a reader's last resort ("internal error reading …"). A template mutation
is read inside a pruned copy of its template (each phase's first item, plus the item it lives in, and
the sections they name), so the corpus covers every node in about two minutes on a shared 2-core
machine; a sample is also read in the full file. Samples go
through the command line too: `validate` exits 1 on a refused template, `score` and `vendors` exit 2,
always with located messages and never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import cli
import sheets
from checklists import (
    INTERNAL_ERROR,
    Problem,
    TemplateError,
    YamlProblems,
    best_answers,
    load_all,
    load_template,
    parse_template,
    parse_yaml_text,
)
from scoring import AnswersError, Assessment, load_assessment_text, parse_assessment, score
from vendors import (
    VendorContentError,
    VendorSheetError,
    evaluate_vendors,
    parse_criteria,
    parse_requirements,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "checklists"
VENDOR_CONTENT = ROOT / "vendors"
DEMO = SHIPPED / "demo" / "sales_funnel_demo.yaml"
TEMPLATE_FILES = sorted(SHIPPED.glob("*.yaml"))
TEMPLATES = load_all()[0]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's safe dumper, never writing an alias: the readers refuse aliases, so a mutation that
    happened to share an object would be refused for the wrong reason."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


SPECIALS: list[tuple[str, Any]] = [
    ("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("1e308", 1e308), ("-0", -0.0),
    ("empty string", ""), ("10000 chars", "长" * 5000 + "x" * 5000),
    ("control characters", "a\x00b\x07c\x1b[31md\x7fe\u200b\ufeff"),
]
NON_FINITE = {"nan", "+inf", "-inf"}

Path_ = tuple[Any, ...]


# -- the tree -------------------------------------------------------------------------------


def nodes(doc: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) of a parsed tree, root first, in document order."""
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from nodes(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from nodes(v, (*path, i))


def replaced(doc: Any, path: Path_, value: Any) -> Any:
    """A copy of `doc` with the node at `path` replaced; only the containers along the path are copied."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    out = dict(doc) if isinstance(doc, dict) else list(doc)
    out[head] = replaced(doc[head], rest, value)
    return out


def swaps(value: Any) -> list[tuple[str, Any]]:
    """The other types a node could have been given: scalar, list, mapping, null."""
    scalar = value if not isinstance(value, (dict, list)) and value is not None else "x"
    options = [("to a scalar", scalar), ("to a list", [scalar]), ("to a mapping", {"x": scalar}), ("to null", None)]
    kind = "mapping" if isinstance(value, dict) else "list" if isinstance(value, list) else \
        "null" if value is None else "scalar"
    return [(name, v) for name, v in options if not name.endswith(kind)]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Mutation:
    path: Path_
    what: str
    value: Any

    def __str__(self) -> str:
        shown = repr(self.value)
        return f"{self.what} at {list(self.path)}: {shown[:60]}"


def mutations(doc: Any, leaf_every: int = 1) -> list[Mutation]:
    """Type swaps: every scalar becomes a list or a mapping (in turn: the unhashable values that broke
    readers), every third scalar also null, every container one of its three others (in turn).
    Specials: at every `leaf_every`-th leaf in rotation, and all of them at the first three numeric
    fields of each name."""
    out: list[Mutation] = []
    leaf = scalars = 0
    numeric_names: dict[Any, int] = {}
    for n, (path, value) in enumerate(nodes(doc)):
        options = swaps(value)
        if isinstance(value, (dict, list)):
            name, alt = options[n % len(options)]
            out.append(Mutation(path, f"type {name}", alt))
        else:
            unhashable = [(k, v) for k, v in options if isinstance(v, (dict, list))]
            name, alt = unhashable[scalars % 2]
            out.append(Mutation(path, f"type {name}", alt))
            if scalars % 3 == 0 and value is not None:
                out.append(Mutation(path, "type to null", None))
            scalars += 1
        if isinstance(value, (dict, list)) or not path:
            continue
        key = path[-1] if not isinstance(path[-1], int) else (path[-2] if len(path) > 1 else None)
        if is_number(value) and numeric_names.get(key, 0) < 3:
            numeric_names[key] = numeric_names.get(key, 0) + 1
            out += [Mutation(path, special, v) for special, v in SPECIALS]
        elif leaf % leaf_every == 0:
            special, v = SPECIALS[(leaf // leaf_every) % len(SPECIALS)]
            out.append(Mutation(path, special, v))
        leaf += 1
    return out


# -- outcomes -------------------------------------------------------------------------------


NAMED = (TemplateError, YamlProblems, VendorContentError, VendorSheetError, AnswersError)


def outcome(read: Callable[[], Any], file: str) -> tuple[Any, list[str]]:
    """(value, []) or (None, located problems); any other exception fails the calling test."""
    try:
        return read(), []
    except NAMED as e:
        problems = e.problems
    texts = [str(p) for p in problems]
    assert texts, "a refusal must list its problems"
    for p, text in zip(problems, texts, strict=False):
        named = p.file.startswith(file) if isinstance(p, Problem) else text.startswith(file)
        assert named, f"a problem that does not name the file {file}: {text}"
        assert INTERNAL_ERROR not in text, f"a reader's last resort caught this: {text}"
    return None, texts


class Failures:
    """Collects every failing mutation of a file, so one run reports them all."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.accepted = self.refused = 0

    @contextlib.contextmanager
    def case(self, m: Mutation | str) -> Iterator[None]:
        try:
            yield
        except Exception as e:
            self.items.append(f"{m}: {type(e).__name__}: {str(e)[:300]}")

    def count(self, value: Any) -> None:
        if value is None:
            self.refused += 1
        else:
            self.accepted += 1

    def check(self) -> None:
        assert not self.items, f"{len(self.items)} mutations broke a reader:\n" + "\n".join(self.items[:25])


def _raw(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


# -- templates ------------------------------------------------------------------------------


def _pruned(doc: dict[str, Any], path: Path_) -> tuple[dict[str, Any], Path_]:
    """The template with each phase's first item only, plus the item `path` lies in (at position 1),
    and only the sections those items name; the path rewritten to point into the pruned copy."""
    phases = doc["phases"]
    keep = [ph["items"][:1] for ph in phases]
    if len(path) >= 4 and path[0] == "phases" and path[2] == "items" and path[3] != 0:
        keep[path[1]] = [phases[path[1]]["items"][0], phases[path[1]]["items"][path[3]]]
        path = (*path[:3], 1, *path[4:])
    out = dict(doc)
    out["phases"] = []
    for pi, (ph, items) in enumerate(zip(phases, keep, strict=False)):
        named = {it["id"].split(".")[1] for it in items}
        sections = [sec for sec in ph.get("sections", []) if sec["id"] in named]
        if len(path) >= 4 and path[:3] == ("phases", pi, "sections"):
            sections = ph["sections"]  # a section is what is mutated: keep them all, in place
        out["phases"].append(dict(ph, sections=sections, items=items))
    return out, path


def _read_template(text: str, name: str) -> Any:
    return parse_template(parse_yaml_text(text, name))


def _scores_stay_finite(t: Any) -> None:
    """An accepted template scores finite numbers, even with its best answers everywhere."""
    answers = parse_assessment({"template": t.id, "answers": best_answers(t)}, {t.id: t})
    r = score(t, answers)
    for x in [r.overall, *(ph.score for ph in r.phases)]:
        assert x is None or math.isfinite(x), f"a score of {x}"


CLI_EVERY = 50  # every 50th mutation also goes through the command line
FULL_EVERY = 200  # every 200th is also read inside the whole file


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_every_mutation_of_a_shipped_template_is_a_template_or_located_problems(path: Path, tmp_path: Path):
    doc = _raw(path)
    name = path.name
    muts = mutations(doc, leaf_every=8)
    failures = Failures()
    for n, m in enumerate(muts):
        with failures.case(m):
            pruned, where = _pruned(doc, m.path)
            value, problems = outcome(lambda pruned=pruned, where=where, m=m: _read_template(dump(replaced(pruned, where, m.value)), name), name)
            failures.count(value)
            if value is not None:
                _scores_stay_finite(value)
            if m.what in NON_FINITE:
                assert value is None, "a non-finite number was accepted"
            if n % FULL_EVERY == 0:
                full, _ = outcome(lambda m=m: _read_template(dump(replaced(doc, m.path, m.value)), name), name)
                if full is not None:
                    _scores_stay_finite(full)
            if n % CLI_EVERY == 0:
                file = tmp_path / name
                file.write_text(dump(replaced(pruned, where, m.value)), encoding="utf-8")
                code, out, err = run_cli("validate", str(file))
                assert "Traceback" not in out + err
                if value is None:
                    assert code == 1 and str(file) in out, (code, out, err)
    failures.check()
    print(f"{name}: {len(muts)} mutations, {failures.accepted} read, {failures.refused} refused")
    assert failures.refused > len(muts) // 2  # most mutations break a template: the reader did look


def test_the_pinned_list_valued_level_id_is_a_located_problem():
    # the bug that took the whole app down: a TypeError from hashing the raw list
    doc = _raw(TEMPLATE_FILES[0])
    value, problems = outcome(lambda: _read_template(dump(replaced(doc, ("levels", 0, "id"), ["not_ready"])),
                                                     "t.yaml"), "t.yaml")
    assert value is None and any("[levels[0].id]" in p for p in problems)


@pytest.mark.parametrize(("field", "value", "words"), [
    (("phases", 0, "weight"), math.inf, "must be a finite number"),
    (("phases", 0, "items", 0, "weight"), math.nan, "must be a finite number"),
    (("multipliers", "must"), 1e308, "must be at most 1000"),
    (("phases", 0, "items", 0, "weight"), 1001, "must be at most 1000"),
    (("levels", 1, "min_score"), -math.inf, "must be a finite number"),
])
def test_non_finite_and_absurd_numbers_in_a_template_are_refused_with_the_field(field, value, words):
    doc = _raw(TEMPLATE_FILES[0])
    value_, problems = outcome(lambda: _read_template(dump(replaced(doc, field, value)), "t.yaml"), "t.yaml")
    where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in field).lstrip(".")
    assert value_ is None and any(f"[{where}]: {words}" in p for p in problems), problems


def test_the_largest_weights_allowed_still_score_finite_numbers():
    # every weight and multiplier at the bound: 1000 * 1000 per item, summed over 83 items, is ~1e8
    doc = _raw(SHIPPED / "sales_funnel.yaml")
    doc["multipliers"] = {"must": 1000, "should": 1000, "nice": 1000}
    for ph in doc["phases"]:
        ph["weight"] = 1000
        for it in ph["items"]:
            it["weight"] = 1000
    t = _read_template(dump(doc), "t.yaml")
    _scores_stay_finite(t)


# -- requirements and criteria catalogues ---------------------------------------------------


@pytest.mark.parametrize(("file", "parse"), [("requirements.yaml", parse_requirements),
                                             ("criteria.yaml", parse_criteria)])
def test_every_mutation_of_a_shipped_catalogue_is_a_catalogue_or_located_problems(file: str, parse):
    doc = _raw(VENDOR_CONTENT / file)
    muts = mutations(doc)
    failures = Failures()
    for m in muts:
        with failures.case(m):
            value, _ = outcome(lambda m=m: parse(parse_yaml_text(dump(replaced(doc, m.path, m.value)), file)), file)
            failures.count(value)
            if m.what in NON_FINITE:
                assert value is None, "a non-finite number was accepted"
    failures.check()
    assert failures.refused > len(muts) // 2


# -- the vendor sheet: YAML, CSV, XLSX ------------------------------------------------------

SHEET = VENDOR_CONTENT / "vendors_example.yaml"
REQUIREMENTS = parse_requirements(parse_yaml_text((VENDOR_CONTENT / "requirements.yaml").read_text(encoding="utf-8"),
                                                  "requirements.yaml"))
CRITERIA = parse_criteria(parse_yaml_text((VENDOR_CONTENT / "criteria.yaml").read_text(encoding="utf-8"), "criteria.yaml"))


def _evaluates(sheet: Any) -> None:
    """An accepted sheet can be compared, with finite results."""
    text = evaluate_vendors(sheet, REQUIREMENTS, CRITERIA, runs=20).to_json()
    assert "NaN" not in text and "Infinity" not in text


def test_every_mutation_of_the_shipped_vendor_sheet_is_a_sheet_or_located_problems(tmp_path: Path):
    doc = _raw(SHEET)
    name = "vendors.yaml"
    muts = mutations(doc, leaf_every=3)
    failures = Failures()
    for n, m in enumerate(muts):
        with failures.case(m):
            text = dump(replaced(doc, m.path, m.value))
            value, problems = outcome(lambda text=text: sheets.sheet_from_yaml(text, name), name)
            failures.count(value)
            if value is not None and n % 10 == 0:
                _evaluates(value)
            if m.what in NON_FINITE:
                assert value is None, "a non-finite number was accepted"
            if n % CLI_EVERY == 0:
                file = tmp_path / name
                file.write_text(text, encoding="utf-8")
                code, out, err = run_cli("vendors", str(file), "--runs", "20")
                assert "Traceback" not in out + err
                assert code == (0 if value is not None else 2), (code, err)
                if value is None:
                    assert err.startswith(f"error: {file}"), err
    failures.check()
    assert failures.refused > len(muts) // 3


def _table(sheet_text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sheet_text)))


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CELL_VALUES = ["", "nan", "inf", "-inf", "1e308", "-0", "1e999", "x" * 10_000, "a\x00b\x07c\x1bd", "9" * 5000,
               "=1+1", "1,000,000", "²"]


def _cell_mutations(rows: list[list[str]]) -> list[tuple[int, int, str]]:
    """The header and the first row of each section: every cell, four hard values each (in rotation,
    so all are used); every other row: one cell, one value, both in rotation."""
    out: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    k = 0
    for r, row in enumerate(rows):
        section = row[0] if r else "header"
        if section not in seen:
            seen.add(section)
            for c in range(len(row)):
                out += [(r, c, CELL_VALUES[(k + j) % len(CELL_VALUES)]) for j in range(4)]
                k += 4
        else:
            out.append((r, k % len(row), CELL_VALUES[k % len(CELL_VALUES)]))
            k += 1
    return out


def test_every_cell_mutation_of_the_vendor_sheet_as_csv_and_xlsx_is_a_sheet_or_located_problems(tmp_path: Path):
    from openpyxl import Workbook

    base = sheets.read_sheet(SHEET)
    rows = _table(sheets.sheet_to_csv(base))
    muts = _cell_mutations(rows)
    failures = Failures()
    for n, (r, c, v) in enumerate(muts):
        label = f"cell row {r + 1} column {c + 1} = {v[:30]!r}"
        changed = [list(row) for row in rows]
        changed[r][c] = v
        with failures.case(label):
            value, _ = outcome(lambda changed=changed: sheets.sheet_from_csv(_csv(changed), "vendors.csv"), "vendors.csv")
            failures.count(value)
            if value is not None and n % 5 == 0:
                _evaluates(value)
        if n % 20 == 0 and not _CONTROL.search(v):  # a workbook is slow to build, and cannot hold controls
            with failures.case(f"xlsx {label}"):
                wb = Workbook()
                ws = wb.active
                ws.title = "vendor_sheet"
                for row in changed:
                    ws.append([_as_cell(x) for x in row])
                buf = io.BytesIO()
                wb.save(buf)
                outcome(lambda buf=buf: sheets.sheet_from_xlsx(buf.getvalue(), "vendors.xlsx"), "vendors.xlsx")
        if n % CLI_EVERY == 0:
            with failures.case(f"cli {label}"):
                file = tmp_path / "vendors.csv"
                file.write_text(_csv(changed), encoding="utf-8")
                code, out, err = run_cli("vendors", str(file), "--runs", "20")
                assert "Traceback" not in out + err and code == (0 if value is not None else 2), (code, err)
    failures.check()
    assert failures.refused > 0 and failures.accepted > 0


def _as_cell(text: str) -> Any:
    """A cell as a spreadsheet would hold it: numbers as numbers (including inf and nan)."""
    try:
        return float(text) if text.strip() and text.lower() not in ("infinity",) and len(text) < 400 else text
    except ValueError:
        return text


# -- answers: the demo workshop's respondents, as answers files -----------------------------


def _demo_answer_files() -> list[tuple[str, dict[str, Any]]]:
    demo = _raw(DEMO)
    return [(f"demo_{i}.yaml", {"template": demo["template"], "organisation": demo["organisation"],
                                "respondent": person["name"], "answers": person["answers"]})
            for i, person in enumerate(demo["respondents"])]


@pytest.mark.parametrize(("name", "doc"), _demo_answer_files(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_mutation_of_the_demo_answers_is_an_assessment_or_located_problems(name: str, doc: Any,
                                                                                 tmp_path: Path):
    muts = mutations(doc)
    failures = Failures()
    template = TEMPLATES[doc["template"]]
    for n, m in enumerate(muts):
        with failures.case(m):
            text = dump(replaced(doc, m.path, m.value))
            value, problems = outcome(lambda text=text: load_assessment_text(text, name, TEMPLATES), name)
            failures.count(value)
            if isinstance(value, Assessment):
                r = score(template, value)
                assert r.overall is None or math.isfinite(r.overall)
            if n % CLI_EVERY == 0:
                file = tmp_path / name
                file.write_text(text, encoding="utf-8")
                code, out, err = run_cli("score", str(file), "--json")
                assert "Traceback" not in out + err
                assert code == (0 if value is not None else 2), (code, err)
                if value is None:
                    assert err.startswith(f"error: {file}"), err
    failures.check()
    assert failures.refused > 0 and failures.accepted > 0


# -- backups --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real backup folder: the demo workshop exported from a fresh SQLite database."""
    import storage
    from storage import export_all
    from ui.demo import create_demo

    folder = tmp_path_factory.mktemp("backup")
    url = f"sqlite:///{folder / 'db.sqlite'}"
    repo = storage.open_repository(url)
    create_demo(repo, TEMPLATES, "en", full=False)  # the answered workshop: every mutation stays affordable
    export_all(repo, folder / "out")
    storage.dispose_engines(url)
    return folder / "out"


def test_every_mutation_of_a_backup_is_read_or_refused_with_reasons(backup: Path, tmp_path: Path):
    """Each file of a real backup mutated in turn; the mutated file keeps a good checksum in the
    manifest, so the reader looks past the checksum into the rows (the harder case)."""
    import hashlib
    import shutil

    from storage.backup import ASSESSMENTS_DIR, MANIFEST, BackupError, read_backup

    work = tmp_path / "b"
    shutil.copytree(backup, work)
    manifest_text = (backup / MANIFEST).read_text(encoding="utf-8")
    files = [MANIFEST] + [f"{ASSESSMENTS_DIR}/{p.name}" for p in sorted((backup / ASSESSMENTS_DIR).glob("*.json"))]
    failures = Failures()
    total = 0
    for file in files:
        original = (backup / file).read_bytes()
        doc = json.loads(original)
        muts = mutations(doc, leaf_every=8 if file != MANIFEST else 1)
        total += len(muts)
        for m in muts:
            data = (json.dumps(replaced(doc, m.path, m.value), ensure_ascii=False, indent=1) + "\n").encode()
            (work / file).write_bytes(data)
            if file != MANIFEST:
                manifest = json.loads(manifest_text)
                for entry in manifest["assessments"]:
                    if file.endswith(f"/{entry['id']}.json"):
                        entry["sha256"] = hashlib.sha256(data).hexdigest()
                (work / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            with failures.case(f"{file}: {m}"):
                try:
                    failures.count(read_backup(work))
                except BackupError as e:
                    failures.count(None)
                    assert e.problems and INTERNAL_ERROR not in str(e), str(e)
        (work / file).write_bytes(original)
        (work / MANIFEST).write_text(manifest_text, encoding="utf-8")
    failures.check()
    assert failures.refused > total // 2


# -- the corpus covers what it says ---------------------------------------------------------


def test_every_node_of_every_shipped_file_gets_a_type_swap():
    for path in [*TEMPLATE_FILES, VENDOR_CONTENT / "requirements.yaml", VENDOR_CONTENT / "criteria.yaml", SHEET]:
        doc = _raw(path)
        muts = mutations(doc, leaf_every=8)
        swapped = {m.path for m in muts if m.what.startswith("type ")}
        assert swapped == {p for p, _ in nodes(doc)}, path.name
        unhashable = {m.path for m in muts if isinstance(m.value, (dict, list))}
        assert unhashable >= {p for p, v in nodes(doc) if not isinstance(v, (dict, list))}, path.name
    for special, _ in SPECIALS:  # and every special value is used on a template
        assert any(m.what == special for m in mutations(_raw(TEMPLATE_FILES[0]), leaf_every=8)), special


def test_the_shipped_files_themselves_are_read():
    for path in TEMPLATE_FILES:
        load_template(path)
    sheets.read_sheet(SHEET)
    for name, doc in _demo_answer_files():
        load_assessment_text(dump(doc), name, TEMPLATES)
