"""Score tables as CSV and XLSX (design: the Score CSV contract)."""

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from satisfaction.audit import services as audit
from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import utcnow
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.scoring.attention import Concern
from satisfaction.scoring.models import OFFICIAL, Source
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.services import (
    Figure,
    Query,
    level_scores,
    min_n,
    period_of,
    scheme_and_versions,
)
from satisfaction.units.queries import get_dataset, get_unit, parse_level

FIXED_COLUMNS = ("unit_code", "unit_name", "level", "period", "n", "index", "ci_low", "ci_high")


def _number(value: float | None) -> str:
    """Return a percentage with two decimals, or empty for a figure not published."""
    return "" if value is None else f"{value:.2f}"


def score_table(figures: Sequence[Figure], period: str, elements: Sequence[str]
                ) -> tuple[list[str], list[list[str]]]:  # fmt: skip
    """Return the header and rows of a score table: one row a unit, one column an element."""
    header = [*FIXED_COLUMNS, *elements]
    rows = []
    for figure in figures:
        index = figure.scores.index
        shown = figure.enough
        row = [figure.code, figure.name, figure.level, period, str(figure.n),
               _number(index.value if shown else None), _number(index.low if shown else None),
               _number(index.high if shown else None)]  # fmt: skip
        row += [_number(figure.scores.elements[key].value if shown else None) for key in elements]
        rows.append(row)
    return header, rows


FIELD_COLUMNS = ("field_code", "field_name", "period", "n", "rank", "index", "ci_low", "ci_high")


def field_table(figures: Sequence[Figure], period: str, elements: Sequence[str]
                ) -> tuple[list[str], list[list[str]]]:  # fmt: skip
    """Return the header and rows of a unit's table by field: one row a field ("" unknown)."""
    header, units = score_table(figures, period, elements)
    rows = [[row[0], row[1], period, row[4], str(figure.rank or ""), *row[5:]]
            for figure, row in zip(figures, units, strict=True)]  # fmt: skip
    return [*FIELD_COLUMNS, *header[len(FIXED_COLUMNS) :]], rows


def attention_table(found: Sequence[Concern], period: str) -> list[list[str]]:
    """Return the rows of the attention list: each unit, its index, and why it is listed."""

    def cells(d) -> list[str]:
        return [_number(getattr(d, k)) if d else "" for k in ("value", "low", "high")]

    return [[c.figure.code, c.figure.name, c.figure.level, period, str(c.figure.n),
             _number(c.figure.scores.index.value), *cells(c.below_nation), *cells(c.fallen)]
            for c in found]  # fmt: skip


POINT_COLUMNS = ("rank", "point_code", "point_name", "unit_code", "unit_name", "period", "n",
                 "index", "ci_low", "ci_high", "change", "change_low", "change_high")  # fmt: skip


def point_table(lines: Sequence, period: str, elements: Sequence[str]
                ) -> tuple[list[str], list[list[str]]]:  # fmt: skip
    """Return the header and rows of the service points' table: each desk, its unit, its figure.

    lines: the points with their figure, change, unit code and unit name (dashboard.points).
    """
    header = [*POINT_COLUMNS, *elements]
    rows = []
    for line in lines:
        figure, moved, shown = line.figure, line.change, line.figure.enough
        index = figure.scores.index
        moves = [_number(getattr(moved, k)) if moved else "" for k in ("value", "low", "high")]
        row = [str(figure.rank or ""), figure.code, figure.name, line.unit_code, line.unit_name,
               period, str(figure.n), _number(index.value if shown else None),
               _number(index.low if shown else None), _number(index.high if shown else None),
               *moves]  # fmt: skip
        row += [_number(figure.scores.elements[key].value if shown else None) for key in elements]
        rows.append(row)
    return header, rows


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return a table as CSV text (UTF-8 when written, comma-separated, one header line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[str]],
            about: Sequence[tuple[str, str]], numeric: Sequence[int] = ()) -> bytes:  # fmt: skip
    """Return a workbook: the table, then a sheet saying what it covers.

    The columns at the positions numeric hold numbers, stored as numbers (a count as a whole
    number, a figure with two decimals); the header row stays in view; each column is as wide
    as what it holds (within reason).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scores")
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    numbers = set(numeric)
    for row in rows:
        sheet.append([_cell(value, i in numbers) for i, value in enumerate(row)])
    for i in numbers:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
            elif isinstance(cell.value, int):
                cell.number_format = "0"
    _fit(sheet, [list(header), *rows])
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("About"))
    for label, value in about:
        notes.append([label, value])
    _fit(notes, [list(line) for line in about])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fit(sheet, lines: Sequence[Sequence[str]]) -> None:
    """Make each column of a sheet as wide as its longest text, between 6 and 60 characters."""
    widths: dict[int, int] = {}
    for line in lines:
        for i, value in enumerate(line):
            widths[i] = max(widths.get(i, 0), len(str(value)))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(60, max(6, width + 2))


def _cell(value: str, numeric: bool) -> object:
    if value == "":
        return None
    if not numeric:
        return value
    try:
        return float(value) if "." in value else int(value)
    except ValueError:  # a figure not published is written as text, never a failure
        return value


def for_people(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """Return a table as CSV for people: UTF-8 with a byte order mark, which Excel needs to read
    Vietnamese letters right (the CLI and the API keep the plain UTF-8 of the contract)."""
    return to_csv(header, rows).encode("utf-8-sig")


def titles(header: Sequence[str], elements: Mapping[str, str]) -> list[str]:
    """Return the column titles of a table for people, in their language (elements by name)."""
    return [str(COLUMN_TITLES[name]) if name in COLUMN_TITLES else elements.get(name, name)
            for name in header]  # fmt: skip


COLUMN_TITLES = {
    "unit_code": _l("Unit code"),
    "rank": _l("Rank"),
    "point_code": _l("Service point code"),
    "point_name": _l("Service point"),
    "unit_name": _l("Unit"),
    "level": _l("Level"),
    "period": _l("Period"),
    "n": _l("Answers (n)"),
    "index": _l("Satisfaction index"),
    "ci_low": _l("%(share)s%% interval: low", share=95),
    "ci_high": _l("%(share)s%% interval: high", share=95),
    "field_code": _l("Field code"),
    "field_name": _l("Field of the procedures"),
    "kind": _l("Kind"),
    "key": _l("Key"),
    "label": _l("Question or element"),
    "value": _l("Score"),
    "below_nation": _l("Below the national index (points)"),
    "below_low": _l("Below the nation, %(share)s%% interval: low", share=95),
    "below_high": _l("Below the nation, %(share)s%% interval: high", share=95),
    "change": _l("Change since the previous period (points)"),
    "change_low": _l("Change, %(share)s%% interval: low", share=95),
    "change_high": _l("Change, %(share)s%% interval: high", share=95),
}
NUMERIC_COLUMNS = ("rank", "n", "index", "ci_low", "ci_high", "value", "below_nation",
                   "below_low", "below_high", "change", "change_low", "change_high")  # fmt: skip
ATTENTION_COLUMNS = ["unit_code", "unit_name", "level", "period", "n", "index", "below_nation",
                     "below_low", "below_high", "change", "change_low", "change_high"]  # fmt: skip
# Values of a table for people, in their language (the CLI and API keep the codes).
VALUE_TITLES = {
    "level": {"province": _l("province"), "district": _l("district"), "commune": _l("commune")},
    "kind": {"index": _l("index"), "element": _l("element"), "item": _l("question"),
             "expectation": _l("expectation")},
}  # fmt: skip


def people_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Return the rows of a table with its coded values (level, kind) in the reader's words."""
    coded = {i: VALUE_TITLES[name] for i, name in enumerate(header) if name in VALUE_TITLES}
    return [[str(coded[i].get(value, value)) if i in coded else value
             for i, value in enumerate(row)] for row in rows]  # fmt: skip


