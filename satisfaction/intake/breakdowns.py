"""Figures to act on: the paper flow per batch, per unit and per clerk; forms long out."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from satisfaction.auth.models import User
from satisfaction.core.time import local_date, local_today, utc_start_of
from satisfaction.extensions import db
from satisfaction.intake.figures import (
    ClerkFigures,
    FormFigures,
    clerk_figures,
    duplicates,
    form_figures,
    measures,
    scoped,
    to_figures,
)
from satisfaction.intake.models import Batch, DuplicateAnswer
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation, InvitationEvent, InvitationStatus
from satisfaction.units.models import AdminUnit, ServicePoint

S = InvitationStatus
DEFAULT_OVERDUE_DAYS = 30
MAX_ROWS = 200  # rows of a breakdown shown on the page (the largest first)


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: what it is about, and its forms at each step."""

    key: str
    label: str
    figures: FormFigures
    created_on: date | None = None  # a batch's day


@dataclass(frozen=True)
class ClerkSteps:
    """How many forms a clerk dispatched, received and withdrawn."""

    username: str
    dispatched: int
    received: int
    withdrawn: int


@dataclass(frozen=True)
class Overdue:
    """A form dispatched long ago that has not come back."""

    code: str
    point_code: str
    point_name: str
    unit_name: str
    batch_id: int | None
    dossier_ref: str
    procedure_name: str
    dispatched_on: date
    days: int

    def cells(self) -> list[str]:
        """Return the row of the CSV, in the order of overdue_header()."""
        return [self.code, self.point_code, self.point_name, self.unit_name,
                str(self.batch_id or ""), self.dossier_ref, self.procedure_name,
                self.dispatched_on.isoformat(), str(self.days)]  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """What the figures page narrows to: a unit, a batch, a period of issue."""

    unit: AdminUnit | None = None
    batch_id: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Report:
    """Everything the figures page shows."""

    figures: FormFigures
    batches: list[Line]
    units: list[Line]
    steps: list[ClerkSteps]
    keying: list[ClerkFigures]
    overdue: list[Overdue]  # the oldest few; the CSV has them all
    overdue_count: int
    duplicates: list[DuplicateAnswer]


def report(actor: User | None, asked: Filters, days: int, overdue_shown: int = 20) -> Report:
    """Gather the figures page: the flow, per batch, unit and clerk, the forms long out."""
    return Report(
        form_figures(actor, asked.unit, asked.batch_id, asked.start, asked.end),
        by_batch(actor, asked), by_unit(actor, asked), clerk_steps(actor, asked),
        clerk_figures(actor), list(overdue(actor, asked, days, overdue_shown)),
        overdue_count(actor, asked, days), duplicates(actor),
    )  # fmt: skip


def by_batch(actor: User | None, asked: Filters) -> list[Line]:
    """Return the forms of each batch at each step, the latest batches first."""
    stmt = select(Batch.id, Batch.created_at, Batch.source_name, *measures())
    stmt = scoped(stmt, actor, asked.unit, asked.batch_id, asked.start, asked.end)
    stmt = stmt.where(Invitation.batch_id.is_not(None)).group_by(
        Batch.id, Batch.created_at, Batch.source_name).order_by(Batch.id.desc())  # fmt: skip
    return [Line(str(row[0]), row[2], to_figures(row[3:]), local_date(row[1]))
            for row in db.session.execute(stmt.limit(MAX_ROWS))]  # fmt: skip


def by_unit(actor: User | None, asked: Filters) -> list[Line]:
    """Return the forms of each unit (commune, or the district of a district's office)."""
    stmt = select(AdminUnit.code, AdminUnit.name, *measures())
    stmt = scoped(stmt, actor, asked.unit, asked.batch_id, asked.start, asked.end)
    stmt = stmt.group_by(AdminUnit.code, AdminUnit.name).order_by(AdminUnit.code)
    return [Line(row[0], row[1], to_figures(row[2:]))
            for row in db.session.execute(stmt.limit(MAX_ROWS))]  # fmt: skip


def clerk_steps(actor: User | None, asked: Filters) -> list[ClerkSteps]:
    """Return how many forms each clerk dispatched, received and withdrew (the forms asked)."""

    def steps(status: InvitationStatus):
        return func.coalesce(func.sum(case((InvitationEvent.status == status, 1), else_=0)), 0)

    stmt = select(User.username, steps(S.DISPATCHED), steps(S.RETURNED), steps(S.WITHDRAWN))
    stmt = stmt.select_from(InvitationEvent).join(
        Invitation, InvitationEvent.invitation_id == Invitation.id).join(
        User, InvitationEvent.actor_id == User.id)  # fmt: skip
    stmt = scoped(stmt, actor, asked.unit, asked.batch_id, asked.start, asked.end)
    stmt = stmt.group_by(User.username).order_by(User.username)
    return [ClerkSteps(name, int(d), int(r), int(w)) for name, d, r, w in db.session.execute(stmt)]


def _overdue_query(actor: User | None, asked: Filters, days: int):
    cutoff = utc_start_of(local_today() - timedelta(days=days))
    stmt = select(Invitation, ServicePoint.code, ServicePoint.name, AdminUnit.name)
    stmt = scoped(stmt, actor, asked.unit, asked.batch_id, asked.start, asked.end)
    return stmt.where(Invitation.status == S.DISPATCHED, Invitation.dispatched_at < cutoff)


def overdue_count(actor: User | None, asked: Filters, days: int) -> int:
    """Count the forms dispatched more than days ago and neither returned nor answered."""
    stmt = _overdue_query(actor, asked, days).with_only_columns(func.count())
    return int(db.session.scalar(stmt) or 0)


def overdue(actor: User | None, asked: Filters, days: int,
            limit: int | None = None) -> Iterator[Overdue]:  # fmt: skip
    """Yield the forms dispatched more than days ago and not back, the oldest first."""
    stmt = _overdue_query(actor, asked, days).order_by(Invitation.dispatched_at, Invitation.id)
    today = local_today()
    for invitation, point_code, point_name, unit_name in db.session.execute(stmt.limit(limit)):
        sent = local_date(invitation.dispatched_at)
        yield Overdue(group(invitation.code), point_code, point_name, unit_name,
                      invitation.batch_id, invitation.dossier_ref or "",
                      invitation.procedure_name, sent, (today - sent).days)  # fmt: skip


def overdue_header() -> list[str]:
    """Return the column titles of the overdue forms, in the user's language."""
    return [_("Form code"), _("Service point code"), _("Service point"), _("Unit"), _("Batch"),
            _("Dossier"), _("Procedure"), _("Dispatched on"), _("Days since")]  # fmt: skip
