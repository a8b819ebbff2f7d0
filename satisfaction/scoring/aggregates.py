"""Keep the score aggregates current: count responses in the transaction that adds them."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum as PyEnum
from typing import Any

from flask import current_app
from sqlalchemy import Enum, bindparam, select, text, update
from sqlalchemy.dialects import postgresql

from satisfaction.core.sql import insert_of
from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.layout import Layout, layout_of
from satisfaction.scoring.models import CELLS, ROLLUPS, Grain, Source
from satisfaction.scoring.rollups import rollups_of
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Tally
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel

_SCHEMES: dict[str, Scheme] = {}
_STATEMENTS: dict[tuple[str, str], tuple] = {}  # (table, dialect) -> its upsert statements


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


def cell_of(response: Response) -> dict[str, Any]:
    """Return the cell a response is counted in."""
    return {
        "questionnaire_version_id": response.questionnaire_version_id,
        "service_point_id": response.service_point_id,
        "province_id": response.province_id,
        "district_id": response.district_id,
        "commune_id": response.commune_id,
        "month": response.answered_on.replace(day=1),
        "source": Source.of(response.channel, response.is_poster),
        "mode": response.mode,
    }


def count_response(response: Response) -> None:
    """Add one response to the aggregates (its cell and rollups), in the transaction adding it."""
    count_responses([response])


def count_responses(responses: Iterable[Any]) -> int:
    """Add responses to the aggregates: one upsert per cell and rollup they touch, in all.

    A response is anything with a response's columns (a model, or a row). Each one's tally is
    packed once; the tallies falling in one cell or rollup are summed before it is written.
    Returns how many responses were counted.
    """
    cells: dict[tuple, _Group] = {}
    rollups: dict[tuple, _Group] = {}
    responses = list(responses)
    levels = _office_levels({response.service_point_id for response in responses})
    for response in responses:
        version = response.questionnaire_version_id
        tally = Tally()
        tally.add_response(scheme_by_id(version), response.answers)
        packed = layout_of(version).pack(tally)
        _gather(cells, cell_of(response), packed)
        for key in rollups_of(response, levels.get(response.service_point_id)):
            _gather(rollups, key, packed)
    counted = len(responses)
    upsert(CELLS, cells)
    upsert(ROLLUPS, rollups)
    return counted


def _office_levels(point_ids: set[int]) -> dict[int, UnitLevel]:
    """Return the office level of each service point, read in a few queries, not one each."""
    ids = sorted(point_ids)
    found: dict[int, UnitLevel] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        stmt = select(ServicePoint.id, ServicePoint.level).where(ServicePoint.id.in_(chunk))
        found.update((point, level) for point, level in db.session.execute(stmt))
    return found


@dataclass
class _Group:
    """The responses falling in one cell or rollup: its key, their number, their tallies."""

    key: dict[str, Any]
    values: list[bytes] = field(default_factory=list)


def _gather(groups: dict[tuple, _Group], key: dict[str, Any], packed: bytes) -> None:
    found = groups.get(tuple(key.values()))
    if found is None:
        found = groups[tuple(key.values())] = _Group(key)
    found.values.append(packed)


def _statements(grain: Grain, dialect: str) -> tuple:
    """Return the two statements of an upsert of a grain: built once, compiled once, reused."""
    found = _STATEMENTS.get((grain.cells.__tablename__, dialect))
    if found is None:
        cells = grain.cells.__table__
        cell = insert_of(dialect)(cells)
        cell = cell.on_conflict_do_update(
            index_elements=list(grain.key),
            set_={"responses": cells.c.responses + cell.excluded.responses},
        ).returning(cells.c.id, cells.c.tally, *(cells.c[name] for name in grain.key))
        write = (
            update(cells)
            .where(cells.c.id == bindparam("cell_id"))
            .values(tally=bindparam("packed"))
        )
        if dialect == "postgresql":
            # One statement for all the rows, their ids and tallies as two arrays: thousands of
            # single-row updates cost a round trip each.
            write = text(
                f"UPDATE {cells.name} AS c SET tally = {_CUT} FROM unnest("
                "CAST(:cell_ids AS bigint[]), CAST(:starts AS int[]), CAST(:lengths AS int[])) "
                "AS v(id, start, length) WHERE c.id = v.id"
            )
        found = _STATEMENTS[(grain.cells.__tablename__, dialect)] = (cell, write)
    return found


def upsert(grain: Grain, groups: dict[tuple, _Group]) -> None:
    """Add the gathered tallies to their cells (or rollups), creating those missing.

    The first statement creates each missing row empty and counts the responses in every row,
    which locks them, in key order (the same for every writer), until the transaction ends: two
    transactions adding to one row wait for each other, in one order, never lose a count. The
    second writes each row's tally plus the group's (on PostgreSQL a new row is created with its
    tally and only the rows found already are written again).
    """
    if not groups:
        return
    ordered = [groups[key] for key in sorted(groups, key=_sortable)]
    layouts = [layout_of(group.key["questionnaire_version_id"]) for group in ordered]
    dialect = db.session.get_bind().dialect.name
    cell, write = _statements(grain, dialect)
    if dialect == "postgresql":
        _upsert_postgres(grain, ordered, layouts, write)
        return
    keys = [{**group.key, "responses": len(group.values), "tally": layout.empty}
            for group, layout in zip(ordered, layouts, strict=True)]  # fmt: skip
    rows = _matched(grain, db.session.execute(cell, keys), 2, keys)
    db.session.execute(write, [
        {"cell_id": row.id, "packed": layout.total([row.tally, *group.values])}
        for row, group, layout in zip(rows, ordered, layouts, strict=True)
    ])  # fmt: skip


def _upsert_postgres(grain: Grain, ordered: list[_Group], layouts: list[Layout], write) -> None:
    """Upsert on PostgreSQL: a new row gets its tally as it is inserted, not by a second write."""
    totals = [layout.total(group.values) for group, layout in zip(ordered, layouts, strict=True)]
    keys = [{**group.key, "responses": len(group.values), "tally": total}
            for group, total in zip(ordered, totals, strict=True)]  # fmt: skip
    rows = _claim_postgres(grain, keys)
    found = [(row.id, layout.add(row.tally, total))
             for row, total, layout in zip(rows, totals, layouts, strict=True)
             if not row.inserted]  # fmt: skip
    if found:
        ids, packed = zip(*found, strict=True)
        db.session.execute(write, {"cell_ids": list(ids), **_joined(packed)})


def _claim_postgres(grain: Grain, keys: list[dict[str, Any]]) -> list:
    """Run the first upsert on PostgreSQL as one statement over one array per column.

    The rows go in the order given (the key order: locks are taken in it); the returned rows
    are matched to the keys by their key columns, since RETURNING promises no order. A row
    found already keeps its tally (returned); inserted says the row is new (its tally is the
    one just given, not sent back).
    """
    table = grain.cells.__table__
    names = [name for name in keys[0] if name != "tally"]
    casts = ", ".join(f"CAST(:{name} AS {_array_type(table.c[name])})" for name in names)
    returned = ", ".join(grain.key)
    columns = ", ".join(names)
    statement = text(
        f"INSERT INTO {table.name} ({columns}, tally) "
        f"SELECT {columns}, {_CUT} FROM unnest({casts}, CAST(:starts AS int[]), "
        f"CAST(:lengths AS int[])) AS v({columns}, start, length) "
        f"ON CONFLICT ({returned}) DO UPDATE SET responses = {table.name}.responses "
        f"+ excluded.responses RETURNING id, CASE WHEN xmax = 0 THEN NULL ELSE tally END, "
        f"(xmax = 0) AS inserted, {returned}"
    )
    values = {name: [_plain(key[name]) for key in keys] for name in names}
    values.update(_joined([key["tally"] for key in keys]))
    return _matched(grain, db.session.execute(statement, values), 3, keys)


def _matched(grain: Grain, rows, first: int, keys: list[dict[str, Any]]) -> list:
    """Return the rows of a multi-row upsert in the order of its keys.

    The rows carry their key columns from position first on; they need not come back in the
    order of the values (on PostgreSQL they did not, and tallies went to the wrong cells).
    """
    found = {tuple(row[first:]): row for row in rows}
    return [found[tuple(_plain(key[name]) for name in grain.key)] for key in keys]


# A tally cut out of one binary value: an array of bytea would be dumped by the driver one
# escaped element at a time (a third of a mix's Python time), one value is sent as it is.
_CUT = "substring(CAST(:tallies AS bytea) FROM v.start FOR v.length)"


def _joined(tallies) -> dict[str, Any]:
    """Return tallies as one binary value and where each starts (from 1) and how long it is."""
    lengths = [len(tally) for tally in tallies]
    starts = list(itertools.accumulate([1, *lengths[:-1]]))
    return {"tallies": b"".join(tallies), "starts": starts, "lengths": lengths}


def _array_type(column) -> str:
    """Return the PostgreSQL array type of a column's values (enums are stored as their text)."""
    if isinstance(column.type, Enum):
        return "varchar[]"
    return column.type.compile(dialect=postgresql.dialect()) + "[]"


def _plain(value: Any) -> Any:
    """Return a value as the database stores it (an enum as its value)."""
    return value.value if isinstance(value, PyEnum) else value


def _sortable(key: tuple) -> tuple:
    """Return a key that sorts whatever its values (None first)."""
    return tuple((value is not None, str(value)) for value in key)
