"""Which months of a unit dataset have answers counted in the official scores."""

from datetime import date

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.scoring.models import OFFICIAL, ScoreRollup
from satisfaction.scoring.periods import Span
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel


def answered_months(dataset: UnitDataset) -> list[date]:
    """Return the first days of the months with official answers in a dataset, oldest first.

    Counted as the scores count them: the official sources only (the desk poster, which anyone
    may answer, makes no period alone), in the dataset's provinces and in the old provinces a
    reform carried into them.
    """
    provinces = select(AdminUnit.id).where(
        AdminUnit.dataset_id == dataset.id, AdminUnit.level == UnitLevel.PROVINCE
    )
    ids = [*db.session.scalars(provinces), *successions.into(dataset, UnitLevel.PROVINCE)]
    query = (
        select(ScoreRollup.month)
        .where(ScoreRollup.unit_level == UnitLevel.PROVINCE, ScoreRollup.span == Span.MONTH,
               ScoreRollup.unit_id.in_(ids), ScoreRollup.source.in_(OFFICIAL),
               ScoreRollup.responses > 0)
        .distinct()
        .order_by(ScoreRollup.month)
    )  # fmt: skip
    return list(db.session.scalars(query))
