"""Create print batches: from a dossier list (one form per result posted) or as N forms."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, tuple_

from satisfaction.audit.services import record
from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import User
from satisfaction.core.errors import Conflict, InputError, Problem, at_line
from satisfaction.core.imports import FileKind, claim_file
from satisfaction.core.sql import chunked
from satisfaction.core.tables import Source, read_table
from satisfaction.extensions import db
from satisfaction.intake.dossiers import DossierRow, limit, read_dossiers
from satisfaction.intake.models import Batch
from satisfaction.paper import codes
from satisfaction.procedures.catalogue import field_of, fields_of
from satisfaction.procedures.fields import UNKNOWN, by_code
from satisfaction.questionnaires.services import get_version
from satisfaction.survey.expiry import MAX_VALID_DAYS
from satisfaction.survey.models import Channel, Invitation
from satisfaction.units.models import AdminUnit, ServicePoint
from satisfaction.units.queries import find_unit

MAX_FORMS = 10_000


class ListTakenBefore(Conflict):
    """A dossier list taken before (or by another upload at this moment): nothing was created."""

    def __init__(self, refusal: Conflict, batch_id: int | None):
        super().__init__(refusal.problems)
        self.batch_id = batch_id  # the batch it made, for a script that runs the import again


@dataclass(frozen=True)
class ImportOutcome:
    """What a dossier list produced: a new batch (or none) and how many rows had forms already."""

    batch: Batch | None
    created: int
    existing: int
    # The newest earlier batch holding rows of this list (what a re-upload points back to).
    earlier_batch_id: int | None = None
    # Forms whose procedure code is not in the catalogue: their field is unknown.
    unknown_fields: int = 0


def import_dossier_list(
    source: Source, channel: Channel = Channel.ENVELOPE, actor: User | None = None,
    source_name: str = "", valid_days: int | None = None,
) -> ImportOutcome:  # fmt: skip
    """Check every row of a dossier list, then issue one form per dossier not issued before.

    The same file twice is refused, also when both run at once; another list naming dossiers
    issued before makes forms for the others only. valid_days: how long the codes can be
    answered (None: CODE_VALID_DAYS).
    """
    if problems := _valid_days_problems(valid_days):
        raise InputError(problems)
    table = read_table(source, source_name)
    try:
        claim_file(FileKind.DOSSIERS, table.fingerprint, source_name, actor)
    except Conflict as refusal:
        made = select(Batch.id).where(Batch.source_sha256 == table.fingerprint)
        raise ListTakenBefore(refusal, db.session.scalar(made.order_by(Batch.id))) from None
    rows, problems = read_dossiers(table)
    points = _points_for(rows, actor, problems)
    existing = _already_issued(rows, points)
    new_rows = [r for r in rows if (points[r.service_point].id, r.dossier_ref) not in existing]
    if not new_rows:
        return ImportOutcome(None, 0, len(rows), _earlier_batch(rows, points))
    batch = _new_batch(channel, [points[r.service_point] for r in new_rows], actor, valid_days)
    batch.source_name, batch.source_sha256 = source_name[:255], table.fingerprint
    version = batch.questionnaire_version
    known = fields_of(r.procedure_code for r in new_rows)
    db.session.add_all(
        Invitation(code=codes.new_code(), batch=batch, service_point=points[r.service_point],
                   questionnaire_version=version, channel=channel, dossier_ref=r.dossier_ref,
                   procedure_code=r.procedure_code, procedure_name=r.procedure_name,
                   field_code=field_of(r.procedure_code, known), result_on=r.result_on)
        for r in new_rows
    )  # fmt: skip
    batch.form_count = len(new_rows)
    db.session.flush()
    unknown = sum(1 for r in new_rows if field_of(r.procedure_code, known) == UNKNOWN)
    record("batch.import", f"batch {batch.id}", actor, forms=len(new_rows), file=source_name,
           unknown_fields=unknown)  # fmt: skip
    return ImportOutcome(batch, len(new_rows), len(rows) - len(new_rows), unknown_fields=unknown)


def create_batch(target: str, count: int, channel: Channel, actor: User | None = None,
                 valid_days: int | None = None, field_code: str = "") -> Batch:  # fmt: skip
    """Issue count forms for a service point, or count for each service point of an area.

    valid_days: how long the codes can be answered (None: CODE_VALID_DAYS); field_code: the
    field of the procedures the forms are for ("" none: unknown).
    """
    problems: list[Problem] = _valid_days_problems(valid_days)
    if field_code and by_code(field_code) is None:
        problems.append(Problem("field", _("%(code)s is not a field of procedures",
                                           code=field_code)))  # fmt: skip
    points = _stack_points(target.strip(), actor, problems)
    if not 1 <= count <= MAX_FORMS:
        problems.append(Problem("count", _("must be between 1 and %(n)d", n=MAX_FORMS)))
    elif count * len(points) > MAX_FORMS:
        problems.append(Problem("count", _(
            "%(n)d forms for each of %(points)d service points make more than %(max)d forms",
            n=count, points=len(points), max=MAX_FORMS)))  # fmt: skip
    if channel is Channel.ENVELOPE:
        problems.append(Problem("channel", _("envelope forms come from a dossier list")))
    if problems:
        raise InputError(problems)
    batch = _new_batch(channel, points, actor, valid_days)
    batch.field_code = field_code
    version = batch.questionnaire_version
    db.session.add_all(
        Invitation(code=codes.new_code(), batch=batch, service_point=point,
                   questionnaire_version=version, channel=channel, field_code=field_code)
        for point in points for _ in range(count)
    )  # fmt: skip
    batch.form_count = count * len(points)
    db.session.flush()
    record("batch.create", f"batch {batch.id}", actor, forms=batch.form_count, stack_for=target)
    return batch


def _stack_points(target: str, actor: User | None, problems: list[Problem]) -> list[ServicePoint]:
    """Return the service point coded target, or every service point of the area coded target."""
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == target))
    unit = point.unit if point is not None else find_unit(target)
    if unit is None:
        problems.append(Problem("service_point", _(
            "no service point or area has the code %(code)s", code=target)))  # fmt: skip
        return []
    if actor is not None and not can_see_unit(actor, unit):
        problems.append(Problem("service_point", _("%(code)s is outside your area", code=target)))
        return []
    if point is not None:
        return [point]
    inside = (
        select(ServicePoint)
        .join(ServicePoint.unit)
        .where(AdminUnit.path.startswith(unit.path, autoescape=True))
        .order_by(ServicePoint.code)
    )
    points = list(db.session.scalars(inside))
    if not points:
        problems.append(Problem("service_point", _(
            "the area %(code)s has no service point", code=target)))  # fmt: skip
    return points


def _points_for(
    rows: Sequence[DossierRow], actor: User | None, problems: list[Problem]
) -> dict[str, ServicePoint]:
    """Return the service points the rows name; refuse the file on any problem found so far."""
    wanted = {row.service_point for row in rows}
    found = {p.code: p for p in db.session.scalars(
        select(ServicePoint).where(ServicePoint.code.in_(wanted)))}  # fmt: skip
    problems = list(problems)
    for row in rows:
        point = found.get(row.service_point)
        where = at_line(row.line, "service_point")
        if point is None:
            problems.append(Problem(where, _("no service point has the code %(code)s",
                                             code=row.service_point)))  # fmt: skip
        elif actor is not None and not can_see_unit(actor, point.unit):
            problems.append(Problem(where, _("%(code)s is outside your area",
                                             code=row.service_point)))  # fmt: skip
    if problems:
        raise InputError(limit(sorted(problems, key=_line_of)))
    return found


def _line_of(problem: Problem) -> int:
    digits = "".join(c if c.isdigit() else " " for c in problem.where).split()
    return int(digits[0]) if digits else 0


def _earlier_batch(rows: Sequence[DossierRow], points: dict[str, ServicePoint]) -> int | None:
    row = rows[-1]
    stmt = select(Invitation.batch_id).where(
        Invitation.service_point_id == points[row.service_point].id,
        Invitation.dossier_ref == row.dossier_ref,
    )
    return db.session.scalar(stmt)


def _already_issued(rows, points) -> set[tuple[int, str]]:
    pairs = {(points[r.service_point].id, r.dossier_ref) for r in rows}
    found: set[tuple[int, str]] = set()
    pair_list = sorted(pairs)
    for chunk in chunked(pair_list, 500):
        stmt = select(Invitation.service_point_id, Invitation.dossier_ref).where(
            tuple_(Invitation.service_point_id, Invitation.dossier_ref).in_(chunk)
        )
        found.update((sp, ref) for sp, ref in db.session.execute(stmt))
    return found


def _valid_days_problems(valid_days: int | None) -> list[Problem]:
    if valid_days is None or 1 <= valid_days <= MAX_VALID_DAYS:
        return []
    return [Problem("valid_days", _("must be between 1 and %(n)d days", n=MAX_VALID_DAYS))]


def _new_batch(channel: Channel, points: Sequence[ServicePoint], actor: User | None,
               valid_days: int | None = None) -> Batch:  # fmt: skip
    version = get_version(current_app.config["DEFAULT_QUESTIONNAIRE"])
    single = points[0] if len({p.id for p in points}) == 1 else None
    batch = Batch(channel=channel, service_point=single, questionnaire_version=version,
                  unit_id=_common_unit_id([p.unit for p in points]), created_by=actor,
                  valid_days=valid_days)  # fmt: skip
    db.session.add(batch)
    return batch


def _common_unit_id(units: Sequence[AdminUnit]) -> int | None:
    """Return the id of the smallest unit containing every unit given (by their paths)."""
    paths = [u.path.strip("/").split("/") for u in units]
    common = paths[0]
    for path in paths[1:]:
        size = 0
        while size < min(len(common), len(path)) and common[size] == path[size]:
            size += 1
        common = common[:size]
    return int(common[-1]) if common else None
