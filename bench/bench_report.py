"""How long the full PDF report of the largest shipped template takes, against a floor measured in
the same run: the same paragraphs and tables laid out once, with no charts and no styling.

The ratio is what the report's own choices cost (charts, styled tables, outline, font fallback, the
one-page summary fit; "page x / y" costs no second pass); the floor is what reportlab needs for the
same document's text alone on this machine. Output: JSON, one entry per language.

A second line per language times the same report with one huge note (990 kB of English, or
100,000 Chinese characters, as once stalled a report for minutes) as a ratio to the normal report:
the PDF cuts the note in its table cell and bounds appendix C, so the ratio stays close to 1.

    python bench/bench_report.py [--repeat N] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table  # noqa: E402

import checklists  # noqa: E402
from checklists import load_template, template_files  # noqa: E402
from reports import ReportData, ReportOptions, build_report, compose, render_pdf_info, report_font  # noqa: E402
from reports import document as doc  # noqa: E402
from scoring import load_assessment_file, score  # noqa: E402

ANSWERS = ROOT / "tests" / "data" / "answers"
CREATED = datetime(2025, 1, 1, tzinfo=UTC)


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
    """The same document's text in plain paragraphs and plain tables: one pass, no charts, no styling,
    no bookmarks, no page numbers, no font fallback."""
    style = ParagraphStyle("plain", fontName=font, fontSize=9, leading=12,
                           wordWrap="CJK" if data.lang == "zh" else None)

    def p(text: str) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def table(headers, rows) -> Table:
        width = (A4[0] - 144) / len(headers)
        return Table([[p(c) for c in headers]] + [[p(c) for c in row] for row in rows],
                     colWidths=[width] * len(headers), repeatRows=1)

    story = []
    for b in compose(data).blocks:
        if isinstance(b, (doc.Heading, doc.Paragraph)):
            story.append(p(b.text))
        elif isinstance(b, doc.Bullets):
            story += [p(x) for x in b.items]
        elif isinstance(b, doc.CoverPage):
            story += [p(f.label + " " + f.value) for f in b.cover.fields] + [p(b.cover.confidentiality)]
        elif isinstance(b, doc.Contents):
            story += [p(h.text) for h in b.entries]
        elif isinstance(b, doc.KeyFigures):
            story += [p(b.score), p(b.verdict_label)] + [p(m.label + " " + m.value) for m in b.metrics]
        elif isinstance(b, doc.FactStrip):
            story += [p(f.label + " " + f.value) for f in b.facts]
        elif isinstance(b, doc.Callout):
            story += [p(b.heading)] + [p(f"{i.title} {i.sub} {i.detail}") for i in b.items]
        elif isinstance(b, doc.Table):
            story.append(table(b.headers, [[c.text + (" " + c.sub if c.sub else "") for c in row] for row in b.rows]))
        elif isinstance(b, doc.FullText):
            story += [p(b.text.label)] + [p(line) for line in b.text.shown.split("\n")]
        elif isinstance(b, doc.PageBreak):
            story.append(PageBreak())
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


def paired_best(fn, floor_fn, repeat: int) -> tuple[float, float]:
    """The best CPU time of each, measured in alternation: on this shared machine other work takes the
    cores away at random, which wall-clock time would count and CPU time does not."""
    a, b = [], []
    for _ in range(repeat):
        for out, f in ((a, fn), (b, floor_fn)):
            start = time.process_time()
            f()
            out.append(time.process_time() - start)
    return min(a), min(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--lang", choices=["zh", "en"], action="append")
    args = parser.parse_args(argv)
    t, a, r = largest_case()
    font = report_font()
    out = {"template": t.id, "items": len(t.items()), "font": font.describe(), "repeat": args.repeat, "langs": {}}
    for lang in args.lang or ["zh", "en"]:
        data = build_report(t, a, r, ReportOptions(lang=lang, created=CREATED))
        # warm up both paths once: font subsetting caches, imports
        pages = render_pdf_info(data, font).pages
        floor_pdf(data, font.name)
        full, floor = paired_best(lambda d=data: render_pdf_info(d, font), lambda d=data: floor_pdf(d, font.name),
                                  args.repeat)
        row = {"report_ms": round(full * 1000, 1), "pages": pages, "floor_ms": round(floor * 1000, 1),
               "ratio": round(full / floor, 2)}
        huge = build_report(t, with_huge_note(a, lang), r, ReportOptions(lang=lang, created=CREATED))
        huge_pages = render_pdf_info(huge, font).pages
        with_note, full = paired_best(lambda d=huge: render_pdf_info(d, font), lambda d=data: render_pdf_info(d, font),
                                      args.repeat)
        row.update({"huge_note_chars": HUGE_NOTE[lang][1], "huge_note_ms": round(with_note * 1000, 1),
                    "huge_note_pages": huge_pages, "huge_note_ratio": round(with_note / full, 2)})
        out["langs"][lang] = row
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
