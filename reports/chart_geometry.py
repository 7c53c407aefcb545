"""Where the projection chart's parts go, on a unit square (x 0→1 left to right, y 0→1 bottom to top),
so the PDF's vector drawing and the Word file's image draw the same chart and only scale it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GRID = (0, 25, 50, 75, 100)  # the score lines, with their labels
MAX_DATE_LABELS = 8


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    blocked: bool


@dataclass(frozen=True)
class ProjectionLayout:
    grid: list[tuple[float, str]]  # y and label of each score line
    dates: list[tuple[float, str]]  # x and label (YYYY-MM) under the axis
    steps: list[tuple[float, float, float, float]]  # line segments x1, y1, x2, y2 of the step line
    markers: list[Marker]
    ready: tuple[float, str] | None  # x and label of the ready-on line


def projection_layout(points: list[tuple[str, float | None, str]], ready_on: str | None) -> ProjectionLayout:
    """The score month by month as a step line on 0–100 (a gap where a month has no score), each point
    red while the verdict is blocked, and the ready-on date placed between its two months by days."""
    n = max(1, len(points) - 1)

    def xs(i: float) -> float:
        return i / n

    def ys(v: float) -> float:
        return max(0.0, min(100.0, v)) / 100

    every = max(1, len(points) // MAX_DATE_LABELS)
    dates = [(xs(i), day[:7]) for i, (day, _, _) in enumerate(points) if i % every == 0 or i == len(points) - 1]
    steps: list[tuple[float, float, float, float]] = []
    markers: list[Marker] = []
    prev: tuple[int, float] | None = None
    for i, (_, score, verdict) in enumerate(points):
        if score is None:
            prev = None
            continue
        if prev is not None:
            steps += [(xs(prev[0]), ys(prev[1]), xs(i), ys(prev[1])), (xs(i), ys(prev[1]), xs(i), ys(score))]
        markers.append(Marker(xs(i), ys(score), verdict == "blocked"))
        prev = (i, score)
    ready = None
    if ready_on:
        days = [p[0] for p in points]
        after = [i for i, day in enumerate(days) if day >= ready_on]
        if after:
            i = after[0]
            ready = (xs(i - 1 + _fraction(days, i, ready_on)) if i > 0 else xs(0), ready_on)
    return ProjectionLayout([(ys(v), str(v)) for v in GRID], dates, steps, markers, ready)


def _fraction(days: list[str], i: int, day: str) -> float:
    """Where `day` falls between point i-1 and point i (0..1), by days."""
    a, b, x = (date.fromisoformat(s) for s in (days[i - 1], days[i], day))
    return (x - a).days / max(1, (b - a).days)
