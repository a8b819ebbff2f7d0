"""Which unit of a newer list each old unit counts in: the correspondence of the 2025 reform.

The bundled file (data/vn-2024-to-vn-2025.csv, `level,old_code,new_code,split`) is loaded into
unit_successions once both lists are loaded. Answers stay recorded on the unit in force on their
day; a read on the new list adds in the answers of the old units that count in each new unit.
"""

import csv
import io
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from satisfaction.extensions import db
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


def _codes(dataset: str) -> dict[tuple[str, str], int]:
    """Return unit ids by (level, code) in a dataset."""
    query = (
        select(AdminUnit.level, AdminUnit.code, AdminUnit.id)
        .join(UnitDataset)
        .where(UnitDataset.name == dataset)
    )
    return {(level.value, code): id_ for level, code, id_ in db.session.execute(query)}


def link(old: str, new: str) -> LinkSummary:
    """Replace the successions of an old list's units by the bundled file's; flush."""
    before, after = _codes(old), _codes(new)
    wanted, missing = {}, 0
    for level, old_code, new_code, split in correspondence_rows(old, new):
        new_level = "province" if level == "province" else "commune"
        source, target = before.get((level, old_code)), after.get((new_level, new_code))
        if source is None or target is None:
            missing += 1
            continue
        wanted[source] = (target, split)
    olds = list(before.values())
    query = select(UnitSuccession.old_unit_id, UnitSuccession.new_unit_id, UnitSuccession.is_split)
    current = {o: (n, s) for o, n, s in db.session.execute(query.where(
        UnitSuccession.old_unit_id.in_(olds)))} if olds else {}  # fmt: skip
    changed = current != wanted
    if changed:
        db.session.execute(delete(UnitSuccession).where(UnitSuccession.old_unit_id.in_(olds)))
        db.session.add_all(UnitSuccession(old_unit_id=o, new_unit_id=n, is_split=s)
                           for o, (n, s) in wanted.items())  # fmt: skip
        db.session.flush()
    return LinkSummary(old, new, len(wanted), changed, missing)


def before(unit: AdminUnit) -> Before:
    """Return the old units (of the same level) counted in a unit, and their provinces."""
    old = aliased(AdminUnit)
    query = (
        select(old.id, old.path)
        .join(UnitSuccession, UnitSuccession.old_unit_id == old.id)
        .where(UnitSuccession.new_unit_id == unit.id, old.level == unit.level)
        .order_by(old.id)
    )
    rows = db.session.execute(query).all()
    provinces = {int(path.strip("/").split("/")[0]) for _id, path in rows if path.strip("/")}
    return Before(tuple(i for i, _p in rows), tuple(sorted(provinces)))


def into(dataset: UnitDataset, level: UnitLevel) -> dict[int, int]:
    """Return, by old unit id, the unit of dataset (at level) it counts in."""
    new, old = aliased(AdminUnit), aliased(AdminUnit)
    query = (
        select(UnitSuccession.old_unit_id, UnitSuccession.new_unit_id)
        .join(new, new.id == UnitSuccession.new_unit_id)
        .join(old, old.id == UnitSuccession.old_unit_id)
        .where(new.dataset_id == dataset.id, new.level == level, old.level == level)
    )
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
