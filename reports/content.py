"""The report's content, decided before any layout: typed sections whose strings are already in the
chosen language and whose numbers all come from the scoring result. `reports.builder` fills them;
`reports.document` turns them into the blocks every renderer lays out.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from checklists import FrozenModel
from scoring import (
    ActionItem,
    Agreement,
    Comparison,
    Convergence,
    Disagreement,
    RoleDivergence,
    ScoreRange,
    palette,
)
from vendors import VendorResult

from .logo import Logo

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")
TOP_GAPS = 5
# A table row cannot continue on the next page, so a cell must stay well below a page's height:
# longer user texts are cut in their cell and printed in full in the appendix.
CELL_CHARS = 300
CELL_LINES = 10
# The PDF's appendix C is bounded too, so that no single note can stall a report (reportlab re-wraps
# what is left of a paragraph on every page it spills over: quadratic in its length). Each text prints
# at most APPENDIX_CHARS, all of them together at most APPENDIX_TOTAL_CHARS, in paragraphs of at most
# CHUNK_CHARS; what is left is named, and the Word and Markdown exports carry every text in full.
APPENDIX_CHARS = 20_000
APPENDIX_TOTAL_CHARS = 200_000
CHUNK_CHARS = 1_000


class Meta(FrozenModel):
    title: str
    author: str
    subject: str
    keywords: list[str]
    language: str  # BCP 47 tag for the PDF catalogue
    created: datetime | None = None


class Fact(FrozenModel):
    label: str
    value: str


class Cover(FrozenModel):
    kicker: str
    title: str
    organisation: str
    project: str
    fields: list[Fact]
    confidentiality: str
    logo: Logo | None = None


class GapRow(FrozenModel):
    item_id: str
    ref: str  # "Phase · question 2.14": how a client finds the item (internal ids stay in the appendix)
    phase: str
    severity: str
    severity_label: str
    severity_colour: str  # hex
    question: str
    recommendation: str
    impact: str  # points of the overall score the gap costs, e.g. "+2.4"
    blocker: bool


class Summary(FrozenModel):
    heading: str
    overall_label: str
    overall: str  # as printed; "—" when there is no score
    out_of: str
    verdict: str
    verdict_heading: str
    verdict_label: str
    # "blocked", "incomplete", "unknown", or "level": then the level's place among the template's levels
    tone: Literal["blocked", "incomplete", "unknown", "level"]
    colour: str  # the badge's hex colour: one per verdict kind
    level_index: int
    level_count: int
    level_label: str
    level_note: str
    recommendation_label: str
    blocked: bool
    blockers_heading: str
    blockers: list[GapRow]
    metrics: list[Fact]
    narrative: list[str]
    gaps_heading: str
    gap_headers: list[str]
    top_gaps: list[GapRow]
    gaps_total: int  # gaps other than blockers; those beyond `top_gaps` are named by `more_gaps`
    more_gaps: str  # "{n} more gaps…": where the gaps left out of the summary are
    no_gaps: str


class PhasePoint(FrozenModel):
    id: str
    label: str
    score: float | None
    score_text: str
    level_label: str
    # hex, as the app's phase bars colour it (scoring.palette.phase_colour: blocked first)
    colour: str = palette.UNKNOWN
    # the score the phase's target level starts at (scoring.phase_targets); None without a target
    target: float | None = None


class LevelThreshold(FrozenModel):
    """The score a readiness level starts at, drawn as a line on the phase chart."""

    label: str
    min_score: float


class TableSection(FrozenModel):
    """A titled table of plain strings; `widths` are relative column widths."""

    heading: str
    intro: str | None = None
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]


class Charts(FrozenModel):
    heading: str
    radar_title: str
    radar_caption: str
    bars_title: str
    phases: list[PhasePoint]
    thresholds: list[LevelThreshold]
    table: TableSection


class ItemRow(FrozenModel):
    item_id: str
    tag: str  # criticality and question number, under the question
    question: str
    criticality: str
    criticality_label: str
    answer: str
    score: str
    state: str
    note: str
    blocker: bool


class PhaseSection(FrozenModel):
    id: str
    heading: str
    description: str | None
    out_of_scope: str | None
    facts: list[Fact]
    item_headers: list[str]
    items: list[ItemRow]
    no_items: str
    gaps_heading: str
    gaps: list[GapRow]
    no_gaps: str


class LongText(FrozenModel):
    ref: str
    label: str
    text: str  # in full: the Word and Markdown exports print this
    shown: str = ""  # what the PDF prints: the text, or its beginning when the appendix bound is reached
    rest: str = ""  # the PDF's statement of what it left out (empty when it prints everything)


class MethodSection(FrozenModel):
    """The report's "how the score is computed" section: weights, levels and the rules in words."""

    heading: str
    paragraphs: list[str]
    weights: TableSection
    levels: TableSection
    closing: list[str]


class VendorBar(FrozenModel):
    """One vendor's weighted score as the sum of its criteria's contributions (chart order = rank)."""

    label: str
    qualified: bool
    score: float
    score_text: str
    parts: list[float]   # contribution of each criterion, in `VendorSection.chart_criteria` order


