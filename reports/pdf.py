"""The PDF renderer: lays the report's blocks (`reports.document`) out with reportlab. Nothing here
decides what the report says.

Every string is escaped before it becomes Paragraph markup, so a note reading `<b>` or `&` prints as
typed; a character the report font lacks is set in a fallback font, or shown as "[U+…]" when no font
has it. The layout runs once: each page's "x / y" is a form drawn when the last page is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from . import linebreak, theme
from .charts import fit, heat_map, phase_bars, projection, radar, vendor_bars
from .content import CHUNK_CHARS, ReportData
from .document import (
    Bullets,
    Callout,
    Cell,
    Chart,
    Contents,
    CoverPage,
    Document,
    FactStrip,
    FullText,
    Heading,
    KeepSpace,
    KeyFigures,
    PageBreak,
    Paragraph,
    Table,
    compose,
)
from .fonts import FontInfo, fallback_fonts, glyphs, report_font
from .style import CELL_PT, LOGO_BOX_MM, MARGIN_X_MM, MARGIN_Y_MM, MUTED, SCORE_SUFFIX_PT

PAGE = A4
MARGIN_X = MARGIN_X_MM * mm
MARGIN_TOP = MARGIN_Y_MM * mm
MARGIN_BOTTOM = MARGIN_Y_MM * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
PRODUCER = "readiness reports (reportlab)"

linebreak.install()
_HAS_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


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


_PLAIN: dict[str, frozenset[str]] = {}


def _plain_chars(name: str, own: frozenset[int]) -> frozenset[str]:
    """The characters the report font prints as they are (one set per font, built once)."""
    if name not in _PLAIN:
        _PLAIN[name] = frozenset(chr(c) for c in own if c <= 0xFFFF) | {"\n"}
    return _PLAIN[name]


class Glyphs:
    """Plain text → Paragraph markup in the report font, with a fallback font for each character it
    lacks, and a visible "[U+…]" for a character no font has (`missing` remembers them)."""

    def __init__(self, font: FontInfo):
        self.own = glyphs(font)
        self.chain = [(f.name, glyphs(f) or frozenset()) for f in fallback_fonts()] if self.own is not None else []
        self.missing: set[str] = set()
        self.plain = _plain_chars(font.name, self.own) if self.own is not None else None

    def markup(self, text: str) -> str:
        own = self.own
        if own is None or self.plain is None or self.plain.issuperset(text):
            return escape(text).replace("\n", "<br/>")
        out: list[str] = []
        run: list[str] = []
        run_font = None

        def flush() -> None:
            if run:
                piece = escape("".join(run))
                out.append(piece if run_font is None else f'<font name="{run_font}">{piece}</font>')
                run.clear()

        for c in text:
            if c == "\n":
                flush()
                out.append("<br/>")
                continue
            code = ord(c)
            if code in own or c.isspace():
                name = None
            elif code > 0xFFFF:
                # reportlab maps characters beyond the Basic Multilingual Plane (most emoji) to text
                # wrongly: drawn, they could not be copied or searched; named, they can
                name = ""
            else:
                name = next((n for n, g in self.chain if code in g), "")
            if name == "":  # no font has it: say so visibly rather than drop it
                flush()
                run_font = None
                self.missing.add(c)
                out.append(f"[U+{code:04X}]")
                continue
            if name != run_font:
                flush()
                run_font = name
            run.append(c)
        flush()
        return "".join(out)


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
        self.muted = st("muted", 8.5, textColor=theme.MUTED, spaceAfter=4)
        self.small_muted = st("small_muted", 7.5, textColor=theme.MUTED)
        self.cell = st("cell", CELL_PT)
        self.cell_head = st("cell_head", CELL_PT, textColor=colors.white)
        self.cell_right = st("cell_right", CELL_PT, alignment=TA_RIGHT)
        self.cell_head_right = st("cell_head_right", CELL_PT, textColor=colors.white, alignment=TA_RIGHT)
        self.h1 = st("h1", 17, textColor=theme.ACCENT, spaceBefore=2, spaceAfter=8)
        self.h2 = st("h2", 14, textColor=theme.ACCENT, spaceBefore=4, spaceAfter=6)
        self.h3 = st("h3", 10.5, textColor=theme.ACCENT, spaceBefore=8, spaceAfter=4)
        self.kicker = st("kicker", 11, textColor=theme.MUTED, spaceAfter=6)
        self.cover_title = st("cover_title", 24, textColor=theme.ACCENT, spaceAfter=10)
        self.cover_org = st("cover_org", 16, spaceAfter=4)
        self.cover_project = st("cover_project", 12, textColor=theme.MUTED, spaceAfter=18)
        self.big = st("big", 30, textColor=theme.ACCENT)
        self.metric_label = st("metric_label", 7.5, textColor=theme.MUTED, alignment=TA_CENTER)
        self.confidential = st("confidential", 8, textColor=theme.MUTED)
        self.toc1 = st("toc1", 11, spaceBefore=5, textColor=theme.ACCENT)
        self.toc2 = st("toc2", 9.5, leftIndent=14, spaceBefore=1)


class Bookmark(RLParagraph):
    """A heading that also places its PDF outline entry (bookmark) where it is drawn."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, title: str, level: int):
        super().__init__(text, style)
        self.key, self.title, self.level = key, title, level
        self.keepWithNext = 1

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height + 4)
            self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        super().draw()


