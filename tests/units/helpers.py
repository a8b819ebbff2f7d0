"""Helpers shared by the units tests."""

from pathlib import Path

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset

DATA = Path(__file__).resolve().parent.parent / "data"
GSO_HEADER = "Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp"


def write_csv(path: Path, *rows: str) -> Path:
    """Write a GSO-layout CSV with the rows given and return its path."""
    path.write_text("\n".join([GSO_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def snapshot() -> dict:
    """Return what a refused import must leave untouched: counts and every unit's fields."""
    units = db.session.execute(
        select(AdminUnit.code, AdminUnit.name, AdminUnit.parent_id, AdminUnit.path,
               AdminUnit.valid_to).order_by(AdminUnit.id)
    ).all()  # fmt: skip
    return {
        "datasets": db.session.scalar(select(func.count(UnitDataset.id))),
        "points": db.session.scalar(select(func.count(ServicePoint.id))),
        "units": [tuple(row) for row in units],
    }


def count_units(dataset: str) -> dict[str, int]:
    """Return the number of units per level in a dataset."""
    query = (
        select(AdminUnit.level, func.count(AdminUnit.id))
        .join(AdminUnit.dataset)
        .where(UnitDataset.name == dataset)
        .group_by(AdminUnit.level)
    )
    return {level.value: n for level, n in db.session.execute(query)}


def count_points(dataset: str) -> int:
    """Return the number of service points of a dataset's units."""
    query = (
        select(func.count(ServicePoint.id))
        .join(ServicePoint.unit)
        .join(AdminUnit.dataset)
        .where(UnitDataset.name == dataset)
    )
    return db.session.scalar(query)
