"""Colours shared by the charts and the page layout."""

from __future__ import annotations

from reportlab.lib import colors

from scoring import palette

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
ACCENT = colors.HexColor("#1F4E79")
ACCENT_LIGHT = colors.HexColor("#DCE8F4")
RULE = colors.HexColor("#C7D0D9")
ZEBRA = colors.HexColor("#F4F6F8")
BLOCKED_LIGHT = colors.HexColor("#FDECEA")
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
