"""Rebuild every score aggregate from the raw answers: one pass per questionnaire version.

The database hands over each response's cell (service point, month, source, mode) and its
answers, one column per question taken out of the JSON; numpy counts them into the cells a chunk
at a time (answer counts by slot, element scores, then the four sums of every pair of elements).
The month rollups are the cells summed by province and district, the quarters and years the
months summed: all in memory, then written in bulk (COPY on PostgreSQL). Writing a few hundred
thousand packed tallies, not tens of millions of rows, is what keeps ten million answers within
minutes. Memory grows with the cells: about 1 KB each.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import String, delete, literal_column, select, type_coerce

from satisfaction.extensions import db
from satisfaction.scoring.aggregates import scheme_by_id
from satisfaction.scoring.layout import Layout, layout_of
from satisfaction.scoring.models import ScoreCell, ScoreRollup
from satisfaction.scoring.periods import Span, span_start
from satisfaction.scoring.scheme import Scheme
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel

CHUNK = 20_000  # responses counted at a time
SOURCE = "CASE WHEN responses.is_poster THEN 'poster' ELSE responses.channel END"
CELL_COLUMNS = ("questionnaire_version_id", "service_point_id", "province_id", "district_id",
                "commune_id", "month", "source", "mode", "responses", "tally")  # fmt: skip
ROLLUP_COLUMNS = ("questionnaire_version_id", "unit_id", "unit_level", "province_id", "span",
                  "month", "source", "office_level", "responses", "tally")  # fmt: skip


@dataclass
class Sums:
    """Tallies of many groups at once: responses, answer counts and pair sums, one row a group."""

    layout: Layout
    responses: np.ndarray = field(init=False)
    counts: np.ndarray = field(init=False)
    moments: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.resize(0)

    def resize(self, rows: int) -> None:
        """Give room for rows groups (new ones empty)."""
        answers, pairs = len(self.layout.answers), len(self.layout.pairs)
        old = getattr(self, "counts", None)
        counts = np.zeros((rows, answers), np.int64)
        moments = np.zeros((rows, pairs, 4), np.float64)
        responses = np.zeros(rows, np.int64)
        if old is not None:
            kept = min(rows, len(old))
            counts[:kept], moments[:kept] = old[:kept], self.moments[:kept]
            responses[:kept] = self.responses[:kept]
        self.counts, self.moments, self.responses = counts, moments, responses

    def grouped(self, groups: np.ndarray, size: int) -> "Sums":
        """Return these rows summed by group (groups[i]: the group of row i, 0 to size - 1)."""
        found = Sums(self.layout)
        found.resize(size)
        if len(groups):
            order = np.argsort(groups, kind="stable")
            ordered = groups[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            into = ordered[starts]
            found.responses[into] = np.add.reduceat(self.responses[order], starts)
            found.counts[into] = np.add.reduceat(self.counts[order], starts, axis=0)
            found.moments[into] = np.add.reduceat(self.moments[order], starts, axis=0)
        return found

    def packed(self) -> list[bytes]:
        """Return each row's packed tally."""
        size = self.layout.dtype.itemsize
        if len(self.counts) and self.counts.max() > np.iinfo(np.int32).max:
            raise OverflowError("an answer count does not fit its packed tally")
        rows = np.zeros(len(self.counts), self.layout.dtype)
        rows["counts"], rows["moments"] = self.counts, self.moments
        raw = rows.tobytes()
        return [raw[i : i + size] for i in range(0, len(raw), size)]


