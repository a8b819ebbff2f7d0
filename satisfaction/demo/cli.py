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


@demo_cli.command("admin")
@click.option("--username", default="admin", show_default=True)
@click.option("--password", required=True, help="Password to set (at least 10 characters).")
def demo_admin(username: str, password: str):
    """Create the demo administrator, or reset its password if it exists."""
    with fail_on_input_error():
        try:
            user = accounts.get_user(username)
        except NotFound:
            user = accounts.create_user(username, password, Role.ADMIN)
        else:
            accounts.set_password(user, password)
    db.session.commit()
    click.echo(_("Administrator %(name)s is ready.", name=user.username))
