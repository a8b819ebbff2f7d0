"""Staff accounts: create, authenticate, change roles and passwords."""

import re

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from satisfaction.audit.services import record
from satisfaction.auth.models import Role, User
from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.units.models import AdminUnit
from satisfaction.units.services import find_unit

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10
# Compared against when the username is unknown, so that timing does not reveal it.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def check_password_rules(password: str) -> list[Problem]:
    """Return what is wrong with a new password."""
    if len(password) < MIN_PASSWORD:
        return [Problem("password", _("must have at least %(n)d characters", n=MIN_PASSWORD))]
    return []


def _scope_unit(role: Role, scope_code: str | None, dataset: str | None) -> AdminUnit | None:
    """Resolve a scope code for role; postal clerks must have one."""
    if not scope_code:
        if role in (Role.POSTAL, Role.SUPERVISOR):
            raise InputError(Problem("scope", _("a postal clerk needs a unit as scope")))
        return None
    unit = find_unit(scope_code, dataset)
    if unit is None:
        raise InputError(Problem("scope", _("no unit has the code %(code)s", code=scope_code)))
    return unit


def parse_role(value: str) -> Role:
    """Return the Role named by value."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputError(
            Problem("role", _("must be one of: %(allowed)s", allowed=allowed))
        ) from None


def create_user(
    username: str,
    password: str,
    role: Role,
    scope_code: str | None = None,
    dataset: str | None = None,
    actor: User | None = None,
) -> User:
    """Add a staff account with a hashed password."""
    username = username.strip().lower()
    problems = []
    if not USERNAME_RE.match(username):
        problems.append(
            Problem(
                "username", _("use 3-64 lowercase letters, digits, dots, dashes or underscores")
            )
        )
    elif db.session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(Problem("username", _("%(name)s is already taken", name=username)))
    problems += check_password_rules(password)
    try:
        scope = _scope_unit(role, scope_code, dataset)
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(problems)
    user = User(
        username=username,
        password_hash=generate_password_hash(password),
        role=role,
        scope_unit=scope,
    )
    db.session.add(user)
    db.session.flush()
    record("user.create", username, actor, role=role.value, scope=scope.code if scope else None)
    return user


def get_user(username: str) -> User:
    """Return the account with this username."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(username)
    return user


def set_password(user: User, password: str, actor: User | None = None) -> None:
    """Replace the password of user."""
    problems = check_password_rules(password)
    if problems:
        raise InputError(problems)
    user.password_hash = generate_password_hash(password)
    record("user.password", user.username, actor)


def set_role(
    user: User,
    role: Role,
    scope_code: str | None,
    is_enabled: bool,
    dataset: str | None = None,
    actor: User | None = None,
) -> None:
    """Change the role, scope and enabled flag of user."""
    scope = _scope_unit(role, scope_code, dataset)
    before = {"role": user.role.value, "scope": user.scope_unit.code if user.scope_unit else None}
    user.role, user.scope_unit, user.is_enabled = role, scope, is_enabled
    after = {"role": role.value, "scope": scope.code if scope else None, "enabled": is_enabled}
    record("user.role", user.username, actor, before=before, after=after)


def authenticate(username: str, password: str) -> User | None:
    """Return the enabled user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    user.last_login_at = utcnow()
    return user


def list_users() -> list[User]:
    """Return every account, by username."""
    return list(db.session.scalars(select(User).order_by(User.username)))
