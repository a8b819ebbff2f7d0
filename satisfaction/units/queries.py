"""Look up datasets and units: the dataset in force, a unit by code, lists of units."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, case, desc, or_, select
from sqlalchemy.orm import aliased, contains_eager

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.extensions import db
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel

LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


def current_dataset() -> UnitDataset | None:
    """Return the dataset in force today, else the one loaded most recently."""
    today = date.today()
    in_force = select(UnitDataset).where(
        or_(UnitDataset.valid_from.is_(None), UnitDataset.valid_from <= today),
        or_(UnitDataset.valid_to.is_(None), UnitDataset.valid_to >= today),
    )
    # Of two datasets in force, the one that started later replaced the other.
    latest = (desc(UnitDataset.valid_from), desc(UnitDataset.loaded_at), desc(UnitDataset.id))
    found = db.session.scalar(in_force.order_by(*latest).limit(1))
    if found is not None:
        return found
    recent = select(UnitDataset).order_by(desc(UnitDataset.loaded_at), desc(UnitDataset.id))
    return db.session.scalar(recent.limit(1))


def get_dataset(name: str | None = None) -> UnitDataset:
    """Return the dataset called name, or the current one; raise NotFound if there is none."""
    if name is None:
        found = current_dataset()
        if found is None:
            raise NotFound(_("no administrative units are loaded"))
        return found
    found = db.session.scalar(select(UnitDataset).where(UnitDataset.name == name))
    if found is None:
        raise NotFound(_("there is no unit dataset %(name)s", name=name))
    return found


def find_dataset(name: str) -> UnitDataset | None:
    """Return the dataset called name, or None."""
    return db.session.scalar(select(UnitDataset).where(UnitDataset.name == name))


def find_unit(code: str, dataset: str | None = None) -> AdminUnit | None:
    """Return the unit with code in dataset (default: the current one), or None."""
    try:
        return get_unit(code, dataset)
    except NotFound:
        return None


def get_unit(code: str, dataset: str | None = None) -> AdminUnit:
    """Return the unit with code in dataset (default: the current one); raise NotFound if none."""
    found = get_dataset(dataset)
    query = select(AdminUnit).where(AdminUnit.dataset_id == found.id, AdminUnit.code == code)
    unit = db.session.scalar(query)
    if unit is None:
        raise NotFound(_("there is no unit %(code)s in %(name)s", code=code, name=found.name))
    return unit


def parse_level(value: UnitLevel | str | None) -> UnitLevel | None:
    """Return the UnitLevel named by value, None for none; raise InputError if unknown."""
    if value is None or isinstance(value, UnitLevel):
        return value
    try:
        return UnitLevel(value.strip().lower())
    except ValueError:
        choices = ", ".join(level.value for level in UnitLevel)
        message = _("unknown level %(level)s (one of: %(choices)s)", level=value, choices=choices)
        raise InputError(Problem("level", message)) from None


def in_force(today: date | None = None):
    """Return a condition on AdminUnit: not retired before today."""
    today = today or date.today()
    return or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to >= today)


def level_order():
    """Return an expression that sorts units from province down to commune."""
    return case(LEVEL_ORDER, value=AdminUnit.level)


def list_units(
    dataset: str | None = None,
    level: UnitLevel | str | None = None,
    parent_code: str | None = None,
    include_retired: bool = False,
) -> list[AdminUnit]:
    """List the units of a dataset, by level then code; with parent_code, its children only."""
    found = get_dataset(dataset)
    parent = aliased(AdminUnit)
    query: Select = (
        select(AdminUnit)
        .outerjoin(parent, AdminUnit.parent)
        .options(contains_eager(AdminUnit.parent.of_type(parent)))
        .where(AdminUnit.dataset_id == found.id)
        .order_by(level_order(), AdminUnit.code)
    )
    chosen = parse_level(level)
    if chosen is not None:
        query = query.where(AdminUnit.level == chosen)
    if parent_code is not None:
        above = find_unit(parent_code, found.name)
        if above is None:
            raise NotFound(
                _("there is no unit %(code)s in %(name)s", code=parent_code, name=found.name)
            )
        query = query.where(AdminUnit.parent_id == above.id)
    if not include_retired:
        query = query.where(in_force())
    return list(db.session.scalars(query))


def province_id(unit: AdminUnit) -> int | None:
    """Return the id of the province holding a unit (itself, for a province), from its path."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return ids[0] if ids else None


def ancestors(unit: AdminUnit) -> list[AdminUnit]:
    """Return the units above unit, from its province down to its parent."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    if not ids:
        return [] if unit.parent is None else [*ancestors(unit.parent), unit.parent]
    found = {u.id: u for u in db.session.scalars(select(AdminUnit).where(AdminUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def units_of_points(codes: list[str]) -> dict[str, AdminUnit]:
    """Return the unit of each service point named by its code (those that exist)."""
    if not codes:
        return {}
    stmt = (
        select(ServicePoint.code, AdminUnit)
        .join(AdminUnit, AdminUnit.id == ServicePoint.unit_id)
        .where(ServicePoint.code.in_(codes))
    )
    return {code: unit for code, unit in db.session.execute(stmt)}
