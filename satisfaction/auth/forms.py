"""Forms of the staff account pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from satisfaction.auth.models import Role
from satisfaction.core.forms import Form


class LoginForm(Form):
    """Sign in with a username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def role_choices() -> list[tuple[str, str]]:
    """Return the roles as (value, label) pairs in the user's language."""
    labels = {
        Role.ADMIN: _l("Administrator"),
        Role.OFFICER: _l("Reform officer"),
        Role.POSTAL: _l("Post office clerk"),
        Role.SUPERVISOR: _l("Post office supervisor (settles keying mismatches)"),
    }
    return [(role.value, str(labels[role])) for role in Role]


class UserForm(Form):
    """Create a staff account."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    scope = StringField(
        _l("Scope (unit code; empty = whole country)"), validators=[Optional(), Length(max=16)]
    )


class RoleForm(Form):
    """Change the role, scope and status of an account."""

    role = SelectField(_l("Role"), validators=[DataRequired()])
    scope = StringField(
        _l("Scope (unit code; empty = whole country)"), validators=[Optional(), Length(max=16)]
    )
    is_enabled = BooleanField(_l("Account enabled"))


class PasswordForm(Form):
    """Change one's own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
