"""Issue invitations (single-use codes) and find them again from what a citizen typed."""

import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.intake.models import Batch
from satisfaction.paper import codes
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.questionnaires.services import get_version
from satisfaction.survey import ballot_box, expiry, found
from satisfaction.survey.found import InvitationRow
from satisfaction.survey.models import (
    OPEN_STATUSES,
    Channel,
    Invitation,
    InvitationStatus,
    Response,
)
from satisfaction.units.models import ServicePoint

MAX_COUNT = 100_000


class CodeState(StrEnum):
    """What a typed code turned out to be."""

    OPEN = "open"
    MISTYPED = "mistyped"  # wrong length or character, or the check character disagrees
    UNKNOWN = "unknown"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # still open, but past its validity (expiry.py)


@dataclass(frozen=True)
class Lookup:
    """The result of looking a typed code up."""

    state: CodeState
    code: str = ""
    invitation: Invitation | InvitationRow | None = None  # as lookup_invitation or lookup read it
    error: codes.CodeError | None = None  # why a mistyped code cannot be one
    expired_on: date | None = None
    open_on: date | None = None  # the (local) day an open code was found valid

    @property
    def message(self) -> str:
        """Say what is wrong with the typed code, for the citizen (empty when nothing is)."""
        if self.error is not None:
            return code_error_message(self.error)
        if self.state is CodeState.UNKNOWN:
            return _("No form has this code. Please check it against your form.")
        return ""


def code_error_message(error: codes.CodeError) -> str:
    """Say in the user's language why typed text cannot be a form code."""
    if error.reason == "short":
        return _("This code is too short: you typed %(typed)d characters, a code has %(n)d "
                 "(12 and a last check character).", typed=error.typed, n=codes.LENGTH)  # fmt: skip
    if error.reason == "long":
        return _("This code is too long: you typed %(typed)d characters, a code has %(n)d. "
                 "Please type only the code printed under the QR code.",
                 typed=error.typed, n=codes.LENGTH)  # fmt: skip
    if error.reason == "character":
        return _("“%(char)s” cannot be in a code: codes use only digits and the letters A to Z "
                 "but U.", char=error.character)  # fmt: skip
    return _("This code seems mistyped: please check each character against your form.")


def find_service_point(code: str) -> ServicePoint | None:
    """Return the service point with this code, or None."""
    return db.session.scalar(select(ServicePoint).where(ServicePoint.code == code.strip()))


def create_invitations(
    service_point_code: str,
    count: int,
    channel: Channel = Channel.ENVELOPE,
    questionnaire_key: str | None = None,
) -> list[Invitation]:
    """Issue count new invitations with fresh codes for a service point."""
    problems = []
    point = find_service_point(service_point_code)
    if point is None:
        problems.append(Problem("service_point", _("no service point has the code %(code)s",
                                                  code=service_point_code)))  # fmt: skip
    if not 1 <= count <= MAX_COUNT:
        problems.append(Problem("count", _("must be between 1 and %(n)d", n=MAX_COUNT)))
    if problems:
        raise InputError(problems)
    version = get_version(questionnaire_key or current_app.config["DEFAULT_QUESTIONNAIRE"])
    invitations = [_new_invitation(point, version, channel) for _ in range(count)]
    db.session.add_all(invitations)
    db.session.flush()
    return invitations


def _new_invitation(point: ServicePoint, version: QuestionnaireVersion, channel: Channel):
    # 60 random bits: a collision among even millions of codes is below one in a hundred
    # thousand, and the unique constraint refuses one if it ever happens.
    return Invitation(
        code=codes.new_code(), service_point=point, questionnaire_version=version, channel=channel
    )


def lookup(typed: str) -> Lookup:
    """Find the invitation of a typed code as plain rows, and say whether it can be answered.

    For the callers that only read it (the citizen's pages, the answer): found.by_code's
    immutable rows, one Core statement. The answer can still be recorded from them
    (answering.record_invited takes either).
    """
    return _found(typed, found.by_code)


def lookup_invitation(typed: str) -> Lookup:
    """Find the invitation of a typed code as an ORM object, and say whether it can be answered.

    For the callers that change it or link rows to it (the intake: tracking, keying, imports).
    """
    return _found(typed, _invitation_by_code)


def _found(typed: str, read) -> Lookup:
    try:
        code = codes.normalize(typed or "")
    except codes.CodeError as error:
        return Lookup(CodeState.MISTYPED, error=error)
    invitation = read(code)
    if invitation is None:
        return Lookup(CodeState.UNKNOWN, code)
    if invitation.status in OPEN_STATUSES:
        today = local_today()
        if expiry.is_expired(invitation, today):
            return Lookup(CodeState.EXPIRED, code, invitation,
                          expired_on=expiry.expires_on(invitation))  # fmt: skip
        return Lookup(CodeState.OPEN, code, invitation, open_on=today)
    if invitation.status is InvitationStatus.WITHDRAWN:
        return Lookup(CodeState.WITHDRAWN, code, invitation)
    return Lookup(CodeState.ANSWERED, code, invitation)


def _invitation_by_code(code: str) -> Invitation | None:
    # The office, its unit and the questionnaire version come in the same query, not four.
    # Not the version's definition: parsed once per process (answering.questionnaire_of).
    return db.session.scalar(_by_code(), {"code": code})


@functools.cache
def _by_code():
    """Return the statement finding an invitation by its code (built once: its cache key too)."""
    return (
        select(Invitation)
        .options(
            joinedload(Invitation.service_point).joinedload(ServicePoint.unit),
            joinedload(Invitation.questionnaire_version).load_only(
                QuestionnaireVersion.key,
                QuestionnaireVersion.version,
                QuestionnaireVersion.content_hash,
            ),
            # The batch may set the code's validity: only that (a row has 13 columns).
            joinedload(Invitation.batch).load_only(Batch.valid_days),
        )
        .where(Invitation.code == bindparam("code"))
    )


def stats() -> dict[str, dict[str, int] | int]:
    """Count responses by channel, invitations by status, and the answers waiting to be counted.

    Responses are the answers counted: those still in the ballot box are only "waiting".
    """
    responses = db.session.execute(
        select(Response.channel, func.count()).group_by(Response.channel)
    )
    invitations = db.session.execute(
        select(Invitation.status, func.count()).group_by(Invitation.status)
    )
    return {
        "responses": {channel.value: n for channel, n in sorted(responses)},
        "invitations": {status.value: n for status, n in sorted(invitations)},
        "waiting": ballot_box.waiting(),
    }
