"""Follow each paper form: dispatched with its result, returned to the post office, or voided."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import User
from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import local_today, utc_start_of, utcnow
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey import expiry
from satisfaction.survey.invitations import CodeState, lookup_invitation
from satisfaction.survey.models import Invitation, InvitationEvent, InvitationStatus, Mode

S = InvitationStatus
# Where a form may go from each status, by a clerk's scan or decision.
MOVES: dict[InvitationStatus, tuple[InvitationStatus, ...]] = {
    S.DISPATCHED: (S.ISSUED, S.PRINTED),
    S.RETURNED: (S.ISSUED, S.PRINTED, S.DISPATCHED),
    S.WITHDRAWN: (S.ISSUED, S.PRINTED, S.DISPATCHED, S.RETURNED),
}
MAX_NOTE = 200
STAMPS = {S.DISPATCHED: "dispatched_at", S.RETURNED: "returned_at", S.WITHDRAWN: "withdrawn_at"}


@dataclass(frozen=True)
class Moved:
    """A form that has just changed status, or had it already (the same scan twice)."""

    invitation: Invitation
    status: InvitationStatus
    is_repeat: bool = False  # already so: nothing recorded again


def find_for_clerk(typed: str, actor: User | None) -> Invitation:
    """Return the form with a typed or scanned code, within the clerk's area."""
    found = lookup_invitation(typed)
    if found.state is CodeState.MISTYPED:
        raise InputError(Problem("code", _("%(code)s is not a valid form code (mistyped?)",
                                           code=typed.strip()[:40])))  # fmt: skip
    if found.invitation is None:
        raise InputError(
            Problem("code", _("no form has the code %(code)s", code=group(found.code)))
        )
    if actor is not None and not can_see_unit(actor, found.invitation.service_point.unit):
        raise InputError(Problem("code", _("form %(code)s belongs to another area",
                                           code=group(found.code))))  # fmt: skip
    return found.invitation


def move(typed: str, to: InvitationStatus, actor: User | None, note: str = "") -> Moved:
    """Move a form to a new status and record who did it and when; refuse impossible moves.

    The same scan twice is one event: a form already so is returned as a repeat, unchanged.
    The update is conditional, so two clerks (or two tabs) scanning one form at once record
    one event whatever the database.
    """
    invitation = find_for_clerk(typed, actor)
    if invitation.status is to:
        return Moved(invitation, to, is_repeat=True)
    if invitation.status not in MOVES[to]:
        raise InputError(Problem("code", _refusal(invitation, to)))
    if to is not S.WITHDRAWN:
        refuse_late(invitation)
    if to is S.WITHDRAWN and not note.strip():
        raise InputError(Problem("note", _("say why the form is withdrawn")))
    if len(note.strip()) > MAX_NOTE:
        raise InputError(Problem("note", _("the reason can have at most %(n)d characters",
                                           n=MAX_NOTE)))  # fmt: skip
    now = utcnow()
    if not _claim(invitation, to, now, note.strip()):  # another scan of it got there first
        if invitation.status is to:
            return Moved(invitation, to, is_repeat=True)
        raise InputError(Problem("code", _refusal(invitation, to)))
    event = InvitationEvent(invitation=invitation, status=to, at=now,
                            actor_id=getattr(actor, "id", None), note=note.strip())  # fmt: skip
    db.session.add(event)
    db.session.flush()
    return Moved(invitation, to)


def _claim(invitation: Invitation, to: InvitationStatus, now: datetime, note: str) -> bool:
    """Move the form with one conditional update; tell whether this call moved it."""
    changes = {"status": to, STAMPS[to]: now}
    if to is S.WITHDRAWN:
        changes["withdrawn_reason"] = note
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(MOVES[to]))
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.refresh(invitation)  # what the other scan made of it
        return False
    for name, value in changes.items():  # as stored, without reading the row again
        set_committed_value(invitation, name, value)
    return True


def tally_today(actor: User, status: InvitationStatus) -> int:
    """Count the forms a clerk moved to a status today (local day)."""
    stmt = select(func.count()).select_from(InvitationEvent).where(
        InvitationEvent.actor_id == actor.id, InvitationEvent.status == status,
        InvitationEvent.at >= utc_start_of(local_today()),
    )  # fmt: skip
    return int(db.session.scalar(stmt) or 0)


def expired_message(code: str, expired_on: date) -> str:
    """Say that a form's code expired on a day, so that its answers cannot be counted."""
    return _("form %(code)s expired on %(day)s and was not received by then: its answers "
             "cannot be counted", code=group(code), day=format_date(expired_on))  # fmt: skip


def refuse_late(invitation: Invitation, mode: Mode = Mode.KEYED) -> None:
    """Refuse a paper form whose code expired before the post office received it."""
    try:
        expiry.check(invitation, mode)
    except expiry.CodeExpired as late:
        raise InputError(Problem("code", expired_message(late.code, late.expired_on))) from None


def _refusal(invitation: Invitation, to: InvitationStatus) -> str:
    code = group(invitation.code)
    if invitation.status is to:
        when = getattr(invitation, STAMPS[to], None)
        return _("form %(code)s was already marked so on %(when)s", code=code,
                 when=format_datetime(when, "short") if when else "?")  # fmt: skip
    if invitation.status in (S.ANSWERED, S.KEYED, S.VERIFIED):
        return _("form %(code)s has already been answered", code=code)
    if invitation.status is S.WITHDRAWN:
        return _("form %(code)s was withdrawn", code=code)
    return _("form %(code)s cannot go back to an earlier step", code=code)
