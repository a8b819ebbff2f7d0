"""Commands for administrative units and service points."""

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import fail_on_input_error, print_rows
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db
from satisfaction.paper.poster import SIZES as POSTER_SIZES
from satisfaction.survey.posters import get_service_point, poster_of, poster_pdf
from satisfaction.units import services
from satisfaction.units.models import UnitLevel

units_cli = AppGroup("units", help="Load, import and list administrative units.")
service_points_cli = AppGroup("service-points", help="Add and list service points.")

LEVELS = click.Choice([level.value for level in UnitLevel])
FORMATS = click.Choice(["csv", "table"])


@contextmanager
def refuse_bad_input() -> Iterator[None]:
    """Print every problem or the missing thing to stderr and exit 1, saving nothing."""
    with fail_on_input_error():
        try:
            yield
        except NotFound as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Parse a YYYY-MM-DD option."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(_("expected a date as YYYY-MM-DD, not %(v)s", v=value)) from None


@units_cli.command("load")
@click.argument("name", type=click.Choice(sorted(services.BUILTINS)))
def load_command(name: str):
    """Load a unit list carried by the project (running it again changes nothing)."""
    with refuse_bad_input():
        summary = services.load_builtin(name)
        links = services.link_builtins()
        db.session.commit()
    click.echo(str(summary))
    for link in links:
        click.echo(_link_text(link))


def _link_text(link: services.LinkSummary) -> str:
    """Say what loading a correspondence did."""
    text = _("%(old)s -> %(new)s: %(linked)d old units counted in new ones",
             old=link.old, new=link.new, linked=link.linked)  # fmt: skip
    if link.missing:
        text += "; " + _("%(missing)d rows name units not loaded", missing=link.missing)
    return text + ("" if link.changed else "; " + _("nothing changed"))


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dataset", help="Dataset to create or update (default: the file's name).")
@click.option("--title", help="Title of a new dataset.")
@click.option("--tag", help="Short tag ending its generated service-point codes, e.g. 26.")
@click.option("--valid-from", callback=_day, help="First day in force, YYYY-MM-DD.")
@click.option("--valid-to", callback=_day, help="Last day in force, YYYY-MM-DD.")
def import_command(file: Path, dataset: str | None, title: str | None, tag: str | None,
                   valid_from: date | None, valid_to: date | None):  # fmt: skip
    """Import a unit list in the GSO layout (CSV or XLSX): all of it or nothing."""
    name = dataset or _dataset_name(file)
    with refuse_bad_input():
        summary = services.import_units(
            file, name, title=title, tag=tag, valid_from=valid_from, valid_to=valid_to
        )
        db.session.commit()
    click.echo(str(summary))


def _dataset_name(file: Path) -> str:
    """Name a dataset after its file: "Danh mục 2026.xlsx" -> "danh-muc-2026"."""
    stem = file.name.split(".")[0].replace("đ", "d").replace("Đ", "D")
    stem = unicodedata.normalize("NFD", stem).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in stem).split())[:32]


@units_cli.command("list")
@click.option("--dataset", help="Dataset name (default: the one in force).")
@click.option("--level", type=LEVELS, help="Only units of this level.")
@click.option("--parent", "parent_code", help="Only the units directly under this code.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def list_command(dataset: str | None, level: str | None, parent_code: str | None, fmt: str):
    """List units: code, name, level, parent_code."""
    with refuse_bad_input():
        units = services.list_units(dataset=dataset, level=level, parent_code=parent_code)
    rows = [(u.code, u.name, u.level.value, u.parent.code if u.parent else "") for u in units]
    print_rows(["code", "name", "level", "parent_code"], rows, fmt)


@service_points_cli.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Name of the office.")
@click.option("--unit", "unit_code", required=True, help="Code of its unit.")
@click.option("--dataset", help="Dataset of the unit (default: the one in force).")
@click.option("--level", type=LEVELS, help="Level of the office (default: its unit's).")
def add_command(code: str, name: str, unit_code: str, dataset: str | None, level: str | None):
    """Add a service point to a unit."""
    with refuse_bad_input():
        point = services.add_service_point(code, name, unit_code, dataset=dataset, level=level)
    db.session.commit()
    click.echo(_("Added %(code)s (%(name)s) to %(unit)s.", code=point.code, name=point.name,
                 unit=point.unit.code))  # fmt: skip


@service_points_cli.command("list")
@click.option("--unit", "unit_code", help="Only this unit and the units below it.")
@click.option("--dataset", help="Dataset name (default: the one in force).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def list_points_command(unit_code: str | None, dataset: str | None, fmt: str):
    """List service points: code, name, level, unit_code."""
    with refuse_bad_input():
        points = services.list_service_points(unit_code=unit_code, dataset=dataset)
    rows = [(p.code, p.name, p.level.value, p.unit.code) for p in points]
    print_rows(["code", "name", "level", "unit_code"], rows, fmt)


@service_points_cli.command("poster")
@click.argument("code")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write.")  # fmt: skip
@click.option("--size", type=click.Choice(list(POSTER_SIZES), case_sensitive=False), default="A4",
              show_default=True, help="Paper size.")  # fmt: skip
def poster_command(code: str, out: Path, size: str):
    """Write the desk poster of a service point: its QR code, address and three lines."""
    with refuse_bad_input():
        point = get_service_point(code)
    size = size.upper()
    out.write_bytes(poster_pdf(point, size))
    click.echo(_("Wrote %(file)s: the %(size)s poster of %(code)s, for %(url)s.", file=out,
                 size=size, code=point.code, url=poster_of(point).url))  # fmt: skip
