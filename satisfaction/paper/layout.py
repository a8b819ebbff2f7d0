"""Lay out a questionnaire on A4 pages: pure geometry from its definition and print/layout.toml."""

import dataclasses
from dataclasses import dataclass

from satisfaction.paper import assets, header
from satisfaction.paper.flow import (
    Flow,
    cfg,
    column_centre,
    leading,
    markers,
    qr_square,
    text_height,
    wrap,
)
from satisfaction.paper.geometry import Box, Layout, Page, Rect, Shape, Text
from satisfaction.questionnaires.definition import Questionnaire, Scale
from satisfaction.questionnaires.types import NA

BAND_GREY = 0.86
ZEBRA_GREY = 0.94
RULE_GREY = 0.55
BAND_PADDING = 1.0
KEEP_ROWS = 2  # a section's title starts a page rather than stand above fewer rows
INSTRUCTION_KEPT = 45  # the scale's instruction needs this much room below it (mm)


@dataclass(frozen=True)
class Column:
    """An answer column: where it is, the value a mark in it means, the words above it."""

    index: int
    value: int | str
    label: str


@dataclass(frozen=True)
class Row:
    """A question answered by one box per value: its key, its words and its values."""

    key: str
    text: str
    values: tuple[int | str, ...]


def scale_columns(scale: Scale, locale: str, with_na: bool, right_aligned: bool) -> list[Column]:
    """Return the columns of a scale: values in display order, then "not applicable"."""
    count = cfg("grid")["columns"]
    first = count - len(scale.choices) if right_aligned else 0
    columns = [
        Column(first + i, choice.value, choice.label.text(locale))
        for i, choice in enumerate(scale.choices)
    ]
    if with_na and scale.not_applicable:
        columns.append(Column(count - 1, NA, scale.not_applicable.text(locale)))
    if len({c.index for c in columns}) != len(columns) or not columns[0].index >= 0:
        raise ValueError(f"the {scale.key} scale does not fit in {count} answer columns")
    return columns


def _text_right(columns: list[Column]) -> float:
    """Return where text must stop to stay clear of the leftmost box of these columns."""
    grid = cfg("grid")
    first = min(column.index for column in columns)
    return column_centre(first) - grid["box"] / 2 - grid["text_gap"]


def _text_left() -> float:
    return cfg("page")["margin"] + cfg("grid")["number_width"]


def _band_parts(
    flow: Flow, title: str, columns: list[Column]
) -> tuple[tuple[str, ...], list[tuple[str, ...]], float]:
    """Return the band's title lines, the columns' heading lines (none when the page already
    shows these columns' headings), and the band's height."""
    sizes, grid = cfg("type"), cfg("grid")
    heads = []
    if _heading_key(columns) not in flow.page.headed:
        heads = [wrap(c.label, grid["pitch"] - 1, sizes["heading"], bold=True) for c in columns]
    width = _text_right(columns) - cfg("page")["margin"] - 1
    title_lines = wrap(title, width, sizes["band"], bold=True)
    height = max(
        text_height(max((len(lines) for lines in heads), default=1), sizes["heading"]),
        text_height(len(title_lines), sizes["band"]),
    )
    return title_lines, heads, height + 2 * BAND_PADDING


def _heading_key(columns: list[Column]) -> tuple:
    return tuple((c.index, c.value, c.label) for c in columns)


def _bottom_aligned(
    x: float, bottom: float, lines: tuple[str, ...], size: float, align: str = "left"
) -> Text:
    """Return bold text whose last line's descenders end at bottom."""
    last = bottom - assets.descent_mm(size)
    return Text(x, last - (len(lines) - 1) * leading(size), lines, size, True, align)


def _band(flow: Flow, title: str, columns: list[Column]) -> None:
    """Place a shaded band: the section's title on the left, the scale's words above the boxes."""
    sizes, margin = cfg("type"), cfg("page")["margin"]
    title_lines, heads, height = _band_parts(flow, title, columns)
    rect = Rect(margin, flow.y, cfg("grid")["right"] - margin, height)
    flow.page.shapes.append(Shape("band", rect, BAND_GREY))
    bottom = rect.bottom - BAND_PADDING
    flow.page.texts.append(_bottom_aligned(margin + 1, bottom, title_lines, sizes["band"]))
    for column, lines in zip(columns, heads, strict=False):
        centre = column_centre(column.index)
        flow.page.texts.append(_bottom_aligned(centre, bottom, lines, sizes["heading"], "centre"))
    flow.page.headed.add(_heading_key(columns))
    flow.gap(height)


def _row_lines(row: Row, columns: list[Column]) -> tuple[str, ...]:
    return wrap(row.text, _text_right(columns) - _text_left(), cfg("type")["question"])


def _row_height(lines: int) -> float:
    grid = cfg("grid")
    body = text_height(lines, cfg("type")["question"])
    return max(grid["row_min"], body + 2 * grid["row_padding"])


def _row(flow: Flow, row: Row, columns: list[Column], shaded: bool) -> None:
    """Place one question: its number, its words and a box per value, centred on the row."""
    size, grid, margin = cfg("type")["question"], cfg("grid"), cfg("page")["margin"]
    lines = _row_lines(row, columns)
    height = _row_height(len(lines))
    centre = flow.y + height / 2
    if shaded:
        rect = Rect(margin, flow.y, grid["right"] - margin, height)
        flow.page.shapes.append(Shape("band", rect, ZEBRA_GREY))
    baseline = centre - text_height(len(lines), size) / 2 + assets.ascent_mm(size)
    number = f"{flow.next_number()}."
    flow.page.texts.append(Text(_text_left() - 1.2, baseline, (number,), size, align="right"))
    flow.page.texts.append(Text(_text_left(), baseline, lines, size))
    half = grid["box"] / 2
    by_value = {column.value: column for column in columns}
    for value in row.values:
        x = column_centre(by_value[value].index)
        rect = Rect(x - half, centre - half, grid["box"], grid["box"])
        flow.page.boxes.append(Box(row.key, value, rect))
    flow.gap(height)


