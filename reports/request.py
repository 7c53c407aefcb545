"""One report request: everything a report depends on, built once by a door (the results page, the
CLI) and given to every renderer. The PDF, Word and Markdown files are laid out from the one
`ReportData` (and its one document of blocks) the request builds, so they always carry the same sections: a door cannot give the
disagreement agenda to the PDF and forget it for the Word file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, model_validator

from checklists import Template
from scoring import (
    Assessment,
    ReadinessResult,
)

from .builder import build_report
from .content import LANGS, ReportData, ReportOptions
from .errors import ReportError
from .exports import EXPORT_FORMATS, gaps_csv, gaps_xlsx, report_docx, report_markdown
from .pdf import RenderedReport, render_pdf_info

# the formats that carry the whole report (csv and xlsx are the gap list)
REPORT_FORMATS = ("pdf", "docx", "md")
FORMATS = ("pdf", *EXPORT_FORMATS)


def _now() -> datetime:
    return datetime.now().astimezone()


class ReportRequest(ReportOptions):
    """What to report (template, answers, result) and with which sections (the report's options, each
    defined once in `ReportOptions`). `created` is fixed when the request is made, so every file
    rendered from one request carries the same date."""

    template: Template
    assessment: Assessment
    result: ReadinessResult
    created: datetime = Field(default_factory=_now)

    @model_validator(mode="before")
    @classmethod
    def _known_language(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("lang", "en") not in LANGS:
            raise ReportError(f"unknown report language {data['lang']!r}; use zh or en")
        return data

    def data(self) -> ReportData:
        """The report's document, which every renderer lays out; raises `ReportError`."""
        return build_report(self.template, self.assessment, self.result, self)


def render_pdf_request(request: ReportRequest) -> RenderedReport:
    """The PDF with its page count and font."""
    return render_pdf_info(request.data())


def render_request(request: ReportRequest, fmt: str) -> bytes:
    """The request as a file: the report (pdf, docx, md) or the gap list with its action plan (csv, xlsx)."""
    if fmt == "csv":
        return gaps_csv(request.data())
    if fmt == "xlsx":
        return gaps_xlsx(request.data())
    if fmt not in REPORT_FORMATS:
        raise ReportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "pdf":
        return render_pdf_request(request).pdf
    data = request.data()
    return report_docx(data) if fmt == "docx" else report_markdown(data).encode("utf-8")
