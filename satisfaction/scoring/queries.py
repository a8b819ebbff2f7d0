"""Read pooled tallies for a scope (questionnaire versions, period, sources, place), grouped.

The whole months of a period are read from the aggregates, each over month, quarter and year
spans (the fewest, widest that cover the period; all dates, one span over all of them where
the table has it: sums.SPANS): the rollups of provinces and districts when
the place and the grouping are rolled up; else the rollups of the service points (a commune, a
unit's desks, its communes: the sums of their desks); a province's fields from its rollups by
field; only what none of them holds (the fields of a district or a commune) from the monthly
cells. The days of a period outside its whole months (a date range
starting or ending inside a month) are read from the raw answers: at most two partial months,
whatever the period's length.
"""

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, select, union_all

from satisfaction.core.sql import BINARY_RESULTS
from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring import rolling
from satisfaction.scoring.aggregates import scheme_by_id
from satisfaction.scoring.layout import AnyTally, add_to
from satisfaction.scoring.layout import tallies as packed_tallies
from satisfaction.scoring.layout import tallies_each as packed_tallies_each
from satisfaction.scoring.models import (
    CELLS,
    FIELD_ROLLUPS,
    POINT_ROLLUPS,
    ROLLUPS,
    Grain,
    ScoreCell,
    ScoreFieldRollup,
    ScoreRollup,
    Source,
)
from satisfaction.scoring.periods import Period, Span, cover, span_start
from satisfaction.scoring.tally import Tally
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel

OFFICE = "office"  # group by the level of the serving office
SOURCE = "source"  # group by source
QUARTER = "quarter"  # group by quarter, each named by its first day
POINT = "point"  # group by service point (the cells and the points' rollups hold them)
FIELD = "field"  # group by field of the procedures (the cells and the fields' rollups hold them)
ROLLED_UP = (UnitLevel.PROVINCE, UnitLevel.DISTRICT)  # the units that have rollups of their own
BY_POINT = (CELLS, POINT_ROLLUPS)  # the grains by service point: each row names its units
UNIT_COLUMNS = {
    grain: {
        UnitLevel.PROVINCE: grain.cells.province_id,
        UnitLevel.DISTRICT: grain.cells.district_id,
        UnitLevel.COMMUNE: grain.cells.commune_id,
    }
    for grain in BY_POINT
}
RAW_COLUMN = {
    UnitLevel.PROVINCE: Response.province_id,
    UnitLevel.DISTRICT: Response.district_id,
    UnitLevel.COMMUNE: Response.commune_id,
}
Group = UnitLevel | str | None  # a unit level (by unit of it), OFFICE, SOURCE, QUARTER, POINT,
# FIELD, or one pool


@dataclass(frozen=True)
class Place:
    """A unit (its level and id), the answers about service points inside it.

    With `before`, also those inside the old units (of the same level) counted in it: a unit of
    the list in force since a reform reads the answers recorded on the units that formed it.
    """

    level: UnitLevel
    id: int
    province: int | None = None  # the province holding it: the raw answers' indexes start with it
    before: tuple[int, ...] = ()  # old units counted in this one
    before_provinces: tuple[int, ...] = ()  # the old provinces holding them

    @property
    def ids(self) -> list[int]:
        """Return the ids of the unit and of the old units counted in it."""
        return [self.id, *self.before]

    @property
    def provinces(self) -> list[int]:
        """Return the provinces holding the unit and the old units counted in it."""
        return [p for p in (self.province, *self.before_provinces) if p is not None]


@dataclass(frozen=True)
class Scope:
    """Which answers a tally pools: versions, period, sources, and where (all, if no place)."""

    versions: tuple[int, ...]
    period: Period
    sources: tuple[Source, ...]
    place: Place | None = None
    provinces: tuple[int, ...] | None = None  # or: inside any of these provinces
    # Grouped by unit: the unit each old unit counts in (its answers are added to that unit's).
    into: Mapping[int, int] | None = field(default=None, compare=False)


