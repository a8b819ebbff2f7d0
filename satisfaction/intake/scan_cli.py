"""The scans command: ingest scan files of returned paper forms."""

import sys
from collections import Counter
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import scans
from satisfaction.intake.scan_models import PageState
from satisfaction.omr.sources import page_count
from satisfaction.survey import ballot_box

scans_cli = AppGroup("scans", help="Scanned returns: read paper forms by mark recognition.")


def summary(name: str, tally: Counter) -> str:
    """Return one line on what a file gave."""
    return _(
        "%(name)s: %(read)d pages read, %(counted)d forms counted, %(doubts)d answers to review, "
        "%(unread)d pages to identify or register, %(dup)d duplicate pages",
        name=name, read=tally[PageState.READ.value], counted=tally["counted"],
        doubts=tally["doubts"],
        unread=tally[PageState.UNIDENTIFIED.value] + tally[PageState.UNREGISTERED.value],
        dup=tally[PageState.DUPLICATE.value],
    )  # fmt: skip


@scans_cli.command("ingest")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def ingest_command(paths: tuple[Path, ...]):
    """Read scan files (PDF, TIFF, PNG, JPEG); count clean forms, queue the rest for review."""
    refused = 0
    for path in paths:
        # The bar goes to stderr, so that stdout holds only the summaries.
        with click.progressbar(length=max(page_count(path), 1), label=path.name,
                               file=sys.stderr) as bar:  # fmt: skip
            try:
                tally = scans.run_file(path, path.name, None, db.session.commit, bar.update)
            except InputError as error:
                refused += 1
                for problem in error.problems:
                    click.echo(str(problem), err=True)
                continue
        click.echo(summary(path.name, tally))
    ballot_box.mix_after_answers()
    if refused:
        raise SystemExit(1)
