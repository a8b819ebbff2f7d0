"""Helpers shared by the commands of every domain."""

import csv
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from satisfaction.core.errors import InputError
from satisfaction.extensions import db


@contextmanager
def fail_on_input_error() -> Iterator[None]:
    """Turn an InputError into every problem on stderr and exit code 1, with nothing saved.

    A run that lost a race (the database refused its rows: another run wrote them first) is
    told so the same way, not with a traceback. Commit inside the block.
    """
    try:
        yield
    except InputError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    except IntegrityError:
        db.session.rollback()
        click.echo(race_message(), err=True)
        raise SystemExit(1) from None


def race_message() -> str:
    """Say that another run wrote the same records at the same moment."""
    return _("Another run wrote the same records at the same moment: nothing was saved. "
             "Run the command again to see where things stand.")  # fmt: skip


def print_rows(header: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> None:
    """Print rows as CSV (UTF-8, for machines) or as an aligned table (for people)."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    for row in [tuple(header), *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
