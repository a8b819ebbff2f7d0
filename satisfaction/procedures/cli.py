"""Commands for the catalogue of procedures."""

from pathlib import Path

import click
from flask.cli import AppGroup

from satisfaction.core.cli import fail_on_input_error, print_rows
from satisfaction.extensions import db
from satisfaction.procedures import catalogue
from satisfaction.procedures.fields import all_fields

procedures_cli = AppGroup("procedures", help="The catalogue of procedures and their fields.")


@procedures_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(file: Path):
    """Load procedures (code, name, field) from the national database's export, CSV or XLSX."""
    with fail_on_input_error():
        summary = catalogue.load_catalogue(file, file.name)
        db.session.commit()
    click.echo(str(summary))


@procedures_cli.command("fields")
@click.option("--format", "fmt", type=click.Choice(["csv", "table"]), default="table")
def fields_command(fmt: str):
    """List the bundled fields of procedures: code, Vietnamese name, English name."""
    rows = [(f.code, f.name_vi, f.name_en) for f in all_fields()]
    print_rows(("code", "name_vi", "name_en"), rows, fmt)
