"""Invitations (one issued form, one code) and the anonymous responses."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.core.columns import value_enum
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.units.models import ServicePoint


class Channel(StrEnum):
    """How the form reached the citizen."""

    ENVELOPE = "envelope"  # with a result returned by post (Decision 45/2016)
    ENUMERATOR = "enumerator"  # handed out and collected by postal staff (a sample)
    DESK = "desk"  # at the one-stop desk: a stack of forms or the poster link


class Mode(StrEnum):
    """How the answer was captured."""

    ONLINE = "online"
    KEYED = "keyed"
    SCANNED = "scanned"
    IMPORTED = "imported"


class InvitationStatus(StrEnum):
    """Where an issued form stands."""

    ISSUED = "issued"
    PRINTED = "printed"
    DISPATCHED = "dispatched"
    RETURNED = "returned"
    KEYED = "keyed"
    VERIFIED = "verified"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (
    InvitationStatus.ISSUED,
    InvitationStatus.PRINTED,
    InvitationStatus.DISPATCHED,
    InvitationStatus.RETURNED,
)


class Invitation(db.Model):
    """One issued form: a single-use code for one service point and questionnaire version."""

    __tablename__ = "invitations"
    # One form per dossier and office: re-uploading a dossier list creates nothing twice.
    __table_args__ = (
        UniqueConstraint("service_point_id", "dossier_ref"),
        # A unit's funnel (forms issued, returned, counted, expired in a period) read from the
        # index alone on PostgreSQL: a province has hundreds of thousands of forms. The batch
        # tells a code's validity (its batch may set its own).
        Index("ix_invitations_point_issued", "service_point_id", "issued_at",
              postgresql_include=["dispatched_at", "returned_at", "answered_via", "status",
                                  "batch_id", "is_returned_blank"]),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    procedure_code: Mapped[str] = mapped_column(String(64), default="")
    procedure_name: Mapped[str] = mapped_column(String(255), default="")
    # The field of the procedure (a code of satisfaction.procedures.fields; "" unknown): from
    # the catalogue for a dossier, or the batch's field. Its answer carries it.
    field_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Optional; never shown to officers next to answers (design, section 5).
    dossier_ref: Mapped[str | None] = mapped_column(String(64))
    result_on: Mapped[date | None]
    status: Mapped[InvitationStatus] = mapped_column(
        value_enum(InvitationStatus), default=InvitationStatus.ISSUED, index=True
    )
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    # The first day of the month it was answered: the figures need no more, and a time would
    # tell which answer in the ballot box was this code's (design, section 5).
    answered_month: Mapped[date | None]
    answered_via: Mapped[Mode | None] = mapped_column(value_enum(Mode))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    # The paper came back with no answer at all: not counted, the code left open (a later
    # answer to it still counts). No time: it is no answer, but the flag needs none.
    is_returned_blank: Mapped[bool] = mapped_column(default=False, server_default=false())

    service_point: Mapped[ServicePoint] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    batch: Mapped["Batch | None"] = relationship()  # noqa: F821 (satisfaction.intake.models)

    @property
    def batch_valid_days(self) -> int | None:
        """Return the days its batch sets for the code's validity (None: the default)."""
        return None if self.batch is None else self.batch.valid_days

    def __repr__(self) -> str:
        return f"<Invitation {self.code} {self.status}>"


def _new_id() -> uuid.UUID:
    # Random, not sequential: the order of responses must not match the order of invitations.
    return uuid.uuid4()


class Response(db.Model):
    """One counted answer. It carries no link to a code, invitation or dossier, and only a day."""

    __tablename__ = "responses"
    # A unit's comments, without reading its answers: a few in a hundred write one. On PostgreSQL
    # the index holds what a unit page filters them by, and their ids: counted and sampled from it.
    __table_args__ = (
        Index("ix_responses_commented", "province_id", "answered_on",
              postgresql_where=text("comment <> ''"), sqlite_where=text("comment <> ''"),
              postgresql_include=["district_id", "commune_id", "channel", "is_poster",
                                  "questionnaire_version_id", "id"]),
    )  # fmt: skip

    # No foreign keys (migration a2c4e6f8b0d1): the ids are copied from a ballot, whose were
    # read from their rows, or from units found by their codes; none of those rows is ever
    # deleted, and five checks a row were half the cost of storing a mix's responses.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=_new_id)
    questionnaire_version_id: Mapped[int] = mapped_column(index=True)
    service_point_id: Mapped[int] = mapped_column(index=True)
    # The units of the service point, copied so that roll-ups need no joins.
    province_id: Mapped[int | None] = mapped_column(index=True)
    district_id: Mapped[int | None] = mapped_column(index=True)
    commune_id: Mapped[int | None] = mapped_column(index=True)
    channel: Mapped[Channel] = mapped_column(value_enum(Channel), index=True)
    mode: Mapped[Mode] = mapped_column(value_enum(Mode))
    answered_on: Mapped[date] = mapped_column(index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Given through a desk poster's link (no code, anyone can answer): scores report it apart.
    is_poster: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The field of the procedure (satisfaction.procedures.fields; "" unknown): coarse, shared
    # by many answers (docs/methodology.md, anonymity).
    field_code: Mapped[str] = mapped_column(String(32), default="", server_default="")

    service_point: Mapped[ServicePoint] = relationship(
        primaryjoin="foreign(Response.service_point_id) == ServicePoint.id", viewonly=True
    )


class Ballot(db.Model):
    """An answer waiting in the ballot box: recorded with its code's closing, counted once mixed.

    The mixer moves waiting ballots into responses in a random order and deletes them, so that
    the transaction, storage order and time of the closing of a code say nothing of which
    response is its answer. A ballot holds no link to its code either.
    """

    __tablename__ = "ballots"

    # No foreign keys, as a response (migration a2c4e6f8b0d1): the ids were read from their
    # rows in the transaction that drops the ballot.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=_new_id)
    questionnaire_version_id: Mapped[int]
    service_point_id: Mapped[int]
    # The units of the service point, as a response has them (officers see what waits).
    province_id: Mapped[int | None] = mapped_column(index=True)
    district_id: Mapped[int | None]
    commune_id: Mapped[int | None]
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    mode: Mapped[Mode] = mapped_column(value_enum(Mode))
    answered_on: Mapped[date]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    is_poster: Mapped[bool] = mapped_column(default=False)
    field_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # When it was dropped in: a ballot waiting longer than MIX_MAX_WAIT goes in a smaller batch.
    # Gone with the ballot once mixed.
    dropped_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class InvitationEvent(db.Model):
    """One step of a form's journey: what it became, when, and which clerk did it."""

    __tablename__ = "invitation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(value_enum(InvitationStatus))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    invitation: Mapped[Invitation] = relationship()
