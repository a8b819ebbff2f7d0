"""Read the aggregates: pooled tallies for any filter, grouped by any column of a cell."""

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select

from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.models import ScoreAnswerCount, ScoreCell, ScoreElementSum, Source
from satisfaction.scoring.periods import Period
from satisfaction.scoring.tally import Moment, Tally
from satisfaction.units.models import ServicePoint


def cell_filter(
    version_ids: Collection[int], period: Period, sources: Collection[Source]
) -> list[ColumnElement[bool]]:
    """Return the conditions on cells for questionnaire versions, a period and sources."""
    conditions = [
        ScoreCell.questionnaire_version_id.in_(list(version_ids)),
        ScoreCell.source.in_(list(sources)),
    ]
    if period.start is not None:
        conditions.append(ScoreCell.answered_on >= period.start)
    if period.end is not None:
        conditions.append(ScoreCell.answered_on <= period.end)
    return conditions


def version_ids(key: str) -> list[int]:
    """Return the ids of every recorded version of a questionnaire."""
    query = select(QuestionnaireVersion.id).where(QuestionnaireVersion.key == key)
    return list(db.session.scalars(query))


def tallies(conditions: list[ColumnElement[bool]], group: Any = None) -> dict[Any, Tally]:
    """Return the pooled tally of the cells that meet conditions, per value of group.

    group is a column of ScoreCell, ServicePoint.level, or None for a single pool (key None).
    """
    by = group if group is not None else literal(None)
    joined = getattr(group, "class_", None) is ServicePoint
    found: dict[Any, Tally] = {}

    def run(*columns, table=None, by_too=()):
        source = ScoreCell.__table__ if table is None else table
        query = select(by, *by_too, *columns).select_from(source)
        if table is not None:
            query = query.join(ScoreCell, ScoreCell.id == table.c.cell_id)
        if joined:
            query = query.join(ServicePoint, ServicePoint.id == ScoreCell.service_point_id)
        return db.session.execute(query.where(*conditions).group_by(by, *by_too))

    for key, responses in run(func.sum(ScoreCell.responses)):
        found.setdefault(key, Tally()).responses = int(responses or 0)
    counts = ScoreAnswerCount.__table__
    for key, question, answer, count in run(
        func.sum(counts.c.count), table=counts, by_too=(counts.c.question, counts.c.answer)
    ):
        found.setdefault(key, Tally()).answers[(question, answer)] = int(count)
    sums = ScoreElementSum.__table__
    for key, a, b, n, ab, sum_a, sum_b in run(
        func.sum(sums.c.respondents), func.sum(sums.c.sum_ab), func.sum(sums.c.sum_a),
        func.sum(sums.c.sum_b), table=sums, by_too=(sums.c.element_a, sums.c.element_b),
    ):  # fmt: skip
        found.setdefault(key, Tally()).moments[(a, b)] = Moment(int(n), ab, sum_a, sum_b)
    return found
