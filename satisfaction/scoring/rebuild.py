"""Rebuild every score aggregate from the raw answers: one pass per questionnaire version.

The database hands over each response's cell (service point, month, source, mode, field) and its
answers, one column per question taken out of the JSON; numpy counts them into the cells a chunk
at a time (answer counts by slot, element scores, then the four sums of every pair of elements).
The month rollups are the cells summed by province and district, by service point and by
province and field; the quarters and years the months summed: all in memory, then written in
bulk (COPY on PostgreSQL). Writing a few hundred thousand packed tallies, not tens of millions of
rows, is what keeps ten million answers within minutes. Memory grows with the cells: about
1.6 KB each while counting (64-bit counts).
On PostgreSQL they are written into copies of the tables, swapped in at the end: pages read the
old figures meanwhile, and citizens' submits never wait for it (docs/architecture.md).
"""

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import Connection, Table, delete, event, select, text
from sqlalchemy.dialects.postgresql import dialect as postgres_dialect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from satisfaction.core import swap
from satisfaction.extensions import db
from satisfaction.scoring import generations, rolling
from satisfaction.scoring.aggregates import AGGREGATES_LOCK, scheme_by_id
from satisfaction.scoring.layout import layout_of
from satisfaction.scoring.models import AGGREGATE_GRAINS
from satisfaction.scoring.sums import AGGREGATE_COLUMNS, Counter, aggregate_rows, sql_literal
from satisfaction.survey.ballot_box import MIXER_LOCK
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint

CHUNK = 20_000  # responses counted at a time
TABLES = tuple(grain.cells.__tablename__ for grain in AGGREGATE_GRAINS)
RETIRED = "scoring:retired-aggregates"  # in the session's info: drop them after the commit
SOURCE = "CASE WHEN r.is_poster THEN 'poster' ELSE r.channel END"
READ_ORDER = ("province_id", "span", "month")  # the order aggregates are written in


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every aggregate from the raw answers; return (responses, cells).

    On PostgreSQL the new aggregates are written beside the old ones, which everyone reads until
    they are swapped in at the end (satisfaction.core.swap); the old tables are dropped once the
    caller commits. Meanwhile no answer enters responses or the aggregates: the rebuild holds the
    mixer's lock (a mixer due after a submit leaves at once and the answers wait in the ballot
    box; the submits themselves only drop ballots) and the aggregates' (an import waits, holding
    nothing the swap needs), so the responses read are all there is, each counted once, and
    whatever waited is counted into the new tables after. On SQLite (one writer at a time) the
    rows are replaced in the caller's transaction. The rollups hold the months the counting
    rolled (satisfaction.scoring.rolling), the later ones are in the cells only, as counted.
    progress, if given, is told of the responses as they are counted.
    """
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        targets = _beside(connection)
    else:
        for grain in AGGREGATE_GRAINS:
            db.session.execute(delete(grain.cells))
        targets = {table: table for table in TABLES}
    levels = dict(db.session.execute(select(ServicePoint.id, ServicePoint.level)).all())
    # The rollups hold the months the live counting rolled, as before (satisfaction.scoring.
    # rolling); on an empty state, the closed months.
    through = rolling.rolled_through() or rolling.closed()
    versions = db.session.scalars(select(Response.questionnaire_version_id).distinct()).all()
    responses = cells = 0
    for version in sorted(versions):
        counter = _count_version(version, progress)
        size = len(counter.places)
        counter.sums.resize(size)
        made = aggregate_rows(version, counter, levels, through)
        for grain, names, rows in zip(AGGREGATE_GRAINS, AGGREGATE_COLUMNS, made, strict=True):
            table = grain.cells.__table__
            _write(table, targets[table.name], names, rows, postgres)
        responses += int(counter.sums.responses.sum())
        cells += size
    if postgres:
        swap.swap(connection, list(targets.items()))
    rolling.set_through(through)
    generations.bump([generations.EVERY_MONTH])  # any month may have changed
    return responses, cells


def _beside(connection: Connection) -> dict[str, str]:
    """Take the mixer's and the aggregates' turns, make the tables' copies; return their names.

    The old tables are dropped once the session commits (satisfaction.core.swap: not before).
    """
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIXER_LOCK}); "
                               f"SELECT pg_advisory_xact_lock({AGGREGATES_LOCK})")  # fmt: skip
    session = db.session()
    session.info[RETIRED] = True
    if not event.contains(session, "after_commit", _drop_retired):
        event.listen(session, "after_commit", _drop_retired)
    return {table: swap.beside(connection, table) for table in TABLES}


def _drop_retired(session: Session) -> None:
    """Drop the aggregates a committed rebuild retired, in a short transaction of their own."""
    if not session.info.pop(RETIRED, False):
        return
    try:
        with db.engine.begin() as connection:
            swap.drop_retired(connection, list(TABLES))
    except SQLAlchemyError:  # the rebuild stands; the next one drops them
        current_app.logger.exception("dropping the retired aggregates failed")


def _count_version(version: int, progress: Callable[[int], None] | None) -> Counter:
    """Return the cells of one version's responses, counted."""
    counter = Counter(layout_of(version), scheme_by_id(version))
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:
        # The answers are parsed once a response, into one column per question.
        record = ", ".join(f"{_name(question)} text" for question in counter.questions)
        where = f"CROSS JOIN LATERAL json_to_record(r.answers) AS a({record})"
        codes = counter.codes_sql(lambda question: f"a.{_name(question)}")
        month = "to_char(r.answered_on, 'YYYY-MM-01')"
    else:
        where = ""
        codes = counter.codes_sql(
            lambda key: f"CAST(json_extract(r.answers, {sql_literal(_path(key))}) AS TEXT)"
        )
        month = "strftime('%Y-%m-01', r.answered_on)"
    query = text(
        "SELECT r.service_point_id, r.province_id, r.district_id, r.commune_id, "
        f"{month}, {SOURCE}, r.mode, r.field_code, {codes} FROM responses r {where} "
        "WHERE r.questionnaire_version_id = :version"
    )
    streamed = {"stream_results": True, "yield_per": CHUNK}
    result = db.session.execute(query, {"version": version}, execution_options=streamed)
    chunks = result.partitions(CHUNK)
    for rows in _prefetched(chunks) if postgres else chunks:
        counter.add(rows)
        if progress is not None:
            progress(len(rows))
    return counter


