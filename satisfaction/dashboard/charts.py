"""Charts drawn on the server as inline SVG: no script, no outside resource (pure)."""

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from satisfaction.scoring.indices import Estimate


@dataclass(frozen=True)
class Point:
    """One labelled estimate of a series (a quarter, a unit)."""

    label: str
    estimate: Estimate


def _x(value: float, left: float, width: float) -> float:
    return round(left + width * max(0.0, min(100.0, value)) / 100, 1)


def interval_bar(estimate: Estimate, label: str, width: int = 160, height: int = 18) -> Markup:
    """Draw an index on a 0-100 scale: a bar to the value and a whisker for its interval."""
    title = escape(label)
    parts = [f'<svg class="ci" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{title}"><title>{title}</title>',
             f'<rect class="track" x="0" y="{height / 2 - 3}" width="{width}" height="6" '
             'rx="3"/>']  # fmt: skip
    if estimate.value is not None:
        parts.append(f'<rect class="bar" x="0" y="{height / 2 - 3}" height="6" rx="3" '
                     f'width="{_x(estimate.value, 0, width)}"/>')  # fmt: skip
        if estimate.low is not None and estimate.high is not None:
            low, high = _x(estimate.low, 0, width), _x(estimate.high, 0, width)
            mid = height / 2
            parts.append(f'<path class="whisker" d="M{low} {mid}H{high}M{low} {mid - 5}V{mid + 5}'
                         f'M{high} {mid - 5}V{mid + 5}"/>')  # fmt: skip
        parts.append(f'<circle class="dot" cx="{_x(estimate.value, 0, width)}" '
                     f'cy="{height / 2}" r="4"/>')  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_chart(points: Sequence[Point], label: str, width: int = 560, height: int = 200) -> Markup:
    """Draw a series of estimates over time: a line through the values, whiskers for intervals."""
    left, right, top, bottom = 36, 30, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0

    def y(value: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(100.0, value)) / 100), 1)

    title = escape(label)
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{title}"><title>{title}</title>']  # fmt: skip
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick)}" '
                     f'y2="{y(tick)}"/><text class="tick" x="{left - 6}" y="{y(tick) + 4}" '
                     f'text-anchor="end">{tick}</text>')  # fmt: skip
    line, marks = [], []
    for i, point in enumerate(points):
        x = round(left + (i * step if len(points) > 1 else plot_w / 2), 1)
        parts.append(f'<text class="tick" x="{x}" y="{height - 8}" text-anchor="middle">'
                     f"{escape(point.label)}</text>")  # fmt: skip
        e = point.estimate
        if e.value is None:
            continue
        if e.low is not None and e.high is not None:
            marks.append(f'<path class="whisker" d="M{x} {y(e.low)}V{y(e.high)}"/>')
        line.append(f"{x},{y(e.value)}")
        marks.append(f'<circle class="dot" cx="{x}" cy="{y(e.value)}" r="4"/>')
    if len(line) > 1:
        parts.append(f'<polyline class="line" points="{" ".join(line)}"/>')
    parts.extend(marks)
    parts.append("</svg>")
    return Markup("".join(parts))