@dataclass
class Counter:
    """Counts one version's responses into its cells, a chunk of responses at a time."""

    layout: Layout
    scheme: Scheme
    cells: dict[tuple, int] = field(default_factory=dict)  # (point, month, source, mode) -> row
    places: list[tuple] = field(default_factory=list)  # (province, district, commune) of each
    sums: Sums = field(init=False)

    def __post_init__(self) -> None:
        self.sums = Sums(self.layout)
        layout, scheme = self.layout, self.scheme
        self.questions = list(dict.fromkeys(question for question, _answer in layout.answers))
        # Each question's answers (as the database gives them, text or number) -> slot.
        self.lookups: list[dict[Any, int]] = [{} for _ in self.questions]
        column = {question: i for i, question in enumerate(self.questions)}
        score = np.full(len(layout.answers) + 1, np.nan)  # the last: no answer (slot -1)
        items = {item: element for element, keys in scheme.elements for item in keys}
        for slot, (question, answer) in enumerate(layout.answers):
            lookup = self.lookups[column[question]]
            lookup[answer] = slot
            if answer.lstrip("-").isdigit():
                lookup[int(answer)] = slot
            if question in items and scheme.item_scores.get(answer) is not None:
                score[slot] = scheme.item_scores[answer]
        self.score = score
        self.element_columns = {
            element: [column[item] for item in keys if item in column]
            for element, keys in scheme.elements
        }

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Count a chunk of (point, province, district, commune, day, source, mode, answers...)."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        points, provinces, districts, communes, days, sources, modes = columns[:7]
        cells, places = self.cells, self.places
        months: dict[date, date] = {}
        index = np.empty(len(rows), np.int64)
        for i, key in enumerate(zip(points, days, sources, modes, strict=True)):
            month = months.get(key[1]) or months.setdefault(key[1], key[1].replace(day=1))
            key = (key[0], month, key[2], key[3])
            row = cells.get(key)
            if row is None:
                row = cells[key] = len(places)
                places.append((provinces[i], districts[i], communes[i]))
            index[i] = row
        if len(places) > len(self.sums.counts):
            self.sums.resize(max(len(places), 2 * len(self.sums.counts)))
        codes = np.empty((len(rows), len(self.questions)), np.int64)
        for j, (values, lookup) in enumerate(zip(columns[7:], self.lookups, strict=True)):
            codes[:, j] = [lookup.get(value, -1) for value in values]
        self._count(index, codes)

    def _count(self, index: np.ndarray, codes: np.ndarray) -> None:
        """Add the chunk's answers (slots, -1 for none) to the cells index names."""
        rows, local = np.unique(index, return_inverse=True)
        answers = len(self.layout.answers)
        sums = self.sums
        sums.responses[rows] += np.bincount(local, minlength=len(rows))
        given = codes >= 0
        flat = np.broadcast_to(local[:, None], codes.shape)[given] * answers + codes[given]
        sums.counts[rows] += np.bincount(flat, minlength=len(rows) * answers).reshape(-1, answers)
        # Each respondent's score on each element: the mean of its scored items, 0 to 1.
        scores = {}
        for element, columns in self.element_columns.items():
            item = self.score[codes[:, columns]]
            scored = ~np.isnan(item)
            counted = scored.sum(axis=1)
            total = np.where(scored, item, 0.0).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                scores[element] = np.where(counted > 0, total / (100.0 * counted), np.nan)
        for p, (a, b) in enumerate(self.layout.pairs):
            sa, sb = scores[a], scores[b]
            both = ~(np.isnan(sa) | np.isnan(sb))
            sa, sb = np.where(both, sa, 0.0), np.where(both, sb, 0.0)
            for k, weights in enumerate((both.astype(np.float64), sa * sb, sa, sb)):
                sums.moments[rows, p, k] += np.bincount(local, weights, minlength=len(rows))


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every aggregate from the raw answers; return (responses, cells).

    progress, if given, is told of the responses as they are counted.
    """
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        # Answers recorded meanwhile wait, then add to the rebuilt figures: none lost or doubled.
        connection.exec_driver_sql("LOCK TABLE score_cells, score_rollups IN EXCLUSIVE MODE")
    db.session.execute(delete(ScoreCell))
    db.session.execute(delete(ScoreRollup))
    levels = dict(db.session.execute(select(ServicePoint.id, ServicePoint.level)).all())
    versions = db.session.scalars(select(Response.questionnaire_version_id).distinct()).all()
    responses = cells = 0
    for version in sorted(versions):
        counter = _count_version(version, progress)
        size = len(counter.places)
        counter.sums.resize(size)
        _write(ScoreCell.__tablename__, CELL_COLUMNS, _cell_rows(version, counter), postgres)
        rollups = _rollups(version, counter, levels)
        _write(ScoreRollup.__tablename__, ROLLUP_COLUMNS, rollups, postgres)
        responses += int(counter.sums.responses.sum())
        cells += size
    if postgres:
        connection.exec_driver_sql("ANALYZE score_cells, score_rollups")
    return responses, cells


def _count_version(version: int, progress: Callable[[int], None] | None) -> Counter:
    """Return the cells of one version's responses, counted."""
    counter = Counter(layout_of(version), scheme_by_id(version))
    answers = type_coerce(Response.__table__.c.answers, Response.answers.type)
    query = select(
        Response.service_point_id, Response.province_id, Response.district_id,
        Response.commune_id, Response.answered_on, literal_column(SOURCE, String),
        type_coerce(Response.__table__.c.mode, String),
        *(answers[question].as_string() for question in counter.questions),
    ).where(Response.questionnaire_version_id == version)  # fmt: skip
    result = db.session.execute(query, execution_options={"stream_results": True,
                                                          "yield_per": CHUNK})  # fmt: skip
    for rows in result.partitions():
        counter.add(rows)
        if progress is not None:
            progress(len(rows))
    return counter


