"""Lay out a questionnaire on A4 pages: pure geometry from its definition and print/layout.toml."""

import dataclasses
from dataclasses import dataclass

from satisfaction.paper import assets, header
from satisfaction.paper.flow import (
    Flow,
    cfg,
    column_centre,
    markers,
    qr_square,
    text_height,
    wrap,
)
from satisfaction.paper.geometry import PT, Box, Layout, Page, Rect, Shape, Text
from satisfaction.paper.scales import (
    Column,
    band,
    band_parts,
    legend,
    legend_height,
    scale_columns,
    text_left,
    text_right,
)
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.types import NA

ZEBRA_GREY = 0.94
RULE_GREY = 0.78  # light enough not to count as ink when the comment box is read back
DIGIT_HEIGHT = 0.714  # the height of a digit as a share of the font size
KEEP_ROWS = 2  # a section's title starts a page rather than stand above fewer rows
INSTRUCTION_KEPT = 45  # the scale's instruction needs this much room below it (mm)


@dataclass(frozen=True)
class Row:
    """A question answered by one box per value: its key, its words and its values."""

    key: str
    text: str
    values: tuple[int | str, ...]


def _row_lines(row: Row, columns: list[Column]) -> tuple[str, ...]:
    return wrap(row.text, text_right(columns) - text_left(), cfg("type")["question"])


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
    flow.page.texts.append(Text(text_left() - 0.9, baseline, (number,), size, align="right"))
    flow.page.texts.append(Text(text_left(), baseline, lines, size))
    half, digit = grid["box"] / 2, cfg("type")["digit"]
    by_value = {column.value: column for column in columns}
    for value in row.values:
        x = column_centre(by_value[value].index)
        rect = Rect(x - half, centre - half, grid["box"], grid["box"])
        flow.page.boxes.append(Box(row.key, value, rect))
        if isinstance(value, int):  # its number on its left, level with the box's middle
            digit_baseline = centre + DIGIT_HEIGHT * digit * PT / 2
            right = rect.x - grid["digit_gap"]
            flow.page.texts.append(Text(right, digit_baseline, (str(value),), digit, True, "right"))
    flow.gap(height)


def _section(
    flow: Flow, q: Questionnaire, title: str, columns: list[Column], rows: list[Row], note: str = ""
) -> None:
    """Place a band, an optional note and the rows; a row that does not fit starts a page."""
    sizes = cfg("type")
    width = cfg("grid")["right"] - text_left()  # no box beside a note: it may run across
    note_lines = len(wrap(note, width, sizes["body"]))
    note_height = text_height(note_lines, sizes["body"]) + 2 if note else 0
    above = band_parts(flow, title, columns)[2] + legend_height(flow, columns)
    kept = sum(_row_height(len(_row_lines(row, columns))) for row in rows[:KEEP_ROWS])
    if flow.room < above + note_height + kept:
        _new_page(flow, q, columns)
    legend(flow, columns)
    band(flow, title, columns)
    if note:
        flow.gap(1)
        flow.text(text_left(), width, note, sizes["body"])
        flow.gap(1)
    for index, row in enumerate(rows):
        if flow.room < _row_height(len(_row_lines(row, columns))):
            _new_page(flow, q, columns)
            band(flow, f"{title} {assets.text('continued', flow.locale)}", columns)
        _row(flow, row, columns, shaded=index % 2 == 1)
    flow.gap(1.2)


def _new_page(flow: Flow, q: Questionnaire, columns: list[Column] | None = None) -> None:
    """Start a page: its header, and the legend of the scale going on, beside the QR code."""
    flow.start_page()
    header.continuation_page(flow, q)
    if columns:
        flow.gap(1.5)
        legend(flow, columns, header.text_width(flow))
    header.below_qr(flow)


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
        columns = scale_columns(q.satisfaction_scale, flow.locale, with_na)
        values = q.satisfaction_scale.values
        rows = [
            Row(item.key, item.text.text(flow.locale), values + ((NA,) if item.allow_na else ()))
            for item in element.items
        ]
        note = element.note.text(flow.locale) if element.note else ""
        _section(flow, q, element.title.text(flow.locale), columns, rows, note)


def _expectations(flow: Flow, q: Questionnaire) -> None:
    """Place the expectations under their own band, numbered like the satisfaction scale."""
    if not q.expectations or not q.expectation_scale:
        return
    scale = q.expectation_scale
    columns = scale_columns(scale, flow.locale, with_na=False)
    values = tuple(sorted(scale.values))
    rows = [Row(e.key, e.text.text(flow.locale), values) for e in q.expectations]
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
    if flow.room < header.thanks_height(locale) - 1e-6:  # the comment box left just this
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
