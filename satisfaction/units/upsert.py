"""Write a parsed unit list into a dataset: bulk inserts and updates, one level at a time."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Row, String, cast, insert, literal, select, update
from sqlalchemy.orm import aliased

from satisfaction.extensions import db
from satisfaction.scoring import generations
from satisfaction.units.models import AdminUnit, UnitLevel
from satisfaction.units.parsing import ParsedUnit, ParsedUnits

COMPARED = ("name", "kind", "parent_id", "valid_to")


@dataclass
class UnitChanges:
    """How many units were created, updated, left alone and retired."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    # A unit was created or given another parent: the paths must be recomputed.
    moved: bool = False


@dataclass
class _Plan:
    """The rows to insert and the updates to make for one level."""

    new: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    gone: list[dict] = field(default_factory=list)
    unchanged: int = 0
    moved: bool = False


def save_units(dataset_id: int, parsed: ParsedUnits) -> UnitChanges:
    """Upsert the units of a parsed file by code; retire the units it no longer lists."""
    ids: dict[str, int] = {}
    first = db.session.scalar(select(AdminUnit.id).where(AdminUnit.dataset_id == dataset_id))
    # A unit added by a later import starts today; a first load follows the dataset's dates.
    since = None if first is None else date.today()
    total = UnitChanges()
    # Top down, so that each level finds the ids of its parents in ids.
    for level in UnitLevel:
        existing = _existing(dataset_id, level)
        plan = _plan(dataset_id, level, parsed.units[level], existing, ids, since)
        _write(plan)
        ids.update({code: row.id for code, row in existing.items()})
        if plan.new:
            ids.update(_ids(dataset_id, level))
        total.created += len(plan.new)
        total.updated += len(plan.changes)
        total.retired += len(plan.gone)
        total.unchanged += plan.unchanged
        total.moved |= plan.moved
    if total.moved:
        _update_paths(dataset_id)
    if total.created or total.updated or total.retired or total.moved:
        generations.bump([generations.EVERY_MONTH])  # figures name and count units by these
    return total


def _existing(dataset_id: int, level: UnitLevel) -> dict[str, Row]:
    """Return the units of a level already in the dataset, by code."""
    query = select(AdminUnit.id, AdminUnit.code, *(getattr(AdminUnit, c) for c in COMPARED))
    query = query.where(AdminUnit.dataset_id == dataset_id, AdminUnit.level == level)
    return {row.code: row for row in db.session.execute(query)}


def _ids(dataset_id: int, level: UnitLevel) -> dict[str, int]:
    """Return the ids of a level's units by code."""
    query = select(AdminUnit.code, AdminUnit.id)
    query = query.where(AdminUnit.dataset_id == dataset_id, AdminUnit.level == level)
    return {code: unit_id for code, unit_id in db.session.execute(query)}


def _plan(
    dataset_id: int,
    level: UnitLevel,
    units: dict[str, ParsedUnit],
    existing: dict[str, Row],
    ids: dict[str, int],
    since: date | None,
) -> _Plan:
    """Sort a level's units into new, changed and unchanged, and find those to retire."""
    plan = _Plan()
    for unit in units.values():
        parent_id = ids[unit.parent_code] if unit.parent_code else None
        # A retired unit that comes back is in force again: valid_to is cleared.
        wanted = {"name": unit.name, "kind": unit.kind, "parent_id": parent_id, "valid_to": None}
        row = existing.get(unit.code)
        if row is None:
            extra = {"dataset_id": dataset_id, "code": unit.code, "level": level, "path": ""}
            plan.new.append({**extra, "valid_from": since, **wanted})
            plan.moved = True
        elif any(getattr(row, key) != value for key, value in wanted.items()):
            plan.changes.append({"id": row.id, **wanted})
            plan.moved |= row.parent_id != parent_id
        else:
            plan.unchanged += 1
    # Retired, never deleted: responses and users may refer to the unit.
    last_day = date.today() - timedelta(days=1)
    plan.gone = [
        {"id": row.id, "valid_to": last_day}
        for code, row in existing.items()
        if code not in units and row.valid_to is None
    ]
    return plan


def _write(plan: _Plan) -> None:
    """Run a level's inserts and updates as bulk statements."""
    if plan.new:
        db.session.execute(insert(AdminUnit), plan.new)
    # Bulk updates by primary key group rows by their keys: changes and retirements differ.
    for batch in (plan.changes, plan.gone):
        if batch:
            db.session.execute(update(AdminUnit), batch)


def _update_paths(dataset_id: int) -> None:
    """Set every unit's path to the ids from its province down to itself, "/3/57/812/"."""
    parent = aliased(AdminUnit)
    own = cast(AdminUnit.id, String) + "/"
    above = select(parent.path).where(parent.id == AdminUnit.parent_id).scalar_subquery()
    # Top down, so that each level reads the paths its parents have just been given.
    for level in UnitLevel:
        path = literal("/") + own if level == UnitLevel.PROVINCE else above + own
        statement = (
            update(AdminUnit)
            .where(AdminUnit.dataset_id == dataset_id, AdminUnit.level == level)
            .values(path=path)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(statement)
