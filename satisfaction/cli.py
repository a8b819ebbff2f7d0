"""The `satisfaction` command: Flask's CLI bound to this application."""

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from satisfaction import ConfigurationError, create_app


def _create() -> Flask:
    """Build the app; a configuration mistake is one clear line, not a traceback."""
    try:
        return create_app()
    except ConfigurationError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


cli = FlaskGroup(
    create_app=_create,
    help="Run and manage the satisfaction platform (the same as `flask --app satisfaction`).",
)


def main() -> None:
    """Run the command line."""
    cli.main()
