"""The PDF readiness report: its content (`build_report`, pure) and its rendering, for every shipped
template in both languages, plus the hostile cases (markup in notes, huge notes, bad logos)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
import reportlab
from PIL import Image
from pypdf import PdfReader

import checklists
import reports
from checklists import AnswerType, Template, load_template, template_files
from reports import MAX_LOGO_BYTES, ReportError, ReportOptions, build_report, render_pdf_info, validate_logo
from reports.content import CELL_CHARS, ReportData, num
from reports.fonts import FONT_ENV, covers, find_ttf, report_font
from scoring import (
    ActionItem,
    Answer,
    Assessment,
    Disagreement,
    ReadinessResult,
    load_assessment_file,
    score,
    term,
    value_label,
    verdict_label,
)

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = Path(__file__).resolve().parent / "data" / "answers"
SHIPPED_DIR = Path(checklists.__file__).resolve().parent
SHIPPED = [p for p in template_files() if p.parent.resolve() == SHIPPED_DIR]
CREATED = datetime(2025, 3, 15, 9, 30, tzinfo=UTC)
LANGS = ("zh", "en")
CASES = [pytest.param(p, lang, id=f"{p.stem}-{lang}") for p in SHIPPED for lang in LANGS]


def need(ok: bool, reason: str) -> None:
    """Skip when a tool or font is missing here, but fail in CI, where a skip would hide a missing install."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must provide it")
    pytest.skip(reason)


def flat(text: str) -> str:
    """Text without any whitespace: a PDF breaks lines wherever the layout does."""
    return "".join(text.split())


def has_cjk(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


@cache
def case(path: Path) -> tuple[Template, Assessment, ReadinessResult]:
    t = load_template(path)
    a = load_assessment_file(str(ANSWERS / f"{t.id}.yaml"), {t.id: t})
    return t, a, score(t, a)


@cache
def rendered(path: Path, lang: str) -> tuple[ReportData, reports.RenderedReport, list[str]]:
    t, a, r = case(path)
    data = build_report(t, a, r, ReportOptions(lang=lang, created=CREATED))
    out = render_pdf_info(data)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(out.pdf)).pages]
    return data, out, pages