def about_rows(period: str, rule: str, min_n: int, sources: Sequence[str], dataset: str,
               questionnaire: str, now: datetime) -> list[tuple[str, str]]:  # fmt: skip
    """Return the lines of the sheet that says what an export covers."""
    return [
        (_("Period"), period or _("all dates")),
        (_("Rule"), rule),
        (_("MIN_N"), str(min_n)),
        (_("Exported on"), now.strftime("%Y-%m-%d %H:%M UTC")),
        (_("Channels"), ", ".join(sources)),
        (_("Units"), dataset),
        (_("Questionnaire"), questionnaire),
    ]


CHANNEL_MIXES = {
    "official": OFFICIAL,
    "poster": (Source.POSTER,),
    "all": tuple(Source),
}


def rule_text(scheme: Scheme, questionnaire: Questionnaire) -> str:
    """Return how the item index is computed, in words."""
    scoring = questionnaire.scoring
    if scheme.rule == "top-two":
        rule = _("share of counted answers at %(values)s, in percent",
                 values=", ".join(str(v) for v in scoring.positive))  # fmt: skip
    else:
        rule = _("mean answer rescaled from 0 to 100")
    left_out = ", ".join(scoring.exclude) or "-"
    return _("%(rule)s; left out: %(left_out)s; element = mean of items; index = mean of elements",
             rule=rule, left_out=left_out)  # fmt: skip


def export_level(level: str, period_text: str | None, fmt: str, dataset_name: str | None = None,
                 channels: str = "official", parent_code: str | None = None) -> bytes:  # fmt: skip
    """Return the score table of every unit of a level (within a unit) as CSV or XLSX bytes."""
    chosen = parse_level(level)
    if chosen is None:
        raise InputError(Problem("level", _("a level is required")))
    dataset = get_dataset(dataset_name)
    query = Query(period_of(period_text), CHANNEL_MIXES[channels])
    parent = get_unit(parent_code, dataset.name) if parent_code else None
    figures = level_scores(dataset, chosen, query, parent)
    scheme, _versions = scheme_and_versions(query)
    header, rows = score_table(figures, query.period.label, scheme.element_keys)
    audit.record("scores.export", parent_code or level, level=level, format=fmt,
                 period=query.period.label, channels=channels, dataset=dataset.name)  # fmt: skip
    if fmt == "csv":
        return to_csv(header, rows).encode("utf-8")
    questionnaire = get_questionnaire(current_app.config["DEFAULT_QUESTIONNAIRE"])
    about = about_rows(query.period.label, rule_text(scheme, questionnaire), min_n(),
                       [s.value for s in query.sources], dataset.name,
                       f"{questionnaire.key} v{questionnaire.version}", utcnow())  # fmt: skip
    numeric = [i for i, name in enumerate(header) if name not in FIXED_COLUMNS[:4]]
    return to_xlsx(header, rows, about, numeric)
