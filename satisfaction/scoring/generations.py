"""Figures kept by a process until the aggregates they were read from are written again.

The nation beside every province's page (all provinces of both unit lists summed and computed)
is the same for every page of a period; a past period's changes only when a late answer
arrives. Each writer of the aggregates adds one to the generation of every month it wrote
(`bump`, in its own transaction: the mixer and `responses import` through add_counted, a
rebuild and a change of the units through EVERY_MONTH). A reader takes the period's stamp, the
sum of the generations of its months and of EVERY_MONTH, before it reads anything else: a
figure kept under a stamp was read after every write that stamp counts, and any later write to
those months changes the stamp (each write adds one). So a kept figure is never older than the
last write committed before the stamp was read; a page pays one small read for it.

Kept per process (each web worker has its own), the newest stamp's figure per key, and only for
periods of whole months (the days outside them are read from the raw answers): the KEPT keys
used last (a unit's breakdowns are kept too, so the store holds pages' parts, not only the
nation). A stamp is read once per transaction and period: a page's parts share it. Nothing is
kept from a transaction that wrote the aggregates itself: were it rolled back, its bumps would
go with it, and a later write would reach the same stamp with other answers.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import date, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import and_, func, or_, select

from satisfaction.core.memo import in_transaction
from satisfaction.core.sql import insert_of
from satisfaction.extensions import db
from satisfaction.scoring.models import ScoreGeneration
from satisfaction.scoring.periods import Period

T = TypeVar("T")
EVERY_MONTH = date(1, 1, 1)  # a write that may change any month's figures
KEPT = 256  # figures kept at most per process, the least recently used dropped first
STORE = "score_generations"  # app.extensions key: OrderedDict {key: (stamp, figure)}
WROTE = "wrote_aggregates"  # session.info key: the transaction that bumped a generation


def bump(months: Iterable[date]) -> None:
    """Count a write of the aggregates of these months (call it in the writer's transaction)."""
    table = ScoreGeneration.__table__
    insert = insert_of(db.session.get_bind().dialect.name)
    session = db.session()
    session.info[WROTE] = session.get_transaction()
    for month in sorted(set(months)):  # in one order: two writers never wait for each other
        statement = insert(table).values(month=month, generation=1)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=[table.c.month],
            set_={"generation": table.c.generation + 1}))  # fmt: skip


def stamp(period: Period) -> int:
    """Return the sum of the generations of a period's months and of EVERY_MONTH."""
    table = ScoreGeneration.__table__
    months = []
    if period.start is not None:
        months.append(table.c.month >= period.start.replace(day=1))
    if period.end is not None:
        months.append(table.c.month <= period.end)
    covered = or_(table.c.month == EVERY_MONTH, and_(table.c.month > EVERY_MONTH, *months))
    total = select(func.coalesce(func.sum(table.c.generation), 0)).where(covered)
    return int(db.session.scalar(total))


def kept(key: Hashable, period: Period, compute: Callable[[], T]) -> T:
    """Return compute() for key, computed again only once a period's aggregates were written.

    compute() must read nothing but the aggregates of the period (and the units and
    questionnaires, which key must name), and its value must not be changed by the caller.
    """
    if not _whole_months(period) or _writing():
        return compute()
    now = _now(period)
    store: OrderedDict = current_app.extensions.setdefault(STORE, OrderedDict())
    held = store.get(key)
    if held is not None and held[0] == now:
        store.move_to_end(key)
        return held[1]
    found = compute()
    store[key] = (now, found)
    store.move_to_end(key)
    while len(store) > KEPT:
        store.popitem(last=False)
    return found


def held(key: Hashable, period: Period) -> bool:
    """Return whether kept(key, period, ...) would give what it keeps, computing nothing.

    The period's stamp is read here if this transaction has not read it yet: a read started
    after (a page's comments, begun beside the page: core.overlap) is at least as new as it.
    """
    if not _whole_months(period) or _writing():
        return False
    store = current_app.extensions.get(STORE)
    found = store.get(key) if store is not None else None
    return found is not None and found[0] == _now(period)


def _now(period: Period) -> int:
    """Return the period's stamp, read once a transaction: before anything a kept figure reads
    (what it reads after is newer)."""
    return in_transaction(("generations", period.start, period.end), lambda: stamp(period))


def _writing() -> bool:
    """Return whether this transaction wrote the aggregates: what it reads is not kept (it may
    be rolled back, and the generations with it, to the stamp a later write would reach)."""
    session = db.session()
    transaction = session.get_transaction()
    return transaction is not None and session.info.get(WROTE) is transaction


def _whole_months(period: Period) -> bool:
    """Return whether a period starts on a month's first day and ends on a month's last."""
    start, end = period.start, period.end
    return (start is None or start.day == 1) and (
        end is None or (end + timedelta(days=1)).day == 1)  # fmt: skip


def forget() -> None:
    """Drop every figure this process keeps (the next read of each computes it again)."""
    current_app.extensions.get(STORE, {}).clear()
