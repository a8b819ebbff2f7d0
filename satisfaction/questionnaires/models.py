"""Questionnaire versions as recorded in the database."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satisfaction.core.time import utcnow
from satisfaction.extensions import db


class QuestionnaireVersion(db.Model):
    """One version of a questionnaire definition, frozen by its content hash."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # Deferred: pages find the parsed form by content_hash and read this only on a cache miss.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    source_file: Mapped[str] = mapped_column(String(255), default="")
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<QuestionnaireVersion {self.key} v{self.version}>"
