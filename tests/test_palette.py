"""One colour per level: the app's phase bars and the PDF's read the same palette (scoring.palette)."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Rect

from checklists import load_all
from reports import build_report, theme
from reports.charts import phase_bars
from scoring import Assessment, palette, score
from ui.views import phase_bar_data

TEMPLATES = sorted(load_all()[0].values(), key=lambda t: t.id)


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:].upper()


def _at(t, level_index: int | None, blockers: int = 0):
    """An empty assessment's result with every phase scored at the threshold of one level."""
    a = Assessment(template=t.id)
    r = score(t, a)
    lv = t.levels[level_index] if level_index is not None else None
    phases = [p.model_copy(update={"score": lv.min_score if lv else None, "level": lv.id if lv else None,
                                   "blockers": blockers}) for p in r.phases]
    return a, r.model_copy(update={"phases": phases})


def _pdf_bar_colours(report) -> set[str]:
    drawing = phase_bars(report.charts, "Helvetica", 400)
    return {_hex(s.fillColor) for s in drawing.contents if isinstance(s, Rect) and s.fillColor is not None}


@pytest.mark.parametrize("t", TEMPLATES, ids=lambda t: t.id)
def test_every_level_has_one_colour_in_the_app_and_the_pdf(t):
    n = len(t.levels)
    for i, lv in enumerate(t.levels):
        a, r = _at(t, i)
        app = phase_bar_data(r, t, "en")["colours"]
        report = build_report(t, a, r)
        pdf = [p.colour for p in report.charts.phases]
        expected = _hex(theme.level_colour(i, n))
        assert app == pdf == [expected] * len(t.phases), lv.id
        assert expected == palette.level_colour(i, n).upper()
        if lv.min_score > 0:  # a zero-width bar is not drawn
            assert expected in _pdf_bar_colours(report)


@pytest.mark.parametrize("t", TEMPLATES, ids=lambda t: t.id)
def test_a_blocked_phase_is_the_blocked_colour_in_both(t):
    top = len(t.levels) - 1
    a, r = _at(t, top, blockers=1)  # at the highest level, but an unmet must item
    report = build_report(t, a, r)
    blocked = _hex(theme.BLOCKED)
    assert blocked == palette.BLOCKED
    assert phase_bar_data(r, t, "en")["colours"] == [p.colour for p in report.charts.phases] == [blocked] * len(t.phases)
    assert blocked in _pdf_bar_colours(report)
    assert _hex(theme.level_colour(top, len(t.levels))) not in _pdf_bar_colours(report)


@pytest.mark.parametrize("t", TEMPLATES, ids=lambda t: t.id)
def test_an_unscored_phase_is_the_unknown_colour_in_both(t):
    a, r = _at(t, None)
    assert phase_bar_data(r, t, "en")["colours"] == [p.colour for p in build_report(t, a, r).charts.phases] \
        == [palette.UNKNOWN] * len(t.phases)


@pytest.mark.parametrize("count", range(1, 8))
def test_level_colours_run_from_orange_to_green(count):
    colours = [palette.level_colour(i, count) for i in range(count)]
    assert colours[-1] == palette.GREEN
    assert count == 1 or colours[0] == palette.ORANGE
    assert [_hex(theme.level_colour(i, count)) for i in range(count)] == [c.upper() for c in colours]
