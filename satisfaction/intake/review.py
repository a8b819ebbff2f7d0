"""The review queues: what a person decides about scanned pages, one item at a time."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from satisfaction.auth.access import can_see_unit
from satisfaction.auth.models import User
from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.time import this_month
from satisfaction.extensions import db
from satisfaction.intake.gathering import form_spec_of, scanned_form, settle
from satisfaction.intake.scan_models import PageState, ReviewItem, ReviewKind
from satisfaction.intake.scans import record_reading
from satisfaction.intake.tracking import find_for_clerk
from satisfaction.omr.crops import stored_page
from satisfaction.omr.read import Status, read_typed
from satisfaction.questionnaires.types import NA, Question, questions
from satisfaction.survey.answering import questionnaire_of

NONE_KEY, NA_KEY = "0", "9"  # as on the keying screen
KIND_LABELS = {
    ReviewKind.DOUBTFUL: _l("Doubtful answers"),
    ReviewKind.UNIDENTIFIED: _l("Unidentified pages"),
    ReviewKind.REGISTRATION: _l("Pages that could not be aligned"),
    ReviewKind.MISSING_PAGE: _l("Forms missing a page"),
    ReviewKind.DUPLICATE: _l("Duplicates"),
    ReviewKind.COMMENT: _l("Handwritten comments"),
}
REASON_LABELS = {
    "several": _l("more than one box is marked"),
    "doubtful": _l("a mark too faint or too heavy to be sure"),
    "beside": _l("no box is marked, but there is a mark beside the boxes"),
    "filled-alone": _l("a filled box and no other mark: an answer or a cancellation?"),
    "handwritten": _l("a comment is written by hand: type it, or skip it if it cannot be read"),
    "same-page": _l("this page of this form was scanned before"),
    "counted": _l("this form was counted already"),
    "expired": _l("this form's code expired before it was received: it is not counted"),
    "blank": _l("this form came back blank before: it is not counted"),
    "missing": _l("a page of this form has not arrived"),
    "unidentified": _l("no form code could be read"),
    "unknown-code": _l("the code belongs to no form"),
    "unregistered": _l("the corner markers were not all found"),
    "wrong-layout": _l("the boxes are not where this form has them (another print version?)"),
}


def _visible(item: ReviewItem, user: User) -> bool:
    invitation = item.invitation
    return invitation is None or can_see_unit(user, invitation.service_point.unit)


def counts(user: User) -> dict[ReviewKind, int]:
    """Return the number of open items per queue within the user's area."""
    found = dict.fromkeys(ReviewKind, 0)
    for item in db.session.scalars(select(ReviewItem).where(ReviewItem.is_open.is_(True))):
        if _visible(item, user):
            found[item.kind] += 1
    return found


def next_item(user: User, kind: ReviewKind | None = None, after: int = 0) -> ReviewItem | None:
    """Return the first open item after an id (wrapping round), in the user's area."""
    stmt = select(ReviewItem).where(ReviewItem.is_open.is_(True)).order_by(ReviewItem.id)
    if kind is not None:
        stmt = stmt.where(ReviewItem.kind == kind)
    items = [item for item in db.session.scalars(stmt) if _visible(item, user)]
    later = [item for item in items if item.id > after]
    return (later or items or [None])[0]


def previous_item(user: User, before: int, kind: ReviewKind | None = None) -> ReviewItem | None:
    """Return the item just before an id, decided or not, to go back and look at it."""
    stmt = select(ReviewItem).where(ReviewItem.id < before)
    if kind is not None:
        stmt = stmt.where(ReviewItem.kind == kind)
    items = [
        i for i in db.session.scalars(stmt.order_by(ReviewItem.id.desc())) if _visible(i, user)
    ]
    return items[0] if items else None


def get_item(item_id: int, user: User) -> ReviewItem:
    """Return a review item in the user's area, or raise NotFound."""
    item = db.session.get(ReviewItem, item_id)
    if item is None or not _visible(item, user):
        raise NotFound(str(item_id))
    return item


def choices(item: ReviewItem) -> dict[str, int | str | None]:
    """Return the keys a person may press for a doubtful question and the value each means."""
    values = [mark[1] for mark in (item.scan_page.marks or []) if mark[0] == item.item]
    keys: dict[str, int | str | None] = {NONE_KEY: None}
    for value in values:
        keys[NA_KEY if value == NA else str(value)] = value
    return keys


