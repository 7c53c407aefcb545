"""Editable exports: the gap list and action plan as CSV / XLSX, the full report as DOCX / Markdown.

The documents are laid out from the same `ReportData` as the PDF, so they carry the same sections and
numbers; a consultant edits them and adds commentary.
"""

from __future__ import annotations

import csv
import io

from checklists import Template
from scoring import ActionItem, ReadinessResult, escape_markdown, neutralise_formula, term

from .data import ReportData, TableSection, VendorSection

EXPORT_FORMATS = ("csv", "xlsx", "docx", "md")
GAP_COLUMNS = ("phase", "item", "question", "criticality", "score", "impact", "severity", "recommendation",
               "owner", "due", "status")
_HEAD = {"phase": "phase", "item": "item", "question": "item", "criticality": "criticality", "score": "score",
         "impact": "impact", "severity": "severity", "recommendation": "recommendation"}
_EXTRA_HEAD = {"item": ("编号", "Item id"), "owner": ("负责人", "Owner"), "due": ("截止日期", "Due date"),
               "status": ("状态", "Status")}


def gap_headers(lang: str) -> list[str]:
    i = 0 if lang == "zh" else 1
    return [_EXTRA_HEAD[c][i] if c in _EXTRA_HEAD else term(_HEAD[c], lang) for c in GAP_COLUMNS]


def gap_table(template: Template, result: ReadinessResult, actions: list[ActionItem] | None,
              lang: str) -> list[list[object]]:
    """One row per gap, ranked as in the result; numbers stay numbers so a spreadsheet can sum them."""
    plan = {a.item_id: a for a in actions or []}
    rows = []
    for g in result.gaps:
        a = plan.get(g.item_id)
        rows.append([template.phase(g.phase).title.get(lang), g.item_id, g.question.get(lang),
                     term(g.criticality.value, lang), round(100 * g.score, 2), g.impact, term(g.severity, lang),
                     g.recommendation.get(lang), a.owner if a else "", (a.due or "") if a else "",
                     term(a.status.value if a else "open", lang)])
    return rows


def _sheet_rows(template: Template, result: ReadinessResult, actions: list[ActionItem] | None,
                lang: str) -> list[list[object]]:
    """The gap table as spreadsheet cells: text never becomes a formula, numbers and empty cells stay."""
    return [[neutralise_formula(v) for v in row] for row in gap_table(template, result, actions, lang)]


