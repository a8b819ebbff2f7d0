"""The `satisfaction` command: Flask's CLI bound to this application."""

from flask.cli import FlaskGroup

from satisfaction import create_app

cli = FlaskGroup(
    create_app=create_app,
    help="Run and manage the satisfaction platform (the same as `flask --app satisfaction`).",
)


def main() -> None:
    """Run the command line."""
    cli.main()
