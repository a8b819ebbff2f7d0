"""Key paper answers: a digit per question, once or twice blind, never counted twice."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import Role, User
from satisfaction.core.errors import InputError, Problem
from satisfaction.extensions import db
from satisfaction.intake.blank import record_blank
from satisfaction.intake.models import DuplicateAnswer, EntryOutcome, KeyedEntry
from satisfaction.intake.tracking import find_for_clerk, refuse_late
from satisfaction.paper.codes import group
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.types import CommentQuestion, Question, parse_answers, questions
from satisfaction.survey.answering import (
    AlreadyAnswered,
    is_blank,
    questionnaire_of,
    record_invited,
)
from satisfaction.survey.models import Invitation, InvitationStatus, Mode
from satisfaction.units.models import ServicePoint

NONE_KEY, NA_KEY = "0", "9"
CLOSED = (InvitationStatus.ANSWERED, InvitationStatus.KEYED, InvitationStatus.VERIFIED)


class Keyed(StrEnum):
    """What happened to a keyed form."""

    COUNTED = "counted"
    FIRST_ENTRY = "first-entry"  # saved; a second clerk keys it blind
    MISMATCH = "mismatch"  # the second entry differs: a supervisor decides
    DUPLICATE = "duplicate"  # the code was answered before: kept, not counted
    BLANK = "blank"  # nothing ticked, no comment: returned blank, not counted, code left open


@dataclass(frozen=True)
class KeyingResult:
    """The outcome of keying one form."""

    outcome: Keyed
    invitation: Invitation


def scale_questions(questionnaire: Questionnaire) -> list[Question]:
    """Return the questions keyed as digits, in printed order."""
    return [q for q in questions(questionnaire) if not isinstance(q, CommentQuestion)]


def digit_groups(questionnaire: Questionnaire, locale: object) -> list[tuple[str, int]]:
    """Return the keyed digits' groups in printed order: each element, then the expectations."""
    groups = [(element.title.text(locale), len(element.items))
              for element in questionnaire.elements]  # fmt: skip
    if questionnaire.expectation_scale and questionnaire.expectations:
        groups.append((_("Expectations"), len(questionnaire.expectations)))
    return groups


def parse_digits(questionnaire: Questionnaire, digits: str, comment: str = "") -> dict:
    """Turn a digit per question (0 none, 9 not applicable) into typed answers."""
    keyed = "".join(digits.split())
    asked = scale_questions(questionnaire)
    if len(keyed) != len(asked):
        raise InputError(Problem("digits", _("%(n)d answers expected, %(m)d keyed",
                                             n=len(asked), m=len(keyed))))  # fmt: skip
    raw: dict[str, str] = {"comment": comment}
    for question, key in zip(asked, keyed, strict=True):
        if key != NONE_KEY:
            raw[question.key] = "NA" if key == NA_KEY else key
    try:
        return parse_answers(questionnaire, raw)
    except InputError as error:
        numbers = {q.key: i for i, q in enumerate(asked, 1)}
        raise InputError([
            Problem("digits", _("question %(n)s: %(why)s", n=numbers.get(p.where, p.where),
                                why=p.message))
            for p in error.problems
        ]) from None  # fmt: skip


def needs_second_entry(code: str) -> bool:
    """Tell whether this form is among the share keyed twice (the same answer every time)."""
    share = float(current_app.config["DOUBLE_ENTRY_SHARE"])
    draw = int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) / 0x1_0000_0000
    return draw < share


def key_form(typed: str, answers: Mapping, clerk: User, day: date,
             seconds: float | None = None) -> KeyingResult:  # fmt: skip
    """Record a clerk's keying of a paper form."""
    invitation = find_for_clerk(typed, clerk)
    code = group(invitation.code)
    if invitation.status is InvitationStatus.WITHDRAWN:
        raise InputError(Problem("code", _("form %(code)s was withdrawn", code=code)))
    refuse_late(invitation)  # before any entry: received after its code expired
    twice = needs_second_entry(invitation.code)
    first = _first_entry(invitation) if twice else None
    if first is None and is_blank(answers):  # no answer: nothing to count or check twice
        record_blank(invitation, clerk)
        return KeyingResult(Keyed.BLANK, invitation)
    if invitation.status in CLOSED:
        return _duplicate(invitation, answers, clerk)
    if not twice:
        return _count(invitation, answers, clerk, day, seconds, entry_no=1)
    if first is None:
        _add_entry(invitation, clerk, 1, dict(answers), EntryOutcome.PENDING, seconds)
        return KeyingResult(Keyed.FIRST_ENTRY, invitation)
    if first.clerk_id == clerk.id:
        raise InputError(Problem("code", _("you keyed the first entry of %(code)s: another "
                                           "clerk must key the second", code=code)))  # fmt: skip
    if first.answers == dict(answers):
        first.outcome, first.answers = EntryOutcome.COUNTED, None
        return _count(invitation, answers, clerk, day, seconds, entry_no=2,
                      status=InvitationStatus.VERIFIED)  # fmt: skip
    first.outcome = EntryOutcome.MISMATCH
    _add_entry(invitation, clerk, 2, dict(answers), EntryOutcome.MISMATCH, seconds)
    return KeyingResult(Keyed.MISMATCH, invitation)


def _first_entry(invitation: Invitation) -> KeyedEntry | None:
    return db.session.scalar(select(KeyedEntry).where(
        KeyedEntry.invitation_id == invitation.id, KeyedEntry.entry_no == 1))  # fmt: skip


