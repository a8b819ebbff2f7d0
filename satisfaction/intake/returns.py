"""Import paper answers keyed elsewhere (a spreadsheet): all rows checked, nothing partial."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from satisfaction.audit.services import record
from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import User
from satisfaction.core.errors import InputError, Problem, at_line
from satisfaction.core.imports import FileKind, claim_file
from satisfaction.core.tables import Source, named, read_table
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.intake.blank import record_blank
from satisfaction.intake.dossiers import limit
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.intake.tracking import expired_message
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.questionnaires.types import parse_answers
from satisfaction.survey import expiry
from satisfaction.survey.answering import (
    AlreadyAnswered,
    is_blank,
    questionnaire_of,
    record_invited,
)
from satisfaction.survey.invitations import CodeState, lookup_invitation
from satisfaction.survey.models import Invitation, InvitationStatus, Mode

FIXED = ("code", "service_point", "date", "channel", "questionnaire", "comment")
CLOSED = (InvitationStatus.ANSWERED, InvitationStatus.KEYED, InvitationStatus.VERIFIED)


@dataclass(frozen=True)
class ReturnsOutcome:
    """How many rows were counted, and how many were duplicates of answers already counted."""

    counted: int
    duplicates: int
    blank: int = 0  # rows with no answer at all: returned blank, not counted


@dataclass(frozen=True)
class _Row:
    invitation: Invitation
    day: date
    answers: dict


def import_returns(source: Source, actor: User | None = None, name: str = "") -> ReturnsOutcome:
    """Check every row, then count each form once; a form answered before is kept apart.

    The same file twice is refused, also when both run at once: its rows would all come back as
    duplicates of themselves.
    """
    table = read_table(source, name)
    claim_file(FileKind.RETURNS, table.fingerprint, name, actor)
    header = [h.strip() for h in table.header]
    questionnaire = get_questionnaire(current_app.config["DEFAULT_QUESTIONNAIRE"])
    answer_keys = [k for k in questionnaire.answer_keys if k != "comment"]
    problems = _check_header(header, answer_keys)
    if problems:
        raise InputError(problems)
    rows, seen = [], {}
    for line, cells in table.rows:
        value = named(header, cells)
        row = _check_row(line, value, actor, seen, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise InputError(limit(problems))
    outcome = _record(rows, actor)
    record("returns.import", f"file {table.fingerprint}", actor, counted=outcome.counted,
           duplicates=outcome.duplicates, blank=outcome.blank)  # fmt: skip
    return outcome


def _check_header(header: list[str], answer_keys: list[str]) -> list[Problem]:
    problems = [
        Problem(at_line(1), _("column %(name)s is missing", name=name))
        for name in ("code", "service_point", "date", *answer_keys)
        if name not in header
    ]
    known = set(FIXED) | set(answer_keys)
    problems += [Problem(at_line(1, name), _("unknown column")) for name in header
                 if name and name not in known]  # fmt: skip
    return problems


def _check_row(line, value, actor, seen, problems) -> _Row | None:
    found = lookup_invitation(value["code"])
    where = at_line(line, "code")
    before = len(problems)
    if found.state is CodeState.MISTYPED:
        problems.append(Problem(where, _("%(code)s is not a valid form code (mistyped?)",
                                         code=value["code"][:40])))  # fmt: skip
    elif found.invitation is None:
        problems.append(Problem(where, _("no form has the code %(code)s", code=value["code"])))
    elif found.state is CodeState.WITHDRAWN:
        problems.append(Problem(where, _("form %(code)s was withdrawn", code=value["code"])))
    elif is_late(found.invitation):
        problems.append(Problem(where, expired_message(
            found.code, expiry.expires_on(found.invitation))))  # fmt: skip
    elif actor is not None and not can_see_unit(actor, found.invitation.service_point.unit):
        problems.append(Problem(where, _("form %(code)s belongs to another area",
                                         code=value["code"])))  # fmt: skip
    elif found.code in seen:
        problems.append(Problem(where, _("form %(code)s is also on line %(line)d",
                                         code=value["code"], line=seen[found.code])))  # fmt: skip
    if len(problems) > before:
        return None
    seen[found.code] = line
    invitation = found.invitation
    if value["service_point"] != invitation.service_point.code:
        problems.append(Problem(at_line(line, "service_point"),
                                _("form %(code)s is for %(point)s", code=value["code"],
                                  point=invitation.service_point.code)))  # fmt: skip
    day = _day(line, value["date"], problems)
    answers = _answers(line, invitation, value, problems)
    return _Row(invitation, day, answers) if len(problems) == before else None


def is_late(invitation: Invitation) -> bool:
    """Tell whether a paper form's code expired before the post office received it."""
    return expiry.is_expired(invitation, expiry.counting_day(invitation, Mode.KEYED))


def _day(line: int, text: str, problems: list[Problem]) -> date | None:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        problems.append(Problem(at_line(line, "date"), _("%(value)s is not a date (YYYY-MM-DD)",
                                                         value=text)))  # fmt: skip
        return None
    if day > local_today():
        problems.append(Problem(at_line(line, "date"), _("the date is in the future")))
    return day


def _answers(line: int, invitation: Invitation, value: dict, problems: list[Problem]) -> dict:
    questionnaire = questionnaire_of(invitation.questionnaire_version)
    raw = {k: v for k, v in value.items() if k in questionnaire.answer_keys and v != ""}
    try:
        return parse_answers(questionnaire, raw)
    except InputError as error:
        problems.extend(Problem(at_line(line, p.where), p.message) for p in error.problems)
        return {}


def _record(rows: list[_Row], actor: User | None) -> ReturnsOutcome:
    counted = duplicates = blank = 0
    for row in rows:
        if is_blank(row.answers):  # no answer: the code stays open for a later one
            record_blank(row.invitation, actor)
            blank += 1
            continue
        try:
            if row.invitation.status in CLOSED:
                raise AlreadyAnswered(row.invitation.code)
            record_invited(row.invitation, row.answers, Mode.KEYED, row.day,
                           InvitationStatus.KEYED)  # fmt: skip
            counted += 1
        except AlreadyAnswered:
            db.session.add(DuplicateAnswer(invitation=row.invitation, mode=Mode.KEYED,
                                           clerk_id=getattr(actor, "id", None)))  # fmt: skip
            duplicates += 1
        except expiry.CodeExpired as late:  # expired since it was checked (midnight): refuse all
            raise InputError(Problem("code", expired_message(late.code, late.expired_on))) from None
    db.session.flush()
    return ReturnsOutcome(counted, duplicates, blank)
