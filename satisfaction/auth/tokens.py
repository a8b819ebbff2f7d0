"""Tokens for machines reading the API: each acts as one staff account, within its scope."""

import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.auth.models import Role, User
from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.time import utcnow
from satisfaction.extensions import db

PREFIX = "sat_"


class ApiToken(db.Model):
    """A secret a machine sends as `Authorization: Bearer ...`; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(username: str, name: str) -> tuple[ApiToken, str]:
    """Create a token for an officer's or admin's account; return it and the secret (shown once)."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    problems = []
    if user is None:
        problems.append(Problem("username", _("there is no account %(name)s", name=username)))
    elif user.role not in (Role.OFFICER, Role.ADMIN):
        problems.append(Problem("username", _("only officers' and administrators' accounts "
                                              "read scores")))  # fmt: skip
    if not 1 <= len(name.strip()) <= 64:
        problems.append(Problem("name", _("give the token a name of 1-64 characters")))
    if problems:
        raise InputError(problems)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), token_hash=_hash(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token_id: int) -> ApiToken:
    """Stop a token from working."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(_("there is no token %(id)d", id=token_id))
    token.revoked_at = token.revoked_at or utcnow()
    return token


def token_of(secret: str) -> ApiToken | None:
    """Return the working token of a secret, or None if it is unknown, revoked or disabled."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_enabled:
        return None
    return token


def touch(token: ApiToken) -> bool:
    """Note when a token was used, at most once an hour (a read should rarely write)."""
    now = utcnow()
    if token.last_used_at is not None and (now - token.last_used_at).total_seconds() < 3600:
        return False
    token.last_used_at = now
    return True


def list_tokens() -> list[ApiToken]:
    """Return every token, newest first."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))
