"""One report request: everything a report depends on, built once by a door (the results page, the
CLI) and given to every renderer. The PDF, Word and Markdown files are laid out from the one
`ReportData` (and its one document of blocks) the request builds, so they always carry the same sections: a door cannot give the
disagreement agenda to the PDF and forget it for the Word file.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from pydantic import Field

from checklists import FrozenModel, Template
from scoring import (
    ActionItem,
    Agreement,
    Assessment,
    Comparison,
    Convergence,
    Disagreement,
    ReadinessResult,
    RoleDivergence,
    ScoreRange,
)
from vendors import (
    VendorResult,
)

from .builder import build_report
from .content import LANGS, Lang, Participant, ReportData, ReportOptions
from .errors import ReportError
from .exports import EXPORT_FORMATS, gaps_csv, gaps_xlsx, report_docx, report_markdown
from .pdf import RenderedReport, render_pdf_info

# the formats that carry the whole report (csv and xlsx are the gap list)
REPORT_FORMATS = ("pdf", "docx", "md")
FORMATS = ("pdf", *EXPORT_FORMATS)


def _now() -> datetime:
    return datetime.now().astimezone()


class ReportRequest(FrozenModel):
    """What to report and with which sections. `created` is fixed when the request is made, so every
    file rendered from one request carries the same date."""

    template: Template
    assessment: Assessment
    result: ReadinessResult
    lang: str = "en"
    logo: bytes | None = None
    action_plan: list[ActionItem] | None = None
    # the room's disagreement agenda (several respondents apart); adds its section
    disagreements: list[Disagreement] | None = None
    # the score as a range, the room's alpha and role divergence (scoring.score_range, scoring.room_result)
    score_range: ScoreRange | None = None
    agreement: Agreement | None = None
    role_divergence: list[RoleDivergence] | None = None
    # the workshop's later rounds (round number -> scoring.convergence against the round before); only
    # when a round 2 was run, and only its revealed items
    convergence: dict[int, Convergence] | None = None
    # a comparison with an earlier assessment adds a "Progress since <date>" section
    comparison: Comparison | None = None
    # a vendor comparison adds its section
    vendors: VendorResult | None = None
    # who took part (a workshop room) and how their answers were combined, for the scope section
    participants: list[Participant] | None = None
    consolidation: str | None = None
    created: datetime = Field(default_factory=_now)
    # the day the plan's projection starts from (today when not given) and the assessment's own targets
    today: date | None = None
    targets: dict[str, str] | None = None

    def options(self) -> ReportOptions:
        if self.lang not in LANGS:
            raise ReportError(f"unknown report language {self.lang!r}; use zh or en")
        return ReportOptions(lang=cast(Lang, self.lang), logo=self.logo, action_plan=self.action_plan,
                             disagreements=self.disagreements, score_range=self.score_range,
                             agreement=self.agreement, role_divergence=self.role_divergence,
                             convergence=self.convergence,
                             comparison=self.comparison, vendors=self.vendors,
                             participants=self.participants, consolidation=self.consolidation,
                             created=self.created, today=self.today, targets=self.targets)

    def data(self) -> ReportData:
        """The report's document, which every renderer lays out; raises `ReportError`."""
        return build_report(self.template, self.assessment, self.result, self.options())


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
