"""Who may see what: roles for pages, scopes for units."""

from collections.abc import Callable
from functools import wraps

from flask_login import current_user

from satisfaction.auth.models import Role, User
from satisfaction.core.errors import Forbidden
from satisfaction.extensions import login_manager
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit


def can_see_unit(user: User, unit: AdminUnit) -> bool:
    """Tell whether unit lies within the scope of user (through the reform, for an old unit)."""
    scope = user.scope_unit
    if user.role is Role.ADMIN or scope is None or scope.contains(unit):
        return True
    if unit.dataset_id == scope.dataset_id:
        return False
    # An old unit is seen by those who see the unit its answers count in (its own, or its
    # nearest parent's: an old district's counts in its province's).
    carried = successions.carried_into(unit, scope.dataset_id)
    return carried is not None and scope.contains(carried)


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
