"""Keep the score aggregates current: count each response in the transaction recording it."""

from typing import Any

from sqlalchemy import bindparam, update

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
    """Add a response to the aggregates (its cell and rollups), in the transaction inserting it."""
    scheme = scheme_by_id(response.questionnaire_version_id)
    tally = Tally()
    tally.add_response(scheme, response.answers)
    layout = layout_of(response.questionnaire_version_id)
    packed = layout.pack(tally)
    upsert(CELLS, [cell_of(response)], layout, packed)
    upsert(ROLLUPS, rollups_of(response), layout, packed)


def _statements(grain: Grain, dialect: str) -> tuple:
    """Return the two statements of an upsert of a grain: built once, compiled once, reused."""
    found = _STATEMENTS.get((grain.cells.__tablename__, dialect))
    if found is None:
        cells = grain.cells.__table__
        cell = insert_of(dialect)(cells)
        cell = cell.on_conflict_do_update(
            index_elements=list(grain.key),
            set_={"responses": cells.c.responses + cell.excluded.responses},
        ).returning(cells.c.id, cells.c.tally)
        write = (
            update(cells)
            .where(cells.c.id == bindparam("cell_id"))
            .values(tally=bindparam("packed"))
        )
        found = _STATEMENTS[(grain.cells.__tablename__, dialect)] = (cell, write)
    return found


def upsert(grain: Grain, found: list[dict[str, Any]], layout: Layout, packed: bytes) -> None:
    """Add a packed tally of one response to some cells (or rollups), creating those missing.

    The first statement creates each missing row empty and counts the response in every row,
    which locks them, in the order given (the same for every response), until the transaction
    ends: two transactions adding to one row wait for each other, in one order, never lose a
    count. The second writes each row's tally plus this one.
    """
    if not found:
        return
    cell, write = _statements(grain, db.session.get_bind().dialect.name)
    keys = [{**key, "responses": 1, "tally": layout.empty} for key in found]
    rows = db.session.execute(cell, keys).all()
    db.session.execute(
        write, [{"cell_id": row.id, "packed": layout.add(row.tally, packed)} for row in rows]
    )