def gaps_csv(template: Template, result: ReadinessResult, actions: list[ActionItem] | None, lang: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(gap_headers(lang))
    w.writerows(_sheet_rows(template, result, actions, lang))
    return buf.getvalue().encode("utf-8-sig")


def gaps_xlsx(template: Template, result: ReadinessResult, actions: list[ActionItem] | None, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Gaps" if lang == "en" else "差距"
    ws.append(gap_headers(lang))
    for row in _sheet_rows(template, result, actions, lang):
        ws.append([None if v == "" else v for v in row])  # an empty cell is no cell, not an empty string
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
    widths = (14, 26, 50, 10, 8, 8, 10, 60, 16, 12, 12)
    for col, width in zip("ABCDEFGHIJK", widths, strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _md(text: object) -> str:
    """Report text (user text and content alike) as inert Markdown: shown as written, never as mark-up,
    a link, an image or an HTML tag; the PDF escapes every string the same way."""
    return escape_markdown(str(text))


def _md_cell(text: object) -> str:
    """A table cell: escaped (so a | stays in its cell), one line (a line break becomes <br>)."""
    return _md(text).replace("\r\n", "\n").replace("\n", "<br>")


def _md_table(t: TableSection, level: int = 3) -> list[str]:
    out = [f"{'#' * level} {_md(t.heading)}", ""]
    if t.intro:
        out += [_md(t.intro), ""]
    out.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
    out.append("|" + "---|" * len(t.headers))
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    return out + [""]


def _md_gaps(headers: list[str], gaps) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += [f"| {_md_cell(g.severity_label)} | {_md_cell(g.question)} | {_md_cell(g.impact)} | "
            f"{_md_cell(g.recommendation)} |" for g in gaps]
    return out + [""]


def _paras(paras: list[str]) -> list[str]:
    return [p for para in paras for p in (_md(para), "")]


def _md_vendor(v: VendorSection) -> list[str]:
    out = [f"## {_md(v.heading)}", ""] + _paras(v.summary)
    out += _md_table(v.table)[2:]  # the comparison table has no heading of its own
    out += [f"### {_md(v.knockouts_heading)}", ""]
    out += [f"- {_md_cell(k)}" for k in v.knockouts] or [_md(v.no_knockouts)]
    out.append("")
    if v.risks:
        out += [f"### {_md(v.risks_heading)}", ""] + [f"- {_md_cell(r)}" for r in v.risks] + [""]
    if v.sensitivity is not None:
        out += _md_table(v.sensitivity)
    out += [f"### {_md(v.method_heading)}", ""] + _paras(v.method)
    return out


def report_markdown(d: ReportData) -> str:
    """The report as Markdown: same sections and numbers as the PDF. Every text is escaped
    (`scoring.escape_markdown`): a client's file never carries a live tag, image or link from user text."""
    s = d.summary
    out = [f"# {_md(d.cover.title)}", "", f"**{_md(d.cover.organisation)}** · {_md(d.cover.project)}", ""]
    out += [f"- {_md(f.label)}: {_md_cell(f.value)}" for f in d.cover.fields]
    out += ["", f"_{_md(d.cover.confidentiality)}_", ""]
    out += [f"## {_md(s.heading)}", "", f"**{_md(s.overall_label)}: {_md(s.overall)}{_md(s.out_of)}** · "
            f"**{_md(s.verdict_heading)}: {_md(s.verdict_label)}**", ""]
    if s.blocked:
        out += [f"### {_md(s.blockers_heading)}", ""]
        out += [f"- **{_md_cell(g.question)}** — {_md_cell(g.recommendation)}" for g in s.blockers]
        out.append("")
    out += [f"- {_md(m.label)}: {_md_cell(m.value)}" for m in s.metrics] + [""]
    out += _paras(s.narrative)
    out += [f"### {_md(s.gaps_heading)}", ""]
    out += _md_gaps(s.gap_headers, s.top_gaps) if s.top_gaps else [_md(s.no_gaps), ""]
    out += [f"## {_md(d.charts.heading)}", ""] + _md_table(d.charts.table)
    out += [f"## {_md(d.phases_heading)}", ""]
    for ph in d.phases:
        out += [f"### {_md(ph.heading)}", ""]
        if ph.out_of_scope:
            out += [f"_{_md_cell(ph.out_of_scope)}_", ""]
        out += [f"- {_md(f.label)}: {_md_cell(f.value)}" for f in ph.facts] + [""]
        if ph.items:
            out.append("| " + " | ".join(_md_cell(h) for h in ph.item_headers) + " |")
            out.append("|" + "---|" * len(ph.item_headers))
            out += [f"| {_md_cell(r.question)} | {_md_cell(r.answer)} | {_md_cell(r.score)} | {_md_cell(r.note)} |"
                    for r in ph.items]
            out.append("")
        out += [f"#### {_md(ph.gaps_heading)}", ""]
        out += [f"- {_md_cell(g.question)} — {_md_cell(g.recommendation)}" for g in ph.gaps] or [_md(ph.no_gaps)]
        out.append("")
    for extra in (d.progress, d.action_plan, d.disagreements):
        if extra is not None:
            out += _md_table(extra, 2)  # sections of their own, as in the PDF
    if d.vendor is not None:
        out += _md_vendor(d.vendor)
    # the appendix holds the answers, the method and the full texts, in the PDF's order
    out += [f"## {_md(d.appendix_heading)}", ""] + _md_table(d.answers)
    out += [f"### {_md(d.method.heading)}", ""] + _paras(d.method.paragraphs)
    out += _md_table(d.method.weights, 4) + _md_table(d.method.levels, 4)
    out += _paras(d.method.closing)
    if d.long_texts:
        out += [f"### {_md(d.long_texts_heading)}", "", _md(d.long_texts_intro), ""]
        out += [f"**{_md(t.ref)} {_md(t.label)}**\n\n{_md(t.text)}\n" for t in d.long_texts]
    return "\n".join(out).rstrip() + "\n"


def report_docx(d: ReportData) -> bytes:
    """The report as an editable Word document: same sections and numbers as the PDF."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    # East Asian text needs its own font slot, or Word substitutes one without Chinese glyphs
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Microsoft YaHei")
    doc.core_properties.title = d.meta.title
    doc.core_properties.author = d.meta.author
    doc.core_properties.subject = d.meta.subject
    doc.core_properties.language = d.meta.language
    doc.core_properties.keywords = ", ".join(d.meta.keywords)

    def table(headers: list[str], rows: list[list[str]]) -> None:
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, headers, strict=True):
            cell.text = h
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, v in zip(cells, row, strict=True):
                cell.text = str(v)

    def section_table(ts: TableSection, level: int = 2) -> None:
        doc.add_heading(ts.heading, level)
        if ts.intro:
            doc.add_paragraph(ts.intro)
        table(ts.headers, ts.rows)

    s = d.summary
    doc.add_heading(d.cover.title, 0)
    doc.add_paragraph(f"{d.cover.organisation} · {d.cover.project}")
    for f in d.cover.fields:
        doc.add_paragraph(f"{f.label}: {f.value}")
    doc.add_paragraph(d.cover.confidentiality).italic = True
    doc.add_heading(s.heading, 1)
    doc.add_paragraph(f"{s.overall_label}: {s.overall}{s.out_of}")
    doc.add_paragraph(f"{s.verdict_heading}: {s.verdict_label}")
    if s.blocked:
        doc.add_heading(s.blockers_heading, 2)
        for g in s.blockers:
            doc.add_paragraph(f"{g.question} — {g.recommendation}", style="List Bullet")
    for m in s.metrics:
        doc.add_paragraph(f"{m.label}: {m.value}", style="List Bullet")
    for para in s.narrative:
        doc.add_paragraph(para)
    doc.add_heading(s.gaps_heading, 2)
    if s.top_gaps:
        table(s.gap_headers, [[g.severity_label, g.question, g.impact, g.recommendation] for g in s.top_gaps])
    else:
        doc.add_paragraph(s.no_gaps)
    doc.add_heading(d.charts.heading, 1)
    section_table(d.charts.table)
    doc.add_heading(d.phases_heading, 1)
    for ph in d.phases:
        doc.add_heading(ph.heading, 2)
        if ph.out_of_scope:
            doc.add_paragraph(ph.out_of_scope)
        for f in ph.facts:
            doc.add_paragraph(f"{f.label}: {f.value}", style="List Bullet")
        if ph.items:
            table(ph.item_headers, [[r.question, r.answer, r.score, r.note] for r in ph.items])
        doc.add_heading(ph.gaps_heading, 3)
        for g in ph.gaps:
            doc.add_paragraph(f"{g.question} — {g.recommendation}", style="List Bullet")
        if not ph.gaps:
            doc.add_paragraph(ph.no_gaps)
    for extra in (d.progress, d.action_plan, d.disagreements):
        if extra is not None:
            section_table(extra, 1)
    if d.vendor is not None:
        v = d.vendor
        doc.add_heading(v.heading, 1)
        for para in v.summary:
            doc.add_paragraph(para)
        if v.table.intro:
            doc.add_paragraph(v.table.intro)
        table(v.table.headers, v.table.rows)
        doc.add_heading(v.knockouts_heading, 2)
        for k in v.knockouts:
            doc.add_paragraph(k, style="List Bullet")
        if not v.knockouts:
            doc.add_paragraph(v.no_knockouts)
        if v.risks:
            doc.add_heading(v.risks_heading, 2)
            for r in v.risks:
                doc.add_paragraph(r, style="List Bullet")
        if v.sensitivity is not None:
            section_table(v.sensitivity, 2)
        doc.add_heading(v.method_heading, 2)
        for para in v.method:
            doc.add_paragraph(para)
    # the appendix holds the answers, the method and the full texts, in the PDF's order
    doc.add_heading(d.appendix_heading, 1)
    section_table(d.answers)
    doc.add_heading(d.method.heading, 2)
    for para in d.method.paragraphs:
        doc.add_paragraph(para)
    section_table(d.method.weights, 3)
    section_table(d.method.levels, 3)
    for para in d.method.closing:
        doc.add_paragraph(para)
    if d.long_texts:
        doc.add_heading(d.long_texts_heading, 2)
        doc.add_paragraph(d.long_texts_intro)
        for t in d.long_texts:
            doc.add_paragraph(f"{t.ref} {t.label}: {t.text}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
