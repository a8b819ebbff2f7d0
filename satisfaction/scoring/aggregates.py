"""Keep the score aggregates current: count responses in the transaction that adds them."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, insert, select, tuple_, update

from satisfaction.core.sql import chunked, copy_type
from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring import generations, rolling
from satisfaction.scoring.layout import Layout, layout_of
from satisfaction.scoring.models import AGGREGATE_GRAINS, Grain, Source
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.sums import AGGREGATE_COLUMNS, CELL_MONTH, Counter, aggregate_rows, plain
from satisfaction.units.models import ServicePoint, UnitLevel

AGGREGATES_LOCK = 0x5A715F41  # PostgreSQL advisory lock key: one writer of the aggregates at a time

_SCHEMES: dict[str, Scheme] = {}


def scheme_of(version: QuestionnaireVersion) -> Scheme:
    """Return the scoring scheme of a recorded questionnaire version (built once per process)."""
    # A recorded version never changes, so its content hash is a safe cache key.
    found = _SCHEMES.get(version.content_hash)
    if found is None:
        questionnaire = Questionnaire.from_dict(version.definition)
        found = _SCHEMES[version.content_hash] = Scheme.of(questionnaire)
    return found


def scheme_by_id(version_id: int) -> Scheme:
    """Return the scoring scheme of a recorded questionnaire version, by its id (kept per app).

    A version loaded by id is not kept by the session once nothing refers to it: without this,
    each call read the version's whole definition again (once an answer, in a mix).
    """
    known: dict[int, Scheme] = current_app.extensions.setdefault("score_schemes", {})
    found = known.get(version_id)
    if found is None:
        version = db.session.get(QuestionnaireVersion, version_id)
        if version is None:
            raise LookupError(version_id)
        found = known[version_id] = scheme_of(version)
    return found


def count_responses(responses: Iterable[Any]) -> int:
    """Add responses to the aggregates, each cell and rollup they touch written once.

    A response is anything with a response's columns (a model, or a row). numpy counts them
    as the rebuild does (satisfaction.scoring.sums), so the two always agree; the rows they make
    are then added to the stored ones (add_rows). Returns how many responses were counted.
    """
    responses = list(responses)
    add_counted(Counting.of(responses).rows(responses))
    return len(responses)


@dataclass(frozen=True)
class Counted:
    """The rows of each aggregate table (models.AGGREGATE_GRAINS) some responses make: their
    rollups those of the months up to through (satisfaction.scoring.rolling)."""

    rows: tuple[list[tuple], ...]
    through: date
    levels: dict[int, UnitLevel]


@dataclass(frozen=True)
class Counting:
    """What counting some responses needs from the database, read first: then counting them
    (rows()) reads nothing more, and may run in another thread beside other work.

    through: the last month whose answers go into the rollups too, as the count will find it
    (the month before the current one rolled, if it is not yet: add_counted() rolls it).
    """

    levels: dict[int, UnitLevel]
    plans: dict[int, tuple[Layout, Scheme]]
    through: date

    @classmethod
    def of(cls, responses: Sequence[Any], levels: dict[int, UnitLevel] | None = None
           ) -> "Counting":  # fmt: skip
        """Read the office levels (unless given, by service point), layouts and schemes of
        these responses."""
        versions = {response.questionnaire_version_id for response in responses}
        return cls(
            _office_levels({response.service_point_id for response in responses})
            if levels is None
            else levels,
            {version: (layout_of(version), scheme_by_id(version)) for version in versions},
            max(rolling.rolled_through() or rolling.EARLIEST, rolling.closed()),
        )

    def rows(self, responses: Iterable[Any]) -> Counted:
        """Return the rows of each aggregate table for the responses (no database involved)."""
        versions: dict[int, list[Any]] = {}
        for response in responses:
            versions.setdefault(response.questionnaire_version_id, []).append(response)
        found: tuple[list[tuple], ...] = tuple([] for _ in AGGREGATE_GRAINS)
        for version, group in sorted(versions.items()):
            counter = Counter(*self.plans[version])
            counter.add([
                (r.service_point_id, r.province_id, r.district_id, r.commune_id,
                 r.answered_on.strftime("%Y-%m-01"), _source(r.channel, r.is_poster),
                 plain(r.mode), r.field_code, counter.codes_of(r.answers))
                for r in group
            ])  # fmt: skip
            counter.sums.resize(len(counter.places))
            made = aggregate_rows(version, counter, self.levels, self.through)
            for rows, more in zip(found, made, strict=True):
                rows += more
        return Counted(found, self.through, self.levels)


def add_counted(counted: Counted) -> None:
    """Add the rows Counting.rows() made to the stored aggregates (each table's in turn), and
    count the write of their months (figures kept from those months are read again).

    Under the writers' turn, the rollups are first rolled up to the month the rows were counted
    for; if another writer rolled further meanwhile, the rows' cells of the months between are
    added to the rollups too. Either way each answer is in the rollups once its month is rolled.
    """
    take_turn()
    rows = counted.rows
    stored = rolling.rolled_through()
    rolled = _roll(stored, counted.through, counted.levels)
    if stored is not None and stored > counted.through:  # rolled further meanwhile
        late = [row for row in rows[0] if counted.through < row[CELL_MONTH] <= stored]
        more = rolling.rollups_of_cells(late, counted.levels, scheme_by_id)
        rows = (rows[0], *(a + b for a, b in zip(rows[1:], more, strict=True)))
    for grain, names, made in zip(AGGREGATE_GRAINS, AGGREGATE_COLUMNS, rows, strict=True):
        add_rows(grain, names, made)
    # The cells': every month written is theirs.
    generations.bump([*rolled, *(row[CELL_MONTH] for row in rows[0])])


def roll(through: date, levels: dict[int, UnitLevel] | None = None) -> list[date]:
    """Add the cells of the months after the rolled ones up to through to the rollups and move
    `through` there (satisfaction.scoring.rolling); return the months rolled.

    Call it in the writers' turn (take_turn), in the transaction that counts. levels: the
    office levels known already (the others are read).
    """
    return _roll(rolling.rolled_through(), through, levels)


def _roll(stored: date | None, through: date, levels: dict[int, UnitLevel] | None) -> list[date]:
    """roll(), from the month the rollups hold now (stored, read in the writers' turn)."""
    if stored is not None and stored >= through:
        return []
    cells = rolling.unrolled_cells(stored, through)
    points = {row[1] for row in cells} - set(levels or ())
    known = {**(levels or {}), **_office_levels(points)}
    made = rolling.rollups_of_cells(cells, known, scheme_by_id)
    for grain, names, rows in zip(AGGREGATE_GRAINS[1:], AGGREGATE_COLUMNS[1:], made,
                                  strict=True):  # fmt: skip
        add_rows(grain, names, rows)
    rolling.set_through(through)
    return sorted({row[CELL_MONTH] for row in cells})


def take_turn() -> None:
    """Wait for the aggregates' writers' turn (PostgreSQL: an advisory lock for the transaction;
    SQLite: its callers hold the one write lock already)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AGGREGATES_LOCK})")


def _source(channel: Any, is_poster: bool) -> str:
    """Return the source of an answer (its channel, an enum or its value, or the poster)."""
    return Source.POSTER.value if is_poster else str(plain(channel))


def _office_levels(point_ids: set[int]) -> dict[int, UnitLevel]:
    """Return the office level of each service point, read in a few queries, not one each."""
    ids = sorted(point_ids)
    found: dict[int, UnitLevel] = {}
    for chunk in chunked(ids, 1000):
        stmt = select(ServicePoint.id, ServicePoint.level).where(ServicePoint.id.in_(chunk))
        found.update((point, level) for point, level in db.session.execute(stmt))
    return found


def add_rows(grain: Grain, names: Sequence[str], rows: list[tuple]) -> None:
    """Add counted rows (columns in the order of names) to the stored cells or rollups.

    Each row touched is written once: the stored rows found are read, their sums computed here
    and written back; the others are inserted. Writers of the aggregates take turns (one
    lock for the transaction), so a row read here cannot change before it is written.
    """
    if not rows:
        return
    postgres = db.session.get_bind().dialect.name == "postgresql"
    store = (_PostgresStore if postgres else _SqliteStore)(grain, names)
    found = store.find(rows)
    if found:
        positions = sorted(found)
        added = [rows[n] for n in positions]
        store.write(
            [found[n][0] for n in positions],
            [row[store.responses] for row in added],
            _sums([found[n][1] for n in positions], added, store.tally),
        )
    store.insert([row for n, row in enumerate(rows) if n not in found])


def _sums(stored: list[bytes], added: list[tuple], tally: int) -> list[bytes]:
    """Return each stored tally plus its added row's (rows start with their version's id)."""
    found: list[bytes] = [b""] * len(added)
    versions: dict[int, list[int]] = {}
    for n, row in enumerate(added):
        versions.setdefault(row[0], []).append(n)
    for version, positions in versions.items():
        sums = layout_of(version).add_each([stored[n] for n in positions],
                                           [added[n][tally] for n in positions])  # fmt: skip
        for n, packed in zip(positions, sums, strict=True):
            found[n] = packed
    return found


class _Store:
    """Where counted rows go: one grain's table, on one database."""

    def __init__(self, grain: Grain, names: Sequence[str]):
        self.grain = grain
        self.table = grain.cells.__table__
        self.names = list(names)
        self.key = [names.index(name) for name in grain.key]
        self.responses = names.index("responses")
        self.tally = names.index("tally")


class _SqliteStore(_Store):
    """SQLite: one writer at a time, and the callers have written already (so hold the lock)."""

    def find(self, rows: list[tuple]) -> dict[int, tuple[int, bytes]]:
        """Return the stored id and tally of each row found, by its position in rows."""
        columns = [self.table.c[name] for name in self.grain.key]
        wanted = {tuple(row[i] for i in self.key): n for n, row in enumerate(rows)}
        keys = list(wanted)
        found: dict[int, tuple[int, bytes]] = {}
        for chunk in chunked(keys, 200):
            stmt = select(self.table.c.id, self.table.c.tally, *columns).where(
                tuple_(*columns).in_(chunk)
            )
            for row in db.session.execute(stmt):
                found[wanted[tuple(plain(value) for value in row[2:])]] = (row[0], row[1])
        return found

    def write(self, ids: list[int], responses: list[int], tallies: list[bytes]) -> None:
        """Add responses to the rows of ids and set their tallies."""
        table = self.table
        stmt = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(responses=table.c.responses + bindparam("added"), tally=bindparam("packed"))
        )
        db.session.execute(stmt, [
            {"row_id": i, "added": n, "packed": t}
            for i, n, t in zip(ids, responses, tallies, strict=True)
        ])  # fmt: skip

    def insert(self, rows: list[tuple]) -> None:
        """Insert rows."""
        if rows:
            values = [dict(zip(self.names, row, strict=True)) for row in rows]
            db.session.execute(insert(self.table), values)


