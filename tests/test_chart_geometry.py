"""The projection chart's layout, shared by the PDF's drawing and the Word file's image: hand-computed."""

from __future__ import annotations

import pytest

from reports.chart_geometry import Marker, projection_layout

POINTS = [("2027-01-01", 20.0, "blocked"), ("2027-02-01", None, "incomplete"), ("2027-03-01", 60.0, "blocked"),
          ("2027-04-01", 80.0, "ready")]


def test_points_steps_and_the_ready_on_line_sit_where_hand_computed():
    lay = projection_layout(POINTS, "2027-03-16")
    assert lay.markers == [Marker(0.0, 0.2, True), Marker(2 / 3, 0.6, True), Marker(1.0, 0.8, False)]
    # a month without a score breaks the line: no step from January to March
    assert lay.steps == [(2 / 3, 0.6, 1.0, 0.6), (1.0, 0.6, 1.0, 0.8)]
    # 16 March is 15 of the 31 days from the March point to the April one
    assert lay.ready == (pytest.approx((2 + 15 / 31) / 3), "2027-03-16")
    assert [label for _, label in lay.dates] == ["2027-01", "2027-02", "2027-03", "2027-04"]
    assert lay.grid == [(0.0, "0"), (0.25, "25"), (0.5, "50"), (0.75, "75"), (1.0, "100")]


def test_no_ready_line_when_the_plan_never_gets_there_and_few_date_labels_on_a_long_plan():
    assert projection_layout(POINTS, None).ready is None
    assert projection_layout(POINTS, "2030-01-01").ready is None  # must NOT: a line off the chart's end
    long = [(f"{2027 + m // 12}-{m % 12 + 1:02d}-01", 50.0, "ready") for m in range(36)]
    dates = projection_layout(long, None).dates
    assert len(dates) <= 10 and dates[0][1] == "2027-01" and dates[-1][1] == "2029-12"
    assert all(0.0 <= x <= 1.0 for x, _ in dates)
