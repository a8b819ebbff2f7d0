"""Tallies of many responses at once, counted by numpy: the cells and rollups they make.

A Counter takes responses as their cell (service point, month, source, mode, field), their units and
their answers as one character per question (the position of the answer among the question's
answers in the version's layout, '0' for none), and sums them into one row per cell: answer
counts by slot, then the four sums of every pair of elements. aggregate_rows() returns the rows
to write: the cells, and their rollups by unit, by service point and by field. The full rebuild
counts every response this way, and so does the ballot box's mixer for each batch, so that both
give the same figures.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import numpy as np

from satisfaction.scoring.layout import Layout
from satisfaction.scoring.periods import Span, span_start
from satisfaction.scoring.scheme import Scheme
from satisfaction.units.models import UnitLevel

MOST_CHOICES = 70  # answers a question may have: each is one character, '1' onwards
CELL_COLUMNS = ("questionnaire_version_id", "service_point_id", "province_id", "district_id",
                "commune_id", "month", "source", "mode", "field_code", "responses",
                "tally")  # fmt: skip
ROLLUP_COLUMNS = ("questionnaire_version_id", "unit_id", "unit_level", "province_id", "span",
                  "month", "source", "office_level", "responses", "tally")  # fmt: skip
POINT_ROLLUP_COLUMNS = ("questionnaire_version_id", "service_point_id", "province_id",
                        "district_id", "commune_id", "span", "month", "source", "responses",
                        "tally")  # fmt: skip
FIELD_ROLLUP_COLUMNS = ("questionnaire_version_id", "province_id", "span", "month", "source",
                        "field_code", "responses", "tally")  # fmt: skip
# The columns of each aggregate table's rows, in the order of models.AGGREGATE_GRAINS.
AGGREGATE_COLUMNS = (CELL_COLUMNS, ROLLUP_COLUMNS, POINT_ROLLUP_COLUMNS, FIELD_ROLLUP_COLUMNS)
CELL_MONTH = CELL_COLUMNS.index("month")  # where a cell's row holds its month
# The spans of the rollups of units and of service points: a page over all dates reads one row
# a unit or desk (Span.ALL), not one a year. The fields' rollups (a few rows a province) have no
# span over all dates: a page reads their years.
SPANS = tuple(Span)
FIELD_SPANS = (Span.MONTH, Span.QUARTER, Span.YEAR)


def plain(value: Any) -> Any:
    """Return a value as the database stores it (an enum as its value)."""
    return value.value if isinstance(value, Enum) else value


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
    # (point, month, source, mode, field) -> row
    cells: dict[tuple, int] = field(default_factory=dict)
    places: list[tuple] = field(default_factory=list)  # (province, district, commune) of each
    sums: Sums = field(init=False)

    def __post_init__(self) -> None:
        self.sums = Sums(self.layout)
        layout, scheme = self.layout, self.scheme
        self.questions = list(dict.fromkeys(question for question, _answer in layout.answers))
        column = {question: i for i, question in enumerate(self.questions)}
        # Each question's answers, in layout order: the database gives the position of the
        # answer among them as one character ('1' for the first; '0' for none or another).
        self.choices: list[list[str]] = [[] for _ in self.questions]
        score = np.full(len(layout.answers) + 1, np.nan)  # the last: no answer (slot -1)
        items = {item for _element, keys in scheme.elements for item in keys}
        for slot, (question, answer) in enumerate(layout.answers):
            self.choices[column[question]].append(answer)
            if question in items and scheme.item_scores.get(answer) is not None:
                score[slot] = scheme.item_scores[answer]
        if max(map(len, self.choices), default=0) > MOST_CHOICES:
            raise ValueError("a question has too many answers to rebuild its counts")
        # slots[question, position]: the slot of an answer; position 0 (no answer): -1.
        self.slots = np.full((len(self.questions), MOST_CHOICES + 1), -1, np.int64)
        for slot, (question, answer) in enumerate(layout.answers):
            j = column[question]
            self.slots[j, 1 + self.choices[j].index(answer)] = slot
        self.score = score
        self.positions = [
            (question, {answer: chr(ord("1") + i) for i, answer in enumerate(choices)})
            for question, choices in zip(self.questions, self.choices, strict=True)
        ]
        self.element_columns = {
            element: [column[item] for item in keys if item in column]
            for element, keys in scheme.elements
        }

    def codes_sql(self, value: Callable[[str], str]) -> str:
        """Return the SQL of a response's answers as one character per question (see choices)."""
        parts = []
        for question, choices in zip(self.questions, self.choices, strict=True):
            whens = " ".join(f"WHEN {sql_literal(answer)} THEN '{chr(ord('1') + i)}'"
                             for i, answer in enumerate(choices))  # fmt: skip
            parts.append(f"(CASE {value(question)} {whens} ELSE '0' END)")
        return " || ".join(parts) if parts else "''"

    def codes_of(self, answers: Mapping[str, object]) -> str:
        """Return a response's answers as one character per question, as codes_sql() does."""
        found = []
        for question, positions in self.positions:
            value = answers.get(question)
            found.append("0" if value is None or value == "" else positions.get(str(value), "0"))
        return "".join(found)

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Count a chunk of (point, province, district, commune, month, source, mode, field,
        codes)."""
        if not rows:
            return
        points, provinces, districts, communes, months, sources, modes, fields, codes = zip(
            *rows, strict=True
        )
        cells, places = self.cells, self.places
        index = np.empty(len(rows), np.int64)
        for i, key in enumerate(zip(points, months, sources, modes, fields, strict=True)):
            row = cells.get(key)
            if row is None:
                row = cells[key] = len(places)
                places.append((provinces[i], districts[i], communes[i]))
            index[i] = row
        if len(places) > len(self.sums.counts):
            self.sums.resize(max(len(places), 2 * len(self.sums.counts)))
        questions = len(self.questions)
        positions = np.frombuffer("".join(codes).encode("ascii"), np.uint8)
        positions = positions.reshape(len(rows), questions).astype(np.int64) - ord("0")
        self._count(index, self.slots[np.arange(questions), positions])

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


def aggregate_rows(version: int, counter: Counter, levels: dict[int, UnitLevel],
                   through: date | None = None) -> tuple[list[tuple], ...]:  # fmt: skip
    """Return the rows of one version's aggregates, in the order of AGGREGATE_COLUMNS.

    The districts' and the service points' rollups count only the cells of months up to
    through (all, if None): the later ones wait in the cells until they are rolled
    (satisfaction.scoring.rolling). The provinces' rollups and the fields' count every month.
    """
    return (cell_rows(version, counter), *rollups_of(version, counter, levels, through))


def rollups_of(version: int, counter: Counter, levels: dict[int, UnitLevel],
               through: date | None = None) -> tuple[list[tuple], ...]:  # fmt: skip
    """Return the rows of one version's three rollup tables: the provinces' and the fields' of
    every month, the districts' and the service points' of the months up to through."""
    return (rollup_rows(version, counter, levels, through),
            point_rollup_rows(version, counter, through),
            field_rollup_rows(version, counter))  # fmt: skip


def deferred_rollups_of(version: int, counter: Counter, levels: dict[int, UnitLevel]
                        ) -> tuple[list[tuple], ...]:  # fmt: skip
    """Return the rows of one version's three rollup tables that wait for their month to be
    rolled (the districts' and the service points'; none of the provinces' or fields')."""
    return (rollup_rows(version, counter, levels, levels_of=(UnitLevel.DISTRICT,)),
            point_rollup_rows(version, counter), [])  # fmt: skip


def counter_of_cells(counter: Counter, rows: Sequence[Sequence[Any]]) -> Counter:
    """Return a counter holding stored cells of its version (rows in CELL_COLUMNS' order, their
    values plain: enums as values), as if it had counted their responses."""
    if not rows:
        return counter
    for row in rows:
        (_version, point, province, district, commune, month, source, mode, field_code,
         *_counted) = row  # fmt: skip
        key = (point, month.isoformat(), source, mode, field_code)
        counter.cells[key] = len(counter.places)
        counter.places.append((province, district, commune))
    sums = counter.sums
    sums.resize(len(counter.places))
    packed = counter.layout.read([row[-1] for row in rows])
    sums.responses[:] = [row[-2] for row in rows]
    sums.counts[:], sums.moments[:] = packed["counts"], packed["moments"]
    return counter


def cell_rows(version: int, counter: Counter) -> list[tuple]:
    """Return the rows of one version's cells, in the order of CELL_COLUMNS."""
    packed = counter.sums.packed()
    responses = counter.sums.responses.tolist()
    months = _months(counter)
    return [
        (version, point, *counter.places[i], months[month], *rest, responses[i], packed[i])
        for (point, month, *rest), i in counter.cells.items()
    ]


