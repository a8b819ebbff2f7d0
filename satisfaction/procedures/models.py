"""The catalogue of administrative procedures: each procedure's code, name and field."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from satisfaction.extensions import db


class Procedure(db.Model):
    """A procedure of the national database (mã thủ tục), with its field (a bundled field code)."""

    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500), default="")
    field_code: Mapped[str] = mapped_column(String(32))

    def __repr__(self) -> str:
        return f"<Procedure {self.code} {self.field_code}>"
