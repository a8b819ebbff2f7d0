"""Roll closed months into the finer rollups: the current month's answers wait in the cells.

The districts' rollups and the service points' (the rows most answers make: a desk each, in
three spans) hold exactly the answers of the months up to `through` (models.RolledMonths); the
cells, the provinces' rollups and the fields' hold every month, counted as the answers are. An
answer of a later month is so counted into its cell, its province's rollups and its field's,
about a third of the rows it made before (the mixer's batches are mostly this month's answers).
The first count of a month rolls the month before: its cells (and those of any month in
between) are summed into the districts' and points' rollups and `through` moves, in the
counting transaction, under the aggregates' lock. Readers of those rollups add the months after
`through` from the cells of the unit they read, in the same statement
(satisfaction.scoring.queries), so that a read never sees a month half rolled; a read of the
provinces (the national page) or of the fields reads their rollups alone, as before.
"""

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select

from satisfaction.core.sql import insert_of
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.scoring.layout import layout_of
from satisfaction.scoring.models import RolledMonths, ScoreCell
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.sums import (
    CELL_COLUMNS,
    Counter,
    counter_of_cells,
    deferred_rollups_of,
    plain,
)
from satisfaction.units.models import UnitLevel

STATE = 1  # the id of the one row of RolledMonths
EARLIEST = date(1, 1, 1)  # what no month is before: `through` when none is rolled


def rolled_through() -> date | None:
    """Return the last month the rollups hold (None: none)."""
    return db.session.scalar(select(RolledMonths.through).where(RolledMonths.id == STATE))


def through_subquery():
    """Return the SQL of the last month the rollups hold (EARLIEST if none), for a reader's
    statement: read in the same statement as the rows, it is of the same snapshot."""
    found = select(RolledMonths.through).where(RolledMonths.id == STATE).scalar_subquery()
    return func.coalesce(found, EARLIEST)


def closed() -> date:
    """Return the first day of the month before the current one: the last closed month."""
    return (local_today().replace(day=1) - timedelta(days=1)).replace(day=1)


def set_through(month: date) -> None:
    """Record that the rollups hold the months up to month (in the caller's transaction)."""
    table = RolledMonths.__table__
    insert = insert_of(db.session.get_bind().dialect.name)
    statement = insert(table).values(id=STATE, through=month)
    db.session.execute(statement.on_conflict_do_update(index_elements=[table.c.id],
                                                       set_={"through": month}))  # fmt: skip


def unrolled_cells(stored: date | None, through: date) -> list[tuple]:
    """Return the stored cells of the months after stored (all, if None) up to through (rows in
    CELL_COLUMNS' order, values plain): what rolling to through adds to the rollups."""
    table = ScoreCell.__table__
    query = select(*(table.c[name] for name in CELL_COLUMNS)).where(table.c.month <= through)
    if stored is not None:
        query = query.where(table.c.month > stored)
    return [tuple(plain(value) for value in row) for row in db.session.execute(query)]


def rollups_of_cells(cells: list[tuple], levels: dict[int, UnitLevel],
                     scheme_by_id: Callable[[int], Scheme]) -> tuple[list[tuple], ...]:  # fmt: skip
    """Return the rows of the three rollup tables that cells (rows in CELL_COLUMNS' order,
    values plain) make and that waited for their month to be rolled (the districts' and the
    service points'), summed as the counting sums them (levels: each point's office level)."""
    versions: dict[int, list[tuple]] = {}
    for row in cells:
        versions.setdefault(row[0], []).append(row)
    found: tuple[list[tuple], ...] = ([], [], [])
    for version, rows in sorted(versions.items()):
        counter = counter_of_cells(Counter(layout_of(version), scheme_by_id(version)), rows)
        for into, made in zip(found, deferred_rollups_of(version, counter, levels), strict=True):
            into += made
    return found
