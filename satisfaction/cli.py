"""The `satisfaction` command: Flask's CLI bound to this application."""

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, ProgrammingError

from satisfaction import ConfigurationError, create_app


def _create() -> Flask:
    """Build the app; a configuration mistake is one clear line, not a traceback."""
    try:
        return create_app()
    except ConfigurationError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


class _Group(FlaskGroup):
    """Flask's group, telling a user who skipped `db upgrade` what to do instead of showing SQL."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as error:
            if not _missing_table(error):
                raise
            with ctx.ensure_object(ScriptInfo).load_app().app_context():
                click.echo(_("Error: the database has no tables yet (or an old schema): run "
                             "`satisfaction db upgrade` first."), err=True)  # fmt: skip
            sys.exit(1)


def _missing_table(error: Exception) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


cli = _Group(
    create_app=_create,
    help="Run and manage the satisfaction platform (the same as `flask --app satisfaction`).",
)


def main() -> None:
    """Run the command line."""
    cli.main()
