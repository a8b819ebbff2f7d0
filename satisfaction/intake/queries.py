"""Find batches and their forms within what a staff member may see."""

from sqlalchemy import func, or_, select

from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import Role, User
from satisfaction.core.errors import Forbidden, NotFound
from satisfaction.extensions import db
from satisfaction.intake.models import Batch
from satisfaction.survey.models import Invitation
from satisfaction.units.models import AdminUnit


def can_see_batch(user: User | None, batch: Batch) -> bool:
    """Tell whether a batch lies within the scope of user (None: a command on the server)."""
    if user is None or user.role is Role.ADMIN or user.scope_unit is None:
        return True
    return batch.unit is not None and can_see_unit(user, batch.unit)


def list_batches(user: User | None, limit: int = 200) -> list[Batch]:
    """Return the newest batches the user may see."""
    stmt = select(Batch).order_by(Batch.created_at.desc(), Batch.id.desc()).limit(limit)
    if user is not None and user.role is not Role.ADMIN and user.scope_unit is not None:
        stmt = stmt.join(AdminUnit, Batch.unit_id == AdminUnit.id).where(
            or_(AdminUnit.id == user.scope_unit.id,
                AdminUnit.path.startswith(user.scope_unit.path, autoescape=True))
        )  # fmt: skip
    return list(db.session.scalars(stmt))


def get_batch(batch_id: int, user: User | None) -> Batch:
    """Return a batch the user may see; NotFound or Forbidden otherwise."""
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(str(batch_id))
    if not can_see_batch(user, batch):
        raise Forbidden(str(batch_id))
    return batch


def batch_forms(batch: Batch) -> list[Invitation]:
    """Return the forms of a batch in the order they print."""
    stmt = select(Invitation).where(Invitation.batch_id == batch.id).order_by(Invitation.id)
    return list(db.session.scalars(stmt))


def status_counts(batch: Batch) -> dict[str, int]:
    """Count the forms of a batch by status."""
    rows = db.session.execute(
        select(Invitation.status, func.count())
        .where(Invitation.batch_id == batch.id)
        .group_by(Invitation.status)
    )
    return {status.value: n for status, n in rows}
