"""The report as a client document, for every shipped template in both languages: the Word file (A4,
margins, page numbers, contents, real headings, charts, logo), the one-page summary, the footer and
bookmarks of the PDF, Chinese line breaking, and no silent loss of characters."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

import checklists
from checklists import Template, load_template, template_files
from reports import ReportOptions, ReportRequest, build_report, render_pdf_info, render_request
from reports.document import compose
from scoring import Answer, Assessment, ReadinessResult, load_assessment_file, score

ANSWERS = Path(__file__).resolve().parent / "data" / "answers"
SHIPPED_DIR = Path(checklists.__file__).resolve().parent
SHIPPED = [p for p in template_files() if p.parent.resolve() == SHIPPED_DIR]
CREATED = datetime(2025, 3, 15, 9, 30, tzinfo=UTC)
CASES = [pytest.param(p, lang, id=f"{p.stem}-{lang}") for p in SHIPPED for lang in ("zh", "en")]
CLOSING = "，。、；：？！）》」』】〕〉”％"
OPENING = "（《「『【〔〈“"


def flat(text: str) -> str:
    return "".join(text.split())


def png(width: int = 120, height: int = 40) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(buf, "PNG")
    return buf.getvalue()


@cache
def case(path: Path) -> tuple[Template, Assessment, ReadinessResult]:
    t = load_template(path)
    a = load_assessment_file(str(ANSWERS / f"{t.id}.yaml"), {t.id: t})
    return t, a, score(t, a)


@cache
def pdf_pages(path: Path, lang: str) -> tuple[list[str], bytes]:
    t, a, r = case(path)
    out = render_pdf_info(build_report(t, a, r, ReportOptions(lang=lang, created=CREATED)))
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(out.pdf)).pages], out.pdf


@pytest.mark.parametrize("path, lang", CASES)
def test_the_summary_is_one_page(path: Path, lang: str):
    t, a, r = case(path)
    data = build_report(t, a, r, ReportOptions(lang=lang, created=CREATED))
    pages, _pdf = pdf_pages(path, lang)
    heading = flat(data.summary.heading)
    starts = [i for i, p in enumerate(pages) if flat(p).split("/", 1)[-1].find(heading) >= 0
              and flat(data.summary.verdict_heading) in flat(p)]
    assert len(starts) == 1
    page = flat(pages[starts[0]])
    following = flat(pages[starts[0] + 1])
    # the summary ends on its page: its last words (the gap table or the "n more" line) are there...
    assert flat(data.summary.gaps_heading) in page
    last = data.summary.narrative[-1]
    assert flat(last) in page
    # ...and the next page opens the next section, never a summary row spilled over
    assert following.find(flat(data.scope.heading)) >= 0
    for g in data.summary.top_gaps:
        assert flat(g.recommendation) not in following
    shown = [g for g in data.summary.top_gaps if flat(g.recommendation) in page]
    hidden = data.summary.gaps_total - len(shown)
    if hidden:  # what was cut is named, with where to find it
        more = data.summary.more_gaps.format(n=hidden)
        assert flat(more) in page


@pytest.mark.parametrize("path, lang", CASES)
def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(path: Path, lang: str):
    pages, _pdf = pdf_pages(path, lang)
    lines = [ln.strip() for p in pages for ln in p.split("\n") if ln.strip()]
    assert lines
    bad_start = [ln for ln in lines if ln[0] in CLOSING]
    bad_end = [ln for ln in lines if ln[-1] in OPENING]
    assert bad_start == [], bad_start[:5]
    assert bad_end == [], bad_end[:5]
    # must NOT happen either: an English word split without a hyphen (a level name in a narrow box)
    t, _a, _r = case(path)
    for lv in t.levels:
        label = lv.label.get(lang)
        if " " not in label and len(label) > 8:
            for i in range(3, len(label) - 2):
                assert f"{label[:i]}\n{label[i:]}" not in "\n".join(pages)


@pytest.mark.parametrize("path, lang", CASES)
def test_pdf_footer_is_confidential_and_the_bookmarks_open(path: Path, lang: str):
    pages, pdf = pdf_pages(path, lang)
    mark = "机密" if lang == "zh" else "Confidential"
    assert all(mark in p for p in pages)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert "\x00" not in "".join(pages), "extraction gives no NUL characters"
    # internal ids stay in the appendix: no item id on the summary and phase pages
    t, _a, _r = case(path)
    data = build_report(t, *case(path)[1:], ReportOptions(lang=lang, created=CREATED))
    appendix = next(i for i, p in enumerate(pages) if flat(data.answers.heading) in flat(p)
                    and flat(data.answers.headers[0]) in flat(p))
    ids = [it.id for it in t.items()]
    before = "".join(pages[:appendix])
    assert not [i for i in ids if i in before]
    assert any(i in "".join(pages[appendix:]) for i in ids)
    # an out-of-scope phase never reads "0 % completion (0/0)"
    assert "(0/0)" not in before


def test_scores_carry_one_decimal_at_most():
    path = SHIPPED[0]
    pages, _pdf = pdf_pages(path, "en")
    text = "".join(pages)
    assert not re.search(r"\b\d+\.\d{2,}\s*(%|/ 100|pts)", text), re.findall(r"\b\d+\.\d{2,}\s*(?:%|/ 100|pts)", text)[:5]


HOSTILE = "✅ 已确认 ❌ 尚无纪要 · مرحبا · שלום · é̃ · 😀"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_character_is_silently_lost(lang: str):
    t, a, r = case(SHIPPED[0])
    first = next(iter(a.answers))
    hostile = a.model_copy(update={"answers": {**a.answers, first: Answer(value=a.answers[first].value,
                                                                          note=HOSTILE)}})
    data = build_report(t, hostile, score(t, hostile), ReportOptions(lang=lang, created=CREATED))
    out = render_pdf_info(data)
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out.pdf)).pages)
    assert "\x00" not in text
    for ch in "✅❌مשל😀":  # each prints, in the report font or a fallback font, or as a visible [U+…]
        assert ch in text or f"[U+{ord(ch):04X}]" in text, ch
    assert "已确认" in text and "尚无纪要" in text


@pytest.mark.parametrize("path, lang", CASES)
def test_word_is_a_client_document_with_the_pdfs_sections(path: Path, lang: str):
    t, a, r = case(path)
    request = ReportRequest(template=t, assessment=a, result=r, lang=lang, logo=png(), created=CREATED)
    raw = render_request(request, "docx")
    doc = Document(io.BytesIO(raw))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), "A4, not US Letter"
    assert 15 <= section.left_margin.mm <= 25 and 15 <= section.top_margin.mm <= 25
    xml = zipfile.ZipFile(io.BytesIO(raw))
    footers = "".join(xml.read(n).decode() for n in xml.namelist() if n.startswith("word/footer"))
    assert "PAGE" in footers and "NUMPAGES" in footers, "page numbers in the footer"
    body = xml.read("word/document.xml").decode()
    assert "TOC \\o" in body, "a contents field"
    media = [n for n in xml.namelist() if n.startswith("word/media/")]
    assert len(media) >= 3, "the logo and the charts as images"
    every = [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert all(text.strip() for _level, text in every), "no empty heading"
    headings = [h for h in every if h[0] <= 2]
    # the same section titles, in the same order, as the document every format renders
    data = request.data()
    assert headings == [(h.level, h.text) for h in compose(data).headings()]
    assert any(p.style.name == "Title" and p.text == data.cover.title for p in doc.paragraphs)
    pdf = render_request(request, "pdf")
    outline = []

    def walk(items, level=1):
        for o in items:
            if isinstance(o, list):
                walk(o, level + 1)
            else:
                outline.append((level, o.title))
    walk(PdfReader(io.BytesIO(pdf)).outline)
    assert [x for x in outline if x[1] != data.outline["cover"]] == headings
    md = render_request(request, "md").decode("utf-8")
    md_headings = [(len(m.group(1)) - 1, m.group(2).replace("\\", "")) for m in
                   re.finditer(r"^(#{2,3}) (.+)$", md, re.M)]
    assert md_headings == headings


def test_word_survives_a_title_over_255_characters():
    t, a, r = case(SHIPPED[0])
    long = a.model_copy(update={"organisation": "长" * 300 + " Ltd."})
    raw = render_request(ReportRequest(template=t, assessment=long, result=r, lang="en", created=CREATED), "docx")
    doc = Document(io.BytesIO(raw))
    assert len(doc.core_properties.title) <= 255
    assert any("长" * 300 in p.text for p in doc.paragraphs), "the full name stays in the document"


def test_vendor_roi_and_payback_are_printed_in_every_format():
    from sheets import read_sheet
    from vendors import EXAMPLE_SHEET_FILE, evaluate_vendors, load_criteria, load_requirements

    vr = evaluate_vendors(read_sheet(EXAMPLE_SHEET_FILE), load_requirements(), load_criteria())
    lead = next(v for v in vr.vendors if v.roi is not None)
    t, a, r = case(SHIPPED[0])
    request = ReportRequest(template=t, assessment=a, result=r, lang="en", vendors=vr, created=CREATED)
    data = request.data()
    roi = data.vendor.roi
    assert roi is not None and roi.heading == "Return on investment and payback"
    row = next(row for row in roi.rows if row[0] == lead.name.en)
    assert row[4] == f"{round(lead.roi.roi_percent, 1):g}%"
    assert row[5] == f"{round(lead.roi.payback_years, 1):g} years"
    text = flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(render_request(request, "pdf"))).pages))
    assert flat(roi.heading) in text and flat(row[4]) in text
    assert roi.heading in render_request(request, "md").decode()
    # must NOT happen: an ROI section without vendor data
    bare = ReportRequest(template=t, assessment=a, result=r, lang="en", created=CREATED)
    assert "Return on investment" not in render_request(bare, "md").decode()


def test_one_level_vocabulary_per_language_across_templates():
    templates = [load_template(p) for p in SHIPPED]
    for lang in ("zh", "en"):
        by_id: dict[str, set[str]] = {}
        for t in templates:
            for lv in t.levels:
                by_id.setdefault(lv.id, set()).add(lv.label.get(lang))
        assert all(len(labels) == 1 for labels in by_id.values()), (lang, by_id)
        # must NOT happen: two levels of one template sharing a name
        for t in templates:
            names = [lv.label.get(lang) for lv in t.levels]
            assert len(set(names)) == len(names)


def test_an_item_id_breaks_only_at_its_dots():
    from reports.document import Cell
    from reports.fonts import report_font
    from reports.pdf import PdfRenderer

    t, a, r = case(SHIPPED[0])
    renderer = PdfRenderer(compose(build_report(t, a, r, ReportOptions(lang="en"))), report_font())
    long_id = "vendor.selection.references_checked_with_two_customers.in_writing"
    lines = renderer.broken(Cell(long_id, breaks="."), 90).text.split("\n")
    assert len(lines) > 1 and "".join(lines) == long_id, "broken, nothing lost"
    assert all(line.endswith(".") for line in lines[:-1]), "only after a dot"
    # must NOT happen: a short id or a cell without `breaks` changed
    assert renderer.broken(Cell("a.b", breaks="."), 90).text == "a.b"
    assert renderer.broken(Cell(long_id), 90).text == long_id


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_the_gap_tables_columns_are_in_the_pdfs_order(fmt: str):
    t, a, r = case(SHIPPED[0])
    request = ReportRequest(template=t, assessment=a, result=r, lang="en", created=CREATED)
    s = request.data().summary
    first = s.top_gaps[0]
    if fmt == "md":
        md = render_request(request, "md").decode()
        header = next(ln for ln in md.splitlines() if ln.startswith("| " + s.gap_headers[0]))
        cols = [c.strip() for c in header.strip("|").split("|")]
        row = next(ln for ln in md.splitlines() if ln.startswith("|") and first.recommendation[:30] in ln)
        cells = [c.strip() for c in row.strip("|").split("|")]
    else:
        doc = Document(io.BytesIO(render_request(request, "docx")))
        table = next(tb for tb in doc.tables if tb.rows[0].cells[0].text == s.gap_headers[0])
        cols = [c.text for c in table.rows[0].cells]
        cells = [c.text for c in table.rows[1].cells]
    assert cols == s.gap_headers
    assert cells[cols.index(s.gap_headers[2])].startswith(first.recommendation[:30])
    assert cells[cols.index(s.gap_headers[3])] == first.impact
    # must NOT happen: the impact under the recommendation's header (the columns swapped)
    assert cells[cols.index(s.gap_headers[2])] != first.impact


def test_the_summary_carries_progress_disagreements_and_action_status_when_given():
    from scoring import ActionItem, Disagreement, compare

    t, a, r = case(SHIPPED[0])
    old = a.model_copy(update={"assessed_on": "2024-10-01", "answers": dict(list(a.answers.items())[:40])})
    cmp = compare(t, old, t, a)
    plan = [ActionItem(item_id=r.gaps[0].item_id, status="done"), ActionItem(item_id=r.gaps[1].item_id)]
    agenda = [Disagreement(item_id=r.gaps[0].item_id, spread=1.0, scores={"A": 1.0, "B": 0.0},
                           values={"A": "yes", "B": "no"})]
    data = build_report(t, a, r, ReportOptions(lang="en", comparison=cmp, action_plan=plan, disagreements=agenda))
    facts = {f.label: f.value for f in data.summary.metrics}
    assert facts["Action plan"] == "1/2" and facts["Disagreements"] == "1"
    assert facts["Change since baseline"] == f"{round(cmp.overall_delta, 1) + 0.0:+g}"
    # must NOT happen: these figures on a report that has no plan, room or baseline
    bare = {f.label for f in build_report(t, a, r, ReportOptions(lang="en")).summary.metrics}
    assert not bare & {"Action plan", "Disagreements", "Change since baseline"}
