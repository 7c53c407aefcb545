"""Editable exports read back: the gap list through openpyxl and csv, the report through python-docx."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from checklists import load_all
from reports import ReportOptions, build_report, export_file, gap_table, report_markdown
from reports.exports import GAP_COLUMNS, gap_headers
from scoring import ActionItem, ActionStatus, parse_assessment, score

COL = {c: i for i, c in enumerate(GAP_COLUMNS)}

ANSWERS = Path(__file__).parent / "data" / "answers"
FIXED = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
TEMPLATES, _ = load_all()


def case(name: str):
    a = parse_assessment(yaml.safe_load((ANSWERS / f"{name}.yaml").read_text(encoding="utf-8")), TEMPLATES)
    t = TEMPLATES[a.template]
    return t, a, score(t, a)


@pytest.fixture(params=["sales_funnel", "crm_system", "customer_followup"])
def scored(request):
    return case(request.param)


def plan_for(result):
    first = result.gaps[0].item_id
    return [ActionItem(item_id=first, owner="王敏 / Wang Min", due="2027-03-31", status=ActionStatus.in_progress)]


def test_xlsx_has_every_gap_with_its_numbers(scored):
    t, a, r = scored
    plan = plan_for(r)
    wb = load_workbook(io.BytesIO(export_file("xlsx", t, a, r, lang="zh", action_plan=plan)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == gap_headers("zh")
    body = rows[1:]
    # every gap once, ranked as the report ranks them: severity first
    assert sorted(row[COL["item_id"]] for row in body) == sorted(g.item_id for g in r.gaps)
    sev = {"阻断项": 0, "高": 1, "中": 2, "低": 3}
    ranks = [sev.get(row[COL["severity"]], 9) for row in body]
    assert ranks == sorted(ranks), "blockers first, then high, medium, low"
    gaps = {g.item_id: g for g in r.gaps}
    for row in body:
        g = gaps[row[COL["item_id"]]]
        assert row[COL["question"]] == g.question.zh and row[COL["recommendation"]] == g.recommendation.zh
        assert row[COL["score"]] == round(100 * g.score, 1) and isinstance(row[COL["impact"]], (int, float))
        assert row[COL["number"]] == t.question_number(g.item_id)
        ans = a.answers[g.item_id]
        assert row[COL["note"]] == (ans.note or None)
        assert row[COL["answer"]]  # the current answer in words
    first = next(row for row in body if row[COL["item_id"]] == plan[0].item_id)
    assert first[COL["owner"]:COL["status"] + 1] == ("王敏 / Wang Min", "2027-03-31", "进行中")
    # a spreadsheet a consultant can work in: frozen header, filters, column widths
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["D"].width >= 40


def test_csv_round_trips_with_chinese_and_a_bom(scored):
    t, a, r = scored
    data = export_file("csv", t, a, r, lang="zh", action_plan=plan_for(r))
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == gap_headers("zh")
    data = build_report(t, a, r, ReportOptions(lang="zh", action_plan=plan_for(r)))
    expected = [["" if v is None else str(v) for v in row] for row in gap_table(data)]
    assert rows[1:] == expected
    assert any("的" in cell for row in rows[1:] for cell in row)


def test_docx_headings_and_numbers_equal_the_scoring(scored):
    t, a, r = scored
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="en", created=FIXED)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    for ph in t.phases:
        assert ph.title.en in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Overall score: {round(r.overall, 1):g}" in text
    data = build_report(t, a, r, ReportOptions(lang="en", created=FIXED))
    assert f"{data.summary.verdict_heading}: {data.summary.verdict_label}" in text
    for g in r.blockers:
        assert g.question.en in text
    assert doc.core_properties.title == data.meta.title


def test_markdown_has_the_same_sections_as_the_pdf():
    t, a, r = case("sales_funnel")
    data = build_report(t, a, r, ReportOptions(lang="zh", created=FIXED))
    md = report_markdown(data)
    for heading in [data.summary.heading, data.charts.heading, data.phases_heading, data.appendix_heading,
                    data.method.heading] + [p.heading for p in data.phases]:
        assert f"# {heading}" in md or f"## {heading}" in md or f"### {heading}" in md
    assert f"{r.overall:g}" in md


HOSTILE_OWNER = '=HYPERLINK("http://x","click")'

# the one rule, by hand: guarded text gets one leading ', numbers and empty cells are left alone
FORMULA_CASES = [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("'quoted", "''quoted"), ("plain", "plain"), (" =1", " =1"), ("王敏", "王敏"),
    ("", ""), (None, None), (-3, -3), (-2.5, -2.5), (0, 0),
]


@pytest.mark.parametrize("value,cell", FORMULA_CASES)
def test_one_rule_for_text_that_could_become_a_formula(value, cell):
    from scoring import neutralise_formula, restore_neutralised

    assert neutralise_formula(value) == cell
    if isinstance(value, str):
        assert restore_neutralised(cell) == value  # the writer's ' comes off again, nothing else does


def hostile_plan(result):
    first, second = result.gaps[0].item_id, result.gaps[1].item_id
    return [ActionItem(item_id=first, owner=HOSTILE_OWNER, due="+1", note="@x"),
            ActionItem(item_id=second)]  # no owner, no due date: those cells must stay empty


def test_xlsx_text_never_becomes_a_formula_and_empty_cells_stay_empty():
    t, a, r = case("crm_system")
    wb = load_workbook(io.BytesIO(export_file("xlsx", t, a, r, lang="en", action_plan=hostile_plan(r))))
    ws = wb.active
    plan = hostile_plan(r)
    rows = {row[COL["item_id"]].value: row for row in ws.iter_rows(min_row=2)}
    owner, due = rows[plan[0].item_id][COL["owner"]], rows[plan[0].item_id][COL["due"]]
    assert owner.data_type == "s" and owner.value == "'" + HOSTILE_OWNER
    assert due.value == "'+1"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    # gaps without an owner or due date: empty cells, not a lone ' (nor an empty string)
    for item_id, row in rows.items():
        if item_id != plan[0].item_id:
            assert row[COL["owner"]].value is None and row[COL["due"]].value is None
        assert all(c.value != "'" and c.value != "" for c in row)
    # numbers stay numbers a spreadsheet can sum
    assert all(isinstance(row[COL["score"]].value, (int, float)) and isinstance(row[COL["impact"]].value, (int, float))
               for row in rows.values())


def test_csv_text_never_becomes_a_formula_and_empty_cells_stay_empty():
    t, a, r = case("crm_system")
    data = export_file("csv", t, a, r, lang="en", action_plan=hostile_plan(r)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))[1:]
    plan = hostile_plan(r)
    first = next(row for row in rows if row[COL["item_id"]] == plan[0].item_id)
    assert first[COL["owner"]] == "'" + HOSTILE_OWNER and first[COL["due"]] == "'+1"
    others = [row for row in rows if row is not first]
    assert [row[COL["owner"]:COL["due"] + 1] for row in others] == [["", ""]] * len(others)
    from scoring import FORMULA_START

    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
    float(first[COL["score"]]), float(first[COL["impact"]])  # numeric columns still read as numbers


def test_progress_since_section_in_pdf_and_docx():
    import pypdf

    from reports import render_report
    from scoring import compare

    t, a, r = case("crm_system")
    # the baseline answered only the first 40 items, three months earlier
    old = a.model_copy(update={"assessed_on": "2024-10-01", "answers": dict(list(a.answers.items())[:40])})
    cmp = compare(t, old, t, a)
    pdf = render_report(t, a, r, lang="en", comparison=cmp, created=FIXED)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Progress since 2024-10-01" in text
    assert f"{round(cmp.old.overall, 1):g}" in text and f"{round(cmp.new.overall, 1):g}" in text
    assert f"{cmp.old.overall:g}" not in text or cmp.old.overall == round(cmp.old.overall, 1)  # one decimal at most
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="zh", comparison=cmp, created=FIXED)))
    assert "自 2024-10-01 以来的进展" in [p.text for p in doc.paragraphs]
    assert "Progress since" not in export_file("md", t, a, r, lang="en", created=FIXED).decode()


def _pdf_sections(pdf: bytes) -> list[tuple[str, list[str]]]:
    """The PDF's outline: each top-level entry with the titles of its children."""
    from pypdf import PdfReader

    out: list[tuple[str, list[str]]] = []
    for e in PdfReader(io.BytesIO(pdf)).outline:
        if isinstance(e, list):
            out[-1] = (out[-1][0], [c.title for c in e if not isinstance(c, list)])
        else:
            out.append((e.title, []))
    return out