def last_day(day: date) -> date:
    """Return the last day of a day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_months(period: Period) -> bool:
    """Return whether a period is all dates or runs from a month's first day to a month's last."""
    whole, edges = split(period)
    return not edges and (whole is not None or period.start is None)


def split(period: Period) -> tuple[Period | None, list[Period]]:
    """Return the whole months of a period (None if none) and the days outside them."""
    first, last, edges = period.start, period.end, []
    if first is not None and first.day != 1:
        end = last_day(first) if last is None else min(last, last_day(first))
        edges.append(Period(period.label, first, end))
        first = last_day(first) + timedelta(days=1)
    if last is not None and last != last_day(last) and (first is None or last >= first):
        begin = last.replace(day=1) if first is None else max(first, last.replace(day=1))
        edges.append(Period(period.label, begin, last))
        last = last.replace(day=1) - timedelta(days=1)
    if first is not None and last is not None and first > last:
        return None, edges
    return Period(period.label, first, last), edges


def version_ids(key: str) -> list[int]:
    """Return the ids of every recorded version of a questionnaire."""
    query = select(QuestionnaireVersion.id).where(QuestionnaireVersion.key == key)
    return list(db.session.scalars(query))


def grain_of(scope: Scope, group: Group) -> Grain:
    """Return the aggregates that hold the place and the grouping in the fewest rows."""
    place = scope.place
    if group == FIELD:
        # The fields' rollups are by province: a province's fields, or a dataset's.
        provinces = place.level == UnitLevel.PROVINCE if place else scope.provinces is not None
        return FIELD_ROLLUPS if provinces else CELLS
    if group == POINT:
        return POINT_ROLLUPS
    if isinstance(group, UnitLevel):
        # A unit level's rollups are found by province only: within a province, or everywhere.
        inside = place is None or place.level == UnitLevel.PROVINCE
        return ROLLUPS if group in ROLLED_UP and inside else POINT_ROLLUPS
    if place is not None:
        return ROLLUPS if place.level in ROLLED_UP else POINT_ROLLUPS
    # Without a place, the provinces' rollups hold every answer once, if the provinces are named.
    return ROLLUPS if scope.provinces is not None else POINT_ROLLUPS


def tallies(scope: Scope, group: Group = None, grain: Grain | None = None
            ) -> dict[Any, AnyTally]:  # fmt: skip
    """Return the pooled tally of the answers in a scope, per value of group (None: one pool)."""
    whole, edges = split(scope.period)
    found: dict[Any, AnyTally] = {}
    if whole is not None:
        chosen = grain or grain_of(scope, group)
        found = packed_tallies(_aggregate_rows(scope, whole, (group,), chosen))
    return _finished(scope, group, found, edges)


def tallies_each(scope: Scope, groups: tuple[Group, ...]) -> list[dict[Any, AnyTally]]:
    """Return tallies(scope, group) for each group, in one read where one table holds them all.

    A unit's desks and its communes come from the same rows of the points' rollups, grouped by
    service point and by commune: read once, summed twice.
    """
    whole, edges = split(scope.period)
    grains = {grain_of(scope, group) for group in groups}
    shared = len(grains) == 1 and not {None, OFFICE, QUARTER} & set(groups)
    if whole is None or not shared or next(iter(grains)) not in BY_POINT:
        return [tallies(scope, group) for group in groups]
    # Grouped by service point or by a unit: the conditions do not depend on the group here.
    rows = _aggregate_rows(scope, whole, groups, grains.pop())
    found = packed_tallies_each(rows, len(groups))
    return [_finished(scope, group, tallies, edges)
            for group, tallies in zip(groups, found, strict=True)]  # fmt: skip


def _finished(scope: Scope, group: Group, found: dict[Any, AnyTally], edges: list[Period]
              ) -> dict[Any, AnyTally]:  # fmt: skip
    """Return tallies read from the aggregates with the days outside whole months added, the old
    units' carried into the units they count in, and days pooled by quarter, as group asks."""
    for edge in edges:
        for key, tally in _raw_tallies(scope, edge, group).items():
            add_to(found, key, tally)
    if scope.into and isinstance(group, UnitLevel):
        found = _carried(found, scope.into)
    return _by_quarter(found) if group == QUARTER else found


def _carried(found: dict[Any, AnyTally], into: Mapping[int, int]) -> dict[Any, AnyTally]:
    """Return tallies by unit with each old unit's added to the unit it counts in."""
    carried: dict[Any, AnyTally] = {}
    for key, tally in found.items():
        add_to(carried, into.get(key, key), tally)
    return carried


def _by_quarter(found: dict[date, AnyTally]) -> dict[date, AnyTally]:
    """Return tallies keyed by a day (or a month) pooled by the quarter holding it."""
    quarters: dict[date, AnyTally] = {}
    for day, tally in found.items():
        add_to(quarters, span_start(Span.QUARTER, day), tally)
    return quarters


