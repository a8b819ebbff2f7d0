"""Rollups: the cells summed by province or district, span, source and office level.

count_response() adds each response to its rollups (its month's, its quarter's and its year's)
as it adds it to its cell; a rebuild sums the rebuilt cells into month rollups, and those into
quarter and year rollups, in the database.
"""

from typing import Any

from sqlalchemy import delete, func, select

from satisfaction.extensions import db
from satisfaction.scoring.models import (
    ScoreRollup,
    ScoreRollupAnswerCount,
    ScoreRollupElementSum,
    Source,
)
from satisfaction.scoring.periods import Span, add_months, span_start
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel

UNIT_COLUMNS = {UnitLevel.PROVINCE: "province_id", UnitLevel.DISTRICT: "district_id"}
WIDER = ((Span.MONTH, Span.QUARTER), (Span.QUARTER, Span.YEAR))  # each summed from the last
KEY = "questionnaire_version_id, unit_id, unit_level, province_id, source, office_level"
OF_M = ", ".join("m." + column for column in KEY.split(", "))  # the same, of the rollups m


def rollups_of(response: Response) -> list[dict[str, Any]]:
    """Return the rollups a response is counted in: its province's and district's, each span.

    In one order for every response, so that two transactions lock shared rows in one order.
    """
    point = db.session.get(ServicePoint, response.service_point_id)
    if point is None or response.province_id is None:
        return []
    month = response.answered_on.replace(day=1)
    common = {
        "questionnaire_version_id": response.questionnaire_version_id,
        "province_id": response.province_id,
        "source": Source.of(response.channel, response.is_poster),
        "office_level": point.level,
    }
    units = ((UnitLevel.PROVINCE, response.province_id), (UnitLevel.DISTRICT, response.district_id))
    return [
        {**common, "unit_id": unit_id, "unit_level": level, "span": span,
         "month": span_start(span, month)}
        for level, unit_id in units
        if unit_id is not None
        for span in Span
    ]  # fmt: skip


def delete_rollups() -> None:
    """Delete every rollup."""
    for model in (ScoreRollupAnswerCount, ScoreRollupElementSum, ScoreRollup):
        db.session.execute(delete(model))


def fill_rollups(postgres: bool) -> None:
    """Sum the cells into month rollups, those into quarters, those into years (tables empty)."""
    connection = db.session.connection()

    def run(statements: list[str]) -> None:
        for statement in statements:
            connection.exec_driver_sql(statement)
            if postgres:
                connection.exec_driver_sql(f"ANALYZE {statement.split()[2]}")

    run(month_statements())
    first, last = db.session.execute(select(func.min(ScoreRollup.month),
                                            func.max(ScoreRollup.month))).one()  # fmt: skip
    months = []  # every month of the years the months rolled up lie in: quarters' starts too
    first = None if first is None else span_start(Span.YEAR, first)
    while first is not None and first <= last:
        months.append(first)
        first = add_months(first, 1)
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE score_rebuild_spans (month DATE NOT NULL, span VARCHAR(16) "
        "NOT NULL, start DATE NOT NULL)"
    )
    rows = [(m, span.value, span_start(span, m)) for m in months for _narrow, span in WIDER]
    if rows:
        mark = "%s" if postgres else "?"
        connection.exec_driver_sql(
            f"INSERT INTO score_rebuild_spans VALUES ({mark}, {mark}, {mark})", rows
        )
    run(wider_statements())
    connection.exec_driver_sql("DROP TABLE score_rebuild_spans")


