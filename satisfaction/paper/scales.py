"""The answer scales on paper: their columns, the shaded band over them, and their legend."""

from dataclasses import dataclass

from satisfaction.paper import assets
from satisfaction.paper.flow import Flow, cfg, column_centre, leading, text_height, wrap
from satisfaction.paper.geometry import Rect, Shape, Text
from satisfaction.questionnaires.definition import Scale
from satisfaction.questionnaires.types import NA

BAND_GREY = 0.86
BAND_PADDING = 0.7
LEGEND_GAP = 6  # between two meanings of the legend


@dataclass(frozen=True)
class Column:
    """An answer column: where it is, the value a mark in it means, the words above it."""

    index: int
    value: int | str
    label: str


def scale_columns(scale: Scale, locale: str, with_na: bool) -> list[Column]:
    """Return the columns of a scale: 1 (lowest) to n (highest) from the left, then "not
    applicable"; right-aligned, so that the questions' words have the rest of the line."""
    count = cfg("grid")["columns"]
    ordered = sorted(scale.choices, key=lambda choice: choice.value)
    na = with_na and scale.not_applicable is not None
    first = count - len(ordered) - int(na)
    if first < 0:
        raise ValueError(f"the {scale.key} scale does not fit in {count} answer columns")
    columns = [Column(first + i, c.value, c.label.text(locale)) for i, c in enumerate(ordered)]
    if na:
        columns.append(Column(count - 1, NA, scale.not_applicable.text(locale)))
    return columns


def digit_room() -> float:
    """Return the width a box's number and its gaps take on the box's left."""
    grid, size = cfg("grid"), cfg("type")["digit"]
    return grid["digit_gap"] + assets.width_mm("0", True, size)


def text_right(columns: list[Column]) -> float:
    """Return where text must stop to stay clear of the leftmost box and its number."""
    grid = cfg("grid")
    first = min(column.index for column in columns)
    return column_centre(first) - grid["box"] / 2 - digit_room() - grid["text_gap"]


def text_left() -> float:
    """Return where the questions' words start, right of their numbers."""
    return cfg("page")["margin"] + cfg("grid")["number_width"]


def band_parts(
    flow: Flow, title: str, columns: list[Column]
) -> tuple[tuple[str, ...], list[tuple[Column, tuple[str, ...]]], float]:
    """Return the band's title lines, the headings of the columns without a number ("not
    applicable") and the band's height."""
    sizes = cfg("type")
    heads = [
        (c, wrap(c.label, cfg("grid")["pitch"] + 2, sizes["heading"], bold=True))
        for c in columns
        if not isinstance(c.value, int)
    ]
    right = min((column_centre(c.index) for c, _ in heads), default=cfg("grid")["right"])
    width = min(text_right(columns), right - 10) - cfg("page")["margin"] - 1
    title_lines = wrap(title, width, sizes["band"], bold=True)
    height = max(
        text_height(max((len(lines) for _, lines in heads), default=1), sizes["heading"]),
        text_height(len(title_lines), sizes["band"]),
    )
    return title_lines, heads, height + 2 * BAND_PADDING


def _bottom_aligned(
    x: float, bottom: float, lines: tuple[str, ...], size: float, align: str = "left"
) -> Text:
    """Return bold text whose last line's descenders end at bottom."""
    last = bottom - assets.descent_mm(size)
    return Text(x, last - (len(lines) - 1) * leading(size), lines, size, True, align)


def band(flow: Flow, title: str, columns: list[Column]) -> None:
    """Place a shaded band: the section's title on the left, words over an unnumbered column."""
    sizes, margin, right = cfg("type"), cfg("page")["margin"], cfg("grid")["right"]
    title_lines, heads, height = band_parts(flow, title, columns)
    rect = Rect(margin, flow.y, right - margin, height)
    flow.page.shapes.append(Shape("band", rect, BAND_GREY))
    bottom = rect.bottom - BAND_PADDING
    flow.page.texts.append(_bottom_aligned(margin + 1, bottom, title_lines, sizes["band"]))
    for _column, lines in heads:  # the last column: right-aligned with the boxes' edge
        flow.page.texts.append(_bottom_aligned(right, bottom, lines, sizes["heading"], "right"))
    flow.gap(height)


def legend(flow: Flow, columns: list[Column], width: float = 0.0) -> None:
    """Place what each number means, once on each page a scale is used, never cut mid-phrase."""
    key = _heading_key(columns)
    if key in flow.page.headed:
        return
    size, margin = cfg("type")["legend"], cfg("page")["margin"]
    right = margin + width if width else cfg("grid")["right"]
    units = [f"{c.value} = {c.label}" for c in columns if isinstance(c.value, int)]
    x, line = margin + 1, 0
    for unit in units:
        width = assets.width_mm(unit, False, size)
        if x + width > right and x > margin + 1:
            x, line = margin + 1, line + 1
        baseline = flow.y + assets.ascent_mm(size) + line * leading(size)
        flow.page.texts.append(Text(x, baseline, (unit,), size))
        x += width + LEGEND_GAP
    flow.gap(text_height(line + 1, size) + 1.2)
    flow.page.headed.add(key)


def legend_height(flow: Flow, columns: list[Column]) -> float:
    """Return the height the scale's legend takes on the page (none when shown already)."""
    if _heading_key(columns) in flow.page.headed:
        return 0.0
    size = cfg("type")["legend"]
    units = sum(assets.width_mm(f"{c.value} = {c.label}", False, size) for c in columns)
    lines = 1 + int((units + LEGEND_GAP * len(columns)) // (cfg("grid")["right"] - 12))
    return text_height(lines, size) + 1.2


def _heading_key(columns: list[Column]) -> tuple:
    """Return what tells two scales' legends apart (their numbered columns)."""
    return tuple((c.value, c.label) for c in columns if isinstance(c.value, int))
