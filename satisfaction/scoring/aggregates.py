"""Keep the score aggregates current: count each response in the transaction recording it."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql, sqlite

from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.models import CELLS, ROLLUPS, Grain, Source
from satisfaction.scoring.rollups import rollups_of
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Tally
from satisfaction.survey.models import Response

_SCHEMES: dict[str, Scheme] = {}
_STATEMENTS: dict[tuple[str, str], tuple] = {}  # (grain, dialect) -> its three upserts


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
    """Add a response to the aggregates (its cell and rollups), in the transaction inserting it."""
    tally = Tally()
    tally.add_response(scheme_by_id(response.questionnaire_version_id), response.answers)
    upsert(CELLS, [cell_of(response)], tally)
    upsert(ROLLUPS, rollups_of(response), tally)


def _statements(grain: Grain, dialect: str) -> tuple:
    """Return the three upserts of a grain for a dialect: built once, compiled once, reused."""
    found = _STATEMENTS.get((grain.link, dialect))
    if found is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        cells = grain.cells.__table__
        cell = insert(cells)
        cell = cell.on_conflict_do_update(
            index_elements=list(grain.key),
            set_={"responses": cells.c.responses + cell.excluded.responses},
        ).returning(cells.c.id)
        found = _STATEMENTS[(grain.link, dialect)] = (
            cell,
            _added(grain.counts.__table__, (grain.link, "question", "answer"), dialect),
            _added(grain.sums.__table__, (grain.link, "element_a", "element_b"), dialect),
        )
    return found


def _added(table: Table, key: tuple[str, ...], dialect: str) -> Callable[[list[dict]], None]:
    """Return a writer of rows into a table of counts or sums, adding to the rows it finds.

    On PostgreSQL the rows travel as one array per column, unnested in order: one statement,
    prepared once, whatever the number of rows. SQLite takes them as parameter sets.
    """
    added = [column.name for column in table.columns if column.name not in key]
    add = ", ".join(f"{name} = {table.name}.{name} + excluded.{name}" for name in added)
    conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {add}"
    names = [*key, *added]
    into = f"INSERT INTO {table.name} ({', '.join(names)})"
    if dialect != "postgresql":
        values = text(f"{into} VALUES ({', '.join(f':{name}' for name in names)}) {conflict}")
        return lambda rows: db.session.execute(values, rows)
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=postgresql.dialect())}[])"
        for name in names
    )
    unnested = text(f"{into} SELECT * FROM unnest({arrays}) {conflict}")
    return lambda rows: db.session.execute(
        unnested, {name: [row[name] for row in rows] for name in names}
    )


def upsert(grain: Grain, found: list[dict[str, Any]], tally: Tally) -> None:
    """Add a tally to some cells (or rollups), creating the rows they lack, in three statements.

    Concurrent writers add up, never lose; rows are written in one order (the cells' as given,
    then their counts and sums by cell id), so two transactions wait for each other, not lock.
    Each statement is built once and given its rows as parameters, so it is compiled once.
    """
    if not found:
        return
    cell, add_counts, add_sums = _statements(grain, db.session.get_bind().dialect.name)
    keys = [{**key, "responses": tally.responses} for key in found]
    cell_ids = sorted(db.session.scalars(cell, keys))
    answers, sums = _rows(grain.link, cell_ids, tally)
    # Rows in key order: two transactions touching the same rows lock them in the same order.
    if answers:
        add_counts(answers)
    if sums:
        add_sums(sums)


def _rows(link: str, cell_ids: list[int], tally: Tally) -> tuple[list[dict], list[dict]]:
    """Return the answer-count and element-sum rows of a tally in some cells, in key order."""
    answers = [
        {link: cell_id, "question": question, "answer": answer, "count": count}
        for cell_id in cell_ids
        for (question, answer), count in sorted(tally.answers.items())
    ]
    sums = [
        {link: cell_id, "element_a": a, "element_b": b, "respondents": m.n,
         "sum_ab": m.ab, "sum_a": m.a, "sum_b": m.b}
        for cell_id in cell_ids
        for (a, b), m in sorted(tally.moments.items())
    ]  # fmt: skip
    return answers, sums