class VendorSection(FrozenModel):
    """The vendor comparison: who leads and how firmly, the table, knock-outs, chart and sensitivity."""

    heading: str
    summary: list[str]
    leader: str | None
    table: TableSection
    knockouts_heading: str
    knockouts: list[str]
    no_knockouts: str
    risks_heading: str
    risks: list[str]
    chart_title: str
    chart_criteria: list[str]
    chart_bars: list[VendorBar]
    chart_caption: str
    roi: TableSection | None = None  # return on investment and payback per vendor, where gains are given
    # each vendor's profile (target size, strengths, typical features, pricing model); none when no vendor has one
    profiles: TableSection | None = None
    sensitivity: TableSection | None
    method_heading: str
    method: list[str]


class Participant(FrozenModel):
    name: str
    role: str = ""


class ScopeSection(FrozenModel):
    """What was assessed, how, and by whom."""

    heading: str
    paragraphs: list[str]
    participants: TableSection


class HeatMap(FrozenModel):
    """Phases × criticality: the share of each cell's scored weight that is met, coloured by level."""

    heading: str
    intro: str
    rows: list[str]  # phase titles
    columns: list[str]  # criticality labels
    cells: list[list[str]]  # as printed ("—" where nothing is scored)
    colours: list[list[str]]  # hex


class Horizon(FrozenModel):
    heading: str
    table: TableSection


class Roadmap(FrozenModel):
    """The gaps as a plan: now (blockers), within 30 days, within 90 days, with owner and status."""

    heading: str
    intro: str
    horizons: list[Horizon]
    empty: str
    # the action plan's projected ready-on date, once the plan projects one (empty until then)
    projection: str = ""
    # the plan's projection (scoring.project): the ready-on date (ISO; None when the plan never gets
    # there), the actions it waits for, the score month by month, and the phase targets
    ready_on: str | None = None
    critical_path: TableSection | None = None
    projection_table: TableSection | None = None
    points: list[tuple[str, float | None, str]] = Field(default_factory=list)  # date, score, verdict
    targets: TableSection | None = None


class GapLine(FrozenModel):
    """One gap in the spreadsheets: numbers stay numbers, an absent value is None (an empty cell)."""

    phase: str
    number: str
    item_id: str
    question: str
    criticality: str
    answer: str
    note: str | None
    spread: float | None  # the respondents' spread (0–100) where the room disagreed on the item
    score: float
    impact: float  # points of the overall score
    severity: str
    recommendation: str
    owner: str | None
    due: str | None
    status: str
    expect: str | None = None  # the answer the action expects when done
    effort: str | None = None


class ReportData(FrozenModel):
    lang: Lang
    meta: Meta
    page_format: str  # "{page} / {pages}"
    footer: str
    outline: dict[str, str]  # bookmark titles of the sections without a heading of their own
    confidential: str  # the running footer's marking
    cover: Cover
    contents_heading: str
    summary: Summary
    scope: ScopeSection | None = None
    charts: Charts
    findings: TableSection | None = None
    heat_map: HeatMap | None = None
    roadmap: Roadmap | None = None
    phases_heading: str
    phases: list[PhaseSection]
    action_plan: TableSection | None = None
    disagreements: TableSection | None = None
    # the workshop's figures: the score as a range, Krippendorff's alpha per phase, role divergence
    score_range: TableSection | None = None
    agreement: TableSection | None = None
    role_divergence: TableSection | None = None
    # the workshop's later rounds: per round, how the disputed items' spread changed (none without round 2)
    convergence: list[TableSection] = Field(default_factory=list)
    progress: TableSection | None = None
    # the vendor comparison, when the assessment has a vendor sheet (absent otherwise: no placeholder)
    vendor: VendorSection | None = None
    appendix_heading: str
    answers: TableSection
    long_texts_heading: str
    long_texts_intro: str
    long_texts: list[LongText]
    method: MethodSection
    gap_list: list[GapLine] = Field(default_factory=list)  # every gap, ranked, for the spreadsheets


class ReportOptions(FrozenModel):
    lang: Lang = "en"
    logo: bytes | None = None
    action_plan: list[ActionItem] | None = None
    disagreements: list[Disagreement] | None = None
    # the score as a range while answers are unknown (scoring.score_range) adds its section when it is
    # a range; the room's alpha (scoring.agreement) and role divergence add theirs
    score_range: ScoreRange | None = None
    agreement: Agreement | None = None
    role_divergence: list[RoleDivergence] | None = None
    # the workshop's rounds: round number (2, 3, …) -> its convergence against the answers before it
    convergence: dict[int, Convergence] | None = None
    # a comparison with an earlier assessment adds a "Progress since <date>" section
    comparison: Comparison | None = None
    # a vendor comparison adds its section (table, knock-outs, chart, sensitivity)
    vendors: VendorResult | None = None
    created: datetime | None = None
    # who took part (a workshop room); the assessment's respondent when not given
    participants: list[Participant] | None = None
    consolidation: str | None = None  # how the room's answers were combined: mean, min or final
    top_gaps: int = Field(default=TOP_GAPS, ge=0, le=50)
    # the day the plan's projection starts from (today when not given); fixes the ready-on date
    today: date | None = None
    # the assessment's own phase targets (phase id -> level id) over the template's defaults
    targets: dict[str, str] | None = None


def num(x: float | None) -> str:
    """A number as the report prints it: one decimal at most, no trailing zeros."""
    return "—" if x is None else f"{round(x, 1) + 0.0:g}"


def plain(x: float | None) -> str:
    """A rule's number as the template writes it (a multiplier, a weight, a threshold), unrounded."""
    return "—" if x is None else f"{x:g}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{num(x)}%"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """User text as plain text: control characters dropped, line ends normalised."""
    s = "" if text is None else str(text)
    return _CONTROL.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))

