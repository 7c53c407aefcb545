"""Colours shared by the charts and the page layout."""

from __future__ import annotations

from reportlab.lib import colors

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
ACCENT = colors.HexColor("#1F4E79")
ACCENT_LIGHT = colors.HexColor("#DCE8F4")
RULE = colors.HexColor("#C7D0D9")
ZEBRA = colors.HexColor("#F4F6F8")
BLOCKED = colors.HexColor("#B42318")
BLOCKED_LIGHT = colors.HexColor("#FDECEA")
UNKNOWN = colors.HexColor("#7B8794")
# Level colours from the lowest level to the highest, by number of levels; white text stays readable
# on each (the verdict badge).
_ORANGE, _AMBER, _LIME, _GREEN = (colors.HexColor(c) for c in ("#C2410C", "#B7791F", "#4D7C0F", "#15803D"))
_PALETTES = {1: (_GREEN,), 2: (_ORANGE, _GREEN), 3: (_ORANGE, _AMBER, _GREEN), 4: (_ORANGE, _AMBER, _LIME, _GREEN)}
SEVERITY = {"blocker": BLOCKED, "high": _ORANGE, "medium": _AMBER, "low": MUTED}


def level_colour(index: int, count: int) -> colors.Color:
    """The colour of level `index` (0 = lowest) among `count` levels."""
    count = max(1, count)
    index = min(max(0, index), count - 1)
    if count in _PALETTES:
        return _PALETTES[count][index]
    # more levels than named colours: blend along the four anchors
    anchors = _PALETTES[4]
    pos = index / (count - 1) * (len(anchors) - 1)
    i = min(int(pos), len(anchors) - 2)
    return colors.linearlyInterpolatedColor(anchors[i], anchors[i + 1], 0, 1, pos - i)


def tone_colour(tone: str, index: int, count: int) -> colors.Color:
    if tone == "blocked":
        return BLOCKED
    if tone == "unknown":
        return UNKNOWN
    return level_colour(index, count)
