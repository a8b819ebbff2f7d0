"""Files imported into the platform, each known by its content so that none is taken twice."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.auth.models import User
from satisfaction.core.time import utcnow
from satisfaction.extensions import db


class ImportedFile(db.Model):
    """A file taken by an import: its kind and fingerprint are unique, per deliberate repeat.

    The unique constraint, not a check in Python, refuses a file taken before: of two imports of
    one file running at once, the second waits for the first and is refused when it commits.
    """

    __tablename__ = "imported_files"
    __table_args__ = (UniqueConstraint("kind", "sha256", "repeat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # dossiers, returns, responses, units
    sha256: Mapped[str] = mapped_column(String(64))
    # 0 for the first import; an import asked for again (responses --again, units) takes the next.
    repeat: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(255), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ImportedFile {self.kind} {self.sha256[:12]} {self.repeat}>"
