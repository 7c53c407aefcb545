"""How long the full PDF report of the largest shipped template takes, against a floor measured in
the same run: the same paragraphs and tables laid out once, with no charts and no styling.

The ratio is what the report's own choices cost (two passes for "page x of y", charts, styled
tables, outline); the floor is what reportlab needs for the content alone on this machine.

A second line per language times the same report with one huge note (990 kB of English, or
100,000 Chinese characters, as once stalled a report for minutes) as a ratio to the normal report:
the PDF cuts the note in its table cell and bounds appendix C, so the ratio stays close to 1.

    python bench/bench_report.py [--repeat N] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table  # noqa: E402

import checklists  # noqa: E402
from checklists import load_template, template_files  # noqa: E402
from reports import ReportData, ReportOptions, build_report, render_pdf_info, report_font  # noqa: E402
from scoring import load_assessment_file, score  # noqa: E402

ANSWERS = ROOT / "tests" / "data" / "answers"
CREATED = datetime(2025, 1, 1, tzinfo=timezone.utc)


def largest_case():
    shipped = [p for p in template_files() if p.parent.resolve() == Path(checklists.__file__).resolve().parent]
    templates = [load_template(p) for p in shipped]
    templates = [t for t in templates if (ANSWERS / f"{t.id}.yaml").is_file()]
    if not templates:
        raise SystemExit(f"no shipped template has a fixture answers file in {ANSWERS}")
    t = max(templates, key=lambda t: len(t.items()))
    a = load_assessment_file(str(ANSWERS / f"{t.id}.yaml"), {t.id: t})
    return t, a, score(t, a)


def floor_pdf(data: ReportData, font: str) -> bytes:
    """The same text in plain paragraphs and plain tables: one pass, no charts, no styling."""
    style = ParagraphStyle("plain", fontName=font, fontSize=9, leading=12,
                           wordWrap="CJK" if data.lang == "zh" else None)

    def p(text: str) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def table(headers: list[str], rows: list[list[str]]) -> Table:
        width = (A4[0] - 144) / len(headers)
        return Table([[p(c) for c in headers]] + [[p(c) for c in row] for row in rows],
                     colWidths=[width] * len(headers), repeatRows=1)

    s = data.summary
    story = [p(f.label + " " + f.value) for f in data.cover.fields] + [p(data.cover.confidentiality)]
    story += [p(s.heading), p(s.overall), p(s.verdict_label)] + [p(g.question + " " + g.recommendation)
                                                              for g in s.blockers]
    story += [p(m.label + " " + m.value) for m in s.metrics] + [p(x) for x in s.narrative]
    story.append(table(s.gap_headers, [[g.severity_label, g.question, g.recommendation, g.impact]
                                       for g in s.top_gaps]))
    story.append(table(data.charts.table.headers, data.charts.table.rows))
    for ph in data.phases:
        story += [p(ph.heading)] + [p(f.label + " " + f.value) for f in ph.facts]
        if ph.items:
            story.append(table(ph.item_headers, [[i.question, i.answer, i.score, i.note] for i in ph.items]))
        if ph.gaps:
            story.append(table(s.gap_headers, [[g.severity_label, g.question, g.recommendation, g.impact]
                                               for g in ph.gaps]))
    for ts in (data.action_plan, data.disagreements, data.vendor):
        if ts is not None:
            story += [p(ts.heading), table(ts.headers, ts.rows)]
    story += [p(data.answers.heading), table(data.answers.headers, data.answers.rows)]
    m = data.method
    story += [p(x) for x in m.paragraphs] + [table(m.weights.headers, m.weights.rows),
                                             table(m.levels.headers, m.levels.rows)] + [p(x) for x in m.closing]
    for lt in data.long_texts:
        story += [p(lt.label)] + [p(line) for line in lt.text.split("\n")]
    buf = BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


HUGE_NOTE = {"en": ("lorem ipsum dolor sit amet ", 990_000), "zh": ("需要更多的数据清洗工作", 100_000)}


def with_huge_note(a, lang: str):
    """The assessment with one note of HUGE_NOTE[lang] characters on its first answer."""
    word, n = HUGE_NOTE[lang]
    note = (word * (n // len(word) + 1))[:n]
    first = next(iter(a.answers))
    return a.model_copy(update={"answers": {**a.answers, first: a.answers[first].model_copy(update={"note": note})}})


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", choices=["zh", "en"], action="append")
    args = parser.parse_args(argv)
    t, a, r = largest_case()
    font = report_font()
    print(f"template {t.id} ({len(t.items())} items), font {font.describe()}, median of {args.repeat}")
    for lang in args.lang or ["zh", "en"]:
        data = build_report(t, a, r, ReportOptions(lang=lang, created=CREATED))
        # warm up both paths once: font subsetting caches, imports
        pages = render_pdf_info(data, font).pages
        floor_pdf(data, font.name)
        full = median_seconds(lambda d=data: render_pdf_info(d, font), args.repeat)
        floor = median_seconds(lambda d=data: floor_pdf(d, font.name), args.repeat)
        print(f"  {lang}: report {full * 1000:7.1f} ms ({pages} pages)   floor {floor * 1000:7.1f} ms   "
              f"ratio {full / floor:4.2f}")
        huge = build_report(t, with_huge_note(a, lang), r, ReportOptions(lang=lang, created=CREATED))
        huge_pages = render_pdf_info(huge, font).pages
        with_note = median_seconds(lambda d=huge: render_pdf_info(d, font), args.repeat)
        chars = HUGE_NOTE[lang][1]
        print(f"  {lang}: one note of {chars:,} characters {with_note * 1000:7.1f} ms ({huge_pages} pages)   "
              f"against the normal report: ratio {with_note / full:4.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