def _aggregate_filter(
    scope: Scope, period: Period, group: Group, grain: Grain
) -> list[ColumnElement[bool]]:
    """Return the conditions on cells (or rollups) holding a scope's answers in whole months."""
    table = grain.cells
    conditions = [
        table.questionnaire_version_id.in_(list(scope.versions)),
        table.source.in_(list(scope.sources)),
    ]
    if grain is CELLS:
        if period.start is not None:
            conditions.append(table.month >= period.start)
        if period.end is not None:
            conditions.append(table.month <= period.end)
    else:  # by quarter: no year's rollup, which cannot be split
        widest = Span.QUARTER if group == QUARTER else Span.YEAR
        if widest is Span.YEAR and grain is not FIELD_ROLLUPS:
            widest = Span.ALL  # over all dates, a row a unit or desk (sums.SPANS), not a year
        conditions.append(_spans_filter(table, period, widest))
    place = scope.place
    if grain is ROLLUPS:
        if isinstance(group, UnitLevel):
            conditions.append(ScoreRollup.unit_level == group)
            if place is not None:
                conditions.append(ScoreRollup.province_id.in_(place.ids))
        elif place is not None:
            conditions.append(ScoreRollup.unit_id.in_(place.ids))
        else:  # the provinces' rollups hold every answer once (the districts' hold them again)
            conditions.append(ScoreRollup.unit_id.in_(list(scope.provinces or ())))
    elif grain is FIELD_ROLLUPS:
        if place is not None:
            conditions.append(ScoreFieldRollup.province_id.in_(place.ids))
        if scope.provinces is not None:
            conditions.append(ScoreFieldRollup.province_id.in_(list(scope.provinces)))
    else:
        columns = UNIT_COLUMNS[grain]
        if place is not None:
            conditions.append(columns[place.level].in_(place.ids))
        if scope.provinces is not None:
            conditions.append(columns[UnitLevel.PROVINCE].in_(list(scope.provinces)))
    return conditions


def _spans_filter(table: Any, period: Period, widest: Span) -> ColumnElement[bool]:
    """Return the condition on rollups covering whole months: the fewest, widest spans."""
    stop = None if period.end is None else period.end + timedelta(days=1)
    ranges = []
    for spans in cover(period.start, stop, widest):
        condition = [table.span == spans.span]
        if spans.first is not None:
            condition.append(table.month >= spans.first)
        if spans.last is not None:
            condition.append(table.month <= spans.last)
        ranges.append(and_(*condition))
    return or_(*ranges)


def _aggregate_column(group: Group, grain: Grain):
    cells = grain.cells
    if group is None:
        return None
    if group == SOURCE:
        return cells.source
    if group == QUARTER:
        return cells.month
    if group == POINT:
        return cells.service_point_id
    if group == FIELD:
        return cells.field_code
    if grain is ROLLUPS:
        return ScoreRollup.office_level if group == OFFICE else ScoreRollup.unit_id
    return ServicePoint.level if group == OFFICE else UNIT_COLUMNS[grain][group]


def _aggregate_rows(scope: Scope, period: Period, groups: tuple[Group, ...], grain: Grain
                    ) -> list[Any]:  # fmt: skip
    """Return the rows of the cells (or rollups) holding a scope's whole months: a key per group,
    then version, responses and packed tally (summed in Python, numpy, a version's at once: a
    national page reads a few thousand rollups, each holding its whole tally).

    The districts' and the points' rollups hold the months up to the rolled one
    (satisfaction.scoring.rolling): the later months' cells are read in the same statement
    (UNION ALL), so that both parts are of one snapshot and a month rolled meanwhile is read
    once, either way. The provinces' and the fields' rollups hold every month.
    """
    query = _read_of(grain, groups).where(*_aggregate_filter(scope, period, groups[0], grain))
    if _deferred(scope, groups[0], grain):
        later = _read_of(CELLS, groups).where(*_unrolled_filter(scope, period, groups[0], grain))
        query = union_all(query, later)
    return _plain_rows(query.execution_options(**{BINARY_RESULTS: True}))


def _deferred(scope: Scope, group: Group, grain: Grain) -> bool:
    """Return whether a read of a grain's rows (_aggregate_filter) holds rows that count only
    the rolled months: the points' rollups, or the districts' (by level, or a district's)."""
    if grain is POINT_ROLLUPS:
        return True
    if grain is not ROLLUPS:
        return False
    if isinstance(group, UnitLevel):
        return group != UnitLevel.PROVINCE
    return scope.place is not None and scope.place.level != UnitLevel.PROVINCE