def _months(counter: Counter) -> dict[str, date]:
    """Return the first days of the months of a counter's cells, by their text."""
    return {text: date.fromisoformat(text) for text in {key[1] for key in counter.cells}}


ROLLUP_PLACES = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1}  # the rollups' unit levels


def rollup_rows(version: int, counter: Counter, levels: dict[int, UnitLevel],
                through: date | None = None,
                levels_of: tuple[UnitLevel, ...] = tuple(ROLLUP_PLACES)
                ) -> list[tuple]:  # fmt: skip
    """Return the rows of one version's rollups (SPANS) of the unit levels asked (province and
    district): the provinces' of every month, the districts' up to through."""
    rows: list[tuple] = []
    for level in levels_of:
        place = ROLLUP_PLACES[level]
        upto = None if level == UnitLevel.PROVINCE else through

        def key(cell: tuple, places: tuple, place: int = place) -> tuple | None:
            point, _month, source, *_rest = cell
            if places[place] is None or places[0] is None:
                return None
            return (places[place], places[0], source, levels[point].value)

        rows += [
            (version, unit, level.value, province, span.value, start, source, office, n, tally)
            for span, start, (unit, province, source, office), n, tally
            in _spans(counter, key, upto)
        ]  # fmt: skip
    return rows


def point_rollup_rows(version: int, counter: Counter, through: date | None = None
                      ) -> list[tuple]:  # fmt: skip
    """Return the rows of one version's rollups by service point (SPANS)."""

    def key(cell: tuple, places: tuple) -> tuple:
        point, _month, source, *_rest = cell
        return (point, *places, source)

    return [
        (version, point, province, district, commune, span.value, start, source, n, tally)
        for span, start, (point, province, district, commune, source), n, tally
        in _spans(counter, key, through)
    ]  # fmt: skip


