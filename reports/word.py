"""The Word renderer: the report's blocks (`reports.document`) as a client document a consultant can
edit and restyle. A4 with the PDF's margins, real Word heading styles (so Word's navigation pane and
the contents field work), a contents field, the charts as images, page numbers in the footer.
"""

from __future__ import annotations

import io

from . import document as blocks
from .chart_images import heat_map_png, phase_bars_png, projection_png
from .content import ReportData
from .fonts import FontInfo, find_ttf
from .style import CELL_PT, LOGO_BOX_MM, MARGIN_X_MM, MARGIN_Y_MM, PAGE_MM, TEXT_WIDTH_MM, WORD_EAST_ASIAN_FONT

CORE_MAX = 255  # Word's limit for a core property such as the title


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC…): Word computes it when the document is opened or printed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder),
                       ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text or ""
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                el.set(qn("w:dirty"), "true")  # Word updates the field on opening
        run._r.append(el)


class WordRenderer:
    def __init__(self, data: ReportData):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.d = data
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.left_margin = section.right_margin = Mm(MARGIN_X_MM)
        section.top_margin = section.bottom_margin = Mm(MARGIN_Y_MM)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(10)
        # East Asian text needs its own font slot, or Word substitutes one without Chinese glyphs
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), WORD_EAST_ASIAN_FONT)
        props = self.doc.core_properties
        meta = data.meta
        props.title = meta.title[:CORE_MAX]
        props.author = meta.author[:CORE_MAX]
        props.subject = meta.subject[:CORE_MAX]
        props.language = meta.language
        props.keywords = ", ".join(meta.keywords)[:CORE_MAX]
        self._footer()
        path = find_ttf()
        self.font = FontInfo(name="", face="", path=path, embedded=True) if path else None

    def _footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.text = f"{self.d.confidential} · {self.d.footer}    "
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _field(footer, "PAGE", "1")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES", "1")

    def table(self, b: blocks.Table) -> None:
        from docx.shared import Mm

        t = self.doc.add_table(rows=1, cols=len(b.headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, b.headers, strict=True):
            cell.text = h
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in b.rows:
            cells = t.add_row().cells
            for cell, c in zip(cells, row, strict=True):
                self._cell(cell, c)
        total = sum(b.widths)
        for i, w in enumerate(b.widths):
            for row in t.rows:
                row.cells[i].width = Mm(TEXT_WIDTH_MM * w / total)
        if b.more and b.hidden:
            self.doc.add_paragraph(b.more.format(n=b.hidden))

    @staticmethod
    def _cell(cell, c: blocks.Cell) -> None:
        from docx.shared import Pt, RGBColor

        cell.text = c.text
        if c.colour:
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = RGBColor.from_string(c.colour.lstrip("#").upper())
        if c.sub:
            run = cell.add_paragraph().add_run(c.sub)
            run.font.size = Pt(CELL_PT)

    def block(self, b) -> None:
        doc = self.doc
        if isinstance(b, blocks.Heading):
            doc.add_heading(b.text, b.level)
        elif isinstance(b, blocks.Paragraph):
            doc.add_paragraph(b.text)
        elif isinstance(b, blocks.Bullets):
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(b, blocks.CoverPage):
            self.cover(b)
        elif isinstance(b, blocks.Contents):
            _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "")
        elif isinstance(b, blocks.KeyFigures):
            doc.add_paragraph(f"{b.score_label}: {b.score}{b.out_of}")
            doc.add_paragraph(f"{b.verdict_heading}: {b.verdict_label}")
            if b.note:
                doc.add_paragraph(b.note)
            self.facts(b.metrics)
        elif isinstance(b, blocks.FactStrip):
            self.facts(b.facts)
        elif isinstance(b, blocks.Callout):
            p = doc.add_paragraph()
            p.add_run(b.heading).bold = True
            for it in b.items:
                text = it.title + (f" ({it.sub})" if it.sub else "") + (f" — {it.detail}" if it.detail else "")
                doc.add_paragraph(text, style="List Bullet")
        elif isinstance(b, blocks.Table):
            self.table(b)
        elif isinstance(b, blocks.Chart):
            self.chart(b)
        elif isinstance(b, blocks.FullText):
            doc.add_paragraph(b.text.label).runs[0].bold = True
            doc.add_paragraph(b.text.text)
        elif isinstance(b, blocks.PageBreak):
            doc.add_page_break()
        elif isinstance(b, blocks.KeepSpace):
            pass

    def facts(self, facts) -> None:
        for f in facts:
            self.doc.add_paragraph(f"{f.label}: {f.value}", style="List Bullet")

    def cover(self, b: blocks.CoverPage) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        c, doc = b.cover, self.doc
        if c.logo is not None:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            w, h = c.logo.width, c.logo.height
            scale = min(LOGO_BOX_MM[0] / w, LOGO_BOX_MM[1] / h)
            p.add_run().add_picture(io.BytesIO(c.logo.data), width=Mm(w * scale))
        doc.add_paragraph(c.kicker)
        doc.add_heading(c.title, 0)
        if c.organisation or c.project:
            doc.add_paragraph(" · ".join(x for x in (c.organisation, c.project) if x))
        for f in c.fields:
            doc.add_paragraph(f"{f.label}: {f.value}")
        doc.add_paragraph().add_run(c.confidentiality).italic = True

    def chart(self, b: blocks.Chart) -> None:
        from docx.shared import Mm

        image = None
        if b.kind == "phase_bars" and b.charts is not None:
            image = phase_bars_png(b.charts, self.font)
        elif b.kind == "heat_map" and b.heat_map is not None:
            image = heat_map_png(b.heat_map, self.font)
        elif b.kind == "projection" and b.roadmap is not None:
            image = projection_png(b.roadmap.points, b.roadmap.ready_on, self.font)
        if image is None:
            return  # the radar and vendor bars repeat tables the document carries
        self.doc.add_paragraph(b.title).runs[0].italic = True
        self.doc.add_picture(io.BytesIO(image), width=Mm(160))

    def render(self) -> bytes:
        for b in blocks.compose(self.d).blocks:
            self.block(b)
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def report_docx(d: ReportData) -> bytes:
    """The report as an editable Word document: the same blocks, in the same order, as the PDF."""
    return WordRenderer(d).render()
