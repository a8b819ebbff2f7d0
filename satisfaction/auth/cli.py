"""Commands for staff accounts."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.auth import services, tokens
from satisfaction.auth.models import Role
from satisfaction.core.cli import fail_on_input_error, print_rows
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db

users_cli = AppGroup("users", help="Add and list staff accounts, set passwords.")

password_option = click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for when not given).",
)


@users_cli.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--scope", "scope_code", help="Unit code bounding what the user sees.")
@click.option("--dataset", help="Dataset of the scope unit (default: the current one).")
@password_option
def add_user(username: str, role: str, scope_code: str | None, dataset: str | None, password: str):
    """Add a staff account."""
    with fail_on_input_error():
        user = services.create_user(
            username, password, services.parse_role(role), scope_code, dataset
        )
    db.session.commit()
    scope = user.scope_unit.code if user.scope_unit else _("whole country")
    click.echo(
        _("Added %(name)s (%(role)s, %(scope)s).", name=user.username, role=role, scope=scope)
    )


@users_cli.command("set-password")
@click.argument("username")
@password_option
def set_password(username: str, password: str):
    """Set the password of a staff account."""
    try:
        user = services.get_user(username)
    except NotFound:
        raise click.ClickException(_("No account is called %(name)s.", name=username)) from None
    with fail_on_input_error():
        services.set_password(user, password)
    db.session.commit()
    click.echo(_("Password of %(name)s changed.", name=user.username))


@users_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["csv", "table"]), default="table")
def list_users(fmt: str):
    """List the staff accounts."""
    rows = [
        (u.username, u.role.value, u.scope_unit.code if u.scope_unit else "",
         "yes" if u.is_enabled else "no")
        for u in services.list_users()
    ]  # fmt: skip
    print_rows(["username", "role", "scope_code", "enabled"], rows, fmt)


@users_cli.command("token")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. the reading system.")
def add_token(username: str, name: str):
    """Issue an API token acting as an account; print the secret once, on the last line."""
    with fail_on_input_error():
        token, secret = tokens.issue_token(username, name)
    db.session.commit()
    click.echo(_("Token %(id)d for %(user)s: keep this secret, it is not shown again.",
                 id=token.id, user=token.user.username))  # fmt: skip
    click.echo(secret)


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int):
    """Stop an API token from working."""
    try:
        tokens.revoke_token(token_id)
    except NotFound as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Token %(id)d revoked.", id=token_id))


@users_cli.command("tokens")
@click.option("--format", "fmt", type=click.Choice(["csv", "table"]), default="table")
def list_tokens(fmt: str):
    """List the API tokens (never their secrets)."""
    rows = [
        (str(t.id), t.user.username, t.name, t.created_at.strftime("%Y-%m-%d %H:%M"),
         t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "",
         "revoked" if t.revoked_at else "active")
        for t in tokens.list_tokens()
    ]  # fmt: skip
    print_rows(["id", "username", "name", "created_at", "last_used_at", "state"], rows, fmt)
