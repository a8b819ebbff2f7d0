"""Charts drawn on the server as inline SVG: no script, no outside resource (pure).

The value axis is fitted to the figures a chart shows, so that 74 and 78 do not look alike; when
it does not start at 0 its break is marked, and intervals are drawn as dots and whiskers (a bar
from a cut axis would exaggerate).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from satisfaction.scoring.indices import Estimate


@dataclass(frozen=True)
class Point:
    """One labelled estimate of a series (a quarter, a unit)."""

    label: str
    estimate: Estimate


@dataclass(frozen=True)
class Axis:
    """A value axis in percent, from low to high; broken when it does not start at 0."""

    low: float = 0.0
    high: float = 100.0

    @property
    def broken(self) -> bool:
        """Return whether the axis starts above 0 (its break is then marked)."""
        return self.low > 0

    def share(self, value: float) -> float:
        """Return where a value lies along the axis, from 0 to 1."""
        return (max(self.low, min(self.high, value)) - self.low) / (self.high - self.low)

    def ticks(self) -> list[int]:
        """Return round values to label along the axis."""
        step = _step(self.high - self.low)
        first = math.ceil(self.low / step) * step
        return list(range(int(first), int(self.high) + 1, step))


def fit_axis(estimates: Iterable[Estimate], least: float = 10.0) -> Axis:
    """Return the axis of round fives holding every value and interval, at least least wide.

    It starts at 0 when the figures come near it, where a break would hide little.
    """
    values = [x for e in estimates for x in (e.low, e.value, e.high) if x is not None]
    if not values:
        return Axis()
    low = max(0.0, math.floor((min(values) - 1) / 5) * 5)
    high = min(100.0, math.ceil((max(values) + 1) / 5) * 5)
    while high - low < least:
        low, high = max(0.0, low - 5), min(100.0, high + 5)
    low = 0.0 if low <= 20 else low
    step = _step(high - low)  # the ends on labelled ticks
    return Axis(math.floor(low / step) * step, min(100.0, math.ceil(high / step) * step))


def _step(span: float) -> int:
    return 5 if span <= 30 else 10 if span <= 60 else 25


def _x(value: float, axis: Axis, width: float, left: float = 0.0) -> float:
    return round(left + width * axis.share(value), 1)


def _bar_break(height: int) -> str:
    mid = height / 2
    return f'<path class="break" d="M1 {mid + 5}L5 {mid - 5}M5 {mid + 5}L9 {mid - 5}"/>'


def interval_bar(estimate: Estimate, label: str, axis: Axis | None = None, width: int = 160,
                 height: int = 18) -> Markup:  # fmt: skip
    """Draw an index on an axis (0-100 unless given): a dot and a whisker for its interval."""
    axis, title = axis or Axis(), escape(label)
    mid = height / 2
    parts = [f'<svg class="ci" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{title}"><title>{title}</title>',
             f'<rect class="track" x="0" y="{mid - 3}" width="{width}" height="6" '
             'rx="3"/>']  # fmt: skip
    if axis.broken:
        parts.append(_bar_break(height))
    if estimate.value is not None:
        x = _x(estimate.value, axis, width)
        if not axis.broken:
            parts.append(f'<rect class="bar" x="0" y="{mid - 3}" height="6" rx="3" width="{x}"/>')
        if estimate.low is not None and estimate.high is not None:
            low, high = _x(estimate.low, axis, width), _x(estimate.high, axis, width)
            parts.append(f'<path class="whisker" d="M{low} {mid}H{high}M{low} {mid - 5}V{mid + 5}'
                         f'M{high} {mid - 5}V{mid + 5}"/>')  # fmt: skip
        parts.append(f'<circle class="dot" cx="{x}" cy="{mid}" r="4"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def axis_scale(axis: Axis, width: int = 160) -> Markup:
    """Draw the scale of a column of interval bars: its ends, and its break if it has one."""
    low, high = format_number(axis.low), format_number(axis.high)
    parts = [f'<svg class="scale" viewBox="0 0 {width} 14" width="{width}" height="14" '
             'aria-hidden="true">',
             f'<text x="{12 if axis.broken else 0}" y="11">{low}</text>',
             f'<text x="{width}" y="11" text-anchor="end">{high}</text>']  # fmt: skip
    if axis.broken:
        parts.append('<path class="break" d="M1 12L4 2M5 12L8 2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def format_number(value: float) -> str:
    """Return an axis value without decimals."""
    return str(int(round(value)))


def _band(segment: list[tuple[float, Estimate]], y) -> str:
    """Return the polygon of the intervals of consecutive points."""
    upper = [f"{x},{y(e.high)}" for x, e in segment]
    lower = [f"{x},{y(e.low)}" for x, e in reversed(segment)]
    return f'<polygon class="band" points="{" ".join(upper + lower)}"/>'


def _bands(placed: list[tuple[float, Estimate]], y) -> list[str]:
    """Return the bands of each run of points with an interval (a gap breaks the band)."""
    found, run = [], []
    for x, e in [*placed, (0.0, Estimate(0))]:
        if e.low is not None and e.high is not None and e.value is not None:
            run.append((x, e))
            continue
        if len(run) > 1:
            found.append(_band(run, y))
        run = []
    return found


def _tick_label(x: float, y: float, label: str) -> str:
    """Return a label under the axis on two lines ("Quý III" over "2025"; "Q3" over "2025")."""
    head, _sep, tail = label.rpartition("/") if "/" in label else label.rpartition(" ")
    if not head:
        head, tail = label, ""
    return (f'<text class="tick" x="{x}" y="{y}" text-anchor="middle">{escape(head)}'
            f'<tspan x="{x}" dy="13">{escape(tail)}</tspan></text>')  # fmt: skip


def trend_chart(points: Sequence[Point], label: str, width: int = 560, height: int = 212) -> Markup:
    """Draw a series over time: its interval band, a line through the values, a fitted axis."""
    left, right, top, bottom = 36, 30, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0
    axis = fit_axis(p.estimate for p in points)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - axis.share(value)), 1)

    title = escape(label)
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{title}"><title>{title}</title>']  # fmt: skip
    for tick in axis.ticks():
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick)}" '
                     f'y2="{y(tick)}"/><text class="tick" x="{left - 6}" y="{y(tick) + 4}" '
                     f'text-anchor="end">{tick}</text>')  # fmt: skip
    if axis.broken:  # two slanted strokes across the foot of the axis: it does not start at 0
        foot = top + plot_h
        parts.append(f'<path class="break" d="M{left - 5} {foot + 2}L{left + 5} {foot - 4}'
                     f'M{left - 5} {foot + 7}L{left + 5} {foot + 1}"/>')  # fmt: skip
    placed, line, marks = [], [], []
    for i, point in enumerate(points):
        x = round(left + (i * step if len(points) > 1 else plot_w / 2), 1)
        parts.append(_tick_label(x, height - 22, point.label))
        e = point.estimate
        placed.append((x, e))
        if e.value is None:
            continue
        if e.low is not None and e.high is not None:
            marks.append(f'<path class="whisker" d="M{x} {y(e.low)}V{y(e.high)}"/>')
        line.append(f"{x},{y(e.value)}")
        marks.append(f'<circle class="dot" cx="{x}" cy="{y(e.value)}" r="4"/>')
    parts.extend(_bands(placed, y))
    if len(line) > 1:
        parts.append(f'<polyline class="line" points="{" ".join(line)}"/>')
    parts.extend(marks)
    parts.append("</svg>")
    return Markup("".join(parts))
