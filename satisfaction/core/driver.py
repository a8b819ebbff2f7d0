"""Hot statements sent by the driver itself: compiled once, no execution layer per call.

A citizen's submit sends two statements (the code's look-up, the claim and ballot). Through
SQLAlchemy's execution each call builds an execution context, processes its parameters, asks
psycopg for the result's column descriptions and wraps the row: about a fifth of the submit's
CPU. On psycopg, first() sends the statement's SQL, compiled once per dialect, on the same
connection and transaction, prepared by PostgreSQL from its first use, and returns a plain
tuple. Listeners of the engine's cursor events still see it (tests, the benchmark's timing);
errors are SQLAlchemy's, and a lost connection is invalidated as SQLAlchemy would. Elsewhere
(SQLite) the statement goes through SQLAlchemy as usual.
"""

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement

# An IN list of constants is left by SQLAlchemy's compiler as a placeholder to expand.
EXPANDING = re.compile(r"__\[POSTCOMPILE_(\w+)\]")

MAX_STATEMENTS = 64
_compiled: dict[tuple[int, str], tuple[ClauseElement, str, dict[str, Any]]] = {}


def first(conn: Connection, statement: ClauseElement, params: Mapping[str, Any]) -> Sequence | None:
    """Run statement in conn's transaction and return its first row (None if it has none).

    Values of params are as SQLAlchemy takes them (enum members, dicts for JSON columns).
    """
    if conn.dialect.driver != "psycopg":
        return conn.execute(statement, params).first()
    sql, constants = _sql(statement, conn.dialect)
    values = {**constants, **{key: _plain(value) for key, value in params.items()}}
    raw = conn.connection.driver_connection
    cursor = raw.cursor()
    dispatch = conn.dispatch
    if dispatch.before_cursor_execute:
        dispatch.before_cursor_execute(conn, cursor, sql, values, None, False)
    try:
        cursor.execute(sql, values, prepare=True)
        row = cursor.fetchone()
    except conn.dialect.loaded_dbapi.Error as error:
        _raise(conn, error, sql, values, cursor)
    finally:
        cursor.close()
    if dispatch.after_cursor_execute:
        dispatch.after_cursor_execute(conn, cursor, sql, values, None, False)
    return row


def _sql(statement: ClauseElement, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """Return the driver's SQL of a statement and its constant parameters (compiled once)."""
    key = (id(statement), dialect.name)
    found = _compiled.get(key)
    if found is None or found[0] is not statement:
        compiled = statement.compile(dialect=dialect)
        constants: dict[str, Any] = {}

        def expand(match: re.Match) -> str:
            name = match.group(1)
            values = compiled.binds[name].value
            names = [f"{name}_{i}" for i in range(1, len(values) + 1)]
            constants.update(zip(names, map(_plain, values), strict=True))
            return ", ".join(f"%({n})s" for n in names)

        sql = EXPANDING.sub(expand, compiled.string)
        for name, bind in compiled.binds.items():  # a constant given in the statement itself
            if not (bind.expanding or bind.required or bind.callable):
                constants[name] = _plain(bind.value)
        if len(_compiled) >= MAX_STATEMENTS:  # meant for statements built once: a few
            _compiled.clear()
        found = _compiled[key] = (statement, sql, constants)
    return found[1], found[2]


def _plain(value: Any) -> Any:
    """Return a value as psycopg takes it: an enum as its value, a dict or list as JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict | list):
        return Json(value)
    return value


def _raise(conn: Connection, error: Exception, sql: str, values: dict, cursor) -> None:
    """Raise the driver's error as SQLAlchemy's; invalidate a connection that was lost."""
    dialect = conn.dialect
    lost = dialect.is_disconnect(error, conn.connection.dbapi_connection, cursor)
    if lost:
        conn.invalidate(error)
    raise exc.DBAPIError.instance(
        sql, values, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
    ) from error
