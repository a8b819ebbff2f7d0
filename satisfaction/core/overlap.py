"""Reads a page starts first and takes later: on PostgreSQL they run beside the page's own work.

A province's page spends most of its time in Python (its desks' and communes' figures, its
template) while a few of its reads only wait for PostgreSQL (the comments counted over
thousands of index entries, the forms' funnel). Started first, in a thread of the worker's with
an app context, a session and a connection of its own, such a read runs on the database's core
while the page computes; the page takes its value where it needs it, and an error it raised is
raised there.

Only for reads that need no snapshot shared with the page's others, and that take plain values
(ids, dates), not the caller's ORM objects: a thread must not touch another's session. Only on
PostgreSQL: SQLite is a file in this very process (nothing to overlap), and there a read runs
when first taken, in the caller's transaction, as it did before.
"""

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from flask import Flask, current_app

from satisfaction.extensions import db

T = TypeVar("T")
# One thread a process: a page's reads beside it run one after the other. With two, the two
# reads' PostgreSQL work ran at once beside the page's own reads and its Python on two cores,
# and a province's page was 4-8 ms slower at the median (docs/benchmarks.md, run 14).
WORKERS = 1
POOL = "overlap_pool"  # app.extensions key: (the process id, its pool)


def started(read: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start read(*args) and return the function giving its value (waiting for it if need be).

    On PostgreSQL read runs now, in another thread, in an app context of its own (its own
    session, whose connection goes back to the pool when it ends); elsewhere, when taken.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return lambda: read(*args)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _pool(app).submit(_in_context, app, read, args).result


def _in_context(app: Flask, read: Callable[..., T], args: tuple) -> T:
    with app.app_context():  # its session is removed as the context ends
        return read(*args)


def _pool(app: Flask) -> ThreadPoolExecutor:
    """Return this process's pool (a worker forked from a process that had one makes its own)."""
    held = app.extensions.get(POOL)
    if held is None or held[0] != os.getpid():
        held = app.extensions[POOL] = (os.getpid(), ThreadPoolExecutor(WORKERS, "overlap"))
    return held[1]
