"""Commands for invitations (codes) and responses."""

import json

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey import invitations as service
from satisfaction.survey.models import Channel

invitations_cli = AppGroup("invitations", help="Issue single-use survey codes.")
responses_cli = AppGroup("responses", help="Figures about the answers received.")


@invitations_cli.command("create")
@click.option("--service-point", "point_code", required=True, help="Code of the service point.")
@click.option("--count", type=int, required=True, help="How many codes to issue.")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), default="envelope",
              show_default=True)  # fmt: skip
@click.option("--questionnaire", help="Questionnaire key (default: the configured one).")
@click.option("--urls", is_flag=True, help="Print the survey address of each code instead.")
def create_command(point_code: str, count: int, channel: str, questionnaire: str | None,
                   urls: bool):  # fmt: skip
    """Issue new codes for a service point and print one a line."""
    with fail_on_input_error():
        try:
            made = service.create_invitations(point_code, count, Channel(channel), questionnaire)
        except NotFound as error:
            raise click.ClickException(
                _(
                    "No questionnaire %(name)s is recorded: run satisfaction questionnaires sync.",
                    name=str(error),
                )  # fmt: skip
            ) from None
    db.session.commit()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    for invitation in made:
        click.echo(f"{base}/s/{invitation.code}" if urls else group(invitation.code))


@responses_cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
def stats_command(fmt: str):
    """Print responses by channel and invitations by status, as JSON."""
    click.echo(json.dumps(service.stats(), sort_keys=True))
