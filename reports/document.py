"""The report as a document of typed blocks, composed once from the report's content.

`compose` decides the sections and their order (the one place that does); the PDF, Word and Markdown
renderers walk the same blocks, so the three files cannot disagree on what they contain or in which
order. A renderer only decides how a block looks in its format.

Headings of level 1 and 2 are the document's outline: the PDF's bookmarks, Word's "Heading 1/2"
paragraphs, Markdown's `##`/`###`. Level 3 headings stay inside their section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from scoring import palette

from .content import (
    Charts,
    Cover,
    Fact,
    GapRow,
    HeatMap,
    LongText,
    PhaseSection,
    ReportData,
    Roadmap,
    TableSection,
    VendorSection,
)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 section, 2 subsection (both in the outline), 3 a heading inside a section
    key: str = ""  # bookmark name; filled by `compose` for levels 1 and 2
    look: str = ""  # "kicker": printed small above the next heading (a section's name over its first part)


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | small | muted


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    style: str = "body"


@dataclass(frozen=True)
class CoverPage:
    cover: Cover


@dataclass(frozen=True)
class Contents:
    """The contents page; its entries are the document's outline, filled in by `compose`."""

    heading: str
    entries: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class KeyFigures:
    """The score, the verdict as a coloured badge and the headline metrics."""

    score_label: str
    score: str
    out_of: str
    verdict_heading: str
    verdict_label: str
    colour: str  # hex
    note: str  # under the badge ("level by score alone"); empty for none
    metrics: tuple[Fact, ...]


@dataclass(frozen=True)
class FactStrip:
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class CalloutItem:
    title: str
    sub: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Callout:
    """A boxed list that must not be missed (the blockers, the knock-outs)."""

    heading: str
    items: tuple[CalloutItem, ...]
    tone: str = "blocked"  # blocked | info


@dataclass(frozen=True)
class Cell:
    text: str
    sub: str = ""  # a second, smaller line (e.g. the question's number)
    colour: str = ""  # hex for the text; empty for the ink colour
    breaks: str = ""  # an identifier: break its lines only after these characters (an item id's dots)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    right: tuple[int, ...] = ()  # right-aligned columns
    marked: tuple[int, ...] = ()  # body rows (0-based) shown as blocked
    long: bool = False  # may run over several pages
    keep: bool = False  # kept on one page
    # a table cut to the room left on its page (the summary's gaps): `more` says how many rows are
    # elsewhere, "{n}" standing for the number of rows left out (`hidden` of them left out already)
    fit_page: bool = False
    more: str = ""
    hidden: int = 0


@dataclass(frozen=True)
class Chart:
    kind: str  # radar | phase_bars | heat_map | vendor_bars
    title: str
    caption: str = ""
    charts: Charts | None = None
    heat_map: HeatMap | None = None
    vendor: VendorSection | None = None
    roadmap: Roadmap | None = None  # kind "projection": the roadmap's score month by month


@dataclass(frozen=True)
class FullText:
    """A long user text: the PDF prints `shown` (bounded) and `rest`, Word and Markdown the full text."""

    text: LongText


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class KeepSpace:
    """Start a new page unless this much room (mm) is left."""

    mm: float


Block = (Heading | Paragraph | Bullets | CoverPage | Contents | KeyFigures | FactStrip | Callout | Table | Chart
         | FullText | PageBreak | KeepSpace)


@dataclass
class Document:
    lang: str
    data: ReportData
    blocks: list[Block] = field(default_factory=list)

    def headings(self, max_level: int = 2) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= max_level]

    def section_titles(self) -> list[tuple[int, str]]:
        return [(h.level, h.text) for h in self.headings()]


# ── sections ──────────────────────────────────────────────────────────────────────────────────

def _cells(row: list[str]) -> tuple[Cell, ...]:
    return tuple(Cell(str(c)) for c in row)


def table(ts: TableSection, *, long: bool = False, keep: bool = False, right: tuple[int, ...] = ()) -> Table:
    return Table(headers=tuple(ts.headers), rows=tuple(_cells(r) for r in ts.rows), widths=tuple(ts.widths),
                 long=long, keep=keep, right=right)


def gap_table(headers: list[str], gaps: list[GapRow], *, fit_page: bool = False, more: str = "",
              hidden: int = 0) -> Table:
    rows = tuple((Cell(g.severity_label, colour=g.severity_colour), Cell(g.question, sub=g.ref),
                  Cell(g.recommendation), Cell(g.impact)) for g in gaps)
    return Table(headers=tuple(headers), rows=rows, widths=(1.3, 4.2, 4.6, 1.3), right=(3,), fit_page=fit_page,
                 more=more, hidden=hidden)


