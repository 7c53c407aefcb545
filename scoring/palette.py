"""The colours of readiness, as hex strings: the one definition the app's charts and the PDF read.

A level's colour depends only on its position among the template's levels (lowest orange, highest
green), so a phase at "Ready" has the same colour on the results page and in the report. A phase with
an unmet must item is the blocked colour whatever its score; a phase without a score is the unknown
colour. White text stays readable on each (the report's verdict badge).
"""

from __future__ import annotations

from typing import Literal

from checklists import Template

from .readiness import PhaseScore

BLOCKED = "#B42318"
UNKNOWN = "#7B8794"
# an incomplete verdict (too few answers for a level): neither a level's colour nor the unknown grey
INCOMPLETE = "#4B5D8C"
ORANGE, AMBER, LIME, GREEN = "#C2410C", "#B7791F", "#4D7C0F", "#15803D"
# level colours from the lowest level to the highest, by number of levels
_PALETTES = {1: (GREEN,), 2: (ORANGE, GREEN), 3: (ORANGE, AMBER, GREEN), 4: (ORANGE, AMBER, LIME, GREEN)}

Tone = Literal["blocked", "unknown", "level"]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _blend(a: str, b: str, t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(_rgb(a), _rgb(b), strict=True))


def level_colour(index: int, count: int) -> str:
    """The colour of level `index` (0 = lowest) among `count` levels."""
    count = max(1, count)
    index = min(max(0, index), count - 1)
    if count in _PALETTES:
        return _PALETTES[count][index]
    # more levels than named colours: blend along the four anchors
    anchors = _PALETTES[4]
    pos = index / (count - 1) * (len(anchors) - 1)
    i = min(int(pos), len(anchors) - 2)
    return _blend(anchors[i], anchors[i + 1], pos - i)


def tone_colour(tone: Tone | str, index: int, count: int) -> str:
    """The colour of a verdict: blocked, unknown, or its level's."""
    if tone == "blocked":
        return BLOCKED
    if tone == "unknown":
        return UNKNOWN
    return level_colour(index, count)


def level_index(template: Template, level_id: str | None) -> int:
    """The position of a level among the template's levels (0 for an unknown id)."""
    ids = [lv.id for lv in template.levels]
    return ids.index(level_id) if level_id in ids else 0


def phase_colour(template: Template, phase: PhaseScore) -> str:
    """A phase's colour on every chart: blocked first (an unmet must item), unknown without a score
    (unanswered or out of scope), else its level's."""
    if phase.blockers:
        return BLOCKED
    if phase.score is None or phase.level is None:
        return UNKNOWN
    return level_colour(level_index(template, phase.level), len(template.levels))