def month_statements() -> list[str]:
    """Return the SQL that sums the cells into empty month rollups.

    Each table is written in the order of its key, so that a rollup's rows lie together on disk.
    """
    statements = []
    for level, column in UNIT_COLUMNS.items():
        joins = (
            "JOIN service_points p ON p.id = c.service_point_id "
            f"JOIN score_rollups r ON r.unit_id = c.{column} AND r.span = 'month' "
            "AND r.questionnaire_version_id = c.questionnaire_version_id "
            "AND r.month = c.month AND r.source = c.source AND r.office_level = p.level"
        )
        statements += [
            "INSERT INTO score_rollups (questionnaire_version_id, unit_id, unit_level, province_id,"
            " span, month, source, office_level, responses) "
            f"SELECT c.questionnaire_version_id, c.{column}, '{level.value}', c.province_id, "
            "'month', c.month, c.source, p.level, SUM(c.responses) "
            "FROM score_cells c JOIN service_points p ON p.id = c.service_point_id "
            f"WHERE c.{column} IS NOT NULL AND c.province_id IS NOT NULL "
            f"GROUP BY c.questionnaire_version_id, c.{column}, c.province_id, c.month, c.source, "
            f"p.level ORDER BY c.questionnaire_version_id, c.{column}, c.month",
            "INSERT INTO score_rollup_answer_counts (rollup_id, question, answer, count) "
            "SELECT r.id, a.question, a.answer, SUM(a.count) FROM score_answer_counts a "
            f"JOIN score_cells c ON c.id = a.cell_id {joins} "
            "GROUP BY r.id, a.question, a.answer ORDER BY r.id, a.question, a.answer",
            "INSERT INTO score_rollup_element_sums (rollup_id, element_a, element_b, respondents, "
            "sum_ab, sum_a, sum_b) SELECT r.id, s.element_a, s.element_b, SUM(s.respondents), "
            "SUM(s.sum_ab), SUM(s.sum_a), SUM(s.sum_b) FROM score_element_sums s "
            f"JOIN score_cells c ON c.id = s.cell_id {joins} "
            "GROUP BY r.id, s.element_a, s.element_b ORDER BY r.id, s.element_a, s.element_b",
        ]
    return statements


def wider_statements() -> list[str]:
    """Return the SQL that sums month rollups into quarter rollups, and those into years.

    Needs the temporary table score_rebuild_spans: each month, and the start of its spans.
    """
    statements = []
    for narrow, span in WIDER:
        spans = ("JOIN score_rebuild_spans s ON s.month = m.month "
                 f"AND s.span = '{span.value}' ")  # fmt: skip
        joins = (
            f"JOIN score_rollups m ON m.id = x.rollup_id {spans}"
            f"JOIN score_rollups r ON r.span = '{span.value}' AND r.month = s.start "
            "AND r.questionnaire_version_id = m.questionnaire_version_id "
            "AND r.unit_id = m.unit_id AND r.source = m.source "
            "AND r.office_level = m.office_level"
        )
        statements += [
            f"INSERT INTO score_rollups ({KEY}, span, month, responses) "
            f"SELECT {OF_M}, '{span.value}', s.start, "
            f"SUM(m.responses) FROM score_rollups m {spans}WHERE m.span = '{narrow.value}' "
            f"GROUP BY {OF_M}, s.start "
            "ORDER BY m.questionnaire_version_id, m.unit_id, s.start",
            "INSERT INTO score_rollup_answer_counts (rollup_id, question, answer, count) "
            f"SELECT r.id, x.question, x.answer, SUM(x.count) FROM score_rollup_answer_counts x "
            f"{joins} WHERE m.span = '{narrow.value}' "
            "GROUP BY r.id, x.question, x.answer ORDER BY r.id, x.question, x.answer",
            "INSERT INTO score_rollup_element_sums (rollup_id, element_a, element_b, respondents, "
            "sum_ab, sum_a, sum_b) SELECT r.id, x.element_a, x.element_b, SUM(x.respondents), "
            "SUM(x.sum_ab), SUM(x.sum_a), SUM(x.sum_b) FROM score_rollup_element_sums x "
            f"{joins} WHERE m.span = '{narrow.value}' "
            "GROUP BY r.id, x.element_a, x.element_b ORDER BY r.id, x.element_a, x.element_b",
        ]
    return statements
