"""Commands that prepare a demonstration installation."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.auth import services as accounts
from satisfaction.auth.models import Role
from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db

demo_cli = AppGroup("demo", help="Prepare a demonstration installation.")


DEMO_STAFF = (
    ("admin", Role.ADMIN, None),
    ("buudien.badinh", Role.POSTAL, "001"),
    ("caicach.hanoi", Role.OFFICER, "01"),
)


@demo_cli.command("staff")
@click.option("--password", required=True, help="Password of every demo account (10+ characters).")
def demo_staff(password: str):
    """Create the demo accounts (an admin, a Ba Đình post office clerk, a Hà Nội officer)."""
    with fail_on_input_error():
        for username, role, scope in DEMO_STAFF:
            try:
                user = accounts.get_user(username)
            except NotFound:
                user = accounts.create_user(username, password, role, scope)
            else:
                accounts.set_password(user, password)
            click.echo(_("Account %(name)s (%(role)s) is ready.", name=user.username,
                         role=role.value))  # fmt: skip
    db.session.commit()