def _cover(d: ReportData) -> list[Block]:
    return [CoverPage(d.cover), PageBreak()]


def _summary(d: ReportData) -> list[Block]:
    s = d.summary
    out: list[Block] = [Heading(s.heading, 1),
                        KeyFigures(score_label=s.overall_label, score=s.overall, out_of=s.out_of,
                                   verdict_heading=s.verdict_heading, verdict_label=s.verdict_label,
                                   colour=s.colour, note=s.level_note, metrics=tuple(s.metrics))]
    if s.blocked:
        # blockers come first: they decide the verdict whatever the score says
        out.append(Callout(s.blockers_heading, tuple(
            CalloutItem(title=f"{i}. {g.question}", sub=g.ref, detail=f"{s.recommendation_label}: {g.recommendation}")
            for i, g in enumerate(s.blockers, start=1))))
    out += [Paragraph(p) for p in s.narrative]
    out.append(Heading(s.gaps_heading, 3))
    if s.top_gaps:
        out.append(gap_table(s.gap_headers, s.top_gaps, fit_page=True, more=s.more_gaps,
                             hidden=s.gaps_total - len(s.top_gaps)))
    else:
        out.append(Paragraph(s.no_gaps))
    return out + [PageBreak()]


def _scope(d: ReportData) -> list[Block]:
    sc = d.scope
    if sc is None:
        raise ValueError("the report has no scope section")
    out: list[Block] = [Heading(sc.heading, 1)]
    out += [Paragraph(p) for p in sc.paragraphs]
    out.append(table(sc.participants))
    return out + [PageBreak()]


def _overview(d: ReportData) -> list[Block]:
    ch = d.charts
    out: list[Block] = [Heading(ch.heading, 1),
                        Chart("radar", ch.radar_title, charts=ch),
                        Chart("phase_bars", ch.bars_title, charts=ch),
                        table(ch.table, right=(1, 2))]
    if d.findings is not None:
        out += [Heading(d.findings.heading, 3), table(d.findings, keep=True)]
    if d.heat_map is not None:
        out += [KeepSpace(70), Heading(d.heat_map.heading, 3), Paragraph(d.heat_map.intro, "small"),
                Chart("heat_map", d.heat_map.heading, charts=ch, heat_map=d.heat_map)]
    return out + [PageBreak()]


def _roadmap(d: ReportData) -> list[Block]:
    if d.roadmap is None:
        return []
    rm = d.roadmap
    out: list[Block] = [Heading(rm.heading, 1), Paragraph(rm.intro)]
    for horizon in rm.horizons:
        out.append(Heading(horizon.heading, 3))
        out.append(table(horizon.table) if horizon.table.rows else Paragraph(rm.empty, "muted"))
    # the plan's projection: the ready-on date, what it waits for, the score month by month, the targets
    if rm.projection:
        out.append(Paragraph(rm.projection))
    if rm.critical_path is not None:
        out += [Heading(rm.critical_path.heading, 3), table(rm.critical_path, keep=True)]
    if rm.targets is not None:
        out += [Heading(rm.targets.heading, 3), table(rm.targets, keep=True, right=(2,))]
    if rm.projection_table is not None:
        out += [KeepSpace(60), Heading(rm.projection_table.heading, 3)]
        if rm.projection_table.intro:
            out.append(Paragraph(rm.projection_table.intro, "small"))
        out.append(Chart("projection", rm.projection_table.heading, roadmap=rm))
        out.append(table(rm.projection_table, right=(1,)))
    return out + [PageBreak()]


def _phase(d: ReportData, n: int, ph: PhaseSection) -> list[Block]:
    out: list[Block] = []
    if n == 0:
        out.append(Heading(d.phases_heading, 1, look="kicker"))
    out += [Heading(ph.heading, 2), FactStrip(tuple(ph.facts))]
    if ph.description:
        out.append(Paragraph(ph.description))
    if ph.out_of_scope:
        out.append(Paragraph(ph.out_of_scope, "muted"))
    if ph.items:
        rows = tuple((Cell(it.question, sub=it.tag, colour=""), Cell(it.answer), Cell(it.score), Cell(it.note))
                     for it in ph.items)
        marked = tuple(i for i, it in enumerate(ph.items) if it.blocker)
        out.append(Table(headers=tuple(ph.item_headers), rows=rows, widths=(4.3, 2.2, 1.05, 3.45), right=(2,),
                         marked=marked, long=True))
    elif not ph.out_of_scope:
        out.append(Paragraph(ph.no_items))
    if ph.out_of_scope:
        return out + [PageBreak()]
    out += [KeepSpace(60), Heading(ph.gaps_heading, 3)]
    out.append(gap_table(d.summary.gap_headers, ph.gaps) if ph.gaps else Paragraph(ph.no_gaps))
    return out + [PageBreak()]


