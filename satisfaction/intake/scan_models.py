"""Scanned returns: files, the pages read from them, forms being gathered, the review queues."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.core.columns import value_enum
from satisfaction.core.time import this_month, utcnow
from satisfaction.extensions import db
from satisfaction.survey.models import Invitation


class PageState(StrEnum):
    """What became of one scanned page."""

    READ = "read"
    UNIDENTIFIED = "unidentified"  # no form code could be read, or the code is not ours
    UNREGISTERED = "unregistered"  # markers missing or misfit, or another layout's page
    DUPLICATE = "duplicate"  # this page of this form was read before: kept, not counted


class FormState(StrEnum):
    """Where a scanned form stands."""

    GATHERING = "gathering"  # pages are missing or doubts are open
    COUNTED = "counted"
    DUPLICATE = "duplicate"  # the code was answered another way first
    EXPIRED = "expired"  # its code expired before the post office received it: never counted
    BLANK = "blank"  # nothing marked, no comment: returned blank, not counted, code left open


class Provenance(StrEnum):
    """How a scanned answer was settled."""

    AUTO = "scanned-auto"
    REVIEWED = "scanned-reviewed"


class ReviewKind(StrEnum):
    """Why a person must look."""

    UNIDENTIFIED = "unidentified"
    REGISTRATION = "registration"
    DOUBTFUL = "doubtful"
    DUPLICATE = "duplicate"
    MISSING_PAGE = "missing-page"
    COMMENT = "comment"  # a handwritten comment to type (or skip) before the form is counted


class ScanFile(db.Model):
    """One uploaded or ingested file of scanned pages; the same bytes are read once, to the end."""

    __tablename__ = "scan_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int]
    page_count: Mapped[int] = mapped_column(default=0)  # pages recorded: where to go on from
    # Read to the end (or stopped by a bad page): sent again, it is refused as taken before.
    is_complete: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    error: Mapped[str] = mapped_column(String(255), default="")


class ScanPage(db.Model):
    """One page of a scan file and what was read from it (answers until the form is counted)."""

    __tablename__ = "scan_pages"
    __table_args__ = (UniqueConstraint("scan_file_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_file_id: Mapped[int] = mapped_column(ForeignKey("scan_files.id"), index=True)
    index: Mapped[int]  # 1-based position in the file
    state: Mapped[PageState] = mapped_column(value_enum(PageState), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), index=True)
    page_no: Mapped[int | None]  # the form's page it is
    is_upside_down: Mapped[bool] = mapped_column(default=False)
    residual_mm: Mapped[float | None]
    # Raw dark shares per box and the answer read per question; cleared once counted.
    marks: Mapped[list[Any] | None] = mapped_column(JSON)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # kept for pages a person must see
    # No time of its own: the file's tells when it came; one per page would tell when its
    # form's code was closed.

    scan_file: Mapped[ScanFile] = relationship()
    invitation: Mapped[Invitation | None] = relationship()


class ScannedForm(db.Model):
    """A form whose pages arrive by scan: gathered, then counted once."""

    __tablename__ = "scanned_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), unique=True)
    state: Mapped[FormState] = mapped_column(value_enum(FormState), index=True)
    provenance: Mapped[Provenance | None] = mapped_column(value_enum(Provenance))

    invitation: Mapped[Invitation] = relationship()


class ReviewItem(db.Model):
    """One thing for a person to decide: a page, a question, a duplicate, a missing page."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReviewKind] = mapped_column(value_enum(ReviewKind), index=True)
    scan_page_id: Mapped[int | None] = mapped_column(ForeignKey("scan_pages.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), index=True)
    item: Mapped[str] = mapped_column(String(64), default="")  # the question, when doubtful
    reason: Mapped[str] = mapped_column(String(32), default="")
    # The question with the marks drawn, or the handwritten comment: deleted once decided.
    crop: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_open: Mapped[bool] = mapped_column(default=True, index=True)
    # Months, not times: deciding a doubt is what closes a scanned form's code.
    created_month: Mapped[date] = mapped_column(default=this_month)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_month: Mapped[date | None]
    resolution: Mapped[str] = mapped_column(String(32), default="")

    scan_page: Mapped[ScanPage | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
