"""Helpers shared by the commands of every domain."""

from collections.abc import Iterator
from contextlib import contextmanager

import click

from satisfaction.core.errors import InputError
from satisfaction.extensions import db


@contextmanager
def fail_on_input_error() -> Iterator[None]:
    """Turn an InputError into every problem on stderr and exit code 1, with nothing saved."""
    try:
        yield
    except InputError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
