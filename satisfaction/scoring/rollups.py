"""Rollups: the cells summed by province or district, month, source and office level.

count_response() adds each response to its rollups as it adds it to its cell; a rebuild sums the
rebuilt cells into rollups in the database.
"""

from typing import Any

from sqlalchemy import delete

from satisfaction.extensions import db
from satisfaction.scoring.models import (
    ScoreRollup,
    ScoreRollupAnswerCount,
    ScoreRollupElementSum,
    Source,
)
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel

UNIT_COLUMNS = {UnitLevel.PROVINCE: "province_id", UnitLevel.DISTRICT: "district_id"}


def rollups_of(response: Response) -> list[dict[str, Any]]:
    """Return the rollups a response is counted in: its province's and its district's."""
    point = db.session.get(ServicePoint, response.service_point_id)
    if point is None or response.province_id is None:
        return []
    common = {
        "questionnaire_version_id": response.questionnaire_version_id,
        "province_id": response.province_id,
        "month": response.answered_on.replace(day=1),
        "source": Source.of(response.channel, response.is_poster),
        "office_level": point.level,
    }
    units = ((UnitLevel.PROVINCE, response.province_id), (UnitLevel.DISTRICT, response.district_id))
    return [
        {**common, "unit_id": unit_id, "unit_level": level}
        for level, unit_id in units
        if unit_id is not None
    ]


def delete_rollups() -> None:
    """Delete every rollup."""
    for model in (ScoreRollupAnswerCount, ScoreRollupElementSum, ScoreRollup):
        db.session.execute(delete(model))


def fill_rollups(postgres: bool) -> None:
    """Sum the cells into rollups (the rollup tables must be empty)."""
    connection = db.session.connection()
    for statement in rollup_statements():
        connection.exec_driver_sql(statement)
        if postgres:
            connection.exec_driver_sql(f"ANALYZE {statement.split()[2]}")


def rollup_statements() -> list[str]:
    """Return the SQL that sums the cells into empty rollup tables."""
    month = "c.month"
    statements = []
    for level, column in UNIT_COLUMNS.items():
        joins = (
            "JOIN service_points p ON p.id = c.service_point_id "
            f"JOIN score_rollups r ON r.unit_id = c.{column} "
            "AND r.questionnaire_version_id = c.questionnaire_version_id "
            f"AND r.month = {month} AND r.source = c.source AND r.office_level = p.level"
        )
        statements += [
            "INSERT INTO score_rollups (questionnaire_version_id, unit_id, unit_level, province_id,"
            " month, source, office_level, responses) "
            f"SELECT c.questionnaire_version_id, c.{column}, '{level.value}', c.province_id, "
            f"{month}, c.source, p.level, SUM(c.responses) "
            "FROM score_cells c JOIN service_points p ON p.id = c.service_point_id "
            f"WHERE c.{column} IS NOT NULL AND c.province_id IS NOT NULL "
            f"GROUP BY c.questionnaire_version_id, c.{column}, c.province_id, {month}, c.source, "
            "p.level",
            "INSERT INTO score_rollup_answer_counts (rollup_id, question, answer, count) "
            "SELECT r.id, a.question, a.answer, SUM(a.count) FROM score_answer_counts a "
            f"JOIN score_cells c ON c.id = a.cell_id {joins} "
            "GROUP BY r.id, a.question, a.answer",
            "INSERT INTO score_rollup_element_sums (rollup_id, element_a, element_b, respondents, "
            "sum_ab, sum_a, sum_b) SELECT r.id, s.element_a, s.element_b, SUM(s.respondents), "
            "SUM(s.sum_ab), SUM(s.sum_a), SUM(s.sum_b) FROM score_element_sums s "
            f"JOIN score_cells c ON c.id = s.cell_id {joins} "
            "GROUP BY r.id, s.element_a, s.element_b",
        ]
    return statements
