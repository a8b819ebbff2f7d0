"""Gather a scanned form's pages and count it once, through the same path as keyed forms."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import local_today, this_month
from satisfaction.extensions import db
from satisfaction.intake.blank import record_blank
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.intake.scan_models import (
    FormState,
    PageState,
    Provenance,
    ReviewItem,
    ReviewKind,
    ScannedForm,
    ScanPage,
)
from satisfaction.omr.template import FormSpec
from satisfaction.paper.layout import layout_for
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.questionnaires.types import parse_answers
from satisfaction.survey.answering import (
    AlreadyAnswered,
    is_blank,
    questionnaire_of,
    record_invited,
)
from satisfaction.survey.expiry import CodeExpired
from satisfaction.survey.models import Invitation, Mode

_SPECS: dict[str, FormSpec] = {}
ANSWER_KINDS = (ReviewKind.DOUBTFUL, ReviewKind.MISSING_PAGE)  # a person settled an answer
PERSON_KINDS = (*ANSWER_KINDS, ReviewKind.COMMENT)  # the form waits for these


def form_spec_of(version: QuestionnaireVersion) -> FormSpec:
    """Return the printed layout of a questionnaire version as the reader needs it (cached)."""
    found = _SPECS.get(version.content_hash)
    if found is None:
        layout = layout_for(questionnaire_of(version))
        found = _SPECS[version.content_hash] = FormSpec.from_json(layout.to_json())
    return found


def scanned_form(invitation: Invitation) -> ScannedForm:
    """Return the scanned form of an invitation, started when its first page arrives."""
    stmt = select(ScannedForm).where(ScannedForm.invitation_id == invitation.id)
    form = db.session.scalar(stmt)
    if form is None:
        form = ScannedForm(invitation=invitation, state=FormState.GATHERING)
        try:
            with db.session.begin_nested():  # two uploads with pages of one form at once
                db.session.add(form)
                db.session.flush()
        except IntegrityError:
            form = db.session.scalars(stmt).one()
    return form


def read_pages(invitation: Invitation) -> list[ScanPage]:
    """Return the pages read for a form, one per page number (duplicates left out)."""
    stmt = select(ScanPage).where(
        ScanPage.invitation_id == invitation.id, ScanPage.state == PageState.READ
    )
    return list(db.session.scalars(stmt.order_by(ScanPage.page_no)))


def missing_pages(invitation: Invitation) -> list[int]:
    """Return the page numbers of a form not yet read."""
    seen = {page.page_no for page in read_pages(invitation)}
    spec = form_spec_of(invitation.questionnaire_version)
    return [page.number for page in spec.pages if page.number not in seen]


def _open_items(invitation: Invitation) -> list[ReviewItem]:
    stmt = select(ReviewItem).where(
        ReviewItem.invitation_id == invitation.id,
        ReviewItem.is_open.is_(True),
        ReviewItem.kind.in_(PERSON_KINDS),
    )
    return list(db.session.scalars(stmt))


def settle(form: ScannedForm, allow_missing: bool = False) -> bool:
    """Count a form whose pages are all read and whose doubts are all decided; say if counted."""
    if form.state is not FormState.GATHERING:
        return False
    invitation = form.invitation
    if missing_pages(invitation) and not allow_missing:
        return False
    for item in _open_items(invitation):
        if item.kind is not ReviewKind.MISSING_PAGE:
            return False
        item.is_open, item.resolution, item.resolved_month = False, "complete", this_month()
    pages = read_pages(invitation)
    answers = _answers(invitation, pages)
    if is_blank(answers):  # nothing marked: received, not counted, the code left open
        record_blank(invitation, None)
        form.state = FormState.BLANK
    else:
        _count(form, answers)
    form.provenance = Provenance.REVIEWED if _reviewed(invitation) else Provenance.AUTO
    for page in pages:  # the answers now live only in the anonymous response
        page.answers, page.marks = None, None
    db.session.flush()
    return form.state is FormState.COUNTED


def _count(form: ScannedForm, answers: dict) -> None:
    invitation = form.invitation
    try:
        record_invited(invitation, answers, Mode.SCANNED, local_today())
    except AlreadyAnswered:
        db.session.add(DuplicateAnswer(invitation=invitation, mode=Mode.SCANNED))
        form.state = FormState.DUPLICATE
    except CodeExpired:  # received after its code expired: the figures count it as expired
        form.state = FormState.EXPIRED
    else:
        form.state = FormState.COUNTED


def _answers(invitation: Invitation, pages: list[ScanPage]) -> dict:
    """Return the typed answers of every question read on the form's pages."""
    raw: dict[str, str] = {}
    for page in pages:
        for item, value in (page.answers or {}).items():
            if value is not None:
                raw[item] = str(value)
    try:
        return parse_answers(questionnaire_of(invitation.questionnaire_version), raw)
    except InputError as error:  # a layout value the questionnaire refuses: never silently
        raise InputError([Problem(p.where, _("scanned value refused: %(why)s", why=p.message))
                          for p in error.problems]) from None  # fmt: skip


def _reviewed(invitation: Invitation) -> bool:
    stmt = select(ReviewItem.id).where(
        ReviewItem.invitation_id == invitation.id,
        ReviewItem.kind.in_(ANSWER_KINDS),
        ReviewItem.resolved_by_id.is_not(None),
    )
    return db.session.scalar(stmt.limit(1)) is not None