def _section(
    flow: Flow, q: Questionnaire, title: str, columns: list[Column], rows: list[Row], note: str = ""
) -> None:
    """Place a band, an optional note and the rows; a row that does not fit starts a page."""
    sizes = cfg("type")
    width = cfg("grid")["right"] - _text_left()  # no box beside a note: it may run across
    note_lines = len(wrap(note, width, sizes["body"]))
    note_height = text_height(note_lines, sizes["body"]) + 2 if note else 0
    band = _band_parts(flow, title, columns)[2]
    kept = sum(_row_height(len(_row_lines(row, columns))) for row in rows[:KEEP_ROWS])
    if flow.room < band + note_height + kept:
        _new_page(flow, q)
    _band(flow, title, columns)
    if note:
        flow.gap(1)
        flow.text(_text_left(), width, note, sizes["body"])
        flow.gap(1)
    for index, row in enumerate(rows):
        if flow.room < _row_height(len(_row_lines(row, columns))):
            _new_page(flow, q)
            _band(flow, f"{title} {assets.text('continued', flow.locale)}", columns)
        _row(flow, row, columns, shaded=index % 2 == 1)
    flow.gap(2.5)


def _new_page(flow: Flow, q: Questionnaire) -> None:
    flow.start_page()
    header.continuation_page(flow, q)


def _satisfaction(flow: Flow, q: Questionnaire) -> None:
    """Place the instruction, then each element with its items."""
    sizes, margin = cfg("type"), cfg("page")["margin"]
    if flow.room < INSTRUCTION_KEPT:
        _new_page(flow, q)
    instruction = q.satisfaction_scale.instruction.text(flow.locale)
    flow.text(margin, cfg("grid")["right"] - margin, instruction, sizes["band"], bold=True)
    flow.gap(2)
    for element in q.elements:
        with_na = any(item.allow_na for item in element.items)
        columns = scale_columns(q.satisfaction_scale, flow.locale, with_na, right_aligned=False)
        values = q.satisfaction_scale.values
        rows = [
            Row(item.key, item.text.text(flow.locale), values + ((NA,) if item.allow_na else ()))
            for item in element.items
        ]
        note = element.note.text(flow.locale) if element.note else ""
        _section(flow, q, element.title.text(flow.locale), columns, rows, note)


def _expectations(flow: Flow, q: Questionnaire) -> None:
    """Place the expectations, right-aligned under their own band."""
    if not q.expectations or not q.expectation_scale:
        return
    scale = q.expectation_scale
    columns = scale_columns(scale, flow.locale, with_na=False, right_aligned=True)
    rows = [Row(e.key, e.text.text(flow.locale), scale.values) for e in q.expectations]
    _section(flow, q, scale.instruction.text(flow.locale), columns, rows)


def _comment(flow: Flow, q: Questionnaire) -> None:
    """Place the comment prompt and a ruled box filling the page, above the closing line."""
    if not q.comment:
        return
    sizes, margin, settings = cfg("type"), cfg("page")["margin"], cfg("comment")
    width = cfg("grid")["right"] - margin
    prompt = f"{flow.number + 1}. {q.comment.prompt.text(flow.locale)}"
    closing = header.thanks_height(flow.locale)
    prompt_height = text_height(len(wrap(prompt, width, sizes["band"], True)), sizes["band"])
    if flow.room < prompt_height + 2 + settings["min_height"] + closing:
        _new_page(flow, q)
    flow.number += 1
    flow.text(margin, width, prompt, sizes["band"], bold=True)
    flow.gap(2)
    spacing = settings["rule_spacing"]
    height = flow.room - closing
    box = Rect(margin, flow.y, width, height)
    flow.page.shapes.append(Shape("frame", box))
    for k in range(1, int((height - 2) // spacing) + 1):
        y = box.y + k * spacing
        flow.page.shapes.append(Shape("rule", Rect(box.x + 3, y, box.w - 6, 0), RULE_GREY))
    flow.comment_box = (flow.page.number, box)
    flow.gap(height)


def layout_for(questionnaire: Questionnaire, locale: str = "vi") -> Layout:
    """Return the printed form's layout: markers, QR square, boxes and texts of every page."""
    flow = Flow(locale)
    flow.start_page()
    header.first_page(flow, questionnaire)
    _satisfaction(flow, questionnaire)
    _expectations(flow, questionnaire)
    _comment(flow, questionnaire)
    if flow.room < header.thanks_height(locale):
        _new_page(flow, questionnaire)
    header.thanks(flow)
    return _finish(flow, questionnaire, locale)


def _finish(flow: Flow, q: Questionnaire, locale: str) -> Layout:
    """Freeze the pages, fingerprint their geometry, and add the footers that print it."""
    pages = tuple(
        Page(
            d.number,
            markers(),
            qr_square(),
            tuple(d.boxes),
            tuple(d.texts),
            tuple(d.shapes),
            tuple(d.slots),
        )
        for d in flow.drafts
    )
    page_size = (cfg("page")["width"], cfg("page")["height"])
    rule = assets.wording()["marking_rule"]
    layout = Layout(q.key, q.version, locale, pages, rule, flow.comment_box, page_size)
    fingerprint = layout.compute_fingerprint()
    pages = tuple(
        dataclasses.replace(
            page, texts=page.texts + header.footer(page.number, len(pages), q, fingerprint, locale)
        )
        for page in pages
    )
    return dataclasses.replace(layout, pages=pages, fingerprint=fingerprint)
