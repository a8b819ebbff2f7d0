"""Commands for print batches."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import fail_on_input_error, print_rows
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db
from satisfaction.intake import batches, printing, queries, returns
from satisfaction.survey import ballot_box
from satisfaction.survey.models import Channel

batches_cli = AppGroup("batches", help="Issue and print batches of paper forms.")
returns_cli = AppGroup("returns", help="Paper answers keyed elsewhere.")

CHANNELS = click.Choice([c.value for c in Channel])


def _no_questionnaire(error: NotFound) -> click.ClickException:
    return click.ClickException(
        _(
            "No questionnaire %(name)s is recorded: run satisfaction questionnaires sync.",
            name=str(error),
        )  # fmt: skip
    )


@batches_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--channel", type=CHANNELS, default="envelope", show_default=True)
@click.option(
    "--valid-days",
    type=int,
    default=None,
    help="Days the codes can be answered from today (default: CODE_VALID_DAYS).",
)
def import_command(file: Path, channel: str, valid_days: int | None):
    """Issue one form per dossier of a list (CSV or XLSX); print the batch id last.

    A list taken before creates nothing and, like a list whose dossiers all have forms, prints
    the batch it made: running the import again is harmless.
    """
    with fail_on_input_error():
        try:
            outcome = batches.import_dossier_list(file, Channel(channel), source_name=file.name,
                                                  valid_days=valid_days)  # fmt: skip
        except NotFound as error:
            raise _no_questionnaire(error) from None
        except batches.ListTakenBefore as taken:
            if taken.batch_id is None:
                raise
            click.echo(str(taken), err=True)
            click.echo(taken.batch_id)
            return
        db.session.commit()
    if outcome.batch is None:
        click.echo(_("All %(n)d dossiers already have forms (batch %(id)s); nothing created.",
                     n=outcome.existing, id=outcome.earlier_batch_id), err=True)  # fmt: skip
        click.echo(outcome.earlier_batch_id)
        return
    click.echo(_("Batch %(id)d: %(n)d forms issued; %(old)d dossiers already had one.",
                 id=outcome.batch.id, n=outcome.created, old=outcome.existing))  # fmt: skip
    if outcome.unknown_fields:
        click.echo(_("%(n)d forms are for procedures not in the catalogue: their field is "
                     "unknown.", n=outcome.unknown_fields), err=True)  # fmt: skip
    click.echo(outcome.batch.id)


@batches_cli.command("create")
@click.option("--service-point", "point_code", help="Code of the service point.")
@click.option("--area", "area_code", help="Code of a unit: forms for each service point inside it.")
@click.option("--count", type=int, required=True,
              help="How many forms (with --area: for each service point).")  # fmt: skip
@click.option("--channel", type=click.Choice(["enumerator", "desk"]), required=True)
@click.option(
    "--valid-days",
    type=int,
    default=None,
    help="Days the codes can be answered from today (default: CODE_VALID_DAYS).",
)
@click.option(
    "--field",
    "field_code",
    default="",
    help="Code of the field of the procedures (satisfaction procedures fields).",
)
def create_command(point_code: str | None, area_code: str | None, count: int, channel: str,
                   valid_days: int | None, field_code: str):  # fmt: skip
    """Issue a stack of forms for a service point or an area; print the batch id last."""
    if (point_code is None) == (area_code is None):
        raise click.UsageError(_("Give either --service-point or --area."))
    with fail_on_input_error():
        try:
            batch = batches.create_batch(
                point_code or area_code,
                count,
                Channel(channel),
                valid_days=valid_days,
                field_code=field_code,
            )
        except NotFound as error:
            raise _no_questionnaire(error) from None
        db.session.commit()
    click.echo(_("Batch %(id)d: %(n)d forms issued.", id=batch.id, n=batch.form_count))
    click.echo(batch.id)


@batches_cli.command("print")
@click.argument("batch_id", type=int)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write; FILE.layout.json and FILE.manifest.csv go beside it.",
)
def print_command(batch_id: int, out: Path):
    """Draw a batch's forms as a PDF with its layout JSON and manifest."""
    try:
        batch = queries.get_batch(batch_id, None)
    except NotFound:
        raise click.ClickException(_("There is no batch %(id)d.", id=batch_id)) from None
    with click.progressbar(length=batch.form_count, label=_("Drawing forms"),
                           file=sys.stderr) as bar:  # fmt: skip
        files = printing.print_batch(batch, out, progress=bar.update)
    db.session.commit()
    click.echo(_("Wrote %(pdf)s, %(layout)s and %(manifest)s.", pdf=files.pdf,
                 layout=files.layout.name, manifest=files.manifest.name))  # fmt: skip


@batches_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["csv", "table"]), default="table")
def list_command(fmt: str):
    """List the newest batches."""
    rows = [
        (str(b.id), b.channel.value, b.service_point.code if b.service_point else "",
         str(b.form_count), b.created_at.strftime("%Y-%m-%d %H:%M"),
         b.printed_at.strftime("%Y-%m-%d %H:%M") if b.printed_at else "")
        for b in queries.list_batches(None)
    ]  # fmt: skip
    print_rows(["id", "channel", "service_point", "forms", "created_at", "printed_at"], rows, fmt)


@returns_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_returns_command(file: Path):
    """Count the answers of a spreadsheet of keyed forms: every row checked, nothing partial."""
    with fail_on_input_error():
        outcome = returns.import_returns(file, name=file.name)
        db.session.commit()
    ballot_box.mix_after_answers()
    click.echo(_("%(n)d forms counted; %(d)d already answered, kept as duplicates.",
                 n=outcome.counted, d=outcome.duplicates))  # fmt: skip
    if outcome.blank:
        click.echo(_("%(n)d forms with no answer recorded as returned blank (not counted).",
                     n=outcome.blank))  # fmt: skip