def _cell_rows(version: int, counter: Counter) -> list[tuple]:
    """Return the rows of one version's cells, in the order of CELL_COLUMNS."""
    packed = counter.sums.packed()
    responses = counter.sums.responses.tolist()
    return [
        (version, point, *counter.places[i], month, source, mode, responses[i], packed[i])
        for (point, month, source, mode), i in counter.cells.items()
    ]


def _rollups(version: int, counter: Counter, levels: dict[int, UnitLevel]) -> list[tuple]:
    """Return the rows of one version's rollups (month, quarter, year; province and district)."""
    rows: list[tuple] = []
    for level, place in ((UnitLevel.PROVINCE, 0), (UnitLevel.DISTRICT, 1)):
        keys: dict[tuple, int] = {}
        groups = np.full(len(counter.places), -1, np.int64)
        for (point, month, source, _mode), i in counter.cells.items():
            places = counter.places[i]
            unit = places[place]
            if unit is None or places[0] is None:
                continue
            key = (unit, places[0], month, source, levels[point].value)
            groups[i] = keys.setdefault(key, len(keys))
        counted = groups >= 0
        part = Sums(counter.layout)
        part.resize(int(counted.sum()))
        part.responses[:] = counter.sums.responses[counted]
        part.counts[:] = counter.sums.counts[counted]
        part.moments[:] = counter.sums.moments[counted]
        months = part.grouped(groups[counted], len(keys))
        for span in Span:
            if span is Span.MONTH:
                spans, found = list(keys), months
            else:
                wider: dict[tuple, int] = {}
                starts = [(*key[:2], span_start(span, key[2]), *key[3:]) for key in keys]
                into = np.array([wider.setdefault(key, len(wider)) for key in starts], np.int64)
                spans, found = list(wider), months.grouped(into, len(wider))
            packed, responses = found.packed(), found.responses.tolist()
            rows += [
                (version, unit, level.value, province, span.value, start, source, office,
                 responses[i], packed[i])
                for i, (unit, province, start, source, office) in enumerate(spans)
            ]  # fmt: skip
    return rows


def _write(table: str, columns: Sequence[str], rows: list[tuple], postgres: bool) -> None:
    """Insert rows into an aggregate table: COPY on PostgreSQL, parameter sets on SQLite."""
    if not rows:
        return
    names = ", ".join(columns)
    if postgres:
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    db.session.connection().exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                            rows)  # fmt: skip
