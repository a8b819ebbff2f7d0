"""Ingest scan files: read every page, count clean forms, queue every doubt for a person."""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from satisfaction.auth.models import User
from satisfaction.core.errors import Conflict, InputError, Problem
from satisfaction.extensions import db
from satisfaction.intake.gathering import form_spec_of, missing_pages, scanned_form, settle
from satisfaction.intake.scan_models import (
    FormState,
    PageState,
    ReviewItem,
    ReviewKind,
    ScanFile,
    ScanPage,
)
from satisfaction.omr.crops import comment_crop, page_preview, question_crop
from satisfaction.omr.read import PageReading, Status, read_page
from satisfaction.omr.sources import ScanFileError, kind_of, pages_of
from satisfaction.omr.template import FormSpec
from satisfaction.questionnaires.definition import COMMENT_KEY
from satisfaction.survey.models import Invitation

STATES = {
    Status.READ: PageState.READ,
    Status.UNIDENTIFIED: PageState.UNIDENTIFIED,
    Status.UNKNOWN_CODE: PageState.UNIDENTIFIED,
    Status.UNREGISTERED: PageState.UNREGISTERED,
    Status.WRONG_LAYOUT: PageState.UNREGISTERED,
}
QUEUES = {PageState.UNIDENTIFIED: ReviewKind.UNIDENTIFIED,
          PageState.UNREGISTERED: ReviewKind.REGISTRATION}  # fmt: skip


@dataclass(frozen=True)
class PageOutcome:
    """What one page became: its state, the form's code, how many doubts it opened."""

    index: int
    state: PageState
    code: str | None
    doubts: int
    counted: bool


# Why a page of a form settled before goes to the duplicates, by how the form settled.
SETTLED = {FormState.EXPIRED: "expired", FormState.BLANK: "blank"}


def file_problem(name: str, error: ScanFileError) -> Problem:
    """Return a scan file's refusal in the user's language, naming the file and the page."""
    reasons = {
        "not a PDF, TIFF, PNG or JPEG file": _("not a PDF, TIFF, PNG or JPEG file"),
        "the PDF cannot be opened": _("the PDF cannot be opened (damaged or protected)"),
        "too many pages": _("too many pages in one file; split it"),
        "too large for a form": _("too large for a form page (refused unread)"),
        "the image cannot be read": _("the image cannot be read (damaged or cut short)"),
    }
    message = reasons.get(error.reason, error.reason)
    if error.page:
        message = _("page %(page)d: %(why)s", page=error.page, why=message)
    return Problem(name, message)


def run_file(path: Path, name: str, user: User | None, commit: Callable[[], None],
             advance: Callable[[int], None] | None = None) -> Counter:  # fmt: skip
    """Ingest one file; the front end's commit runs after every page, so none read is lost.

    A file whose reading was cut short (a process killed, a job retried) goes on from the page
    after the last one recorded. Return counts per page state, "counted" forms, "doubts" and
    "resumed" (pages read before); InputError if the file is refused.
    """
    tally: Counter = Counter()
    scan_file = start_file(path, name, user)
    commit()
    tally["resumed"] = scan_file.page_count
    if advance is not None and scan_file.page_count:
        advance(scan_file.page_count)
    try:
        for outcome in ingest_pages(scan_file, path):
            commit()
            tally[outcome.state.value] += 1
            tally["counted"] += int(outcome.counted)
            tally["doubts"] += outcome.doubts
            if advance is not None:
                advance(1)
    except InputError:
        commit()  # the pages before the bad one, and why the file stopped
        raise
    except IntegrityError:
        db.session.rollback()  # another reading of this file recorded this page first
        raise Conflict(Problem(name, _(
            "page %(page)d: another reading of this file is at work; nothing was read twice",
            page=scan_file.page_count + 1))) from None  # fmt: skip
    commit()  # the forms left waiting for a page
    return tally


def start_file(path: Path, name: str, user: User | None) -> ScanFile:
    """Record a scan file before its pages are read, or find the one whose reading stopped.

    Refuse a file read to the end before, or one that is not a scan.
    """
    sha, size = _digest(path, name)
    before = _file_by_digest(sha)
    if before is None:
        db.session.add(ScanFile(name=name[:255], sha256=sha, size_bytes=size,
                                uploaded_by_id=user and user.id))  # fmt: skip
        try:
            db.session.flush()
        except IntegrityError:  # the same file, sent at this moment by someone else
            db.session.rollback()
        before = _file_by_digest(sha)
    if before.is_complete:
        when = format_datetime(before.received_at, "short")
        message = _("this file was taken before (%(name)s, %(when)s): nothing was read twice",
                    name=before.name, when=when)  # fmt: skip
        raise InputError(Problem(name, message))
    return before


