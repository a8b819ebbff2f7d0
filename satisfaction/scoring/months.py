"""Which months of a unit dataset have answers counted in the scores."""

from datetime import date

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.scoring.models import ScoreRollup
from satisfaction.scoring.periods import Span
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel


def answered_months(dataset: UnitDataset) -> list[date]:
    """Return the first days of the months with answers in a dataset's provinces, oldest first."""
    provinces = select(AdminUnit.id).where(
        AdminUnit.dataset_id == dataset.id, AdminUnit.level == UnitLevel.PROVINCE
    )
    query = (
        select(ScoreRollup.month)
        .where(ScoreRollup.unit_level == UnitLevel.PROVINCE, ScoreRollup.span == Span.MONTH,
               ScoreRollup.unit_id.in_(provinces), ScoreRollup.responses > 0)
        .distinct()
        .order_by(ScoreRollup.month)
    )  # fmt: skip
    return list(db.session.scalars(query))