def _name(question: str) -> str:
    """Return a question's key as an SQL name."""
    return '"' + question.replace('"', '""') + '"'


def _path(question: str) -> str:
    """Return the JSON path of a question's key (SQLite)."""
    return '$."' + question.replace('"', '\\"') + '"'


def _prefetched(chunks: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """Yield chunks fetched by another thread: the database reads the next while one is counted.

    (PostgreSQL only: the driver waits for the server without holding Python's lock.)
    """
    found: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                found.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(None)
        except BaseException as error:  # handed to the reader, raised there
            offer(error)

    fetcher = threading.Thread(target=fetch, name="rebuild-fetch", daemon=True)
    fetcher.start()
    try:
        while (chunk := found.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()
        fetcher.join()


def stored_order(names: Sequence[str], rows: list[tuple]) -> list[tuple]:
    """Return aggregate rows in the order pages read them: by province, span and month.

    A page reads one province's rows (its desks, communes, fields over some spans): written in
    that order, they sit together on a few hundred pages of the table, not one page each among
    a million rows (Hà Nội's desks over all dates: 4 ms instead of 13-31 ms on PostgreSQL).
    Rows a mixer adds later go at the end; the next rebuild orders them again.
    """
    if READ_ORDER[0] not in names:
        return rows
    province, *rest = [names.index(name) for name in READ_ORDER if name in names]
    # Province ids are positive: the rows of no province (none, as a rule) go first.
    return sorted(rows, key=lambda row: (row[province] or 0, *(row[i] for i in rest)))


def _write(table: Table, target: str, names: Sequence[str], rows: list[tuple],
           postgres: bool) -> None:  # fmt: skip
    """Insert rows of table's named columns into target (a copy of table, or itself)."""
    if not rows:
        return
    columns = [table.c[name] for name in names]
    listed = ", ".join(names)
    rows = stored_order(names, rows)
    if postgres:
        raw = db.session.connection().connection.driver_connection
        types = [column.type.compile(dialect=postgres_dialect()).split("(")[0].lower()
                 for column in columns]  # fmt: skip
        statement = f"COPY {target} ({listed}) FROM STDIN (FORMAT BINARY)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {target} ({listed}) VALUES ({marks})"
    db.session.connection().exec_driver_sql(statement, rows)