def strings(obj: object) -> list[str]:
    """Every string inside a report's data."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in strings(v)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in strings(v)]
    return []


def png(width: int = 40, height: int = 20, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(buf, fmt)
    return buf.getvalue()


def mini() -> tuple[Template, Assessment, ReadinessResult]:
    t = load_template(Path(__file__).parent / "data" / "mini.yaml")
    a = Assessment(template=t.id, organisation="迷你公司", answers={
        "strategy.goals.defined": Answer(value="no"), "team.roles.sponsor": Answer(value="yes")})
    return t, a, score(t, a)


# ── fixtures ──────────────────────────────────────────────────────────────────────────────────

def test_every_shipped_template_is_covered():
    assert {p.stem for p in SHIPPED} >= {"sales_funnel", "crm_system", "customer_followup"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_fixture_is_realistic(path: Path):
    t, a, r = case(path)
    assert r.completion >= 80, "mostly answered"
    assert r.unknowns, "a real assessment leaves something open"
    musts_no = [g for g in r.blockers if a.answers[g.item_id].value == "no"]
    assert musts_no, "at least one must item answered no"
    assert len([n for n in r.not_applicable if n.reason]) >= 2, "a few n/a items with reasons"
    assert any(has_cjk(ans.note or "") for ans in a.answers.values()), "notes in Chinese"


# ── content (pure) ────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path, lang", CASES)
def test_report_data_takes_every_number_from_the_result(path: Path, lang: str):
    t, a, r = case(path)
    d = build_report(t, a, r, ReportOptions(lang=lang, created=CREATED))
    s = d.summary
    assert s.overall == num(r.overall)
    assert s.verdict == r.verdict and s.blocked == r.blocked
    assert s.verdict_label == verdict_label(t, r.verdict, lang)
    assert [g.item_id for g in s.blockers] == [g.item_id for g in r.blockers]
    # the summary's gaps: the most severe first, then the largest impact; never a blocker (they have their box)
    rank = {"high": 0, "medium": 1, "low": 2}
    others = [g for g in r.gaps if not g.blocker]
    keys = [(rank[g.severity], -float(row.impact.split()[0].lstrip("+"))) for g, row in
            zip([next(x for x in others if x.item_id == row.item_id) for row in s.top_gaps], s.top_gaps, strict=True)]
    assert keys == sorted(keys) and len(s.top_gaps) == min(5, len(others)) and s.gaps_total == len(others)
    worst = min(rank[g.severity] for g in others)
    assert rank[next(g for g in others if g.item_id == s.top_gaps[0].item_id).severity] == worst
    assert not any(g.blocker for g in s.top_gaps)
    metrics = {m.label: m.value for m in s.metrics}
    assert metrics[term("completion", lang)] == f"{num(r.completion)}% ({r.progress.answered}/{r.progress.applicable})"
    assert metrics[term("must_coverage", lang)].startswith(f"{num(r.must_coverage.share)}%")
    assert metrics[term("nice_coverage", lang)].startswith(f"{num(r.nice_coverage.share)}%")
    assert metrics[term("evidence_coverage", lang)] == f"{num(r.evidence_coverage)}%"
    assert [p.score for p in d.charts.phases] == [p.score for p in r.phases]
    assert [th.min_score for th in d.charts.thresholds] == [lv.min_score for lv in t.levels]
    for sec, ps in zip(d.phases, r.phases, strict=True):
        assert sec.heading == ps.title.get(lang)
        assert sec.facts[0].value == f"{num(ps.score)} / 100"
        assert {g.item_id for g in sec.gaps} == {g.item_id for g in r.gaps if g.phase == ps.id}
    # every item of the template appears in appendix A, its answer in words
    assert [row[0] for row in d.answers.rows] == [it.id for it in t.items()]
    states = {ir.id: ir.state for ir in r.items}
    for row, it in zip(d.answers.rows, t.items(), strict=True):
        ans = a.answers.get(it.id)
        if ans is not None and states[it.id] in ("scored", "answered", "na") and it.type is not AnswerType.text:
            assert row[2] == value_label(t, it, ans.value, lang)
    assert d.vendor is None, "the vendor section is a hook, absent until vendors exist"
    assert d.action_plan is None and d.disagreements is None
    assert d.meta.language == ("zh-CN" if lang == "zh" else "en")


def test_narrative_states_only_numbers_of_the_result():
    t, a, r = case(SHIPPED[0])
    for lang in LANGS:
        text = " ".join(build_report(t, a, r, ReportOptions(lang=lang)).summary.narrative)
        assert num(r.overall) in text
        assert str(len(r.blockers)) in text
        assert num(r.completion) in text and num(r.evidence_coverage) in text


def test_method_reads_the_rules_from_the_template():
    t, a, r = case(SHIPPED[0])
    changed = t.model_copy(update={
        "multipliers": t.multipliers.model_copy(update={"must": 7, "should": 2.5, "nice": 0.25}), "must_pass_score": 0.5,
        "phases": [ph.model_copy(update={"weight": w}) for ph, w in zip(t.phases, (3, 1, 1, 1, 2), strict=True)]})
    m = build_report(changed, a, r, ReportOptions(lang="en")).method
    text = " ".join(m.paragraphs + m.closing)
    assert "×7" in text and "×2.5" in text and "×0.25" in text
    assert "below 0.5" in text
    assert [row[1] for row in m.weights.rows] == ["3", "1", "1", "1", "2"]
    assert m.weights.rows[0][2] == "37.5%"
    assert [row[1] for row in m.levels.rows] == [num(lv.min_score) for lv in t.levels]


def test_action_plan_and_disagreements_appear_only_when_given():
    t, a, r = case(SHIPPED[0])
    first, second = r.gaps[0].item_id, r.gaps[1].item_id
    plan = [ActionItem(item_id=first, owner="王伟", due="2025-06-30", status="in_progress", note="先试点")]
    dis = [Disagreement(item_id=second, spread=1.0, scores={"Ann": 1.0, "张三": 0.0},
                        values={"Ann": "yes", "张三": "no"})]
    d = build_report(t, a, r, ReportOptions(lang="zh", action_plan=plan, disagreements=dis, created=CREATED))
    assert d.action_plan is not None and d.action_plan.rows[0][1:4] == ["王伟", "2025-06-30", "进行中"]
    assert d.disagreements is not None and "张三: 否" in d.disagreements.rows[0][2]
    out = render_pdf_info(d)
    text = flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(out.pdf)).pages))
    assert flat(d.action_plan.heading) in text and flat(d.disagreements.heading) in text
    assert "王伟" in text and "张三:否" in text


def test_bad_language_and_mismatched_inputs_are_refused():
    t, a, r = case(SHIPPED[0])
    with pytest.raises(ReportError, match="language"):
        reports.render_report(t, a, r, lang="fr")
    other = load_template(SHIPPED[1])
    with pytest.raises(ReportError, match="belong"):
        build_report(other, a, r)


# ── the rendered PDF ──────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path, lang", CASES)
def test_pdf_text_matches_the_result(path: Path, lang: str):
    t, a, r = case(path)
    data, out, pages = rendered(path, lang)
    text = flat("".join(pages))
    assert flat(f"{num(r.overall)}/100") in text
    assert flat(verdict_label(t, r.verdict, lang)) in text
    for g in r.blockers:
        assert flat(g.question.get(lang)) in text
        assert g.item_id in text
    assert flat(t.title.get(lang)) in text
    for ph in t.phases:
        assert flat(ph.title.get(lang)) in text
    if lang == "zh":
        # Chinese comes back out of the PDF exactly as it went in: real glyphs, real text
        samples = [data.summary.heading, verdict_label(t, "blocked", "zh"), t.phases[0].items[0].question.zh]
        notes = [ans.note for ans in a.answers.values() if has_cjk(ans.note or "") and len(ans.note) < CELL_CHARS]
        samples += notes[:3]
        for s in samples:
            assert flat(s) in text


@pytest.mark.parametrize("path, lang", CASES)
def test_every_page_has_a_footer_and_the_document_has_metadata_and_outline(path: Path, lang: str):
    t, _a, _r = case(path)
    data, out, pages = rendered(path, lang)
    n = len(pages)
    assert n == out.pages
    for i, page in enumerate(pages, start=1):
        assert f"{i} / {n}" in page, f"page {i} has no 'x / y' footer"
    reader = PdfReader(io.BytesIO(out.pdf))
    meta = reader.metadata
    assert meta.title == data.meta.title and t.title.get(lang) in meta.title
    assert meta.author == data.meta.author and meta.subject == data.meta.subject
    # the keywords say what the report is about, nothing of its making (no font, no fingerprint)
    assert t.title.get(lang) in meta["/Keywords"]
    assert out.font.face not in meta["/Keywords"] and "font" not in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20250315093000")
    assert reader.trailer["/Root"]["/Lang"] == data.meta.language

    def walk(items):
        for o in items:
            if isinstance(o, list):
                yield from walk(o)
            else:
                yield o.title, reader.get_destination_page_number(o)
    outline = dict(walk(reader.outline))
    expected = [data.summary.heading, data.charts.heading, data.phases_heading, data.appendix_heading,
                data.answers.heading, data.method.heading] + [p.heading for p in data.phases]
    for title in expected:
        assert title in outline, f"no bookmark for {title!r}"
    for p in data.phases:  # each phase bookmark opens the page that shows its heading
        assert flat(p.heading) in flat(pages[outline[p.heading]])


@pytest.mark.parametrize("path, lang", CASES)
def test_pages_render_and_none_is_blank(path: Path, lang: str, tmp_path: Path):
    need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    _data, out, pages = rendered(path, lang)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(out.pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True,
                   capture_output=True, timeout=120)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    for img in images:
        with Image.open(img) as im:
            gray = im.convert("L")
            body = gray.crop((0, 0, gray.width, int(gray.height * 0.88)))  # above the footer
            inked = sum(body.histogram()[:200])
            assert inked > 50, f"{img.name} is blank above its footer"


def test_chinese_report_embeds_the_truetype_font():
    need(find_ttf() is not None, "no Chinese TrueType font (fonts-wqy-microhei) on this machine")
    path = SHIPPED[0]
    data, out, _pages = rendered(path, "zh")
    assert out.font.embedded and out.font.path
    reader = PdfReader(io.BytesIO(out.pdf))
    faces = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            faces.add(str(f["/BaseFont"]))
            desc = f.get("/FontDescriptor") or f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object(), "the TrueType program is embedded"
    # one face only: no chart label or table fell back to Helvetica, which has no Chinese glyphs
    assert faces and all(f.endswith(f"+{out.font.face}") or f"+{out.font.face}" in f for f in faces), faces
    # and the font has a glyph for every character the report prints (no boxes)
    assert covers(out.font, "".join(strings(data.model_dump()))) == ""


# ── hostile input ─────────────────────────────────────────────────────────────────────────────

MARKUP = '<b>not bold</b> & <script>alert("x")</script> &amp; <font size=40>big</font>'
HUGE = "客户数据质量说明。" * 300 + "word " * 400 + "Z" * 3000 + "END-OF-HUGE"


@pytest.mark.parametrize("lang", LANGS)
def test_user_text_prints_literally_and_huge_texts_do_not_break_the_layout(lang: str):
    t, a, r = case(SHIPPED[1])
    scored = {ir.id for ir in r.items if ir.state == "scored"}
    items = [it for it in t.items() if it.id in scored]
    answers = dict(a.answers)
    answers[items[0].id] = Answer(value=answers[items[0].id].value, note=MARKUP)
    answers[items[1].id] = Answer(value=answers[items[1].id].value, note="A" * 10_000)
    answers[items[2].id] = Answer(value=answers[items[2].id].value, note=HUGE)
    answers[items[3].id] = Answer(value=answers[items[3].id].value, note="\n".join(f"line {i}" for i in range(150)))
    hostile = a.model_copy(update={"answers": answers, "organisation": "ACME <i>&</i> " + "Q" * 400})
    res = score(t, hostile)
    data = build_report(t, hostile, res, ReportOptions(lang=lang, created=CREATED))
    out = render_pdf_info(data)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.pdf)).pages]
    text = flat("".join(pages))
    assert flat(MARKUP) in text
    assert flat("ACME <i>&</i>") in text
    assert text.count("A" * 40) >= 10_000 // 40 - 5, "the 10,000-character note is printed in full (appendix)"
    assert "END-OF-HUGE" in text and "line149" in text
    assert len(data.long_texts) == 3
    for i, page in enumerate(pages, start=1):
        assert f"{i} / {len(pages)}" in page


@pytest.mark.parametrize("lang", LANGS)
def test_one_huge_note_is_cut_in_its_cell_and_bounded_in_the_appendix(lang: str):
    from reports import report_markdown
    from reports.content import APPENDIX_CHARS

    t, a, r = mini()
    item = next(iter(a.answers))
    # 60,000 characters in one line: it once took reportlab minutes to wrap such a paragraph
    note = "START-OF-NOTE " + "".join(f"w{i:05d} " for i in range(8_000)) + "END-OF-NOTE"
    big = a.model_copy(update={"answers": {**a.answers, item: a.answers[item].model_copy(update={"note": note})}})
    data = build_report(t, big, score(t, big), ReportOptions(lang=lang, created=CREATED))
    (lt,) = data.long_texts
    assert lt.text == note and len(lt.shown) <= APPENDIX_CHARS and lt.rest
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf_info(data).pdf)).pages]
    text = flat("".join(pages))
    heading = "附录C：完整长文本" if lang == "zh" else flat("Appendix C: long texts in full")
    pointer = "全文见附录C，C1" if lang == "zh" else flat("full text in appendix C, C1")
    rest = "Word与Markdown导出包含全文" if lang == "zh" else flat("the Word and Markdown exports hold the full text")
    assert heading in text and pointer in text and rest in text
    assert text.count("START-OF-NOTE") == 2  # its beginning in its phase's table, and in appendix C
    assert "END-OF-NOTE" not in text  # past the bound: not printed in the PDF...
    assert "END-OF-NOTE" in report_markdown(data)  # ...and in the Markdown export, in full


# ── logo ──────────────────────────────────────────────────────────────────────────────────────

def test_good_logos_are_accepted_and_printed():
    t, a, r = mini()
    for fmt in ("PNG", "JPEG"):
        logo = validate_logo(png(120, 40, fmt))
        assert (logo.kind, logo.width, logo.height) == (fmt.lower(), 120, 40)
        pdf = reports.render_report(t, a, r, lang="en", logo=png(120, 40, fmt), created=CREATED)
        xobjects = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


@pytest.mark.parametrize("data, message", [
    (b"GIF89a" + b"\0" * 100, "not a PNG or JPEG"),
    (png(300, 300)[:200], "cannot be decoded"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO_BYTES + 1), "limit is 2 MB"),
    (b"", "empty"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 20, "cannot be decoded"),
], ids=["gif", "truncated-png", "too-big", "empty", "fake-jpeg"])
def test_bad_logos_are_refused_with_a_message(data: bytes, message: str):
    t, a, r = mini()
    with pytest.raises(ReportError, match=message):
        reports.render_report(t, a, r, logo=data, created=CREATED)


# ── determinism, fonts, boundaries ────────────────────────────────────────────────────────────

def test_same_inputs_and_date_give_the_same_bytes():
    path = SHIPPED[0]
    t, a, r = case(path)
    _data, out, _pages = rendered(path, "en")
    again = reports.render_report(t, a, r, lang="en", created=CREATED)
    assert again == out.pdf
    later = reports.render_report(t, a, r, lang="en", created=CREATED + timedelta(days=1))
    assert later != out.pdf
    assert PdfReader(io.BytesIO(later)).metadata["/CreationDate"].startswith("D:20250316")


def test_without_a_truetype_font_the_builtin_cid_font_is_used(monkeypatch: pytest.MonkeyPatch):
    from reports import fonts
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    info = report_font()
    assert (info.name, info.embedded) == ("STSong-Light", False)
    t, a, r = mini()
    out = render_pdf_info(build_report(t, a, r, ReportOptions(lang="zh", created=CREATED)), font=info)
    reader = PdfReader(io.BytesIO(out.pdf))
    assert len(reader.pages) == out.pages


def test_a_configured_font_that_cannot_be_used_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(ReportError, match="no such font file"):
        report_font()
    # a TrueType font without Chinese: reportlab ships Vera
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    if vera.is_file():
        monkeypatch.setenv(FONT_ENV, str(vera))
        with pytest.raises(ReportError, match="no Chinese glyphs"):
            report_font()


def test_reports_import_no_app_storage_or_ui():
    code = ("import sys, reports; bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'streamlit', 'storage', 'ui', 'sqlalchemy'}); print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