class Badge(Flowable):
    """The verdict as a filled rounded label."""

    def __init__(self, text: str, fill: colors.Color, font: str, max_width: float, size: float = 14):
        super().__init__()
        self.fill, self.font = fill, font
        self.text, self.size = fit(text, font, size, max_width - 24, min_size=7)
        self.width = stringWidth(self.text, font, self.size) + 24
        self.height = self.size + 14

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.fill)
        c.roundRect(0, 0, self.width, self.height, 6, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(self.font, self.size)
        c.drawCentredString(self.width / 2, 7 + self.size * 0.18, self.text)


class FitToPage(Flowable):
    """A table cut to the room left on its page: as many rows as fit, then a line saying how many
    more there are and where (the summary's gaps, so the summary stays one page)."""

    def __init__(self, head: list[Flowable], build, rows: int, more, hidden: int):
        super().__init__()
        self.head, self.build, self.rows, self.more, self.hidden = head, build, rows, more, hidden
        self.parts: list[Flowable] = []

    def _parts(self, n: int) -> list[Flowable]:
        parts = self.head + ([self.build(n)] if n else [])
        left = self.rows - n + self.hidden
        if left:
            parts.append(self.more(left))
        return parts

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        for n in range(self.rows, -1, -1):
            parts = self._parts(n)
            height = sum(p.wrap(aw, ah)[1] + p.getSpaceBefore() for p in parts)
            if height <= ah or n == 0:
                self.parts, self.width, self.height = parts, aw, height
                return aw, height
        return aw, 0  # not reached

    def draw(self) -> None:
        y = self.height
        for p in self.parts:
            _w, h = p.wrap(self.width, self.height)
            y -= h + p.getSpaceBefore()
            p.drawOn(self.canv, 0, y)


class _NumberedCanvas(Canvas):
    """Each page shows the form "pageN"; the forms ("N / total") are drawn once the total is known."""

    footer_font = "Helvetica"
    page_format = "{page} / {pages}"

    def save(self) -> None:
        pages = self._pageNumber - 1
        for n in range(1, pages + 1):
            self.beginForm(f"page{n}")
            self.setFillColor(theme.MUTED)
            self.setFont(self.footer_font, 8)
            self.drawRightString(PAGE[0] - MARGIN_X, MARGIN_BOTTOM - 8 * mm,
                                 self.page_format.format(page=n, pages=pages))
            self.endForm()
        super().save()


class _Doc(BaseDocTemplate):
    def __init__(self, buf: BytesIO, data: ReportData, font: FontInfo):
        meta = data.meta
        super().__init__(buf, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=meta.title, author=meta.author,
                         subject=meta.subject, keywords=meta.keywords, creator=PRODUCER, producer=PRODUCER,
                         lang=meta.language, invariant=1, displayDocTitle=1,
                         # start every page in the report font, so no unused Helvetica is referenced
                         initialFontName=font.name)
        self.data, self.font = data, font
        self._footer: tuple[str, float] | None = None
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canv, doc) -> None:
        created = self.data.meta.created
        if created is not None:
            canv.setDateFormatter(lambda *_ymdhms: _pdf_date(created))
        if doc.page == 1:
            canv.showOutline()  # the bookmarks panel is open when the file opens
        canv.saveState()
        canv.setStrokeColor(theme.RULE)
        canv.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 8 * mm
        canv.line(MARGIN_X, y + 10, PAGE[0] - MARGIN_X, y + 10)
        canv.setFillColor(theme.MUTED)
        if self._footer is None:
            # room for the marking and the widest page number this document can have
            mark = f"{self.data.confidential} · "
            text, size = fit(mark + self.data.footer, self.font.name, 7.5, WIDTH - 90)
            self._footer = (text, size)
        left, size = self._footer
        canv.setFont(self.font.name, size)
        canv.drawString(MARGIN_X, y, left)
        canv.doForm(f"page{doc.page}")
        canv.restoreState()


