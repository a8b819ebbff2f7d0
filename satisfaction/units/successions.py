"""Which unit of a newer list each old unit counts in: the correspondence of the 2025 reform.

The bundled file (data/vn-2024-to-vn-2025.csv, `level,old_code,new_code,split`) is loaded into
unit_successions once both lists are loaded. Answers stay recorded on the unit in force on their
day; a read on the new list adds in the answers of the old units that count in each new unit.
"""

import csv
import io
from dataclasses import dataclass

from sqlalchemy import delete, select

from satisfaction.core.memo import in_transaction
from satisfaction.extensions import db
from satisfaction.scoring import generations
from satisfaction.units.loading import DATA_DIR
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel, UnitSuccession

# (old list, new list): the bundled file of the correspondence.
CORRESPONDENCES = {("vn-2024", "vn-2025"): "vn-2024-to-vn-2025.csv"}


@dataclass(frozen=True)
class LinkSummary:
    """What loading a correspondence did."""

    old: str
    new: str
    linked: int
    changed: bool
    missing: int  # rows naming a unit not loaded


@dataclass(frozen=True)
class Before:
    """The old units counted in a unit: their ids, and the old provinces holding them."""

    ids: tuple[int, ...] = ()
    provinces: tuple[int, ...] = ()


def correspondence_rows(old: str, new: str) -> list[tuple[str, str, str, bool]]:
    """Return the rows (level, old code, new code, split) of a bundled correspondence."""
    text = (DATA_DIR / CORRESPONDENCES[(old, new)]).read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [(r["level"], r["old_code"], r["new_code"], r["split"] == "1") for r in reader]


def link_builtins() -> list[LinkSummary]:
    """Load every bundled correspondence whose two lists are loaded; flush, no commit."""
    names = set(db.session.scalars(select(UnitDataset.name)))
    return [link(old, new) for old, new in CORRESPONDENCES if {old, new} <= names]


def _codes(dataset: str) -> dict[tuple[str, str], tuple[int, int]]:
    """Return (unit id, province id) by (level, code) in a dataset."""
    query = (
        select(AdminUnit.level, AdminUnit.code, AdminUnit.id, AdminUnit.path)
        .join(UnitDataset)
        .where(UnitDataset.name == dataset)
    )
    return {(level.value, code): (id_, province_of(path))
            for level, code, id_, path in db.session.execute(query)}  # fmt: skip


def province_of(path: str) -> int:
    """Return the province id at the head of a unit's path ("/3/57/812/" -> 3)."""
    return int(path.strip("/").split("/")[0])


def link(old: str, new: str) -> LinkSummary:
    """Replace the successions of an old list's units by the bundled file's; flush."""
    before, after = _codes(old), _codes(new)
    new_dataset = db.session.scalar(select(UnitDataset.id).where(UnitDataset.name == new))
    wanted, missing = {}, 0
    for level, old_code, new_code, split in correspondence_rows(old, new):
        new_level = "province" if level == "province" else "commune"
        source, target = before.get((level, old_code)), after.get((new_level, new_code))
        if source is None or target is None:
            missing += 1
            continue
        wanted[source[0]] = (target[0], UnitLevel(level), new_dataset, source[1], target[1], split)
    olds = [unit for unit, _province in before.values()]
    columns = (UnitSuccession.old_unit_id, UnitSuccession.new_unit_id, UnitSuccession.level,
               UnitSuccession.new_dataset_id, UnitSuccession.old_province_id,
               UnitSuccession.new_province_id, UnitSuccession.is_split)  # fmt: skip
    current = {row[0]: tuple(row[1:]) for row in db.session.execute(
        select(*columns).where(UnitSuccession.old_unit_id.in_(olds)))} if olds else {}  # fmt: skip
    changed = current != wanted
    if changed:
        db.session.execute(delete(UnitSuccession).where(UnitSuccession.old_unit_id.in_(olds)))
        names = [c.key for c in columns]
        db.session.add_all(UnitSuccession(**dict(zip(names, (o, *rest), strict=True)))
                           for o, rest in wanted.items())  # fmt: skip
        db.session.flush()
        generations.bump([generations.EVERY_MONTH])  # where old units' answers now count
    return LinkSummary(old, new, len(wanted), changed, missing)


def before(unit: AdminUnit) -> Before:
    """Return the old units (of the same level) counted in a unit, and their provinces."""
    return in_transaction(("successions.before", unit.id), lambda: _before(unit))


def _before(unit: AdminUnit) -> Before:
    query = (
        select(UnitSuccession.old_unit_id, UnitSuccession.old_province_id)
        .where(UnitSuccession.new_unit_id == unit.id, UnitSuccession.level == unit.level)
        .order_by(UnitSuccession.old_unit_id)
    )
    rows = db.session.execute(query).all()
    return Before(tuple(i for i, _p in rows), tuple(sorted({p for _i, p in rows})))


def into(dataset: UnitDataset, level: UnitLevel, parent: AdminUnit | None = None) -> dict[int, int]:
    """Return, by old unit id, the unit of dataset (at level) it counts in (inside parent)."""
    key = ("successions.into", dataset.id, level, None if parent is None else parent.id)
    return in_transaction(key, lambda: _into(dataset, level, parent))


def _into(dataset: UnitDataset, level: UnitLevel, parent: AdminUnit | None) -> dict[int, int]:
    query = select(UnitSuccession.old_unit_id, UnitSuccession.new_unit_id).where(
        UnitSuccession.new_dataset_id == dataset.id, UnitSuccession.level == level
    )
    if parent is not None:
        query = query.where(UnitSuccession.new_province_id == province_of(parent.path))
    return {old_id: new_id for old_id, new_id in db.session.execute(query)}


def after(unit: AdminUnit) -> list[tuple[AdminUnit, bool]]:
    """Return the unit of a newer list an old unit went into, and whether it was split.

    A province or a whole commune went into one; of a split commune the correspondence names
    the new commune that took its seat only.
    """
    query = (
        select(AdminUnit, UnitSuccession.is_split)
        .join(UnitSuccession, UnitSuccession.new_unit_id == AdminUnit.id)
        .where(UnitSuccession.old_unit_id == unit.id)
    )
    return [(found, split) for found, split in db.session.execute(query)]


def formed_of(unit: AdminUnit) -> list[AdminUnit]:
    """Return the old units (of the same level) that count in a unit, by code."""
    ids = before(unit).ids
    if not ids:
        return []
    query = select(AdminUnit).where(AdminUnit.id.in_(ids)).order_by(AdminUnit.code)
    return list(db.session.scalars(query))


def carried_into(unit: AdminUnit, dataset_id: int) -> AdminUnit | None:
    """Return the unit of another list that counts a unit's answers (or its nearest parent's)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if not ids:
        return None
    query = (
        select(UnitSuccession.old_unit_id, AdminUnit)
        .join(AdminUnit, AdminUnit.id == UnitSuccession.new_unit_id)
        .where(UnitSuccession.old_unit_id.in_(ids), AdminUnit.dataset_id == dataset_id)
    )
    found = dict(db.session.execute(query).all())
    deepest = next((i for i in reversed(ids) if i in found), None)
    return found[deepest] if deepest is not None else None
