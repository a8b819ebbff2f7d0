"""Paper forms that come back with no answer at all: received, listed, never counted.

A blank form is no answer: it drops nothing in the ballot box and does not close its code, so
an answer that arrives later for the same code (online, or the paper keyed again once filled
in) is counted as the first. The invitation only keeps a flag, and the post office figures
list the forms returned blank that no answer followed.
"""

from satisfaction.auth.models import User
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.survey.models import Invitation, InvitationEvent, InvitationStatus

S = InvitationStatus
NOT_YET_BACK = (S.ISSUED, S.PRINTED, S.DISPATCHED)
BLANK_NOTE = "blank"


def record_blank(invitation: Invitation, actor: User | None) -> None:
    """Record that a paper form came back blank: received, not answered, not counted."""
    invitation.is_returned_blank = True
    if invitation.status in NOT_YET_BACK:
        now = utcnow()
        invitation.status, invitation.returned_at = S.RETURNED, now
        db.session.add(InvitationEvent(invitation=invitation, status=S.RETURNED, at=now,
                                       actor_id=getattr(actor, "id", None),
                                       note=BLANK_NOTE))  # fmt: skip
    db.session.flush()
