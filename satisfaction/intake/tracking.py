"""Follow each paper form: dispatched with its result, returned to the post office, or voided."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import User
from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey import expiry
from satisfaction.survey.invitations import CodeState, lookup
from satisfaction.survey.models import Invitation, InvitationEvent, InvitationStatus, Mode

S = InvitationStatus
# Where a form may go from each status, by a clerk's scan or decision.
MOVES: dict[InvitationStatus, tuple[InvitationStatus, ...]] = {
    S.DISPATCHED: (S.ISSUED, S.PRINTED),
    S.RETURNED: (S.ISSUED, S.PRINTED, S.DISPATCHED),
    S.WITHDRAWN: (S.ISSUED, S.PRINTED, S.DISPATCHED, S.RETURNED),
}
STAMPS = {S.DISPATCHED: "dispatched_at", S.RETURNED: "returned_at", S.WITHDRAWN: "withdrawn_at"}


@dataclass(frozen=True)
class Moved:
    """A form that has just changed status."""

    invitation: Invitation
    status: InvitationStatus


def find_for_clerk(typed: str, actor: User | None) -> Invitation:
    """Return the form with a typed or scanned code, within the clerk's area."""
    found = lookup(typed)
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
    """Move a form to a new status and record who did it and when; refuse impossible moves."""
    invitation = find_for_clerk(typed, actor)
    if invitation.status not in MOVES[to]:
        raise InputError(Problem("code", _refusal(invitation, to)))
    if to is not S.WITHDRAWN:
        refuse_late(invitation)
    if to is S.WITHDRAWN and not note.strip():
        raise InputError(Problem("note", _("say why the form is withdrawn")))
    now = utcnow()
    invitation.status = to
    setattr(invitation, STAMPS[to], now)
    if to is S.WITHDRAWN:
        invitation.withdrawn_reason = note.strip()
    event = InvitationEvent(
        invitation=invitation, status=to, at=now, actor_id=getattr(actor, "id", None),
        note=note.strip(),
    )  # fmt: skip
    db.session.add(event)
    db.session.flush()
    return Moved(invitation, to)


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
