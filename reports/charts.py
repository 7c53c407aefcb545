"""The report's two charts, as reportlab vector drawings. Every label names the report font,
because reportlab's default (Helvetica) has no Chinese glyphs."""

from __future__ import annotations

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import theme
from .chart_geometry import projection_layout
from .content import Charts, HeatMap, LevelThreshold, PhasePoint, VendorSection


def fit(text: str, font: str, size: float, width: float, min_size: float = 5.5) -> tuple[str, float]:
    """Shrink a label to fit `width`, and cut it with an ellipsis if even the smallest size does not."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    room = width - stringWidth("…", font, size)
    used, cut = 0.0, 0
    for ch in text:  # one pass: a user's 10,000-character name must not cost a quadratic search
        used += stringWidth(ch, font, size)
        if used > room:
            break
        cut += 1
    return text[:cut] + "…", size


def wrap(text: str, font: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """Break a label into lines of at most `width`: at spaces where there are any, else anywhere
    (Chinese has no spaces); the last line is cut with an ellipsis when the text does not fit."""
    tokens = text.split(" ") if " " in text else list(text)
    sep = " " if " " in text else ""
    lines: list[str] = []
    line = ""
    for tok in tokens:
        cand = f"{line}{sep}{tok}" if line else tok
        if stringWidth(cand, font, size) <= width or not line:
            line = cand
        else:
            lines.append(line)
            line = tok
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [sep.join(lines[max_lines - 1:])]
    return [fit(ln, font, size, width, min_size=size)[0] for ln in lines]


def _drawing(width: float, height: float, font: str) -> Drawing:
    d = Drawing(width, height)
    # the renderer starts every drawing in Helvetica unless told otherwise
    d.initialFontName = font
    return d


def _colour(thresholds: list[LevelThreshold], score: float) -> colors.Color:
    reached = [i for i, th in enumerate(thresholds) if th.min_score <= score]
    return theme.level_colour(reached[-1] if reached else 0, len(thresholds))


def radar(charts: Charts, font: str, width: float = 300, height: float = 250) -> Drawing:
    """Five-phase radar on a fixed 0-100 scale, with a dashed ring at each level threshold."""
    d = _drawing(width, height, font)
    phases = charts.phases
    size = min(width - 150, height - 80)
    sp = SpiderChart()
    sp.x, sp.y = (width - size) / 2, (height - size) / 2 + 6
    sp.width = sp.height = size
    rings = [th.min_score for th in charts.thresholds if 0 < th.min_score < 100] + [100]
    scores = [p.score or 0.0 for p in phases]
    # the outer ring at 100 fixes the scale: SpiderChart normalises to the largest value it is given
    sp.data = [[r] * len(phases) for r in rings] + [scores]
    sp.labels = ["\n".join(wrap(p.label, font, 8, 100) + [p.score_text]) for p in phases]
    sp.startAngle = 90
    sp.direction = "clockwise"
    for i, _r in enumerate(rings):
        sp.strands[i].strokeColor = theme.RULE
        sp.strands[i].strokeWidth = 0.6
        sp.strands[i].fillColor = None
        sp.strands[i].strokeDashArray = None if i == len(rings) - 1 else (2, 2)
    data = len(rings)
    sp.strands[data].strokeColor = theme.ACCENT
    sp.strands[data].strokeWidth = 1.6
    sp.strands[data].fillColor = colors.Color(0.12, 0.31, 0.47, alpha=0.22)
    sp.strands[data].symbol = "FilledCircle"
    sp.strands[data].symbolSize = 4
    sp.spokes.strokeColor = theme.RULE
    sp.spokes.strokeWidth = 0.5
    sp.spokes.labelRadius = 1.12
    sp.spokeLabels.fontName = font
    sp.spokeLabels.fontSize = 8
    sp.spokeLabels.leading = 10
    sp.spokeLabels.fillColor = theme.INK
    sp.spokeLabels.textAnchor = "middle"
    # anchor each label on its side of the chart, so it grows away from the spokes, not across them
    sp.spokeLabels.boxAnchor = "autox"
    sp.strandLabels.fontName = font
    sp.strandLabels.fontSize = 7
    sp.strandLabels.format = ""
    d.add(sp)
    # the rings are named in one caption line rather than on the chart, where they would crowd the data
    text, fs = fit(charts.radar_caption, font, 7, width - 10)
    d.add(String(width / 2, 2, text, fontName=font, fontSize=fs, fillColor=theme.MUTED, textAnchor="middle"))
    return d


def phase_bars(charts: Charts, font: str, width: float, row: float = 24) -> Drawing:
    """One horizontal bar per phase on 0-100, over bands that name the levels at their thresholds."""
    phases: list[PhasePoint] = charts.phases
    label_w, value_w, band_h = 130.0, 58.0, 14.0
    x0, x1 = label_w, width - value_w
    height = band_h + 6 + row * len(phases) + 14
    d = _drawing(width, height, font)
    top = height - band_h

    def xs(v: float) -> float:
        return x0 + (x1 - x0) * max(0.0, min(100.0, v)) / 100

    ths = charts.thresholds
    for i, th in enumerate(ths):
        lo, hi = th.min_score, ths[i + 1].min_score if i + 1 < len(ths) else 100.0
        shade = colors.HexColor("#F1F4F7") if i % 2 == 0 else colors.HexColor("#E6EBF0")
        d.add(Rect(xs(lo), 12, xs(hi) - xs(lo), top - 12 + band_h, fillColor=shade, strokeColor=None))
        text, fs = fit(th.label, font, 7.5, xs(hi) - xs(lo) - 4)
        d.add(String((xs(lo) + xs(hi)) / 2, top + 4, text, fontName=font, fontSize=fs,
                     fillColor=_colour(ths, lo), textAnchor="middle"))
    for v in sorted({th.min_score for th in ths} | {0.0, 100.0}):
        if 0 < v < 100:
            d.add(Line(xs(v), 12, xs(v), top + band_h, strokeColor=theme.MUTED, strokeWidth=0.6,
                       strokeDashArray=(2, 2)))
        d.add(String(xs(v), 2, f"{v:g}", fontName=font, fontSize=6.5, fillColor=theme.MUTED, textAnchor="middle"))
    for n, p in enumerate(phases):
        y = top - 6 - row * (n + 1) + 5
        bar_h = row - 10
        lines = wrap(p.label, font, 8, label_w - 8)
        base = y + bar_h / 2 - 3 + 4.5 * (len(lines) - 1)
        for k, ln in enumerate(lines):
            d.add(String(label_w - 6, base - 9 * k, ln, fontName=font, fontSize=8, fillColor=theme.INK,
                         textAnchor="end"))
        d.add(Rect(x0, y, x1 - x0, bar_h, fillColor=colors.white, strokeColor=theme.RULE, strokeWidth=0.4))
        if p.score is not None:
            d.add(Rect(x0, y, xs(p.score) - x0, bar_h, fillColor=theme.hex_colour(p.colour),
                       strokeColor=None))
        if p.target is not None:  # the phase's target level: a dark tick across its bar
            d.add(Line(xs(p.target), y - 2, xs(p.target), y + bar_h + 2, strokeColor=theme.INK, strokeWidth=2))
        text, fs = fit(p.score_text, font, 8.5, value_w - 6)
        d.add(String(x1 + 5, y + bar_h / 2 - 3, text, fontName=font, fontSize=fs,
                     fillColor=theme.INK if p.score is not None else theme.MUTED))
    return d


# Distinct, print-safe colours for the criteria of the vendor chart (cycled beyond ten criteria).
CRITERION_COLOURS = tuple(colors.HexColor(c) for c in (
    "#1F4E79", "#2E86AB", "#4D7C0F", "#B7791F", "#7B3F99", "#C2410C", "#0F766E", "#6B7280", "#9D174D", "#1E3A8A"))


def _pale(c: colors.Color) -> colors.Color:
    return colors.linearlyInterpolatedColor(c, colors.white, 0, 1, 0.65)


def vendor_bars(section: VendorSection, font: str, width: float, row: float = 22) -> Drawing:
    """One horizontal bar per vendor on 0-100, stacked by each criterion's contribution, with a legend
    naming the criteria; knocked-out vendors are drawn pale so they stay visible but do not compete."""
    bars = section.chart_bars
    crits = section.chart_criteria
    label_w, value_w = 130.0, 40.0
    x0, x1 = label_w, width - value_w
    # the legend: as many columns as fit, each item a swatch and a label cut to its column
    col_w = 150.0
    cols = max(1, int((width - 10) // col_w))
    legend_rows = (len(crits) + cols - 1) // cols
    legend_h = legend_rows * 12 + 6
    axis_h = 14
    height = axis_h + row * len(bars) + 6 + legend_h + 12
    d = _drawing(width, height, font)
    top = height - 4

    def xs(v: float) -> float:
        return x0 + (x1 - x0) * max(0.0, min(100.0, v)) / 100

    base_y = top - row * len(bars)
    for v in (0, 25, 50, 75, 100):
        d.add(Line(xs(v), base_y, xs(v), top, strokeColor=theme.RULE, strokeWidth=0.4,
                   strokeDashArray=None if v in (0, 100) else (2, 2)))
        d.add(String(xs(v), base_y - 9, f"{v}", fontName=font, fontSize=6.5, fillColor=theme.MUTED,
                     textAnchor="middle"))
    for n, b in enumerate(bars):
        y = top - row * (n + 1) + 4
        bar_h = row - 8
        ink = theme.INK if b.qualified else theme.MUTED
        lines = wrap(b.label, font, 8, label_w - 8)
        first = y + bar_h / 2 - 3 + 4.5 * (len(lines) - 1)
        for k, ln in enumerate(lines):
            d.add(String(label_w - 6, first - 9 * k, ln, fontName=font, fontSize=8, fillColor=ink,
                         textAnchor="end"))
        d.add(Rect(x0, y, x1 - x0, bar_h, fillColor=colors.white, strokeColor=theme.RULE, strokeWidth=0.4))
        at = 0.0
        for i, part in enumerate(b.parts):
            if part <= 0:
                continue
            c = CRITERION_COLOURS[i % len(CRITERION_COLOURS)]
            d.add(Rect(xs(at), y, xs(at + part) - xs(at), bar_h, fillColor=c if b.qualified else _pale(c),
                       strokeColor=colors.white, strokeWidth=0.3))
            at += part
        text, fs = fit(b.score_text, font, 8.5, value_w - 6)
        d.add(String(x1 + 5, y + bar_h / 2 - 3, text, fontName=font, fontSize=fs, fillColor=ink))
    # legend
    ly = base_y - axis_h - 4
    for i, name in enumerate(crits):
        r, c = divmod(i, cols)
        lx = 4 + c * col_w
        yy = ly - r * 12
        d.add(Rect(lx, yy, 8, 8, fillColor=CRITERION_COLOURS[i % len(CRITERION_COLOURS)], strokeColor=None))
        text, fs = fit(name, font, 7.5, col_w - 16)
        d.add(String(lx + 11, yy + 1, text, fontName=font, fontSize=fs, fillColor=theme.INK))
    text, fs = fit(section.chart_caption, font, 7, width - 10)
    d.add(String(width / 2, 2, text, fontName=font, fontSize=fs, fillColor=theme.MUTED, textAnchor="middle"))
    return d


def heat_map(hm: HeatMap, font: str, width: float, row: float = 18) -> Drawing:
    """Phases (rows) × criticality (columns): each cell tinted by the level its share reaches."""
    label_w = min(150.0, width * 0.3)
    col_w = (width - label_w) / max(1, len(hm.columns))
    height = row * (len(hm.rows) + 1) + 4
    d = _drawing(width, height, font)
    top = height - row
    for j, col in enumerate(hm.columns):
        text, size = fit(col, font, 8, col_w - 4)
        d.add(String(label_w + col_w * (j + 0.5), top + 5, text, fontName=font, fontSize=size,
                     textAnchor="middle", fillColor=theme.MUTED))
    for i, label in enumerate(hm.rows):
        y = top - row * (i + 1)
        text, size = fit(label, font, 8, label_w - 6)
        d.add(String(0, y + 5, text, fontName=font, fontSize=size, fillColor=theme.INK))
        for j, value in enumerate(hm.cells[i]):
            fill = colors.HexColor(hm.colours[i][j])
            d.add(Rect(label_w + col_w * j + 1, y + 1, col_w - 2, row - 2, fillColor=fill, strokeColor=None))
            d.add(String(label_w + col_w * (j + 0.5), y + 5, value, fontName=font, fontSize=8, textAnchor="middle",
                         fillColor=colors.white))
    return d


def projection(points: list[tuple[str, float | None, str]], ready_on: str | None, font: str, width: float,
               height: float = 150) -> Drawing:
    """The plan's projection (`chart_geometry`), as a vector drawing."""
    d = _drawing(width, height, font)
    x0, x1, y0, y1 = 28.0, width - 8, 16.0, height - 8
    lay = projection_layout(points, ready_on)

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + (x1 - x0) * x, y0 + (y1 - y0) * y

    for y, label in lay.grid:
        d.add(Line(x0, at(0, y)[1], x1, at(0, y)[1], strokeColor=theme.RULE, strokeWidth=0.4))
        d.add(String(x0 - 4, at(0, y)[1] - 2.5, label, fontName=font, fontSize=6.5, fillColor=theme.MUTED,
                     textAnchor="end"))
    for x, label in lay.dates:
        d.add(String(at(x, 0)[0], 4, label, fontName=font, fontSize=6.5, fillColor=theme.MUTED, textAnchor="middle"))
    for ax, ay, bx, by in lay.steps:
        d.add(Line(*at(ax, ay), *at(bx, by), strokeColor=theme.MUTED, strokeWidth=1.2))
    for m in lay.markers:
        x, y = at(m.x, m.y)
        d.add(Rect(x - 2.5, y - 2.5, 5, 5, fillColor=theme.BLOCKED if m.blocked else theme.READY, strokeColor=None))
    if lay.ready:
        x = at(lay.ready[0], 0)[0]
        d.add(Line(x, y0, x, y1, strokeColor=theme.READY, strokeWidth=1, strokeDashArray=(3, 2)))
        d.add(String(x + 2, y1 - 8, lay.ready[1], fontName=font, fontSize=7, fillColor=theme.READY))
    return d