def _close(item: ReviewItem, user: User, resolution: str) -> None:
    if not item.is_open:
        raise InputError(Problem("", _("this item was decided already")))
    item.is_open, item.resolved_by_id, item.resolved_month = False, user.id, this_month()
    item.resolution, item.crop = resolution[:32], None


def decide(item_id: int, key: str, user: User) -> ReviewItem:
    """Apply a person's decision on an item: a digit for a question, Enter for the others."""
    item = get_item(item_id, user)
    if item.kind is ReviewKind.DOUBTFUL:
        keys = choices(item)
        if key not in keys:
            raise InputError(Problem("value", _("press one of %(keys)s", keys=", ".join(keys))))
        _close(item, user, f"value:{keys[key]}")
        page = item.scan_page
        page.answers = {**(page.answers or {}), item.item: keys[key]}
        db.session.flush()
        settle(scanned_form(item.invitation))
    elif item.kind is ReviewKind.UNIDENTIFIED and key:
        identify(item, key, user)
    elif item.kind is ReviewKind.MISSING_PAGE:
        _close(item, user, "counted-without")
        db.session.flush()
        settle(scanned_form(item.invitation), allow_missing=True)
    else:  # the page was keyed by hand, or the duplicate seen
        _close(item, user, "seen")
    db.session.flush()
    return item


def type_comment(item_id: int, text: str | None, user: User) -> ReviewItem:
    """Take a handwritten comment as typed (None: skipped); either way its crop is deleted."""
    item = get_item(item_id, user)
    if item.kind is not ReviewKind.COMMENT:
        raise InputError(Problem("comment", _("this item is not a handwritten comment")))
    if text is None:
        _close(item, user, "skipped")
    else:
        question = question_of(item)
        typed = question.parse(text) if question is not None else None
        if not typed:
            raise InputError(Problem("comment", _("type the comment, or press Skip")))
        _close(item, user, "typed")  # the words go with the answers, never on this item
        page = item.scan_page
        page.answers = {**(page.answers or {}), item.item: typed}
    db.session.flush()
    settle(scanned_form(item.invitation))
    db.session.flush()
    return item


def question_of(item: ReviewItem) -> Question | None:
    """Return the question a doubtful item is about, as printed on the form."""
    if item.invitation is None or not item.item:
        return None
    asked = questions(questionnaire_of(item.invitation.questionnaire_version))
    return next((q for q in asked if q.key == item.item), None)


def labelled_choices(item: ReviewItem, locale: str) -> list[tuple[str, str]]:
    """Return (key, words) for each key a person may press on a doubtful question."""
    question = question_of(item)
    words = {}
    if question is not None and hasattr(question, "choices"):
        words = {option.value: option.label for option in question.choices(locale)}
    labelled = []
    for key, value in choices(item).items():
        if value is None:
            labelled.append((key, str(_("no answer"))))
        else:
            labelled.append((key, words.get(value, str(value))))
    return labelled


def identify(item: ReviewItem, typed: str, user: User) -> None:
    """Read an unidentified page again with the code a person typed from it."""
    invitation = find_for_clerk(typed, user)
    page = item.scan_page
    if page is None or not page.image:
        raise InputError(Problem("value", _("the page's image was not kept: key it by hand")))
    image = stored_page(page.image)
    reading = read_typed(image, invitation.code, form_spec_of(invitation.questionnaire_version))
    if reading.status is not Status.READ:
        message = _("the page cannot be aligned even with its code: key it by hand")
        raise InputError(Problem("value", message))
    _close(item, user, "identified")
    item.invitation = invitation
    page.invitation, page.page_no, page.state = invitation, reading.page, PageState.READ
    page.is_upside_down = reading.registration.upside_down
    page.residual_mm, page.image = round(reading.registration.residual_mm, 3), None
    db.session.flush()
    record_reading(page, reading, image)


def open_total() -> int:
    """Return the number of open items in every area (for figures)."""
    stmt = select(func.count()).select_from(ReviewItem).where(ReviewItem.is_open.is_(True))
    return db.session.scalar(stmt) or 0