def _tree(headings: list[tuple[int, str]], with_children: set[str]) -> list[tuple[str, list[str]]]:
    """Top-level headings (level 1) with their level-2 headings, for the sections whose children count."""
    out: list[tuple[str, list[str]]] = []
    for level, text in headings:
        if level == 1:
            out.append((text, []))
        elif level == 2 and out and out[-1][0] in with_children:
            out[-1][1].append(text)
    return out


def _docx_headings(docx: bytes) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in Document(io.BytesIO(docx)).paragraphs
            if p.style.name.startswith("Heading ")]


def _md_headings(md: bytes) -> list[tuple[int, str]]:
    out = []
    for ln in md.decode("utf-8").splitlines():
        marks = len(ln) - len(ln.lstrip("#"))
        if marks >= 2 and ln[marks:marks + 1] == " ":
            out.append((marks - 1, ln[marks + 1:].replace("\\", "")))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_request_gives_the_same_sections_in_pdf_word_and_markdown(lang):
    from reports import ReportRequest, render_request
    from scoring import Answer, disagreements

    t, a, r = case("sales_funnel")
    # a room of two: Ann answered as in the file, 张三 said "no" wherever Ann said "yes"
    other = {k: Answer(value="no") if v.value == "yes" else v for k, v in a.answers.items()}
    agenda = disagreements(t, {"Ann": a.answers, "张三": other})
    assert agenda, "the room disagrees"
    request = ReportRequest(template=t, assessment=a, result=r, lang=lang, action_plan=plan_for(r),
                            disagreements=agenda, created=FIXED)
    data = request.data()
    # the cover is an outline entry in the PDF; Word and Markdown open with the title instead
    pdf = [s for s in _pdf_sections(render_request(request, "pdf")) if s[0] != data.outline["cover"]]
    nested = {title for title, children in pdf if children}  # the phases, the appendix
    docx = _tree(_docx_headings(render_request(request, "docx")), nested)
    md = _tree(_md_headings(render_request(request, "md")), nested)
    assert pdf == docx == md
    titles = [title for title, _ in pdf]
    assert data.disagreements is not None and data.disagreements.heading in titles
    assert data.action_plan is not None and data.action_plan.heading in titles
    assert [p.heading for p in data.phases] == dict(pdf)[data.phases_heading]
