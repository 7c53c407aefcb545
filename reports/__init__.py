"""What leaves the app as a file: the readiness report (PDF, Word, Markdown) and the gap list (CSV, XLSX).

`build_report` decides the content (pure, one language); `reports.document.compose` turns it into one
document of typed blocks in the one section order; `render_pdf`, `report_docx` and `report_markdown`
render those blocks. A door builds one `ReportRequest` and renders it with `render_request` in every
format, so the files carry the same sections; `render_report` and `export_file` are shorthands.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from checklists import Template
from scoring import ActionItem, Assessment, Comparison, Disagreement, ReadinessResult
from vendors import (
    VendorResult,
)

from .builder import build_report
from .content import LANGS, Lang, Participant, ReportData, ReportOptions, VendorSection
from .document import Document, compose
from .errors import ReportError
from .logo import MAX_LOGO_BYTES, Logo, validate_logo
from .vendor_section import vendor_section, vendor_summary

if TYPE_CHECKING:
    from .exports import EXPORT_FORMATS, gap_table, gaps_csv, gaps_xlsx, report_docx, report_markdown
    from .fonts import FONT_ENV, FontInfo, report_font
    from .pdf import RenderedReport, render_pdf, render_pdf_info
    from .request import FORMATS, REPORT_FORMATS, ReportRequest, render_pdf_request, render_request

# The renderers load reportlab (and, when used, openpyxl and python-docx) only when a page or command
# first asks for one of these names: the questionnaire, home and join pages never do.
_LAZY = {
    **dict.fromkeys(("EXPORT_FORMATS", "gap_table", "gaps_csv", "gaps_xlsx", "report_docx", "report_markdown"),
                    ".exports"),
    **dict.fromkeys(("FONT_ENV", "FontInfo", "report_font"), ".fonts"),
    **dict.fromkeys(("RenderedReport", "render_pdf", "render_pdf_info"), ".pdf"),
    **dict.fromkeys(("FORMATS", "REPORT_FORMATS", "ReportRequest", "render_pdf_request", "render_request"),
                    ".request"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "EXPORT_FORMATS", "gap_table", "gaps_csv", "gaps_xlsx", "report_docx", "report_markdown", "export_file",
    "FONT_ENV", "LANGS", "MAX_LOGO_BYTES", "FontInfo", "Logo", "RenderedReport", "ReportData", "ReportError",
    "Lang", "ReportOptions", "VendorSection", "build_report", "render_pdf", "render_pdf_info", "render_report",
    "render_report_info", "report_font", "validate_logo", "vendor_section", "vendor_summary",
    "FORMATS", "REPORT_FORMATS", "ReportRequest", "render_pdf_request", "render_request",
    "Document", "Participant", "compose",
]


def render_report_info(template: Template, assessment: Assessment, result: ReadinessResult, *,
                       lang: str = "en", logo: bytes | None = None,
                       action_plan: list[ActionItem] | None = None,
                       disagreements: list[Disagreement] | None = None,
                       comparison: Comparison | None = None,
                       vendors: VendorResult | None = None,
                       created: datetime | None = None) -> RenderedReport:
    """Like `render_report`, also telling the page count and the font used."""
    from .request import render_pdf_request

    return render_pdf_request(_request(template, assessment, result, lang=lang, logo=logo, action_plan=action_plan,
                                       disagreements=disagreements, comparison=comparison, vendors=vendors,
                                       created=created))


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
    from .exports import EXPORT_FORMATS
    from .request import render_request

    if fmt not in EXPORT_FORMATS:
        raise ReportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return render_request(_request(template, assessment, result, lang=lang, action_plan=action_plan,
                                   disagreements=disagreements, comparison=comparison, vendors=vendors,
                                   created=created), fmt)


def _request(template: Template, assessment: Assessment, result: ReadinessResult, *,
             created: datetime | None = None, **sections: Any) -> ReportRequest:
    from .request import ReportRequest

    stamp: dict[str, Any] = {"created": created} if created is not None else {}
    return ReportRequest(template=template, assessment=assessment, result=result, **sections, **stamp)
