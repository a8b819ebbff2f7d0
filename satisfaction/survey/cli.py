"""Commands for invitations (codes) and responses."""

import json
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.audit import services as audit
from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey import ballot_box, microdata
from satisfaction.survey import invitations as service
from satisfaction.survey.models import Channel

invitations_cli = AppGroup("invitations", help="Issue single-use survey codes.")
responses_cli = AppGroup("responses", help="The answers received: figures, microdata.")


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


@responses_cli.command("mix")
@click.option("--every", type=click.FloatRange(min=0.1), metavar="SECONDS", help=(
    "Keep running: look every SECONDS and mix when the box is due (MIX_MIN, MIX_MAX_WAIT), "
    "for web workers that do not mix (MIX_AFTER_ANSWER=false)."))  # fmt: skip
def mix_command(every: float | None):
    """Count every answer waiting in the ballot box now, in random order; print how many."""
    if every is None:
        moved = ballot_box.mix(force=True, wait=True)
        click.echo(_("%(n)d answers counted from the ballot box.", n=moved))
        return
    try:
        while True:  # killed mid-mix, the transaction is rolled back: the answers wait
            moved = ballot_box.mix_if_due()
            if moved:
                click.echo(_("%(n)d answers counted from the ballot box.", n=moved))
            db.session.remove()
            time.sleep(every)
    except KeyboardInterrupt:
        pass


@responses_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@click.option("--codebook", type=click.Path(dir_okay=False),
              help="Write the codebook here (default with --out: FILE.codebook.csv).")  # fmt: skip
@click.option("--questionnaire", help="Questionnaire key (default: the configured one).")
@click.option("--with-comments", is_flag=True, help="Include the free comments.")
def export_responses_command(fmt: str, out: str | None, codebook: str | None,
                             questionnaire: str | None, with_comments: bool):  # fmt: skip
    """Export the anonymous microdata: one row per response, no code, the day only."""
    try:
        rows = microdata.export_rows(questionnaire, with_comments)
        book = microdata.codebook_rows(questionnaire)
    except NotFound as error:
        raise click.ClickException(str(error)) from None
    if out:
        with open(out, "w", encoding="utf-8", newline="") as target:
            for row in rows:
                target.write(microdata.to_csv([row]))
        codebook = codebook or str(Path(out).with_suffix("")) + ".codebook.csv"
    else:
        for row in rows:
            click.echo(microdata.to_csv([row]), nl=False)
    if codebook:
        Path(codebook).write_text(microdata.to_csv(book), encoding="utf-8")
    audit.record(microdata.EXPORT_ACTION, "", None, comments=with_comments)
    db.session.commit()


@responses_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--again", is_flag=True, help="Import a file that was imported before.")
def import_responses_command(file: Path, again: bool):
    """Record past or external responses from a CSV: every row checked, all or nothing."""
    with fail_on_input_error():
        count = microdata.import_responses(file, again, name=file.name)
        db.session.commit()
    click.echo(_("%(n)d responses recorded.", n=count))
