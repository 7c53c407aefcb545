"""Editable exports read back: the gap list through openpyxl and csv, the report through python-docx."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from checklists import load_all
from reports import ReportOptions, build_report, export_file, gap_table, report_markdown
from reports.exports import gap_headers
from scoring import ActionItem, ActionStatus, parse_assessment, score

ANSWERS = Path(__file__).parent / "data" / "answers"
FIXED = datetime(2027, 1, 15, 9, 0, tzinfo=timezone.utc)
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
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == gap_headers("zh")
    body = rows[1:]
    assert [row[1] for row in body] == [g.item_id for g in r.gaps]
    for row, g in zip(body, r.gaps, strict=True):
        assert row[2] == g.question.zh
        assert row[4] == round(100 * g.score, 2) and row[5] == g.impact
        assert row[7] == g.recommendation.zh
    assert body[0][8:11] == ("王敏 / Wang Min", "2027-03-31", "进行中")


def test_csv_round_trips_with_chinese_and_a_bom(scored):
    t, a, r = scored
    data = export_file("csv", t, a, r, lang="zh", action_plan=plan_for(r))
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == gap_headers("zh")
    expected = [[str(v) for v in row] for row in gap_table(t, r, plan_for(r), "zh")]
    assert rows[1:] == expected
    assert any("的" in cell for row in rows[1:] for cell in row)


def test_docx_headings_and_numbers_equal_the_scoring(scored):
    t, a, r = scored
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="en", created=FIXED)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    for ph in t.phases:
        assert ph.title.en in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Overall score: {r.overall:g}" in text
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
    owner, due = ws.cell(row=2, column=9), ws.cell(row=2, column=10)
    assert owner.data_type == "s" and owner.value == "'" + HOSTILE_OWNER
    assert due.value == "'+1"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    # gaps without an owner or due date: empty cells, not a lone '
    for row in ws.iter_rows(min_row=3, values_only=True):
        assert row[8] is None and row[9] is None
    # numbers stay numbers a spreadsheet can sum
    assert all(isinstance(row[4], (int, float)) and isinstance(row[5], (int, float))
               for row in ws.iter_rows(min_row=2, values_only=True))


def test_csv_text_never_becomes_a_formula_and_empty_cells_stay_empty():
    t, a, r = case("crm_system")
    data = export_file("csv", t, a, r, lang="en", action_plan=hostile_plan(r)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))[1:]
    assert rows[0][8] == "'" + HOSTILE_OWNER and rows[0][9] == "'+1"
    assert [row[8:10] for row in rows[1:]] == [["", ""]] * (len(rows) - 1)
    from scoring import FORMULA_START

    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
    float(rows[0][4]), float(rows[0][5])  # numeric columns still read as numbers


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
    assert f"{cmp.old.overall:g}" in text and f"{cmp.new.overall:g}" in text
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
