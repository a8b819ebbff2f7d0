"""Fill a table's copy beside it, then swap the copy in (PostgreSQL): one short lock, no bloat.

beside() makes an empty copy of a table: its columns, defaults (the same id sequence) and storage
options (the aggregates' fillfactor), with no index yet, so that rows go in fast. swap() gives
the copy the table's indexes and constraints, built while the old table still serves everyone
(under temporary names: an index's name is unique in its schema), then renames the old table
away and gives the copy its names, in a few catalog statements. All of it in the caller's
transaction: until it commits, everyone reads and writes the old table; if it fails, the copy is
gone. Once it has committed, drop_retired() drops the old table, rows and all: nothing is left
for vacuum. Grants on the table and its owner are not copied (the project sets none).

Renaming a table locks it, and dropping a table that has foreign keys also locks the tables they
point to (the aggregates have none since migration d4a6c8e0f2b1, but the function serves any
table). So each of these waits at most SWAP_WAIT for a lock and, failing that, steps back and
tries again: whoever queues behind it (a page reading the aggregates) waits that long at most.
"""

import time

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

SWAP_WAIT = "200ms"  # the longest wait for one lock of a swap or a drop, before stepping back
SWAP_TRIES = 50  # then the next try waits as long as it takes
RETIRED = "_retired_"  # an old table's name becomes the name, this, and its number


def beside(connection: Connection, table: str) -> str:
    """Create an empty copy of a table (columns, defaults, storage options); return its name."""
    copy = f"{table}_rebuilt"
    options = connection.scalar(
        text("SELECT reloptions FROM pg_class WHERE oid = CAST(:table AS regclass)"),
        {"table": table},
    )
    with_options = f" WITH ({', '.join(options)})" if options else ""
    connection.exec_driver_sql(
        f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING STORAGE){with_options}"
    )
    return copy


def swap(connection: Connection, pairs: list[tuple[str, str]]) -> None:
    """Put each copy in the place of its table (pairs of table, copy), indexes and all.

    The old tables are renamed, not dropped: dropping one locks the tables its foreign keys point
    to, and a writer waiting for the caller's transaction may hold those. drop_retired() drops
    them once the caller has committed.
    """
    renames = [rename for table, copy in pairs for rename in _copy_indexes(connection, table, copy)]
    statements = []
    for table, copy in pairs:
        connection.exec_driver_sql(f"ANALYZE {copy}")
        number = connection.scalar(text("SELECT CAST(CAST(:t AS regclass) AS oid)"), {"t": table})
        statements += [f"ALTER SEQUENCE {sequence} OWNED BY {copy}.{column}"
                       for sequence, column in _sequences(connection, table)]  # fmt: skip
        statements.append(f"ALTER TABLE {table} RENAME TO {table}{RETIRED}{number}")
        statements += [f"ALTER INDEX {_quoted(index.relname)} RENAME TO retired_{index.indexrelid}"
                       for index in _indexes(connection, table)]  # fmt: skip
        statements.append(f"ALTER TABLE {copy} RENAME TO {table}")
    statements += [f"ALTER INDEX {temporary} RENAME TO {_quoted(name)}"
                   for temporary, name in renames]  # fmt: skip
    _briefly(connection, statements)


def drop_retired(connection: Connection, tables: list[str]) -> None:
    """Drop the tables swap() retired from the places of these (and any a crash left behind)."""
    for table in tables:
        pattern = (table + RETIRED).replace("_", "\\_") + "%"
        found = connection.scalars(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename LIKE :pattern ORDER BY tablename"
        ), {"pattern": pattern}).all()  # fmt: skip
        if found:
            _briefly(connection, [f"DROP TABLE IF EXISTS {name}" for name in found])


def _copy_indexes(connection: Connection, table: str, copy: str) -> list[tuple[str, str]]:
    """Give the copy the table's constraints and indexes; return (temporary, final) index names.

    Constraints that own an index (primary key, unique, exclusion) and plain indexes get a
    temporary name, the others (foreign keys, checks) the table's own: theirs are per table.
    """
    renames = []
    constraints = connection.execute(text(
        "SELECT oid, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u', 'x', 'f', 'c') "
        "ORDER BY conname"
    ), {"table": table}).all()  # fmt: skip
    for oid, name, kind, definition in constraints:
        given = f"rebuilt_{oid}" if kind in "pux" else _quoted(name)
        connection.exec_driver_sql(f"ALTER TABLE {copy} ADD CONSTRAINT {given} {definition}")
        if kind in "pux":
            renames.append((given, name))
    for oid, name, definition, owned in _indexes(connection, table):
        if not owned:
            unique = "UNIQUE " if definition.startswith("CREATE UNIQUE ") else ""
            method = definition[definition.index(" USING ") :]  # method, columns and options
            connection.exec_driver_sql(f"CREATE {unique}INDEX rebuilt_{oid} ON {copy}{method}")
            renames.append((f"rebuilt_{oid}", name))
    return renames


def _indexes(connection: Connection, table: str) -> list:
    """Return a table's indexes: id, name, definition, and whether a constraint owns it."""
    return connection.execute(text(
        "SELECT x.indexrelid, c.relname, pg_get_indexdef(x.indexrelid), "
        "EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid "
        "AND k.conrelid = x.indrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid = CAST(:table AS regclass) ORDER BY c.relname"
    ), {"table": table}).all()  # fmt: skip


def _sequences(connection: Connection, table: str) -> list:
    """Return the sequences a table's columns own (serial ids), with their columns."""
    return connection.execute(text(
        "SELECT pg_get_serial_sequence(:table, attname), attname FROM pg_attribute "
        "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped "
        "AND pg_get_serial_sequence(:table, attname) IS NOT NULL"
    ), {"table": table}).all()  # fmt: skip


def _briefly(connection: Connection, statements: list[str]) -> None:
    """Run statements that lock what others use: each lock waited for briefly, else try again."""
    previous = connection.exec_driver_sql("SHOW lock_timeout").scalar()
    for attempt in range(SWAP_TRIES + 1):
        try:
            with connection.begin_nested():
                _lock_timeout(connection, SWAP_WAIT if attempt < SWAP_TRIES else "0")
                for statement in statements:
                    connection.exec_driver_sql(statement)
            break
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            time.sleep(0.1)
    _lock_timeout(connection, previous)


def _lock_timeout(connection: Connection, wait: str) -> None:
    """Set how long a statement of this transaction waits for a lock ("0": as long as it takes)."""
    connection.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": wait})


def _quoted(name: str) -> str:
    """Return a name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
