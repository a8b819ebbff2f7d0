"""Record an answer exactly once, anonymously."""

import functools
import uuid
from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, update

from satisfaction.core.errors import InputError, Problem
from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.questionnaires.types import answer_keys, parse_answers
from satisfaction.scoring.aggregates import count_responses
from satisfaction.survey import expiry
from satisfaction.survey.ballot_box import answer_columns, drop
from satisfaction.survey.found import InvitationRow
from satisfaction.survey.models import (
    OPEN_STATUSES,
    Channel,
    Invitation,
    InvitationStatus,
    Mode,
    Response,
)
from satisfaction.units.models import ServicePoint

# Fields a page's form may carry besides the answers: its token, the language, the choice to
# send with questions left out, a poster page's send token (survey/desk.py) and its optional
# question on the procedure's field (read by the poster's view alone).
FORM_FIELDS = {"csrf_token", "lang", "send_anyway", "once", "procedure_field"}


class AlreadyAnswered(Exception):
    """The code was answered (or withdrawn) before this answer arrived; nothing was recorded."""


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """Return the parsed questionnaire of a recorded version (parsed once per process)."""
    # A recorded version never changes, so its content hash is a safe cache key.
    found = _CACHE.get(version.content_hash)
    if found is None:
        found = _CACHE[version.content_hash] = Questionnaire.from_dict(version.definition)
    return found


_CACHE: dict[str, Questionnaire] = {}


def parse_form(questionnaire: Questionnaire, form: Mapping[str, str]) -> dict:
    """Return the typed answers in a submitted form; refuse unknown fields and bad values."""
    keys = answer_keys(questionnaire)
    unknown = sorted(key for key in form if key not in keys and key not in FORM_FIELDS)
    if unknown:
        raise InputError([Problem(key, _("this question does not exist")) for key in unknown])
    answers = parse_answers(questionnaire, form)
    if is_blank(answers):
        raise InputError(Problem("", _("Please answer at least one question.")))
    return answers


def is_blank(answers: Mapping[str, object]) -> bool:
    """Tell whether typed answers hold no answer at all: nothing ticked, no comment.

    "Not applicable" is an answer; a blank form is not one, on any channel.
    """
    return all(value is None or value == "" for value in answers.values())


def add_response(
    point: ServicePoint, version_id: int, channel: Channel, mode: Mode, answers: dict, day: date,
    *, is_poster: bool = False, field_code: str = "",
) -> None:  # fmt: skip
    """Insert a response and count it at once, for an answer linked to no code (past rounds).

    An answer to a code goes through the ballot box instead (record_invited, record_desk).
    """
    add_responses([answer_columns(point, version_id, channel, mode, answers, day, is_poster,
                                  field_code)])  # fmt: skip


def add_responses(answers: list[dict]) -> int:
    """Insert responses (their columns, as answer_columns() gives them) and count them at once.

    For answers linked to no code (past rounds): one insert and one count for them all.
    """
    rows = [{"id": uuid.uuid4(), **columns} for columns in answers]
    if rows:
        db.session.execute(insert(Response), rows)
        count_responses(SimpleNamespace(**row) for row in rows)
    return len(rows)


def record_invited(
    invitation: Invitation | InvitationRow, answers: dict, mode: Mode, day: date,
    status: InvitationStatus = InvitationStatus.ANSWERED, *, open_on: date | None = None,
) -> None:  # fmt: skip
    """Close the invitation (answered, keyed or verified) and drop its answer in the ballot box.

    Both in the caller's transaction, exactly once. The conditional update is the lock: of two
    submits of one code, whatever the database, only one update finds the invitation still
    open; the other changes no row and records nothing. The invitation keeps only the month.
    An open code past its validity records nothing either (expiry.CodeExpired), whatever the
    path: a paper form counts only if the post office received it in time. open_on: the day
    a look-up found the code valid (Lookup.open_on); an online answer dated that day is not
    checked again.
    """
    if not (mode is Mode.ONLINE and open_on is not None and open_on == day):
        expiry.check(invitation, mode)
    claim = {"invitation_id": invitation.id, "new_status": status,
             "month": day.replace(day=1), "via": mode}  # fmt: skip
    where = (invitation.service_point, invitation.questionnaire_version_id, invitation.channel,
             mode, answers, day)  # fmt: skip
    field_code = invitation.field_code
    # Core statements on the session's connection: nothing here is an object of the session.
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        # One statement closes the code and drops its answer (a round trip less per answer).
        if not drop(*where, claim=(_claim_returning(), claim), field_code=field_code):
            raise AlreadyAnswered(invitation.code)
    else:  # SQLite has no UPDATE in a WITH clause: two statements, in the same transaction
        if conn.execute(_claim(), claim).rowcount != 1:
            raise AlreadyAnswered(invitation.code)
        drop(*where, field_code=field_code)
    if isinstance(invitation, Invitation):  # an object of the session: read again when asked
        db.session.expire(invitation, ["status", "answered_month", "answered_via"])


@functools.cache
def _claim():
    """Return the conditional update closing an open invitation (built once: its cache key too)."""
    table = Invitation.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("invitation_id"), table.c.status.in_(OPEN_STATUSES))
        .values(status=bindparam("new_status"), answered_month=bindparam("month"),
                answered_via=bindparam("via"))
    )  # fmt: skip


@functools.cache
def _claim_returning():
    """Return the closing of an open invitation as a CTE, a row when it closed (built once)."""
    return _claim().returning(Invitation.__table__.c.id).cte("claimed")


def record_desk(point: ServicePoint, version: QuestionnaireVersion, answers: dict, day: date,
                field_code: str = "") -> None:  # fmt: skip
    """Drop an answer given through a desk poster in the ballot box (no code: reported apart).

    field_code: the field the citizen chose for their procedure on the poster page, "" none.
    """
    drop(point, version.id, Channel.DESK, Mode.ONLINE, answers, day, is_poster=True,
         field_code=field_code)  # fmt: skip