def _pdf_date(d: datetime) -> str:
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    off = d.utcoffset()
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"D:{d:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def _hex(value: str, default: colors.Color = theme.INK) -> colors.Color:
    return colors.HexColor(value) if value else default


class PdfRenderer:
    """Turns the document's blocks into reportlab flowables, one method per kind of block."""

    def __init__(self, doc: Document, font: FontInfo):
        self.doc, self.d, self.font = doc, doc.data, font
        self.s = Styles(font.name, doc.lang)
        self.glyphs = Glyphs(font)
        self.out: list[Flowable] = []
        self._cjk: dict[str, ParagraphStyle] = {}

    def style(self, t: RLTable, commands: list[tuple]) -> None:
        # Table sets its cell font (Helvetica by default) even around Paragraph cells; name ours
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font.name)] + commands))

    def p(self, text: str, style: ParagraphStyle | None = None) -> RLParagraph:
        style = style or self.s.body
        if style.wordWrap != "CJK" and _HAS_CJK.search(text):
            # Chinese in an English report (a note, a name) breaks by the Chinese rules too
            style = self._cjk.get(style.name) or self._cjk.setdefault(
                style.name, ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK"))
        return RLParagraph(self.glyphs.markup(text), style)

    def fitted(self, text: str, style: ParagraphStyle, width: float) -> RLParagraph:
        """A short value in a narrow box: smaller type rather than a word split without a hyphen."""
        longest = max(text.split() or [""], key=lambda w: stringWidth(w, self.font.name, style.fontSize))
        _t, size = fit(longest, self.font.name, style.fontSize, width - 6, min_size=6)
        if size == style.fontSize:
            return self.p(text, style)
        return self.p(text, ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size,
                                           leading=style.leading * size / style.fontSize))

    def broken(self, c: Cell, width: float) -> Cell:
        """An identifier too wide for its column, broken after its separators only (a.b.c → a.b. / c)."""
        if not c.breaks or stringWidth(c.text, self.font.name, self.s.cell.fontSize) <= width:
            return c
        lines, line = [], ""
        for part in re.split(f"(?<=[{re.escape(c.breaks)}])", c.text):
            if line and stringWidth(line + part, self.font.name, self.s.cell.fontSize) > width:
                lines.append(line)
                line = part
            else:
                line += part
        return Cell("\n".join(lines + [line]), c.sub, c.colour)

    def cell(self, c: Cell, style: ParagraphStyle) -> Flowable | list[Flowable]:
        if c.colour:
            style = ParagraphStyle(f"{style.name}-c", parent=style, textColor=_hex(c.colour))
        main = self.p(c.text, style)
        return [main, self.p(c.sub, self.s.small_muted)] if c.sub else main

    def rl_table(self, t: Table, rows: tuple[tuple[Cell, ...], ...]) -> RLTable:
        s = self.s
        total = sum(t.widths)
        cols = [WIDTH * w / total for w in t.widths]
        body = [[self.cell(self.broken(c, cols[i] - 10), s.cell_right if i in t.right else s.cell)
                 for i, c in enumerate(row)] for row in rows]
        head = [self.p(h, s.cell_head_right if i in t.right else s.cell_head) for i, h in enumerate(t.headers)]
        cls = LongTable if t.long else RLTable
        table = cls([head] + body, colWidths=cols, repeatRows=1, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),  # room for a hanging "，" or "？" (CJK line breaking)
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.RULE),
            ("BACKGROUND", (0, 0), (-1, 0), theme.ACCENT),
        ]
        for i in range(1, len(rows) + 1):
            if (i - 1) in t.marked:
                style += [("BACKGROUND", (0, i), (-1, i), theme.BLOCKED_LIGHT),
                          ("LINEBEFORE", (0, i), (0, i), 2.5, theme.BLOCKED)]
            elif i % 2 == 0:
                style.append(("BACKGROUND", (0, i), (-1, i), theme.ZEBRA))
        self.style(table, style)
        return table

    # blocks --------------------------------------------------------------------------------------
    def heading(self, b: Heading) -> None:
        s = self.s
        style = {1: s.h1, 2: s.h2}.get(b.level, s.h3) if b.look != "kicker" else s.kicker
        # a phase opens with its section's name small above it, and each phase heading is a page title
        if b.level == 2 and self._last_kicker:
            style = s.h1
        self._last_kicker = b.look == "kicker"
        self.out.append(Bookmark(self.glyphs.markup(b.text), style, b.key, b.text, b.level - 1))

    _last_kicker = False

    def paragraph(self, b: Paragraph) -> None:
        self.out.append(self.p(b.text, {"small": self.s.small, "muted": self.s.muted}.get(b.style, self.s.body)))

    def bullets(self, b: Bullets) -> None:
        style = self.s.small if b.style == "small" else self.s.body
        self.out += [self.p(f"• {item}", style) for item in b.items]

    def coverpage(self, b: CoverPage) -> None:
        c, s = b.cover, self.s
        if c.logo is not None:
            w, h = c.logo.width, c.logo.height
            scale = min(LOGO_BOX_MM[0] * mm / w, LOGO_BOX_MM[1] * mm / h)
            img = Image(BytesIO(c.logo.data), width=w * scale, height=h * scale)
            img.hAlign = "RIGHT"
            self.out.append(img)
        self.out.append(Spacer(1, 30 * mm if c.logo is None else 14 * mm))
        self.out.append(Bookmark(self.glyphs.markup(c.kicker), s.kicker, "cover", self.d.outline["cover"], 0))
        self.out.append(self.p(c.title, s.cover_title))
        if c.organisation:
            self.out.append(self.p(c.organisation, s.cover_org))
        if c.project:
            self.out.append(self.p(c.project, s.cover_project))
        self.out.append(Spacer(1, 10 * mm))
        rows = [[self.p(f.label, s.small_muted), self.p(f.value, s.body)] for f in c.fields]
        t = RLTable(rows, colWidths=[40 * mm, WIDTH - 40 * mm], hAlign="LEFT")
        self.style(t, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.RULE),
                       ("TOPPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        self.out.append(t)
        self.out.append(Spacer(1, 20 * mm))
        box = RLTable([[self.p(c.confidentiality, s.confidential)]], colWidths=[WIDTH])
        self.style(box, [("BOX", (0, 0), (-1, -1), 0.6, theme.RULE), ("BACKGROUND", (0, 0), (-1, -1), theme.ZEBRA),
                         ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                         ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
        self.out.append(box)

    def contents(self, b: Contents) -> None:
        # entries link to their bookmarks; page numbers would need a second layout pass
        for h in b.entries:
            style = self.s.toc1 if h.level == 1 else self.s.toc2
            self.out.append(RLParagraph(f'<a href="#{h.key}">{self.glyphs.markup(h.text)}</a>', style))

    def keyfigures(self, b: KeyFigures) -> None:
        s = self.s
        score = [self.p(b.score_label, s.small_muted),
                 RLParagraph(f"{self.glyphs.markup(b.score)}<font size='{SCORE_SUFFIX_PT}' color='{MUTED}'> "
                             f"{self.glyphs.markup(b.out_of)}</font>", s.big)]
        badge: list[Flowable] = [self.p(b.verdict_heading, s.small_muted), Spacer(1, 4),
                                 Badge(b.verdict_label, _hex(b.colour), self.font.name, WIDTH * 0.5 - 12)]
        if b.note:
            badge.append(self.p(b.note, s.small_muted))
        top = RLTable([[score, badge]], colWidths=[WIDTH * 0.5, WIDTH * 0.5], hAlign="LEFT")
        self.style(top, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
        self.out.append(top)
        self.strip(b.metrics, 11)
        self.out[-1].spaceAfter = 8

    def strip(self, facts, size: float) -> None:
        s = self.s
        w = WIDTH / len(facts)
        value = ParagraphStyle("metric_value", parent=s.body, fontSize=size, leading=size * 1.3, alignment=TA_CENTER,
                               spaceAfter=0)
        cells = [[self.fitted(f.value, value, w), self.p(f.label, s.metric_label)] for f in facts]
        t = RLTable([cells], colWidths=[w] * len(cells), hAlign="LEFT")
        self.style(t, [("BOX", (0, 0), (-1, -1), 0.5, theme.RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, theme.RULE),
                       ("BACKGROUND", (0, 0), (-1, -1), theme.ZEBRA), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
        self.out.append(t)

    def factstrip(self, b: FactStrip) -> None:
        self.strip(b.facts, 12)
        self.out[-1].spaceAfter = 8

    def callout(self, b: Callout) -> None:
        s = self.s
        edge = theme.BLOCKED if b.tone == "blocked" else theme.ACCENT
        light = theme.BLOCKED_LIGHT if b.tone == "blocked" else theme.ACCENT_LIGHT
        head = ParagraphStyle("callout_head", parent=s.h3, textColor=edge, spaceBefore=0)
        rows = [[self.p(b.heading, head)]]
        for it in b.items:
            cell = [self.p(it.title, s.body)]
            if it.sub:
                cell.append(self.p(it.sub, s.small_muted))
            if it.detail:
                cell.append(self.p(it.detail, s.small))
            rows.append([cell])
        box = RLTable(rows, colWidths=[WIDTH], hAlign="LEFT")
        self.style(box, [("BOX", (0, 0), (-1, -1), 1, edge), ("BACKGROUND", (0, 0), (-1, -1), light),
                         ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                         ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
        box.spaceAfter = 8
        self.out.append(box)

    def table(self, b: Table) -> None:
        if b.fit_page:
            def more(n: int) -> RLParagraph:
                return self.p(b.more.format(n=n), self.s.muted)
            # the heading just before goes in with the rows, so it never stands alone at the page's foot
            head = [self.out.pop()] if self.out and isinstance(self.out[-1], Bookmark) else []
            self.out.append(FitToPage(head, lambda n: self.rl_table(b, b.rows[:n]), len(b.rows), more, b.hidden))
            return
        t = self.rl_table(b, b.rows)
        if b.keep:
            # kept on one page, with the heading just before it (a heading never ends a page alone)
            head = [self.out.pop()] if self.out and isinstance(self.out[-1], Bookmark) else []
            self.out.append(KeepTogether(head + [t]))
        else:
            self.out.append(t)
        # space after, not a Spacer: a table that fills its page must not push an empty one
        self.out[-1].spaceAfter = 8

    def chart(self, b: Chart) -> None:
        name = self.font.name
        if b.kind == "radar" and b.charts is not None:
            self.out.append(self.p(b.title, self.s.h3))
            r = radar(b.charts, name, width=WIDTH, height=230)
            r.hAlign = "CENTER"
            self.out.append(r)
        elif b.kind == "phase_bars" and b.charts is not None:
            self.out += [self.p(b.title, self.s.h3), phase_bars(b.charts, name, WIDTH), Spacer(1, 8)]
        elif b.kind == "heat_map" and b.heat_map is not None:
            self.out.append(heat_map(b.heat_map, name, WIDTH))
        elif b.kind == "vendor_bars" and b.vendor is not None:
            self.out += [self.p(b.title, self.s.h3), vendor_bars(b.vendor, name, WIDTH)]
        elif b.kind == "projection" and b.roadmap is not None:
            self.out += [projection(b.roadmap.points, b.roadmap.ready_on, name, WIDTH), Spacer(1, 6)]

    def fulltext(self, b: FullText) -> None:
        lt = b.text
        self.out.append(self.p(lt.label, self.s.h3))
        # short paragraphs (a line, cut into chunks): a long text flows over as many pages as it
        # needs, and the layout stays linear in its length
        for line in lt.shown.split("\n"):
            if not line.strip():
                self.out.append(Spacer(1, 4))
            for chunk in chunks(line, CHUNK_CHARS):
                self.out.append(self.p(chunk, self.s.small))
        if lt.rest:
            self.out.append(self.p(lt.rest, self.s.small))

    def pagebreak(self, _b: PageBreak) -> None:
        self.out.append(RLPageBreak())

    def keepspace(self, b: KeepSpace) -> None:
        self.out.append(CondPageBreak(b.mm * mm))

    def build(self) -> list[Flowable]:
        for block in self.doc.blocks:
            getattr(self, type(block).__name__.lower())(block)
        if self.glyphs.missing:
            from .wording import REPORT_WORDS
            self.out.append(self.p(REPORT_WORDS["placeholder_note"].get(self.doc.lang), self.s.small_muted))
        return self.out


def render_pdf_info(data: ReportData, font: FontInfo | None = None) -> RenderedReport:
    """The PDF with what went into it: page count and the font used. One layout pass."""
    font = font or report_font()
    buf = BytesIO()
    doc = _Doc(buf, data, font)
    story = PdfRenderer(compose(data), font).build()

    font_name = font.name

    class Numbered(_NumberedCanvas):
        footer_font = font_name
        page_format = data.page_format

    doc.build(story, canvasmaker=Numbered)
    return RenderedReport(pdf=buf.getvalue(), pages=doc.page, font=font)


def render_pdf(data: ReportData) -> bytes:
    """Lay out a report; the same data (with a fixed creation date) gives the same bytes."""
    return render_pdf_info(data).pdf