def _read_of(grain: Grain, groups: tuple[Group, ...]):
    """Return the select of a grain's rows keyed by groups (the office level through the
    service point, for the grains by point)."""
    columns = [_aggregate_column(group, grain) for group in groups]
    query = _aggregate_read(grain, [literal(None) if c is None else c for c in columns])
    if OFFICE in groups and grain in BY_POINT:
        query = query.join(ServicePoint, ServicePoint.id == grain.cells.service_point_id)
    return query


def _unrolled_filter(scope: Scope, period: Period, group: Group, rolled: Grain
                     ) -> list[ColumnElement[bool]]:  # fmt: skip
    """Return the conditions on the cells of the months not rolled yet that hold what a read of
    the rolled grain's rows (_aggregate_filter) holds in the months rolled."""
    cells, units, place = ScoreCell, UNIT_COLUMNS[CELLS], scope.place
    conditions = [
        cells.questionnaire_version_id.in_(list(scope.versions)),
        cells.source.in_(list(scope.sources)),
        cells.month > rolling.through_subquery(),
    ]
    if period.start is not None:
        conditions.append(cells.month >= period.start)
    if period.end is not None:
        conditions.append(cells.month <= period.end)
    if rolled is POINT_ROLLUPS:  # every cell's point is rolled up, with its units
        if place is not None:
            conditions.append(units[place.level].in_(place.ids))
        if scope.provinces is not None:
            conditions.append(cells.province_id.in_(list(scope.provinces)))
        return conditions
    # The districts' rollups (_deferred): by district, or a district's.
    conditions.append(cells.province_id.is_not(None))
    if isinstance(group, UnitLevel):
        conditions.append(units[group].is_not(None))
        if place is not None:
            conditions.append(cells.province_id.in_(place.ids))
    elif place is not None:
        conditions.append(units[place.level].in_(place.ids))
    return conditions


def _plain_rows(query) -> list[Any]:
    """Return the rows of a select of columns, run on the session's connection: plain rows, not
    the ORM's (a page reads thousands of aggregate rows; the ORM wraps each for nothing), all
    fetched at once (a row at a time cost a province's desks 10 ms more)."""
    return db.session.connection().execute(query).fetchall()


def _aggregate_read(grain: Grain, keys: list[Any]):
    """Return the select of an aggregate's rows: the keys, then version, responses and tally."""
    cells = grain.cells
    return select(*keys, cells.questionnaire_version_id, cells.responses, cells.tally)


def raw_filter(scope: Scope, period: Period) -> list[ColumnElement[bool]]:
    """Return the conditions on the raw responses of a scope within a period."""
    conditions = [
        Response.questionnaire_version_id.in_(list(scope.versions)),
        sources_filter(scope.sources),
    ]
    if period.start is not None:
        conditions.append(Response.answered_on >= period.start)
    if period.end is not None:
        conditions.append(Response.answered_on <= period.end)
    place = scope.place
    if place is not None:
        conditions.append(RAW_COLUMN[place.level].in_(place.ids))
        if place.province is not None and place.level != UnitLevel.PROVINCE:
            # True of every answer inside the unit: lets PostgreSQL use the indexes by province.
            conditions.append(Response.province_id.in_(place.provinces))
    if scope.provinces is not None:
        conditions.append(Response.province_id.in_(list(scope.provinces)))
    return conditions


def _raw_tallies(scope: Scope, period: Period, group: Group) -> dict[Any, Tally]:
    """Return the tallies of the raw responses of a scope within a period, per value of group."""
    if isinstance(group, UnitLevel):
        by = RAW_COLUMN[group]
    elif group == OFFICE:
        by = ServicePoint.level
    elif group == QUARTER:
        by = Response.answered_on
    elif group == POINT:
        by = Response.service_point_id
    elif group == FIELD:
        by = Response.field_code
    else:
        by = literal(None)
    query = select(by, Response.questionnaire_version_id, Response.channel, Response.is_poster,
                   Response.answers).where(*raw_filter(scope, period))  # fmt: skip
    if group == OFFICE:
        query = query.join(ServicePoint, ServicePoint.id == Response.service_point_id)
    found: dict[Any, Tally] = {}
    for key, version, channel, poster, answers in db.session.execute(query):
        if group == SOURCE:
            key = Source.of(channel, poster)
        found.setdefault(key, Tally()).add_response(scheme_by_id(version), answers)
    return found


def sources_filter(sources: Collection[Source]) -> ColumnElement[bool]:
    """Return the condition on raw responses for some sources."""
    channels = [s.value for s in sources if s != Source.POSTER]
    return or_(
        and_(Response.is_poster.is_(False), Response.channel.in_(channels)),
        and_(Response.is_poster.is_(True), literal(Source.POSTER in sources)),
    )
