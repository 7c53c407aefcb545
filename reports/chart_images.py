"""The report's charts as PNG images, for the Word file (Word cannot take reportlab's vector drawings).

Drawn with Pillow from the same content as the PDF's charts: the phase bars against the level
thresholds, the heat map and the plan's projection (its layout shared with the PDF through
`chart_geometry`), with the colours of `scoring.palette`.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from scoring import palette

from .chart_geometry import projection_layout
from .content import Charts, HeatMap
from .fonts import FontInfo
from .style import INK, MUTED, READY, RULE, ZEBRA

SCALE = 2  # pixels per point, for a sharp print


def _font(info: FontInfo | None, size: float) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    if info is not None and info.path:
        try:
            return ImageFont.truetype(info.path, int(size * SCALE))
        except OSError:
            pass
    return ImageFont.load_default()


def _png(img: Image.Image) -> bytes:
    buf = BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def phase_bars_png(charts: Charts, font: FontInfo | None, width: float = 480) -> bytes:
    """One bar per phase on a 0–100 scale, with a dashed line at each level threshold."""
    row, label_w = 24, 130
    height = row * len(charts.phases) + 28
    img = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    g = ImageDraw.Draw(img)
    f = _font(font, 8)
    x0, x1 = label_w * SCALE, (width - 40) * SCALE

    def x(score: float) -> float:
        return x0 + (x1 - x0) * max(0.0, min(100.0, score)) / 100

    for th in charts.thresholds:
        if 0 < th.min_score < 100:
            xx = x(th.min_score)
            for y in range(0, int((height - 20) * SCALE), 8):
                g.line([(xx, y), (xx, y + 4)], fill=RULE, width=2)
            g.text((xx + 3, (height - 18) * SCALE), th.label, fill=MUTED, font=f)
    for i, p in enumerate(charts.phases):
        y = i * row * SCALE + 4 * SCALE
        g.text((0, y + 4 * SCALE), p.label, fill=INK, font=f)
        g.rectangle([x0, y, x1, y + 14 * SCALE], fill=ZEBRA)
        if p.score is not None:
            g.rectangle([x0, y, x(p.score), y + 14 * SCALE], fill=p.colour)
        if p.target is not None:  # the phase's target level
            g.line([(x(p.target), y - 2 * SCALE), (x(p.target), y + 16 * SCALE)], fill=INK, width=2 * SCALE)
        g.text((x(p.score or 0) + 4 * SCALE, y + 2 * SCALE), p.score_text, fill=INK, font=f)
    return _png(img)


def heat_map_png(hm: HeatMap, font: FontInfo | None, width: float = 480) -> bytes:
    row, label_w = 22, 140
    cols = max(1, len(hm.columns))
    col_w = (width - label_w) / cols
    height = row * (len(hm.rows) + 1)
    img = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    g = ImageDraw.Draw(img)
    f = _font(font, 8)
    for j, c in enumerate(hm.columns):
        g.text(((label_w + col_w * j + 4) * SCALE, 4 * SCALE), c, fill=MUTED, font=f)
    for i, label in enumerate(hm.rows):
        y = (i + 1) * row * SCALE
        g.text((0, y + 5 * SCALE), label, fill=INK, font=f)
        for j, value in enumerate(hm.cells[i]):
            left = (label_w + col_w * j) * SCALE
            g.rectangle([left + 2, y + 2, left + col_w * SCALE - 2, y + row * SCALE - 2], fill=hm.colours[i][j])
            g.text((left + 6 * SCALE, y + 5 * SCALE), value, fill="white", font=f)
    return _png(img)


def projection_png(points: list[tuple[str, float | None, str]], ready_on: str | None, font: FontInfo | None,
                   width: float = 480, height: float = 160) -> bytes:
    """The plan's projection (`chart_geometry`), as an image: the same chart as the PDF's."""
    img = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    g = ImageDraw.Draw(img)
    f = _font(font, 7)
    x0, x1, y0, y1 = 30 * SCALE, (width - 8) * SCALE, (height - 18) * SCALE, 8 * SCALE  # y grows downwards
    lay = projection_layout(points, ready_on)

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + (x1 - x0) * x, y0 + (y1 - y0) * y

    for y, label in lay.grid:
        g.line([(x0, at(0, y)[1]), (x1, at(0, y)[1])], fill=RULE, width=1)
        g.text((2 * SCALE, at(0, y)[1] - 5 * SCALE), label, fill=MUTED, font=f)
    for x, label in lay.dates:
        g.text((at(x, 0)[0] - 12 * SCALE, y0 + 4 * SCALE), label, fill=MUTED, font=f)
    for ax, ay, bx, by in lay.steps:
        g.line([at(ax, ay), at(bx, by)], fill=MUTED, width=3)
    for m in lay.markers:
        x, y = at(m.x, m.y)
        g.rectangle([x - 3 * SCALE, y - 3 * SCALE, x + 3 * SCALE, y + 3 * SCALE],
                    fill=palette.BLOCKED if m.blocked else READY)
    if lay.ready:
        x = at(lay.ready[0], 0)[0]
        for y in range(int(y1), int(y0), 8):
            g.line([(x, y), (x, y + 4)], fill=READY, width=2)
        g.text((x + 3 * SCALE, y1), lay.ready[1], fill=READY, font=f)
    return _png(img)
