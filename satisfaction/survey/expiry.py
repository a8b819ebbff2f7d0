"""When a code stops being valid: computed from its issue date and days, never stored.

A code can be answered for CODE_VALID_DAYS from the (local) day it was issued, or for the days
its batch sets. A paper form counts when the post office received it in time, even if it is
keyed or scanned later: the receipt date (returned_at) is what matters, as for a postmark.
"""

from datetime import date, timedelta

from flask import current_app

from satisfaction.core.time import local_date, local_today
from satisfaction.survey.found import InvitationRow
from satisfaction.survey.models import OPEN_STATUSES, Invitation, Mode

MAX_VALID_DAYS = 3650


class CodeExpired(Exception):
    """The code expired before this answer arrived (or was received); nothing was recorded."""

    def __init__(self, code: str, expired_on: date):
        super().__init__(code)
        self.code = code
        self.expired_on = expired_on


def default_days() -> int:
    """Return the days a code is valid when its batch sets none (CODE_VALID_DAYS)."""
    return int(current_app.config["CODE_VALID_DAYS"])


def valid_days(invitation: Invitation | InvitationRow) -> int:
    """Return the days this invitation's code can be answered from its issue."""
    return invitation.batch_valid_days or default_days()


def expires_on(invitation: Invitation | InvitationRow) -> date:
    """Return the first day on which the code no longer opens."""
    return local_date(invitation.issued_at) + timedelta(days=valid_days(invitation))


def is_expired(invitation: Invitation | InvitationRow, on: date | None = None) -> bool:
    """Tell whether an open code has expired by a day (today by default)."""
    if invitation.status not in OPEN_STATUSES:
        return False
    return (on or local_today()) >= expires_on(invitation)


def counting_day(invitation: Invitation | InvitationRow, mode: Mode) -> date:
    """Return the day whose validity decides whether an answer by this mode can count.

    Online: today. Paper (keyed, scanned): the day the post office received it, when recorded.
    """
    if mode is not Mode.ONLINE and invitation.returned_at is not None:
        return local_date(invitation.returned_at)
    return local_today()


def check(invitation: Invitation | InvitationRow, mode: Mode) -> None:
    """Raise CodeExpired if an answer to this open code by this mode can no longer count."""
    if is_expired(invitation, counting_day(invitation, mode)):
        raise CodeExpired(invitation.code, expires_on(invitation))
