"""Print batches: a run of forms issued together for the post office."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.auth.models import User
from satisfaction.core.columns import value_enum
from satisfaction.core.time import this_month, utcnow
from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.survey.models import Channel, Invitation, Mode
from satisfaction.units.models import AdminUnit, ServicePoint


class Batch(db.Model):
    """Forms issued together: from a dossier list (envelopes) or as a stack of N forms."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    # Set when every form of the batch is for one service point (always, for a stack of N).
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    # The smallest unit holding every form's service point: who may see the batch.
    # None for a batch across provinces, which only nation-wide staff see.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source_name: Mapped[str] = mapped_column(String(255), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    form_count: Mapped[int] = mapped_column(default=0)
    printed_at: Mapped[datetime | None]
    print_count: Mapped[int] = mapped_column(default=0)
    # Days its codes can be answered from their issue; None: the CODE_VALID_DAYS setting.
    valid_days: Mapped[int | None]
    # The field of the procedures of a stack of forms, chosen by the clerk ("" none: a dossier
    # list gives each form its own field, from the catalogue).
    field_code: Mapped[str] = mapped_column(String(32), default="", server_default="")

    service_point: Mapped[ServicePoint | None] = relationship()
    unit: Mapped[AdminUnit | None] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Batch {self.id} {self.channel} {self.form_count}>"


class EntryOutcome(StrEnum):
    """Where a keyed entry stands."""

    PENDING = "pending"  # first of two entries, waiting for the second clerk
    COUNTED = "counted"  # the answer was recorded from it (alone, or both entries agreed)
    MISMATCH = "mismatch"  # the two entries differ: a supervisor decides
    RESOLVED = "resolved"  # a supervisor decided between differing entries


class KeyedEntry(db.Model):
    """One clerk's keying of one paper form. Answers are cleared once the response is recorded."""

    __tablename__ = "keyed_entries"
    # Two clerks starting the same first entry at once: the database keeps one.
    __table_args__ = (UniqueConstraint("invitation_id", "entry_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    entry_no: Mapped[int]
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outcome: Mapped[EntryOutcome] = mapped_column(value_enum(EntryOutcome), index=True)
    # The first day of the month it was keyed: a time would tell when its code was closed.
    keyed_month: Mapped[date] = mapped_column(default=this_month)
    seconds: Mapped[float | None]  # time from opening the form to saving it

    invitation: Mapped[Invitation] = relationship()
    clerk: Mapped[User] = relationship()


class DuplicateAnswer(db.Model):
    """An answer for a code already answered: its arrival kept for clerks to see, never counted.

    Not its answers: a form scanned or keyed twice repeats the counted answer, which beside its
    code would tell a reader of the database which response is that code's.
    """

    __tablename__ = "duplicate_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    mode: Mapped[Mode] = mapped_column(value_enum(Mode))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    invitation: Mapped[Invitation] = relationship()