def _digest(path: Path, name: str) -> tuple[str, int]:
    """Return a file's SHA-256 and size; refuse what is not a scan file by its first bytes."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        try:
            kind_of(handle.read(8))
        except ScanFileError as error:
            raise InputError(file_problem(name, error)) from None
        handle.seek(0)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_upload(data: bytes, name: str) -> None:
    """Refuse at once an upload that is no scan file, or a file read to the end before."""
    try:
        kind_of(data[:8])
    except ScanFileError as error:
        raise InputError(file_problem(name, error)) from None
    before = _file_by_digest(hashlib.sha256(data).hexdigest())
    if before is not None and before.is_complete:
        when = format_datetime(before.received_at, "short")
        raise InputError(Problem(name, _(
            "this file was taken before (%(name)s, %(when)s): nothing was read twice",
            name=before.name, when=when)))  # fmt: skip


def _file_by_digest(sha: str) -> ScanFile | None:
    return db.session.scalar(select(ScanFile).where(ScanFile.sha256 == sha))


def ingest_pages(scan_file: ScanFile, path: Path) -> Iterator[PageOutcome]:
    """Read the file's pages one at a time, yielding after each is flushed (commit it then).

    The pages recorded before (a reading cut short) are passed over; the page's row and the
    file's position go in one transaction, and a page is recorded at most once (a unique key).
    """
    start = scan_file.page_count
    found = _forms_read_before(scan_file)
    try:
        for index, image in enumerate(pages_of(path, start), start=start + 1):
            scan_file.page_count = index
            yield ingest_page(scan_file, index, image, found)
    except ScanFileError as error:
        scan_file.error = str(error)[:255]
        scan_file.is_complete = True
        _queue_missing(found.values())
        raise InputError(file_problem(scan_file.name, error)) from None
    scan_file.is_complete = True
    _queue_missing(found.values())


def _forms_read_before(scan_file: ScanFile) -> dict[str, Invitation]:
    """Return the forms of the pages an earlier reading of the file recorded, by code."""
    stmt = (
        select(Invitation)
        .join(ScanPage, ScanPage.invitation_id == Invitation.id)
        .where(ScanPage.scan_file_id == scan_file.id)
    )
    return {invitation.code: invitation for invitation in db.session.scalars(stmt).unique()}


def _resolver(found: dict[str, Invitation]):
    def resolve(code: str) -> FormSpec | None:
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        if invitation is None:
            return None
        found[code] = invitation
        return form_spec_of(invitation.questionnaire_version)

    return resolve


def ingest_page(scan_file: ScanFile, index: int, image: np.ndarray,
                found: dict[str, Invitation]) -> PageOutcome:  # fmt: skip
    """Read one page and record what it became."""
    reading = read_page(image, _resolver(found))
    invitation = found.get(reading.code) if reading.code else None
    page = ScanPage(scan_file=scan_file, index=index, state=STATES[reading.status],
                    invitation=invitation, page_no=reading.page)  # fmt: skip
    if reading.registration is not None and reading.registration.ok:
        page.is_upside_down = reading.registration.upside_down
        page.residual_mm = round(reading.registration.residual_mm, 3)
    db.session.add(page)
    if page.state is not PageState.READ:
        page.image = page_preview(image)
        _queue(QUEUES[page.state], page, invitation, reason=reading.status.value)
        return PageOutcome(index, page.state, reading.code, 1, False)
    return record_reading(page, reading, image)


def record_reading(page: ScanPage, reading: PageReading, image: np.ndarray) -> PageOutcome:
    """Record a page read from a known form: a duplicate, or marks, answers and doubts."""
    invitation = page.invitation
    form = scanned_form(invitation)
    twice = any(p.page_no == page.page_no for p in _read_before(invitation, page))
    if twice or form.state is not FormState.GATHERING:
        page.state = PageState.DUPLICATE
        settled = SETTLED.get(form.state, "counted")
        _queue(ReviewKind.DUPLICATE, page, invitation, reason="same-page" if twice else settled)
        return PageOutcome(page.index, page.state, reading.code, 0, False)
    page.marks = [[b.box.item, b.box.value, b.share, b.faint, b.mark.value] for b in reading.boxes]
    page.answers = {d.item: d.value for d in reading.decisions if d.sure}
    doubts = [d for d in reading.decisions if not d.sure]
    for decision in doubts:
        crop = question_crop(image, reading, decision.item)
        _queue(ReviewKind.DOUBTFUL, page, invitation, decision.reason, decision.item, crop)
    if reading.has_comment:  # a clerk types it from the crop (or skips it) before counting
        crop = comment_crop(image, reading)
        _queue(ReviewKind.COMMENT, page, invitation, "handwritten", COMMENT_KEY, crop)
    db.session.flush()
    opened = len(doubts) + int(reading.has_comment)
    return PageOutcome(page.index, page.state, reading.code, opened, settle(form))


def _read_before(invitation: Invitation, page: ScanPage) -> list[ScanPage]:
    stmt = select(ScanPage).where(ScanPage.invitation_id == invitation.id,
                                  ScanPage.state == PageState.READ)  # fmt: skip
    return [p for p in db.session.scalars(stmt) if p is not page]


def _queue(kind: ReviewKind, page: ScanPage | None, invitation: Invitation | None,
           reason: str = "", item: str = "", crop: bytes | None = None) -> ReviewItem:  # fmt: skip
    entry = ReviewItem(kind=kind, scan_page=page, invitation=invitation, reason=reason,
                       item=item, crop=crop)  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    return entry


def _queue_missing(invitations) -> None:
    """Queue a missing-page item for each form of the file still lacking pages (once)."""
    for invitation in invitations:
        form = scanned_form(invitation)
        if form.state is not FormState.GATHERING or not missing_pages(invitation):
            continue
        open_before = db.session.scalar(select(ReviewItem.id).where(
            ReviewItem.invitation_id == invitation.id, ReviewItem.is_open.is_(True),
            ReviewItem.kind == ReviewKind.MISSING_PAGE))  # fmt: skip
        if open_before is None:
            _queue(ReviewKind.MISSING_PAGE, None, invitation, reason="missing")
