"""Lay a `ReportData` out as a PDF. Nothing here decides what the report says.

Every string from the data is escaped before it becomes Paragraph markup, so a note reading
`<b>` or `&` prints as typed. The document is built twice: the first pass counts the pages for the
"x / y" footers, the second draws them (the page count cannot change, the footer sits in the margin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from . import theme
from .charts import fit, phase_bars, radar, vendor_bars
from .data import CHUNK_CHARS, GapRow, PhaseSection, ReportData, TableSection, VendorSection
from .fonts import FontInfo, report_font

PAGE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
PRODUCER = "readiness reports (reportlab)"

# reportlab's Chinese line breaking keeps ASCII "?" and "," off the start of a line but not their
# full-width forms, so a question could end with "？" alone on a line. Teach it the Chinese ones
# (idempotent; it only adds characters to reportlab's own list).
_NO_LINE_START = "，。、；：？！）》」』】〕〉”’％"
for _module in (rl_paragraph, rl_textsplit):  # each keeps its own copy of the list
    _module.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START)


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    font: FontInfo


def chunks(line: str, size: int) -> list[str]:
    """A line cut into pieces of at most `size` characters, at a space when one is near the end."""
    out = []
    while len(line) > size:
        cut = line.rfind(" ", size // 2, size)
        cut = cut + 1 if cut > 0 else size
        out.append(line[:cut])
        line = line[cut:]
    return out + [line] if line else out


def markup(text: str) -> str:
    """Plain text → Paragraph markup that prints exactly that text."""
    return escape(text).replace("\n", "<br/>")


class Styles:
    def __init__(self, font: str, lang: str):
        cjk = {"wordWrap": "CJK"} if lang == "zh" else {}
        # Chinese needs a little more air between lines than Latin text
        lead = 1.5 if lang == "zh" else 1.35

        def st(name: str, size: float, **kw) -> ParagraphStyle:
            kw.setdefault("textColor", theme.INK)
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * lead, 1),
                                  splitLongWords=1, **cjk, **kw)

        self.body = st("body", 9.5, spaceAfter=5)
        self.small = st("small", 8)
        self.small_muted = st("small_muted", 7.5, textColor=theme.MUTED)
        self.cell = st("cell", 8)
        self.cell_head = st("cell_head", 8, textColor=colors.white)
        self.cell_right = st("cell_right", 8, alignment=TA_RIGHT)
        self.cell_head_right = st("cell_head_right", 8, textColor=colors.white, alignment=TA_RIGHT)
        self.h1 = st("h1", 17, textColor=theme.ACCENT, spaceBefore=2, spaceAfter=8)
        self.h2 = st("h2", 12, textColor=theme.ACCENT, spaceBefore=10, spaceAfter=5)
        self.h3 = st("h3", 10, textColor=theme.INK, spaceBefore=8, spaceAfter=4)
        self.kicker = st("kicker", 11, textColor=theme.MUTED, spaceAfter=6)
        self.cover_title = st("cover_title", 24, textColor=theme.ACCENT, spaceAfter=10)
        self.cover_org = st("cover_org", 16, spaceAfter=4)
        self.cover_project = st("cover_project", 12, textColor=theme.MUTED, spaceAfter=18)
        self.big = st("big", 30, textColor=theme.ACCENT)
        self.metric_value = st("metric_value", 12.5, alignment=TA_CENTER)
        self.metric_label = st("metric_label", 7.5, textColor=theme.MUTED, alignment=TA_CENTER)
        self.confidential = st("confidential", 8, textColor=theme.MUTED)


class Heading(Paragraph):
    """A heading that also places PDF outline entries (bookmarks) where it is drawn."""

    def __init__(self, text: str, style: ParagraphStyle, outline: list[tuple[str, str, int]]):
        super().__init__(markup(text), style)
        self.outline = outline
        self.keepWithNext = 1

    def draw(self) -> None:
        for key, title, level in self.outline:
            self.canv.bookmarkHorizontal(key, 0, self.height + 4)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
        super().draw()


class Badge(Flowable):
    """The verdict as a filled rounded label."""

    def __init__(self, text: str, fill: colors.Color, font: str, max_width: float, size: float = 14):
        super().__init__()
        self.text, self.fill, self.font = text, fill, font
        self.text, self.size = fit(text, font, size, max_width - 24, min_size=7)
        self.width = stringWidth(self.text, font, self.size) + 24
        self.height = self.size + 14

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.fill)
        c.setStrokeColor(self.fill)
        c.roundRect(0, 0, self.width, self.height, 6, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(self.font, self.size)
        c.drawCentredString(self.width / 2, 7 + self.size * 0.18, self.text)


class _Doc(BaseDocTemplate):
    def __init__(self, buf: BytesIO, data: ReportData, font: FontInfo, pages: int | None):
        meta = data.meta
        keywords = meta.keywords + [f"lang={data.lang}", f"font={font.face}",
                                    "font-embedded" if font.embedded else "font-not-embedded"]
        super().__init__(buf, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=meta.title, author=meta.author,
                         subject=meta.subject, keywords=keywords, creator=PRODUCER, producer=PRODUCER,
                         lang=meta.language, invariant=1, displayDocTitle=1,
                         # start every page in the report font, so no unused Helvetica is referenced
                         initialFontName=font.name)
        self.data, self.font, self.total = data, font, pages
        self._footer: tuple[str, float] | None = None
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canv, doc) -> None:
        created = self.data.meta.created
        if created is not None:
            canv.setDateFormatter(lambda *_ymdhms: _pdf_date(created))
        canv.saveState()
        canv.setStrokeColor(theme.RULE)
        canv.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 8 * mm
        canv.line(MARGIN_X, y + 10, PAGE[0] - MARGIN_X, y + 10)
        canv.setFillColor(theme.MUTED)
        page = self.data.page_format.format(page=doc.page, pages=self.total or "?")
        canv.setFont(self.font.name, 8)
        canv.drawRightString(PAGE[0] - MARGIN_X, y, page)
        if self._footer is None:
            # room for the widest page number this document can have
            self._footer = fit(self.data.footer, self.font.name, 7.5, WIDTH - 90)
        left, size = self._footer
        canv.setFont(self.font.name, size)
        canv.drawString(MARGIN_X, y, left)
        canv.restoreState()


def _pdf_date(d: datetime) -> str:
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    off = d.utcoffset()
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"D:{d:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


class _Story:
    """Builds the list of flowables; a fresh one per pass, since reportlab consumes them."""

    def __init__(self, data: ReportData, font: FontInfo):
        self.d, self.font = data, font
        self.s = Styles(font.name, data.lang)
        self.out: list[Flowable] = []

    def style(self, t: Table, commands: list[tuple]) -> None:
        # Table sets its cell font (Helvetica by default) even around Paragraph cells; name ours
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font.name)] + commands))

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup(text), style or self.s.body)

    def table(self, headers: list[str], rows: list[list], widths: list[float], *, long: bool = False,
              extra: list[tuple] | None = None, head: bool = True, right: tuple[int, ...] = ()) -> Table:
        """A table whose string cells become wrapping Paragraphs; `right` columns align right."""
        s = self.s
        total = sum(widths)
        cols = [WIDTH * w / total for w in widths]
        body = [[c if isinstance(c, (Flowable, list)) else self.p(str(c), s.cell_right if i in right else s.cell)
                 for i, c in enumerate(row)] for row in rows]
        header = [self.p(h, s.cell_head_right if i in right else s.cell_head) for i, h in enumerate(headers)]
        data = ([header] if head else []) + body
        cls = LongTable if long else Table
        t = cls(data, colWidths=cols, repeatRows=1 if head else 0, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),  # room for a hanging "，" or "？" (CJK line breaking)
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.RULE),
        ]
        if head:
            style += [("BACKGROUND", (0, 0), (-1, 0), theme.ACCENT)]
        first = 1 if head else 0
        for i in range(first, len(data)):
            if (i - first) % 2 == 1:
                style.append(("BACKGROUND", (0, i), (-1, i), theme.ZEBRA))
        self.style(t, style + (extra or []))
        return t

    # sections ----------------------------------------------------------------------------------
    def cover(self) -> None:
        c, s = self.d.cover, self.s
        if c.logo is not None:
            w, h = c.logo.width, c.logo.height
            scale = min(50 * mm / w, 22 * mm / h)
            img = Image(BytesIO(c.logo.data), width=w * scale, height=h * scale)
            img.hAlign = "RIGHT"
            self.out.append(img)
        self.out.append(Spacer(1, 30 * mm if c.logo is None else 14 * mm))
        self.out.append(Heading(c.kicker, s.kicker, [("cover", self.d.outline["cover"], 0)]))
        self.out.append(self.p(c.title, s.cover_title))
        if c.organisation:
            self.out.append(self.p(c.organisation, s.cover_org))
        if c.project:
            self.out.append(self.p(c.project, s.cover_project))
        self.out.append(Spacer(1, 10 * mm))
        rows = [[self.p(f.label, s.small_muted), self.p(f.value, s.body)] for f in c.fields]
        t = Table(rows, colWidths=[40 * mm, WIDTH - 40 * mm], hAlign="LEFT")
        self.style(t, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.RULE),
                       ("TOPPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        self.out.append(t)
        self.out.append(Spacer(1, 20 * mm))
        box = Table([[self.p(c.confidentiality, s.confidential)]], colWidths=[WIDTH])
        self.style(box, [("BOX", (0, 0), (-1, -1), 0.6, theme.RULE), ("BACKGROUND", (0, 0), (-1, -1), theme.ZEBRA),
                         ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                         ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
        self.out.append(box)
        self.out.append(PageBreak())

    def gap_table(self, headers: list[str], gaps: list[GapRow]) -> Table:
        s = self.s
        rows = []
        for g in gaps:
            sev = ParagraphStyle("sev", parent=s.cell, textColor=theme.SEVERITY.get(g.severity, theme.INK))
            rows.append([self.p(g.severity_label, sev),
                         [self.p(g.question, s.cell), self.p(f"{g.phase} · {g.item_id}", s.small_muted)],
                         self.p(g.recommendation, s.cell), self.p(g.impact, s.cell_right)])
        return self.table(headers, rows, [1.3, 4.2, 4.6, 1.1], right=(3,))

    def summary(self) -> None:
        sm, s = self.d.summary, self.s
        self.out.append(Heading(sm.heading, s.h1, [("summary", sm.heading, 0)]))
        score = [self.p(sm.overall_label, s.small_muted),
                 Paragraph(f"{markup(sm.overall)}<font size='14' color='#616E7C'> {markup(sm.out_of)}</font>", s.big)]
        badge = [self.p(sm.verdict_heading, s.small_muted), Spacer(1, 4),
                 Badge(sm.verdict_label, theme.tone_colour(sm.tone, sm.level_index, sm.level_count), self.font.name,
                       WIDTH * 0.5 - 12)]
        if sm.blocked:
            # the level the score alone would give, so a blocked verdict does not hide the score's meaning
            badge.append(self.p(sm.level_note, s.small_muted))
        top = Table([[score, badge]], colWidths=[WIDTH * 0.5, WIDTH * 0.5], hAlign="LEFT")
        self.style(top, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 10)])
        self.out.append(top)
        if sm.blocked:
            # blockers come first: they decide the verdict whatever the score says
            red = ParagraphStyle("blk", parent=s.h3, textColor=theme.BLOCKED, spaceBefore=0)
            rows = [[self.p(sm.blockers_heading, red)]]
            for i, g in enumerate(sm.blockers, start=1):
                rows.append([[self.p(f"{i}. {g.question}", s.body),
                              self.p(f"{g.phase} · {g.item_id}", s.small_muted),
                              self.p(f"{sm.recommendation_label}: {g.recommendation}", s.small)]])
            box = Table(rows, colWidths=[WIDTH], hAlign="LEFT")
            self.style(box, [("BOX", (0, 0), (-1, -1), 1, theme.BLOCKED),
                             ("BACKGROUND", (0, 0), (-1, -1), theme.BLOCKED_LIGHT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
            self.out.append(box)
            self.out.append(Spacer(1, 10))
        cells = [[self.p(m.value, s.metric_value), self.p(m.label, s.metric_label)] for m in sm.metrics]
        metrics = Table([cells], colWidths=[WIDTH / len(cells)] * len(cells), hAlign="LEFT")
        self.style(metrics, [("BOX", (0, 0), (-1, -1), 0.5, theme.RULE),
                             ("INNERGRID", (0, 0), (-1, -1), 0.5, theme.RULE),
                             ("BACKGROUND", (0, 0), (-1, -1), theme.ZEBRA),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
        self.out.append(metrics)
        self.out.append(Spacer(1, 10))
        for para in sm.narrative:
            self.out.append(self.p(para))
        self.out.append(self.p(sm.gaps_heading, s.h2))
        if sm.top_gaps:
            self.out.append(self.gap_table(sm.gap_headers, sm.top_gaps))
        else:
            self.out.append(self.p(sm.no_gaps))
        self.out.append(PageBreak())

    def charts(self) -> None:
        ch, s = self.d.charts, self.s
        self.out.append(Heading(ch.heading, s.h1, [("overview", ch.heading, 0)]))
        self.out.append(self.p(ch.radar_title, s.h3))
        r = radar(ch, self.font.name, width=WIDTH, height=250)
        r.hAlign = "CENTER"
        self.out.append(r)
        self.out.append(self.p(ch.bars_title, s.h3))
        self.out.append(phase_bars(ch, self.font.name, WIDTH))
        self.out.append(Spacer(1, 10))
        self.out.append(self.table(ch.table.headers, ch.table.rows, ch.table.widths))
        self.out.append(PageBreak())

    def phase(self, n: int, ph: PhaseSection) -> None:
        s = self.s
        outline = [("phases", self.d.phases_heading, 0)] if n == 0 else []
        outline.append((f"phase-{ph.id}", ph.heading, 1))
        self.out.append(self.p(self.d.phases_heading, s.kicker))
        self.out.append(Heading(ph.heading, s.h1, outline))
        facts = [[self.p(f.value, s.metric_value), self.p(f.label, s.metric_label)] for f in ph.facts]
        t = Table([facts], colWidths=[WIDTH / len(facts)] * len(facts), hAlign="LEFT")
        self.style(t, [("BOX", (0, 0), (-1, -1), 0.5, theme.RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, theme.RULE),
                       ("BACKGROUND", (0, 0), (-1, -1), theme.ZEBRA), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        self.out.append(t)
        self.out.append(Spacer(1, 8))
        if ph.description:
            self.out.append(self.p(ph.description))
        if ph.out_of_scope:
            self.out.append(self.p(ph.out_of_scope, ParagraphStyle("oos", parent=s.body, textColor=theme.MUTED)))
        if ph.items:
            rows, extra = [], []
            for i, it in enumerate(ph.items, start=1):
                crit = ParagraphStyle("crit", parent=s.small_muted,
                                      textColor=theme.BLOCKED if it.blocker else theme.MUTED)
                tag = f"{it.criticality_label} · {it.item_id}"
                rows.append([[self.p(it.question, s.cell), self.p(tag, crit)], self.p(it.answer, s.cell),
                             self.p(it.score, s.cell_right), self.p(it.note, s.cell)])
                if it.blocker:
                    extra.append(("BACKGROUND", (0, i), (-1, i), theme.BLOCKED_LIGHT))
                    extra.append(("LINEBEFORE", (0, i), (0, i), 2.5, theme.BLOCKED))
            self.out.append(self.table(ph.item_headers, rows, [4.3, 2.2, 1.05, 3.45], long=True, extra=extra,
                                       right=(2,)))
        elif not ph.out_of_scope:
            self.out.append(self.p(ph.no_items))
        self.out.append(CondPageBreak(60 * mm))
        self.out.append(self.p(ph.gaps_heading, s.h2))
        if ph.gaps:
            self.out.append(self.gap_table(self.d.summary.gap_headers, ph.gaps))
        else:
            self.out.append(self.p(ph.no_gaps))
        self.out.append(PageBreak())

    def table_section(self, key: str, ts: TableSection, level: int = 0, *, long: bool = False) -> None:
        self.out.append(Heading(ts.heading, self.s.h1 if level == 0 else self.s.h2, [(key, ts.heading, level)]))
        if ts.intro:
            self.out.append(self.p(ts.intro))
        self.out.append(self.table(ts.headers, ts.rows, ts.widths, long=long))
        self.out.append(Spacer(1, 10))

    def vendor(self, v: VendorSection) -> None:
        s = self.s
        self.out.append(Heading(v.heading, s.h1, [("vendor", v.heading, 0)]))
        for para in v.summary:
            self.out.append(self.p(para))
        if v.table.intro:
            self.out.append(self.p(v.table.intro, s.small_muted))
        # a knocked-out vendor keeps its row, marked in red: never silently dropped
        ko = ParagraphStyle("ko_cell", parent=s.cell, textColor=theme.BLOCKED)
        rows, extra = [], []
        for i, (r, b) in enumerate(zip(v.table.rows, v.chart_bars, strict=True), start=1):
            rows.append(r if b.qualified else r[:-1] + [self.p(r[-1], ko)])
            if not b.qualified:
                extra += [("BACKGROUND", (0, i), (-1, i), theme.BLOCKED_LIGHT),
                          ("LINEBEFORE", (0, i), (0, i), 2.5, theme.BLOCKED)]
        self.out.append(self.table(v.table.headers, rows, v.table.widths, right=(0, 2, 3, 4, 5, 6), extra=extra))
        self.out.append(Spacer(1, 6))
        red = ParagraphStyle("ko", parent=s.h2, textColor=theme.BLOCKED if v.knockouts else theme.ACCENT)
        self.out.append(self.p(v.knockouts_heading, red))
        if v.knockouts:
            box = Table([[self.p(k, s.body)] for k in v.knockouts],
                        colWidths=[WIDTH], hAlign="LEFT")
            self.style(box, [("BOX", (0, 0), (-1, -1), 1, theme.BLOCKED),
                             ("BACKGROUND", (0, 0), (-1, -1), theme.BLOCKED_LIGHT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
            self.out.append(box)
        else:
            self.out.append(self.p(v.no_knockouts))
        if v.risks:
            self.out.append(self.p(v.risks_heading, s.h3))
            for r in v.risks:
                self.out.append(self.p(f"• {r}", s.small))
        self.out.append(CondPageBreak(70 * mm))
        self.out.append(self.p(v.chart_title, s.h2))
        self.out.append(vendor_bars(v, self.font.name, WIDTH))
        if v.sensitivity is not None:
            # a table of one row per criterion: kept on one page with its heading
            self.out.append(KeepTogether([
                self.p(v.sensitivity.heading, s.h2),
                self.table(v.sensitivity.headers, v.sensitivity.rows, v.sensitivity.widths, right=(1,))]))
        self.out.append(self.p(v.method_heading, s.h3))
        for para in v.method:
            self.out.append(self.p(para, s.small_muted))
        self.out.append(PageBreak())

    def appendix(self) -> None:
        d, s = self.d, self.s
        self.out.append(Heading(d.answers.heading, s.h1,
                                [("appendix", d.appendix_heading, 0), ("answers", d.answers.heading, 1)]))
        rows = [[self.p(r[0], s.small_muted)] + r[1:] for r in d.answers.rows]
        self.out.append(self.table(d.answers.headers, rows, d.answers.widths, long=True))
        m = d.method
        self.out.append(PageBreak())
        self.out.append(Heading(m.heading, s.h1, [("method", m.heading, 1)]))
        for para in m.paragraphs:
            self.out.append(self.p(para))
        self.out.append(KeepTogether([self.table(m.weights.headers, m.weights.rows, m.weights.widths)]))
        self.out.append(Spacer(1, 8))
        self.out.append(self.p(m.levels.heading))
        self.out.append(KeepTogether([self.table(m.levels.headers, m.levels.rows, m.levels.widths)]))
        self.out.append(Spacer(1, 8))
        for para in m.closing:
            self.out.append(self.p(para))
        if d.long_texts:
            self.out.append(PageBreak())
            self.out.append(Heading(d.long_texts_heading, s.h1, [("long-texts", d.long_texts_heading, 1)]))
            self.out.append(self.p(d.long_texts_intro))
            for lt in d.long_texts:
                self.out.append(self.p(lt.label, s.h3))
                # short paragraphs (a line, cut into chunks): a long text flows over as many pages as it
                # needs, and the layout stays linear in its length
                for line in lt.shown.split("\n"):
                    if not line.strip():
                        self.out.append(Spacer(1, 4))
                    for chunk in chunks(line, CHUNK_CHARS):
                        self.out.append(self.p(chunk, s.small))
                if lt.rest:
                    self.out.append(self.p(lt.rest, s.small))

    def build(self) -> list[Flowable]:
        d = self.d
        self.cover()
        self.summary()
        self.charts()
        for n, ph in enumerate(d.phases):
            self.phase(n, ph)
        sections: list[tuple[str, TableSection | None]] = [
            ("progress", d.progress), ("action-plan", d.action_plan), ("disagreements", d.disagreements)]
        placed = False
        for key, ts in sections:
            if ts is not None:
                self.table_section(key, ts, long=True)
                placed = True
        if placed:
            self.out.append(PageBreak())
        if d.vendor is not None:
            self.vendor(d.vendor)
        self.appendix()
        return self.out


def _build(data: ReportData, font: FontInfo, pages: int | None) -> tuple[bytes, int]:
    buf = BytesIO()
    doc = _Doc(buf, data, font, pages)
    doc.build(_Story(data, font).build())
    return buf.getvalue(), doc.page


def render_pdf_info(data: ReportData, font: FontInfo | None = None) -> RenderedReport:
    """The PDF with what went into it: page count and the font used."""
    font = font or report_font()
    _, pages = _build(data, font, None)
    pdf, again = _build(data, font, pages)
    if again != pages:  # cannot happen: only the footers differ, and they sit in the margin
        raise RuntimeError(f"the page count changed between passes ({pages} → {again})")
    return RenderedReport(pdf=pdf, pages=pages, font=font)


def render_pdf(data: ReportData) -> bytes:
    """Lay out a report; the same data (with a fixed creation date) gives the same bytes."""
    return render_pdf_info(data).pdf