class _PostgresStore(_Store):
    """PostgreSQL: the keys staged by binary COPY in a temporary table and matched in one join;
    the rows found updated from a second staged table in one statement; the new ones copied
    straight into the table (writers take turns: none can have inserted them meanwhile).

    The temporary tables live as long as the connection and are emptied at each commit (which
    costs nothing to a transaction that does not use them): made once, not once a batch.
    """

    def __init__(self, grain: Grain, names: Sequence[str]):
        super().__init__(grain, names)
        self.keys = f"counted_{self.table.name}"
        self.sums = f"{self.keys}_sums"
        self.types = [copy_type(self.table.c[name]) for name in self.names]
        self.connection = db.session.connection()

    def find(self, rows: list[tuple]) -> dict[int, tuple[int, bytes]]:
        """Wait for the writers' turn, stage the rows' keys (numbered from 0); return the stored
        rows found, by number."""
        keys = ", ".join(self.grain.key)
        # The turn first, before this transaction touches the table: a rebuild holds the turn
        # while it swaps new tables in, and what is read after is what it left. One round trip.
        self.connection.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({AGGREGATES_LOCK}); "
            f"CREATE TEMP TABLE IF NOT EXISTS {self.keys} ON COMMIT DELETE ROWS AS "
            f"SELECT 0 AS n, {keys} FROM {self.table.name} WITH NO DATA; "
            f"CREATE TEMP TABLE IF NOT EXISTS {self.sums} "
            "(id bigint, responses int, tally bytea) ON COMMIT DELETE ROWS; "
            f"DELETE FROM {self.keys}; DELETE FROM {self.sums}"
        )
        types = ["int4", *(self.types[i] for i in self.key)]
        self._copy(self.keys, ["n", *self.grain.key], types,
                   ((n, *(row[i] for i in self.key)) for n, row in enumerate(rows)))  # fmt: skip
        on = " AND ".join(f"c.{name} = t.{name}" for name in self.grain.key)
        # Straight from the driver: thousands of plain tuples, not the result rows of SQLAlchemy.
        raw = self.connection.connection.driver_connection
        found = raw.execute(
            f"SELECT t.n, c.id, c.tally FROM {self.keys} t JOIN {self.table.name} c ON {on}"
        ).fetchall()
        return {n: (row_id, tally) for n, row_id, tally in found}

    def write(self, ids: list[int], responses: list[int], tallies: list[bytes]) -> None:
        """Add responses to the rows of ids and set their tallies: one statement."""
        self._copy(self.sums, ["id", "responses", "tally"], ["int8", "int4", "bytea"],
                   zip(ids, responses, tallies, strict=True))  # fmt: skip
        # Each staged row finds its own by the primary key: left to itself, the planner hashed
        # the whole table for a batch of thousands (a read of every row, growing with the table,
        # to change a few percent of them). One round trip, the settings for this statement only.
        self.connection.exec_driver_sql(
            "SET LOCAL enable_hashjoin TO off; SET LOCAL enable_mergejoin TO off; "
            f"UPDATE {self.table.name} c SET responses = c.responses + s.responses, "
            f"tally = s.tally FROM {self.sums} s WHERE c.id = s.id; "
            "SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT"
        )

    def insert(self, rows: list[tuple]) -> None:
        """Copy the rows not found into the table."""
        if rows:
            self._copy(self.table.name, self.names, self.types, rows)

    def _copy(self, table: str, columns: Sequence[str], types: Sequence[str], rows) -> None:
        """Copy rows into a table (binary COPY: no parameter is dumped one by one)."""
        raw = self.connection.connection.driver_connection
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
