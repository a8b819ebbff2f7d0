"""Print batches: a run of forms issued together for the post office."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.auth.models import User
from satisfaction.core.columns import value_enum
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.survey.models import Channel
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

    service_point: Mapped[ServicePoint | None] = relationship()
    unit: Mapped[AdminUnit | None] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Batch {self.id} {self.channel} {self.form_count}>"
