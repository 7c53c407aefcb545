"""What leaves the app as a file: the PDF readiness report.

`build_report` decides the content (pure, one language); `render_pdf` lays it out.
`render_report` does both for the common case.
"""

from __future__ import annotations

from datetime import datetime

from checklists import Template
from scoring import ActionItem, Assessment, Comparison, Disagreement, ReadinessResult, VendorResult

from .data import LANGS, ReportData, ReportOptions, VendorSection, build_report, vendor_section, vendor_summary
from .errors import ReportError
from .exports import EXPORT_FORMATS, gap_table, gaps_csv, gaps_xlsx, report_docx, report_markdown
from .fonts import FONT_ENV, FontInfo, report_font
from .logo import MAX_LOGO_BYTES, Logo, validate_logo
from .pdf import RenderedReport, render_pdf, render_pdf_info

__all__ = [
    "EXPORT_FORMATS", "gap_table", "gaps_csv", "gaps_xlsx", "report_docx", "report_markdown", "export_file",
    "FONT_ENV", "LANGS", "MAX_LOGO_BYTES", "FontInfo", "Logo", "RenderedReport", "ReportData", "ReportError",
    "ReportOptions", "VendorSection", "build_report", "render_pdf", "render_pdf_info", "render_report",
    "render_report_info", "report_font", "validate_logo", "vendor_section", "vendor_summary",
]


def render_report_info(template: Template, assessment: Assessment, result: ReadinessResult, *,
                       lang: str = "en", logo: bytes | None = None,
                       action_plan: list[ActionItem] | None = None,
                       disagreements: list[Disagreement] | None = None,
                       comparison: Comparison | None = None,
                       vendors: VendorResult | None = None,
                       created: datetime | None = None) -> RenderedReport:
    """Like `render_report`, also telling the page count and the font used."""
    if lang not in LANGS:
        raise ReportError(f"unknown report language {lang!r}; use zh or en")
    options = ReportOptions(lang=lang, logo=logo, action_plan=action_plan, disagreements=disagreements,
                            comparison=comparison, vendors=vendors, created=created or datetime.now().astimezone())
    return render_pdf_info(build_report(template, assessment, result, options))


def render_report(template: Template, assessment: Assessment, result: ReadinessResult, *,
                  lang: str = "en", logo: bytes | None = None, action_plan: list[ActionItem] | None = None,
                  disagreements: list[Disagreement] | None = None, comparison: Comparison | None = None,
                  vendors: VendorResult | None = None, created: datetime | None = None) -> bytes:
    """The PDF report; `created` fixes the date (now by default), and with it the bytes. `vendors` adds
    the vendor comparison section."""
    return render_report_info(template, assessment, result, lang=lang, logo=logo, action_plan=action_plan,
                              disagreements=disagreements, comparison=comparison, vendors=vendors,
                              created=created).pdf


def export_file(fmt: str, template: Template, assessment: Assessment, result: ReadinessResult, *,
                lang: str = "en", action_plan: list[ActionItem] | None = None,
                disagreements: list[Disagreement] | None = None, comparison: Comparison | None = None,
                vendors: VendorResult | None = None, created: datetime | None = None) -> bytes:
    """An editable export: the gap list (csv, xlsx) or the full report (docx, md)."""
    if fmt == "csv":
        return gaps_csv(template, result, action_plan, lang)
    if fmt == "xlsx":
        return gaps_xlsx(template, result, action_plan, lang)
    if fmt not in EXPORT_FORMATS:
        raise ReportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    options = ReportOptions(lang=lang, action_plan=action_plan, disagreements=disagreements,
                            comparison=comparison, vendors=vendors, created=created or datetime.now().astimezone())
    data = build_report(template, assessment, result, options)
    return report_docx(data) if fmt == "docx" else report_markdown(data).encode("utf-8")