def field_rollup_rows(version: int, counter: Counter) -> list[tuple]:
    """Return the rows of one version's rollups by province and field (FIELD_SPANS)."""

    def key(cell: tuple, places: tuple) -> tuple | None:
        _point, _month, source, _mode, field_code = cell
        return None if places[0] is None else (places[0], source, field_code)

    return [
        (version, province, span.value, start, source, field_code, n, tally)
        for span, start, (province, source, field_code), n, tally
        in _spans(counter, key, spans=FIELD_SPANS)
    ]  # fmt: skip


def _spans(counter: Counter, key_of: Callable[[tuple, tuple], tuple | None],
           through: date | None = None, spans: tuple[Span, ...] = SPANS
           ) -> Iterator[tuple[Span, date, tuple, int, bytes]]:  # fmt: skip
    """Yield a counter's cells summed by key_of(cell key, places) (None: left out) and by each
    of spans, those of months after through (if given) left out.

    Each: the span, its first day, the key, the responses and the packed tally. The cells are
    summed by month first, and the months by the wider spans.
    """
    firsts = _months(counter)
    keys: dict[tuple, int] = {}
    groups = np.full(len(counter.places), -1, np.int64)
    for cell, i in counter.cells.items():
        if through is not None and firsts[cell[1]] > through:
            continue
        found = key_of(cell, counter.places[i])
        if found is not None:
            groups[i] = keys.setdefault((firsts[cell[1]], *found), len(keys))
    counted = groups >= 0
    part = Sums(counter.layout)
    part.resize(int(counted.sum()))
    part.responses[:] = counter.sums.responses[counted]
    part.counts[:] = counter.sums.counts[counted]
    part.moments[:] = counter.sums.moments[counted]
    months = part.grouped(groups[counted], len(keys))
    for span in spans:
        if span is Span.MONTH:
            spans, found = list(keys), months
        else:
            wider: dict[tuple, int] = {}
            starts = [(span_start(span, key[0]), *key[1:]) for key in keys]
            into = np.array([wider.setdefault(key, len(wider)) for key in starts], np.int64)
            spans, found = list(wider), months.grouped(into, len(wider))
        packed, responses = found.packed(), found.responses.tolist()
        for i, (start, *rest) in enumerate(spans):
            yield span, start, tuple(rest), responses[i], packed[i]


def sql_literal(value: str) -> str:
    """Return an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"
