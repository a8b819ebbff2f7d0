"""Service points: the offices citizens rate, generated per unit or added by hand."""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import contains_eager

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.extensions import db
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel
from satisfaction.units.queries import (
    find_unit,
    get_dataset,
    in_force,
    level_order,
    parse_level,
)

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]{2,32}")
MAX_NAME = 255
CODE_LETTER = {UnitLevel.PROVINCE: "P", UnitLevel.DISTRICT: "D", UnitLevel.COMMUNE: "C"}
# A province's office is its Public Administration Service Centre; below, the one-stop desk.
NAME_PREFIX = {
    UnitLevel.PROVINCE: "Trung tâm Phục vụ hành chính công ",
    UnitLevel.DISTRICT: "Bộ phận Một cửa ",
    UnitLevel.COMMUNE: "Bộ phận Một cửa ",
}


def generated_code(level: UnitLevel, unit_code: str, tag: str) -> str:
    """Return the code of a unit's generated service point, e.g. C00001-24."""
    return f"{CODE_LETTER[level]}{unit_code}-{tag}"


def generate_service_points(dataset: UnitDataset) -> tuple[int, int]:
    """Give every unit in force its office; rename those whose unit was renamed.

    Return how many service points were created and updated.
    """
    units = db.session.execute(
        select(AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.level).where(
            AdminUnit.dataset_id == dataset.id, AdminUnit.valid_to.is_(None)
        )
    )
    # Generated codes end with the dataset's tag, and tags are unique across datasets.
    columns = (ServicePoint.id, ServicePoint.code, ServicePoint.name, ServicePoint.unit_id,
               ServicePoint.is_generated)  # fmt: skip
    pattern = f"%-{dataset.tag}"
    existing = {row.code: row for row in db.session.execute(
        select(*columns).where(ServicePoint.code.like(pattern))
    )}  # fmt: skip
    new, renamed = [], []
    for unit in units:
        code = generated_code(unit.level, unit.code, dataset.tag)
        name = NAME_PREFIX[unit.level] + unit.name
        row = existing.get(code)
        if row is None:
            new.append({"code": code, "name": name, "level": unit.level, "unit_id": unit.id,
                        "is_generated": True})  # fmt: skip
        elif row.is_generated and row.unit_id == unit.id and row.name != name:
            renamed.append({"id": row.id, "name": name})
    if new:
        db.session.execute(insert(ServicePoint), new)
    if renamed:
        db.session.execute(update(ServicePoint), renamed)
    return len(new), len(renamed)


def add_service_point(
    code: str,
    name: str,
    unit_code: str,
    dataset: str | None = None,
    level: UnitLevel | str | None = None,
) -> ServicePoint:
    """Add a service point to a unit (default level: the unit's); flush, no commit."""
    code, name, problems = code.strip(), " ".join(name.split()), []
    if not CODE_PATTERN.fullmatch(code):
        message = _("a code has 2 to 32 letters, digits, dots, - or _")
        problems.append(Problem("code", message))
    elif _code_taken(code):
        problems.append(Problem("code", _("the code %(code)s is taken", code=code)))
    if not name:
        problems.append(Problem("name", _("the name is missing")))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name", _("the name is too long")))
    unit = find_unit(unit_code.strip(), dataset)
    if unit is None or (unit.valid_to is not None and unit.valid_to < date.today()):
        problems.append(
            Problem("unit", _("no unit in force has the code %(code)s", code=unit_code))
        )
    try:
        chosen = parse_level(level)
    except InputError as error:
        problems += error.problems
        chosen = None
    if problems:
        raise InputError(problems)
    point = ServicePoint(code=code, name=name, level=chosen or unit.level, unit=unit)
    db.session.add(point)
    db.session.flush()
    return point


def _code_taken(code: str) -> bool:
    """Tell whether a service point has this code, whatever its case."""
    query = select(ServicePoint.id).where(func.lower(ServicePoint.code) == code.lower())
    return db.session.scalar(query) is not None


def list_service_points(
    unit_code: str | None = None, dataset: str | None = None, include_retired: bool = False
) -> list[ServicePoint]:
    """List the service points of a dataset, or of a unit and every unit below it."""
    found = get_dataset(dataset)
    query = (
        select(ServicePoint)
        .join(ServicePoint.unit)
        .options(contains_eager(ServicePoint.unit))
        .where(AdminUnit.dataset_id == found.id)
        .order_by(level_order(), AdminUnit.code, ServicePoint.code)
    )
    if unit_code is not None:
        unit = find_unit(unit_code, found.name)
        if unit is None:
            raise NotFound(
                _("there is no unit %(code)s in %(name)s", code=unit_code, name=found.name)
            )
        query = query.where(AdminUnit.path.startswith(unit.path))
    if not include_retired:
        query = query.where(in_force())
    return list(db.session.scalars(query))


def own_service_points(unit: AdminUnit) -> list[ServicePoint]:
    """List the service points attached to unit itself."""
    query = select(ServicePoint).where(ServicePoint.unit_id == unit.id).order_by(ServicePoint.code)
    return list(db.session.scalars(query))
