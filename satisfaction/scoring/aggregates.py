"""Keep the score aggregates current: count responses in the transaction that adds them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, text, update

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
    """Return the scoring scheme of a recorded questionnaire version, by its id."""
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        raise LookupError(version_id)
    return scheme_of(version)


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
    # Looked up once per version here: each lookup by id reads the version again.
    packers: dict[int, tuple[Scheme, Layout]] = {}
    for response in responses:
        version = response.questionnaire_version_id
        packer = packers.get(version)
        if packer is None:
            packer = packers[version] = (scheme_by_id(version), layout_of(version))
        tally = Tally()
        tally.add_response(packer[0], response.answers)
        packed = packer[1].pack(tally)
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
                f"UPDATE {cells.name} AS c SET tally = v.packed FROM unnest("
                "CAST(:cell_ids AS bigint[]), CAST(:packed AS bytea[])) AS v(id, packed) "
                "WHERE c.id = v.id"
            )
        found = _STATEMENTS[(grain.cells.__tablename__, dialect)] = (cell, write)
    return found


def upsert(grain: Grain, groups: dict[tuple, _Group]) -> None:
    """Add the gathered tallies to their cells (or rollups), creating those missing.

    The first statement creates each missing row empty and counts the responses in every row,
    which locks them, in key order (the same for every writer), until the transaction ends: two
    transactions adding to one row wait for each other, in one order, never lose a count. The
    second writes each row's tally plus the group's.
    """
    if not groups:
        return
    ordered = [groups[key] for key in sorted(groups, key=_sortable)]
    layouts = [layout_of(group.key["questionnaire_version_id"]) for group in ordered]
    dialect = db.session.get_bind().dialect.name
    cell, write = _statements(grain, dialect)
    keys = [{**group.key, "responses": len(group.values), "tally": layout.empty}
            for group, layout in zip(ordered, layouts, strict=True)]  # fmt: skip
    # Each row returned is matched to its group by its key: the order of the rows of a
    # multi-row upsert is not the order of its values.
    returned = {tuple(row[2:]): row for row in db.session.execute(cell, keys)}
    rows = [returned[tuple(group.key[name] for name in grain.key)] for group in ordered]
    ids = [row.id for row in rows]
    packed = [layout.total([row.tally, *group.values])
              for row, group, layout in zip(rows, ordered, layouts, strict=True)]  # fmt: skip
    if dialect == "postgresql":
        db.session.execute(write, {"cell_ids": ids, "packed": packed})
    else:
        db.session.execute(
            write, [{"cell_id": i, "packed": p} for i, p in zip(ids, packed, strict=True)]
        )


def _sortable(key: tuple) -> tuple:
    """Return a key that sorts whatever its values (None first)."""
    return tuple((value is not None, str(value)) for value in key)