def _extras(d: ReportData) -> list[Block]:
    out: list[Block] = []
    for ts in (d.progress, d.action_plan, d.score_range, d.disagreements, *d.convergence, d.agreement,
               d.role_divergence):
        if ts is not None:
            out.append(Heading(ts.heading, 1))
            if ts.intro:
                out.append(Paragraph(ts.intro))
            out.append(table(ts, long=True))
    return out + [PageBreak()] if out else out


def _vendor(d: ReportData) -> list[Block]:
    v = d.vendor
    if v is None:
        return []
    out: list[Block] = [Heading(v.heading, 1)]
    out += [Paragraph(p) for p in v.summary]
    if v.table.intro:
        out.append(Paragraph(v.table.intro, "muted"))
    red = palette.BLOCKED
    rows = []
    for r, b in zip(v.table.rows, v.chart_bars, strict=True):
        cells = _cells(r)
        rows.append(cells if b.qualified else cells[:-1] + (Cell(r[-1], colour=red),))
    marked = tuple(i for i, b in enumerate(v.chart_bars) if not b.qualified)
    out.append(Table(headers=tuple(v.table.headers), rows=tuple(rows), widths=tuple(v.table.widths),
                     right=(0, 2, 3, 4, 5, 6), marked=marked))
    if v.profiles is not None:
        out += [Heading(v.profiles.heading, 3), table(v.profiles)]
    if v.knockouts:
        out.append(Callout(v.knockouts_heading, tuple(CalloutItem(k) for k in v.knockouts)))
    else:
        out += [Heading(v.knockouts_heading, 3), Paragraph(v.no_knockouts)]
    if v.risks:
        out += [Heading(v.risks_heading, 3), Bullets(tuple(v.risks), "small")]
    if v.roi is not None:
        out += [Heading(v.roi.heading, 3)]
        if v.roi.intro:
            out.append(Paragraph(v.roi.intro, "small"))
        out.append(table(v.roi, right=tuple(range(1, len(v.roi.headers)))))
    out += [KeepSpace(70), Chart("vendor_bars", v.chart_title, caption=v.chart_caption, vendor=v)]
    if v.sensitivity is not None:
        out += [Heading(v.sensitivity.heading, 3), table(v.sensitivity, keep=True, right=(1,))]
    out.append(Heading(v.method_heading, 3))
    out += [Paragraph(p, "muted") for p in v.method]
    return out + [PageBreak()]


def _appendix(d: ReportData) -> list[Block]:
    m = d.method
    out: list[Block] = [Heading(d.appendix_heading, 1, look="kicker"), Heading(d.answers.heading, 2)]
    if d.answers.intro:
        out.append(Paragraph(d.answers.intro, "small"))
    index = table(d.answers, long=True)
    # item ids break only at their dots, never inside a word
    index = replace(index, rows=tuple((replace(r[0], breaks="."),) + r[1:] for r in index.rows))
    out += [index, PageBreak(), Heading(m.heading, 2)]
    out += [Paragraph(p) for p in m.paragraphs]
    out += [table(m.weights, keep=True, right=(1, 2)), Paragraph(m.levels.heading), table(m.levels, keep=True)]
    out += [Paragraph(p) for p in m.closing]
    if d.long_texts:
        out += [PageBreak(), Heading(d.long_texts_heading, 2), Paragraph(d.long_texts_intro)]
        out += [FullText(lt) for lt in d.long_texts]
    return out


def compose(d: ReportData) -> Document:
    """The report's blocks in their one order: cover, contents, summary, scope, overview, roadmap,
    phases, progress / action plan / disagreements, vendors, appendix."""
    body: list[Block] = []
    body += _summary(d)
    if d.scope is not None:
        body += _scope(d)
    body += _overview(d)
    body += _roadmap(d)
    for n, ph in enumerate(d.phases):
        body += _phase(d, n, ph)
    body += _extras(d)
    body += _vendor(d)
    body += _appendix(d)
    # bookmark names in document order, so the same report always gives the same file
    keyed: list[Block] = []
    for i, b in enumerate(body):
        keyed.append(Heading(b.text, b.level, f"s{i}", b.look) if isinstance(b, Heading) and b.level <= 2 else b)
    doc = Document(lang=d.lang, data=d)
    contents = Contents(d.contents_heading, tuple(b for b in keyed if isinstance(b, Heading) and b.level <= 2))
    doc.blocks = _cover(d) + [Heading(d.contents_heading, 1, "contents"), contents, PageBreak()] + keyed
    return doc
