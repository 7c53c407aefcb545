"""The palette (`reports.style`) as reportlab colours, for the PDF's charts and page layout."""

from __future__ import annotations

from reportlab.lib import colors

from scoring import palette

from . import style

# the palette of `reports.style` as reportlab colours
INK = colors.HexColor(style.INK)
MUTED = colors.HexColor(style.MUTED)
ACCENT = colors.HexColor(style.ACCENT)
ACCENT_LIGHT = colors.HexColor(style.ACCENT_LIGHT)
RULE = colors.HexColor(style.RULE)
ZEBRA = colors.HexColor(style.ZEBRA)
BLOCKED_LIGHT = colors.HexColor(style.BLOCKED_LIGHT)
READY = colors.HexColor(style.READY)
# readiness colours (levels, blocked, unknown) are defined once in scoring.palette, for the app too
BLOCKED = colors.HexColor(palette.BLOCKED)
UNKNOWN = colors.HexColor(palette.UNKNOWN)
_ORANGE, _AMBER = colors.HexColor(palette.ORANGE), colors.HexColor(palette.AMBER)
SEVERITY = {"blocker": BLOCKED, "high": _ORANGE, "medium": _AMBER, "low": MUTED}


def level_colour(index: int, count: int) -> colors.Color:
    """The colour of level `index` (0 = lowest) among `count` levels."""
    return colors.HexColor(palette.level_colour(index, count))


def tone_colour(tone: str, index: int, count: int) -> colors.Color:
    return colors.HexColor(palette.tone_colour(tone, index, count))


def hex_colour(hex_value: str) -> colors.Color:
    """A colour given as a hex string (e.g. a phase's colour in the report data)."""
    return colors.HexColor(hex_value)
