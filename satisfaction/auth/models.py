"""Staff accounts: roles and the unit that bounds what each may see."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.core.columns import value_enum
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.units.models import AdminUnit


class Role(StrEnum):
    """What a staff member does."""

    ADMIN = "admin"
    OFFICER = "officer"
    POSTAL = "postal"
    # A post office clerk who may also settle keying mismatches (never their own).
    SUPERVISOR = "supervisor"


# Roles that do everything another role does, and more.
ACTS_AS: dict[Role, frozenset[Role]] = {Role.SUPERVISOR: frozenset({Role.POSTAL})}


class User(UserMixin, db.Model):
    """A staff member; scope_unit None means the whole nation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(value_enum(Role))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), index=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    scope_unit: Mapped[AdminUnit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.is_enabled

    def acts_as(self, *roles: Role | str) -> bool:
        """Tell whether this account has one of roles (a supervisor is a postal clerk too)."""
        mine = {self.role, *ACTS_AS.get(self.role, ())}
        return any(Role(role) in mine for role in roles)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
