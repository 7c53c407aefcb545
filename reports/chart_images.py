"""The report's charts as PNG images, for the Word file (Word cannot take reportlab's vector drawings).

Drawn with Pillow from the same content as the PDF's charts: the phase bars against the level
thresholds and the heat map, with the colours of `scoring.palette`.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from scoring import palette

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
    """The plan's projection as in the PDF: the score month by month, red while blocked, the ready-on line."""
    img = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    g = ImageDraw.Draw(img)
    f = _font(font, 7)
    x0, x1, y0, y1 = 30 * SCALE, (width - 8) * SCALE, (height - 18) * SCALE, 8 * SCALE
    n = max(1, len(points) - 1)

    def xs(i: float) -> float:
        return x0 + (x1 - x0) * i / n

    def ys(v: float) -> float:
        return y0 + (y1 - y0) * max(0.0, min(100.0, v)) / 100

    for v in (0, 25, 50, 75, 100):
        g.line([(x0, ys(v)), (x1, ys(v))], fill=RULE, width=1)
        g.text((2 * SCALE, ys(v) - 5 * SCALE), str(v), fill=MUTED, font=f)
    prev = None
    for i, (day, score, verdict) in enumerate(points):
        if i % max(1, len(points) // 8) == 0 or i == len(points) - 1:
            g.text((xs(i) - 12 * SCALE, y0 + 4 * SCALE), day[:7], fill=MUTED, font=f)
        if score is None:
            prev = None
            continue
        if prev is not None:
            g.line([(xs(prev[0]), ys(prev[1])), (xs(i), ys(prev[1])), (xs(i), ys(score))], fill=MUTED, width=3)
        colour = palette.BLOCKED if verdict == "blocked" else READY
        g.rectangle([xs(i) - 3 * SCALE, ys(score) - 3 * SCALE, xs(i) + 3 * SCALE, ys(score) + 3 * SCALE], fill=colour)
        prev = (i, score)
    if ready_on:
        after = [i for i, p in enumerate(points) if p[0] >= ready_on]
        if after:
            x = xs(after[0])
            for y in range(int(y1), int(y0), 8):
                g.line([(x, y), (x, y + 4)], fill=READY, width=2)
            g.text((x + 3 * SCALE, y1), ready_on, fill=READY, font=f)
    return _png(img)
