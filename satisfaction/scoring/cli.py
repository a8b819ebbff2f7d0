"""Commands for the scores: rebuild the aggregates, export the figures."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.dashboard.exports import CHANNEL_MIXES, export_level
from satisfaction.extensions import db
from satisfaction.scoring import rebuild as rebuilding

scores_cli = AppGroup("scores", help="Satisfaction scores: aggregates and exports.")


@scores_cli.command("rebuild")
def rebuild_command():
    """Recompute the score aggregates from every recorded answer."""
    responses, cells = rebuilding.rebuild()
    db.session.commit()
    click.echo(_("Aggregates rebuilt from %(responses)d responses (%(cells)d cells).",
                 responses=responses, cells=cells))  # fmt: skip


@scores_cli.command("export")
@click.option("--level", type=click.Choice(["province", "district", "commune"]), required=True)
@click.option("--period", help="2026, 2026-H1, 2026-Q3, 2026-07 or 2026-01-01..2026-06-30 "
              "(default: all).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("--channels", type=click.Choice(list(CHANNEL_MIXES)), default="official",
              show_default=True, help="Official channels, the desk poster, or all.")  # fmt: skip
@click.option("--dataset", help="Unit dataset (default: the one in force).")
@click.option("--parent", "parent_code", help="Only the units inside this one (its code).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file (required for xlsx); default: standard output.")  # fmt: skip
def export_command(level: str, period: str | None, fmt: str, channels: str,
                   dataset: str | None, parent_code: str | None, out: str | None):  # fmt: skip
    """Export the scores of every unit of a level, as the Score CSV contract says."""
    if fmt == "xlsx" and not out:
        raise click.UsageError(_("An XLSX workbook needs --out FILE."))
    with fail_on_input_error():
        try:
            data = export_level(level, period, fmt, dataset, channels, parent_code)
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    db.session.commit()  # the audit event
    if out:
        with open(out, "wb") as target:
            target.write(data)
    else:
        click.echo(data.decode("utf-8"), nl=False)