def _count(invitation, answers, clerk, day, seconds, entry_no,
           status=InvitationStatus.KEYED) -> KeyingResult:  # fmt: skip
    try:
        record_invited(invitation, dict(answers), Mode.KEYED, day, status)
    except AlreadyAnswered:
        return _duplicate(invitation, answers, clerk)
    _add_entry(invitation, clerk, entry_no, None, EntryOutcome.COUNTED, seconds)
    return KeyingResult(Keyed.COUNTED, invitation)


def _add_entry(invitation, clerk, entry_no, answers, outcome, seconds) -> None:
    entry = KeyedEntry(invitation=invitation, clerk_id=clerk.id, entry_no=entry_no,
                       answers=answers, outcome=outcome, seconds=seconds)  # fmt: skip
    try:
        with db.session.begin_nested():  # a savepoint: a lost race leaves the rest intact
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        raise InputError(Problem("code", _("another clerk is keying %(code)s at this moment",
                                           code=group(invitation.code)))) from None  # fmt: skip


def _duplicate(invitation, answers, clerk) -> KeyingResult:
    db.session.add(DuplicateAnswer(invitation=invitation, mode=Mode.KEYED, clerk_id=clerk.id))
    db.session.flush()
    return KeyingResult(Keyed.DUPLICATE, invitation)


def resolve(typed: str, answers: Mapping, supervisor: User, day: date) -> KeyingResult:
    """Record the answer a supervisor settled on for two differing entries."""
    invitation = find_for_clerk(typed, supervisor)
    entries = db.session.scalars(select(KeyedEntry).where(
        KeyedEntry.invitation_id == invitation.id,
        KeyedEntry.outcome == EntryOutcome.MISMATCH)).all()  # fmt: skip
    if len(entries) != 2:
        raise InputError(Problem("code", _("form %(code)s has no entries to resolve",
                                           code=group(invitation.code))))  # fmt: skip
    if supervisor.id in {entry.clerk_id for entry in entries}:
        # Double entry checks one clerk against another: neither may decide between the two.
        raise InputError(Problem("code", _("you keyed one of the two entries of %(code)s: "
                                           "another clerk decides between them",
                                           code=group(invitation.code))))  # fmt: skip
    if not supervisor.acts_as(Role.SUPERVISOR, Role.ADMIN):
        raise InputError(Problem("code", _("only a post office supervisor decides between two "
                                           "differing entries")))  # fmt: skip
    refuse_late(invitation)
    outcome = Keyed.BLANK if is_blank(answers) else Keyed.COUNTED
    if outcome is Keyed.BLANK:
        record_blank(invitation, supervisor)
    else:
        try:
            record_invited(invitation, dict(answers), Mode.KEYED, day, InvitationStatus.VERIFIED)
        except AlreadyAnswered:
            return _duplicate(invitation, answers, supervisor)
    for entry in entries:
        entry.outcome, entry.answers = EntryOutcome.RESOLVED, None
    db.session.flush()
    return KeyingResult(outcome, invitation)


def mismatches(clerk: User | None) -> list[tuple[Invitation, KeyedEntry, KeyedEntry]]:
    """Return the forms whose two entries differ, with both entries, within the clerk's area."""
    stmt = (select(KeyedEntry).where(KeyedEntry.outcome == EntryOutcome.MISMATCH)
            .order_by(KeyedEntry.invitation_id, KeyedEntry.entry_no))  # fmt: skip
    pairs: dict[int, list[KeyedEntry]] = {}
    for entry in db.session.scalars(stmt):
        pairs.setdefault(entry.invitation_id, []).append(entry)
    found = []
    for entries in pairs.values():
        invitation = entries[0].invitation
        if len(entries) == 2 and (clerk is None or _in_area(clerk, invitation)):
            found.append((invitation, entries[0], entries[1]))
    return found


def waiting_second_entry(clerk: User | None) -> list[KeyedEntry]:
    """Return the first entries of forms still waiting for their second, within the clerk's
    area, oldest first: another clerk keys each again (a one-clerk office asks a neighbour)."""
    stmt = (select(KeyedEntry)
            .where(KeyedEntry.entry_no == 1, KeyedEntry.outcome == EntryOutcome.PENDING)
            .options(joinedload(KeyedEntry.clerk),
                     joinedload(KeyedEntry.invitation).joinedload(Invitation.service_point)
                     .joinedload(ServicePoint.unit))
            .order_by(KeyedEntry.keyed_month, KeyedEntry.id))  # fmt: skip
    return [entry for entry in db.session.scalars(stmt)
            if clerk is None or _in_area(clerk, entry.invitation)]  # fmt: skip


def _in_area(clerk: User, invitation: Invitation) -> bool:
    return can_see_unit(clerk, invitation.service_point.unit)


def questionnaire_for(invitation: Invitation) -> Questionnaire:
    """Return the questionnaire printed on a form."""
    return questionnaire_of(invitation.questionnaire_version)


def keying_warning(invitation) -> str | None:
    """Return what a clerk should know before keying a form, in words, or None.

    A form answered online, one only issued (never dispatched) or never recorded as received
    can still be keyed (the paper in hand is what counts), but the clerk is told first.
    """
    status = invitation.status
    if status is InvitationStatus.ANSWERED and invitation.answered_via is Mode.ONLINE:
        return _("The citizen answered this form online: what you key is kept as a duplicate and "
                 "not counted.")  # fmt: skip
    if status in (InvitationStatus.ANSWERED, InvitationStatus.KEYED, InvitationStatus.VERIFIED):
        return _("This form was counted already (keyed or scanned): what you key is kept as a "
                 "duplicate and not counted.")  # fmt: skip
    if status in (InvitationStatus.ISSUED, InvitationStatus.PRINTED):
        return _("This form was never dispatched: check the code on the paper before keying it.")
    if status is InvitationStatus.DISPATCHED:
        return _("This form was never recorded as received back: check the code, and record it "
                 "as received.")  # fmt: skip
    return None
