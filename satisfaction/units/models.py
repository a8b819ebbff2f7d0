"""Administrative units (province, district, commune), their datasets, and service points."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.core.columns import value_enum
from satisfaction.core.time import utcnow
from satisfaction.extensions import db


class UnitLevel(StrEnum):
    """The tier of an administrative unit."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class UnitDataset(db.Model):
    """A complete list of units in force over a period (vn-2024, vn-2025, or an imported list)."""

    __tablename__ = "unit_datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    # Short tag that makes generated service-point codes unique across datasets ("24", "25").
    tag: Mapped[str] = mapped_column(String(8), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    source_on: Mapped[date | None]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    units: Mapped[list["AdminUnit"]] = relationship(back_populates="dataset")


class AdminUnit(db.Model):
    """A province, district or commune of one dataset, with its parent and validity."""

    __tablename__ = "admin_units"
    __table_args__ = (
        UniqueConstraint("dataset_id", "code"),
        # "Every unit inside this one" is a prefix match on the path: PostgreSQL reads it from
        # a btree only through the pattern operators (unless the collation is exactly C).
        Index("ix_admin_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("unit_datasets.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[UnitLevel] = mapped_column(value_enum(UnitLevel))
    # The kind as written in the official list: "Tỉnh", "Quận", "Xã", "Đặc khu", ...
    kind: Mapped[str] = mapped_column(String(40), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), index=True)
    # Ids from the root down to this unit, "/3/57/812/": a subtree is a prefix match.
    path: Mapped[str] = mapped_column(String(64), default="")
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    dataset: Mapped[UnitDataset] = relationship(back_populates="units")
    parent: Mapped["AdminUnit | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<AdminUnit {self.code} {self.name}>"

    def contains(self, other: "AdminUnit") -> bool:
        """Tell whether other is this unit or lies below it."""
        return other.path.startswith(self.path)


class ServicePoint(db.Model):
    """An office that citizens rate: a one-stop desk or a Public Administration Service Centre."""

    __tablename__ = "service_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[UnitLevel] = mapped_column(value_enum(UnitLevel))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"), index=True)
    is_generated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[AdminUnit] = relationship()

    def __repr__(self) -> str:
        return f"<ServicePoint {self.code}>"


class UnitSuccession(db.Model):
    """An old unit counted in a unit of the list that replaced it (vn-2024 -> vn-2025).

    An old unit has one successor: one split between new units counts in the one that took its
    seat (is_split). Answers stay recorded on the old unit; reads of the new list add them in.
    The level, the new list and both provinces are copied here so that a read finds the old
    units of a place in one indexed lookup.
    """

    __tablename__ = "unit_successions"
    __table_args__ = (
        Index("ix_unit_successions_reading", "new_dataset_id", "level", "new_province_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"), unique=True)
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"), index=True)
    level: Mapped[UnitLevel] = mapped_column(value_enum(UnitLevel))  # of the old unit
    new_dataset_id: Mapped[int] = mapped_column(ForeignKey("unit_datasets.id"))
    old_province_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"))
    new_province_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"))
    is_split: Mapped[bool] = mapped_column(default=False)
