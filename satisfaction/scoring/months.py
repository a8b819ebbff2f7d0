"""Which months of a unit dataset have answers counted in the official scores."""

from datetime import date

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.scoring import generations
from satisfaction.scoring.models import OFFICIAL, ScoreRollup
from satisfaction.scoring.periods import ALL_DATES, Span
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel


def answered_months(dataset: UnitDataset) -> list[date]:
    """Return the first days of the months with official answers in a dataset, oldest first.

    Counted as the scores count them: the official sources only (the desk poster, which anyone
    may answer, makes no period alone), in the dataset's provinces and in the old provinces a
    reform carried into them. Kept by the process until the aggregates or the units are written
    again (satisfaction.scoring.generations), as the nation is.
    """
    return generations.kept(("months", dataset.id), ALL_DATES, lambda: _answered_months(dataset))


def _answered_months(dataset: UnitDataset) -> list[date]:
    provinces = select(AdminUnit.id).where(
        AdminUnit.dataset_id == dataset.id, AdminUnit.level == UnitLevel.PROVINCE
    )
    ids = [*db.session.scalars(provinces), *successions.into(dataset, UnitLevel.PROVINCE)]
    rollups = ScoreRollup.__table__.alias("later")
    conditions = (rollups.c.unit_level == UnitLevel.PROVINCE, rollups.c.span == Span.MONTH,
                  rollups.c.unit_id.in_(ids), rollups.c.source.in_(OFFICIAL),
                  rollups.c.responses > 0)  # fmt: skip
    # The months one at a time, each the first after the last found: a few dozen steps along
    # the index by level, span and month, not a scan of every province's monthly rollups.
    first = select(func.min(rollups.c.month).label("month")).where(*conditions)
    found = first.cte("months", recursive=True)
    following = (
        select(func.min(rollups.c.month))
        .where(*conditions, rollups.c.month > found.c.month)
        .scalar_subquery()
    )
    found = found.union_all(select(following).where(found.c.month.is_not(None)))
    query = select(found.c.month).where(found.c.month.is_not(None)).order_by(found.c.month)
    return list(db.session.scalars(query))
