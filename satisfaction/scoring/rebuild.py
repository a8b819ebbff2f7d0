"""Rebuild every score aggregate from the raw answers: one pass per questionnaire version.

The database hands over each response's cell (service point, month, source, mode) and its
answers, one column per question taken out of the JSON; numpy counts them into the cells a chunk
at a time (answer counts by slot, element scores, then the four sums of every pair of elements).
The month rollups are the cells summed by province and district, the quarters and years the
months summed: all in memory, then written in bulk (COPY on PostgreSQL). Writing a few hundred
thousand packed tallies, not tens of millions of rows, is what keeps ten million answers within
minutes. Memory grows with the cells: about 1.6 KB each while counting (64-bit counts).
"""

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Table, delete, select, text
from sqlalchemy.dialects.postgresql import dialect as postgres_dialect

from satisfaction.extensions import db
from satisfaction.scoring.aggregates import scheme_by_id
from satisfaction.scoring.layout import layout_of
from satisfaction.scoring.models import ScoreCell, ScoreRollup
from satisfaction.scoring.sums import (
    CELL_COLUMNS,
    ROLLUP_COLUMNS,
    Counter,
    cell_rows,
    rollup_rows,
    sql_literal,
)
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint

CHUNK = 20_000  # responses counted at a time
SOURCE = "CASE WHEN r.is_poster THEN 'poster' ELSE r.channel END"


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every aggregate from the raw answers; return (responses, cells).

    progress, if given, is told of the responses as they are counted.
    """
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        # Answers recorded meanwhile wait, then add to the rebuilt figures: none lost or doubled.
        connection.exec_driver_sql("LOCK TABLE score_cells, score_rollups IN EXCLUSIVE MODE")
    db.session.execute(delete(ScoreCell))
    db.session.execute(delete(ScoreRollup))
    levels = dict(db.session.execute(select(ServicePoint.id, ServicePoint.level)).all())
    versions = db.session.scalars(select(Response.questionnaire_version_id).distinct()).all()
    responses = cells = 0
    for version in sorted(versions):
        counter = _count_version(version, progress)
        size = len(counter.places)
        counter.sums.resize(size)
        _write(ScoreCell.__table__, CELL_COLUMNS, cell_rows(version, counter), postgres)
        rollups = rollup_rows(version, counter, levels)
        _write(ScoreRollup.__table__, ROLLUP_COLUMNS, rollups, postgres)
        responses += int(counter.sums.responses.sum())
        cells += size
    if postgres:
        connection.exec_driver_sql("ANALYZE score_cells, score_rollups")
    return responses, cells


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
        f"{month}, {SOURCE}, r.mode, {codes} FROM responses r {where} "
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


def _write(table: Table, names: Sequence[str], rows: list[tuple], postgres: bool) -> None:
    """Insert rows of the named columns: binary COPY on PostgreSQL, parameter sets on SQLite."""
    if not rows:
        return
    columns = [table.c[name] for name in names]
    listed = ", ".join(names)
    if postgres:
        raw = db.session.connection().connection.driver_connection
        types = [column.type.compile(dialect=postgres_dialect()).split("(")[0].lower()
                 for column in columns]  # fmt: skip
        statement = f"COPY {table.name} ({listed}) FROM STDIN (FORMAT BINARY)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table.name} ({listed}) VALUES ({marks})"
    db.session.connection().exec_driver_sql(statement, rows)
