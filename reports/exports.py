"""The gap list as spreadsheets (CSV, XLSX): one row per gap, ranked as in the report, with the current
answer, the note, the respondents' spread and the action (owner, due date, status) beside it.

Built from the same `ReportData` as the PDF. Text never becomes a formula (`scoring.neutralise_formula`),
numbers stay numbers a spreadsheet can sum, and an absent value is a truly empty cell.
"""

from __future__ import annotations

import csv
import io

from scoring import neutralise_formula

from .content import GapLine, ReportData
from .markdown import report_markdown
from .word import report_docx

EXPORT_FORMATS = ("csv", "xlsx", "docx", "md")
GAP_COLUMNS = ("phase", "number", "item_id", "question", "criticality", "answer", "note", "spread", "score",
               "impact", "severity", "recommendation", "owner", "due", "status", "expect", "effort")
_HEADERS = {
    "phase": ("阶段", "Phase"), "number": ("题号", "No."), "item_id": ("编号", "Item id"),
    "question": ("检查项", "Item"), "criticality": ("重要性", "Criticality"), "answer": ("当前回答", "Answer"),
    "note": ("备注", "Note"), "spread": ("受访者分差", "Respondents' spread"), "score": ("得分", "Score"),
    "impact": ("影响（分）", "Impact (pts)"), "severity": ("严重程度", "Severity"),
    "recommendation": ("建议", "Recommendation"), "owner": ("负责人", "Owner"), "due": ("截止日期", "Due date"),
    "status": ("状态", "Status"), "expect": ("完成后的预期回答", "Expected answer when done"),
    "effort": ("工作量", "Effort"),
}
_WIDTHS = {"phase": 14, "number": 7, "item_id": 26, "question": 48, "criticality": 10, "answer": 18, "note": 36,
           "spread": 10, "score": 8, "impact": 10, "severity": 10, "recommendation": 56, "owner": 16, "due": 12,
           "status": 12, "expect": 18, "effort": 8}

__all__ = ["EXPORT_FORMATS", "GAP_COLUMNS", "gap_headers", "gap_table", "gaps_csv", "gaps_xlsx", "report_docx",
           "report_markdown"]


def gap_headers(lang: str) -> list[str]:
    i = 0 if lang == "zh" else 1
    return [_HEADERS[c][i] for c in GAP_COLUMNS]


def _row(g: GapLine) -> list[object]:
    return [getattr(g, c) for c in GAP_COLUMNS]


def gap_table(data: ReportData) -> list[list[object]]:
    """One row per gap, ranked as in the report; None where there is nothing to say."""
    return [_row(g) for g in data.gap_list]


def _sheet_rows(data: ReportData) -> list[list[object]]:
    """The gap table as spreadsheet cells: text never becomes a formula; numbers and empty cells stay."""
    return [[None if v is None or v == "" else neutralise_formula(v) for v in row] for row in gap_table(data)]


def gaps_csv(data: ReportData) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(gap_headers(data.lang))
    w.writerows([["" if v is None else v for v in row] for row in _sheet_rows(data)])
    return buf.getvalue().encode("utf-8-sig")


def gaps_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Gaps" if data.lang == "en" else "差距"
    ws.append(gap_headers(data.lang))
    for r, row in enumerate(_sheet_rows(data), start=2):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue  # an empty cell is no cell: not an empty string, not a lone '
            ws.cell(row=r, column=c, value=value)  # text is neutralised: it cannot start a formula
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(GAP_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[col]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(GAP_COLUMNS))}{max(1, ws.max_row)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
