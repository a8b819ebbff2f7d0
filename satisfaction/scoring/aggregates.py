"""Keep the score aggregates: count each response as it is recorded; rebuild from raw answers."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.models import (
    DAYS,
    MONTHS,
    Grain,
    ScoreAnswerCount,
    ScoreCell,
    ScoreElementSum,
    Source,
)
from satisfaction.scoring.rollups import delete_rollups, fill_rollups, rollups_of
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Tally
from satisfaction.survey.models import Response

POINTS_PER_BATCH = 50
_SCHEMES: dict[str, Scheme] = {}


def scheme_of(version: QuestionnaireVersion) -> Scheme:
    """Return the scoring scheme of a recorded questionnaire version (built once per process)."""
    # A recorded version never changes, so its content hash is a safe cache key.
    found = _SCHEMES.get(version.content_hash)
    if found is None:
        questionnaire = Questionnaire.from_dict(version.definition)
        found = _SCHEMES[version.content_hash] = Scheme.of(questionnaire)
    return found


def _scheme_by_id(version_id: int) -> Scheme:
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
        "answered_on": response.answered_on,
        "source": Source.of(response.channel, response.is_poster),
        "mode": response.mode,
    }


def count_response(response: Response) -> None:
    """Add a response to the aggregates (day cell and rollups), in the transaction inserting it."""
    tally = Tally()
    tally.add_response(_scheme_by_id(response.questionnaire_version_id), response.answers)
    upsert(DAYS, cell_of(response), tally)
    for rollup in rollups_of(response):
        upsert(MONTHS, rollup, tally)


def _insert(table):
    """Return an INSERT that knows ON CONFLICT on either database."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def upsert(grain: Grain, cell: dict[str, Any], tally: Tally) -> None:
    """Add a tally to a cell, creating the rows it lacks; concurrent writers add up, never lose."""
    cells = grain.cells.__table__
    stmt = _insert(cells).values(**cell, responses=tally.responses)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(grain.key),
        set_={"responses": cells.c.responses + stmt.excluded.responses},
    ).returning(cells.c.id)
    cell_id = db.session.execute(stmt).scalar_one()
    answers, sums = _rows(grain.link, cell_id, tally)
    # Rows in key order: two transactions touching the same rows lock them in the same order.
    if answers:
        table = grain.counts.__table__
        stmt = _insert(table).values(answers)
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=[grain.link, "question", "answer"],
            set_={"count": table.c.count + stmt.excluded.count},
        ))  # fmt: skip
    if sums:
        table = grain.sums.__table__
        stmt = _insert(table).values(sums)
        added = ("respondents", "sum_ab", "sum_a", "sum_b")
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=[grain.link, "element_a", "element_b"],
            set_={name: table.c[name] + stmt.excluded[name] for name in added},
        ))  # fmt: skip


def _rows(link: str, cell_id: int, tally: Tally) -> tuple[list[dict], list[dict]]:
    """Return the answer-count and element-sum rows of a tally, in key order."""
    answers = [
        {link: cell_id, "question": question, "answer": answer, "count": count}
        for (question, answer), count in sorted(tally.answers.items())
    ]
    sums = [
        {link: cell_id, "element_a": a, "element_b": b, "respondents": m.n,
         "sum_ab": m.ab, "sum_a": m.a, "sum_b": m.b}
        for (a, b), m in sorted(tally.moments.items())
    ]  # fmt: skip
    return answers, sums


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every aggregate from the raw answers; return (responses, cells)."""
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        # Answers recorded meanwhile wait, then add to the rebuilt figures: none lost or doubled.
        connection.exec_driver_sql(
            "LOCK TABLE score_cells, score_answer_counts, score_element_sums, score_rollups, "
            "score_rollup_answer_counts, score_rollup_element_sums IN EXCLUSIVE MODE"
        )
    for model in (ScoreAnswerCount, ScoreElementSum, ScoreCell):
        db.session.execute(delete(model))
    delete_rollups()
    points = db.session.scalars(
        select(Response.service_point_id).distinct().order_by(Response.service_point_id)
    ).all()
    responses = cells = 0
    for start in range(0, len(points), POINTS_PER_BATCH):
        tallies = _tally_points(points[start : start + POINTS_PER_BATCH])
        _write_cells(list(tallies.items()), cells + 1, postgres)
        counted = sum(tally.responses for tally in tallies.values())
        responses += counted
        cells += len(tallies)
        if progress is not None:
            progress(counted)
    if postgres:
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('score_cells', 'id'), %s, %s)",
            (max(cells, 1), cells > 0),
        )
    fill_rollups(postgres)
    return responses, cells


CellKey = tuple[int, int, int | None, int | None, int | None, date, Source, Any]
INSERTS = {
    "score_cells": ("id", "questionnaire_version_id", "service_point_id", "province_id",
                    "district_id", "commune_id", "answered_on", "source", "mode", "responses"),
    "score_answer_counts": ("cell_id", "question", "answer", "count"),
    "score_element_sums": ("cell_id", "element_a", "element_b", "respondents", "sum_ab", "sum_a",
                           "sum_b"),
}  # fmt: skip


def _tally_points(point_ids: Sequence[int]) -> dict[CellKey, Tally]:
    """Return the tally of every cell of some service points, from their responses."""
    rows = db.session.execute(
        select(
            Response.questionnaire_version_id, Response.service_point_id, Response.province_id,
            Response.district_id, Response.commune_id, Response.answered_on, Response.channel,
            Response.is_poster, Response.mode, Response.answers,
        ).where(Response.service_point_id.in_(point_ids))
    )  # fmt: skip
    tallies: dict[CellKey, Tally] = {}
    schemes: dict[int, Scheme] = {}  # one look-up per version, not one per response
    for version, point, province, district, commune, day, channel, poster, mode, answers in rows:
        key = (version, point, province, district, commune, day, Source.of(channel, poster), mode)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally()
        scheme = schemes.get(version)
        if scheme is None:
            scheme = schemes[version] = _scheme_by_id(version)
        tally.add_response(scheme, answers)
    return tallies


def _write_cells(tallies: list[tuple[CellKey, Tally]], first_id: int, postgres: bool) -> None:
    """Insert new cells, numbered from first_id, with their rows (driver-level, for speed)."""
    cells, answers, sums = [], [], []
    for cell_id, (key, tally) in enumerate(tallies, start=first_id):
        *head, day, source, mode = key
        cells.append((cell_id, *head, day if postgres else day.isoformat(), source.value,
                      mode.value, tally.responses))  # fmt: skip
        answers += [(cell_id, q, a, n) for (q, a), n in tally.answers.items()]
        sums += [(cell_id, a, b, m.n, m.ab, m.a, m.b) for (a, b), m in tally.moments.items()]
    connection = db.session.connection()
    mark = "%s" if postgres else "?"
    for table, rows in zip(INSERTS, (cells, answers, sums), strict=True):
        if rows:
            names = INSERTS[table]
            marks = ", ".join([mark] * len(names))
            connection.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows
            )
