"""Read the aggregates: pooled tallies for any filter, grouped by any column of a cell."""

import calendar
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select

from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.models import DAYS, MONTHS, Grain, Source
from satisfaction.scoring.periods import Period
from satisfaction.scoring.tally import Moment, Tally
from satisfaction.units.models import ServicePoint


def whole_months(period: Period) -> bool:
    """Return whether a period is all dates or runs from a month's first day to a month's last."""
    if period.start is None or period.end is None:
        return period.start is None and period.end is None
    last = calendar.monthrange(period.end.year, period.end.month)[1]
    return period.start.day == 1 and period.end.day == last


def cell_filter(
    version_ids: Collection[int], period: Period, sources: Collection[Source], grain: Grain = DAYS
) -> list[ColumnElement[bool]]:
    """Return the conditions on cells (or rollups) for questionnaire versions, period, sources."""
    cells = grain.cells
    conditions = [
        cells.questionnaire_version_id.in_(list(version_ids)),
        cells.source.in_(list(sources)),
    ]
    # A rollup's month is its first day: months inside a whole-month period start inside it.
    day = cells.month if grain is MONTHS else cells.answered_on
    if period.start is not None:
        conditions.append(day >= period.start)
    if period.end is not None:
        conditions.append(day <= period.end)
    return conditions


def version_ids(key: str) -> list[int]:
    """Return the ids of every recorded version of a questionnaire."""
    query = select(QuestionnaireVersion.id).where(QuestionnaireVersion.key == key)
    return list(db.session.scalars(query))


def tallies(
    conditions: list[ColumnElement[bool]], group: Any = None, grain: Grain = DAYS
) -> dict[Any, Tally]:
    """Return the pooled tally of the cells that meet conditions, per value of group.

    group is a column of the grain's cells, ServicePoint.level (day cells), or None for a single
    pool (key None).
    """
    cells, counts, sums = grain.cells, grain.counts.__table__, grain.sums.__table__
    by = group if group is not None else literal(None)
    joined = getattr(group, "class_", None) is ServicePoint
    found: dict[Any, Tally] = {}

    def run(*columns, table=None, by_too=()):
        source = cells.__table__ if table is None else table
        query = select(by, *by_too, *columns).select_from(source)
        if table is not None:
            query = query.join(cells, cells.id == table.c[grain.link])
        if joined:
            query = query.join(ServicePoint, ServicePoint.id == cells.service_point_id)
        return db.session.execute(query.where(*conditions).group_by(by, *by_too))

    for key, responses in run(func.sum(cells.responses)):
        found.setdefault(key, Tally()).responses = int(responses or 0)
    for key, question, answer, count in run(
        func.sum(counts.c.count), table=counts, by_too=(counts.c.question, counts.c.answer)
    ):
        found.setdefault(key, Tally()).answers[(question, answer)] = int(count)
    for key, a, b, n, ab, sum_a, sum_b in run(
        func.sum(sums.c.respondents), func.sum(sums.c.sum_ab), func.sum(sums.c.sum_a),
        func.sum(sums.c.sum_b), table=sums, by_too=(sums.c.element_a, sums.c.element_b),
    ):  # fmt: skip
        found.setdefault(key, Tally()).moments[(a, b)] = Moment(int(n), ab, sum_a, sum_b)
    return found
