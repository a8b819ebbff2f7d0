"""Who may see what: roles for pages, scopes for units."""

from collections.abc import Callable
from functools import wraps

from flask_login import current_user

from satisfaction.auth.models import Role, User
from satisfaction.core.errors import Forbidden
from satisfaction.extensions import login_manager
from satisfaction.units.models import AdminUnit


def can_see_unit(user: User, unit: AdminUnit) -> bool:
    """Tell whether unit lies within the scope of user."""
    if user.role is Role.ADMIN or user.scope_unit is None:
        return True
    return user.scope_unit.contains(unit)


def require_unit(user: User, unit: AdminUnit) -> AdminUnit:
    """Return unit, or refuse when it lies outside the scope of user."""
    if not can_see_unit(user, unit):
        raise Forbidden(unit.code)
    return unit


def staff_required(*roles: Role) -> Callable:
    """Require a logged-in staff member, with one of roles when given (admins pass always)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.acts_as(Role.ADMIN, *roles):
                raise Forbidden(view.__name__)
            return view(*args, **kwargs)

        return wrapped

    return decorator
