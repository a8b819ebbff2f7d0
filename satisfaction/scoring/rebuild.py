"""Rebuild every score aggregate from the raw answers, in the database, by set operations.

The scoring rule of each questionnaire version (which questions are counted, what each answer
scores, which element an item belongs to) goes into temporary tables; the answers are then
spread into one row per question (json_each) and grouped into the monthly cells, their answer
counts and element sums, and the rollups. One pass of SQL per table, no row through Python:
ten million responses fit in minutes, where tallying them one by one took an hour.
"""

from collections.abc import Callable

from sqlalchemy import delete, func, select

from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.scoring.aggregates import scheme_of
from satisfaction.scoring.models import ScoreAnswerCount, ScoreCell, ScoreElementSum
from satisfaction.scoring.rollups import delete_rollups, fill_rollups
from satisfaction.survey.models import Response

AGGREGATE_TABLES = ("score_cells, score_answer_counts, score_element_sums, score_rollups, "
                    "score_rollup_answer_counts, score_rollup_element_sums")  # fmt: skip
DIALECT = {
    "postgresql": {
        "month": "CAST(date_trunc('month', r.answered_on) AS date)",
        "each": "json_each_text(r.answers) AS j(key, value)",
        "value": "j.value",
        "ordered": 'a.element COLLATE "C" <= b.element',  # as Python orders the pair
    },
    "sqlite": {
        "month": "date(r.answered_on, 'start of month')",
        "each": "json_each(r.answers) AS j",
        "value": "CAST(j.value AS TEXT)",
        "ordered": "a.element <= b.element",
    },
}
SOURCE = "CASE WHEN r.is_poster THEN 'poster' ELSE r.channel END"
CELL_KEY = ("r.questionnaire_version_id AS v, r.service_point_id AS p, {month} AS m, "
            f"{SOURCE} AS s, r.mode AS md")  # fmt: skip
CELL_GROUP = f"r.questionnaire_version_id, r.service_point_id, {{month}}, {SOURCE}, r.mode"
CELL_JOIN = ("JOIN score_cells c ON c.questionnaire_version_id = t.v AND c.service_point_id = t.p "
             "AND c.month = t.m AND c.source = t.s AND c.mode = t.md")  # fmt: skip
SCHEME_TABLES = (
    # The questions whose answers are counted: items (with their element) and expectations.
    "CREATE TEMPORARY TABLE score_rebuild_questions (version_id INTEGER NOT NULL, "
    "question VARCHAR(64) NOT NULL)",
    # The answers that score an item, with the score (0-100).
    "CREATE TEMPORARY TABLE score_rebuild_scores (version_id INTEGER NOT NULL, "
    "question VARCHAR(64) NOT NULL, answer VARCHAR(64) NOT NULL, element VARCHAR(64) NOT NULL, "
    "score DOUBLE PRECISION NOT NULL)",
)
STEPS = (
    "INSERT INTO score_cells (questionnaire_version_id, service_point_id, province_id, "
    "district_id, commune_id, month, source, mode, responses) "
    "SELECT r.questionnaire_version_id, r.service_point_id, MIN(r.province_id), "
    f"MIN(r.district_id), MIN(r.commune_id), {{month}}, {SOURCE}, r.mode, COUNT(*) "
    f"FROM responses r GROUP BY {CELL_GROUP}",
    # Answer counts: one row per response and counted question, grouped by cell and answer.
    f"CREATE TEMPORARY TABLE score_rebuild_counts AS SELECT {CELL_KEY}, j.key AS question, "
    "{value} AS answer, COUNT(*) AS n FROM responses r CROSS JOIN {each} "
    "JOIN score_rebuild_questions q ON q.version_id = r.questionnaire_version_id "
    "AND q.question = j.key WHERE {value} IS NOT NULL AND {value} <> '' "
    f"GROUP BY {CELL_GROUP}, j.key, {{value}}",
    "INSERT INTO score_answer_counts (cell_id, question, answer, count) "
    f"SELECT c.id, t.question, t.answer, t.n FROM score_rebuild_counts t {CELL_JOIN}",
    # Each respondent's element scores (mean of the scored items, 0-1) ...
    f"CREATE TEMPORARY TABLE score_rebuild_elements AS SELECT r.id AS response_id, {CELL_KEY}, "
    "q.element, AVG(q.score) / 100.0 AS score FROM responses r CROSS JOIN {each} "
    "JOIN score_rebuild_scores q ON q.version_id = r.questionnaire_version_id "
    "AND q.question = j.key AND q.answer = {value} "
    f"GROUP BY r.id, {CELL_GROUP}, q.element",
    # ... and the sums over every pair of elements a respondent answered both of.
    "INSERT INTO score_element_sums (cell_id, element_a, element_b, respondents, sum_ab, sum_a, "
    "sum_b) SELECT c.id, t.element_a, t.element_b, t.n, t.ab, t.sa, t.sb FROM ("
    "SELECT a.v, a.p, a.m, a.s, a.md, a.element AS element_a, b.element AS element_b, "
    "COUNT(*) AS n, SUM(a.score * b.score) AS ab, SUM(a.score) AS sa, SUM(b.score) AS sb "
    "FROM score_rebuild_elements a JOIN score_rebuild_elements b "
    "ON b.response_id = a.response_id AND {ordered} "
    "GROUP BY a.v, a.p, a.m, a.s, a.md, a.element, b.element) t " + CELL_JOIN,
)
WORK_MEM = "256MB"
TEMPORARY = ("score_rebuild_elements", "score_rebuild_counts", "score_rebuild_scores",
             "score_rebuild_questions")  # fmt: skip


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every aggregate from the raw answers; return (responses, cells).

    progress, if given, is told of the responses as the steps go (a share of them per step).
    """
    connection = db.session.connection()
    dialect = connection.dialect.name
    postgres = dialect == "postgresql"
    if postgres:
        # Answers recorded meanwhile wait, then add to the rebuilt figures: none lost or doubled.
        connection.exec_driver_sql(f"LOCK TABLE {AGGREGATE_TABLES} IN EXCLUSIVE MODE")
        # Group in memory, not in batches spilled to disk (for this transaction only).
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
    for model in (ScoreAnswerCount, ScoreElementSum, ScoreCell):
        db.session.execute(delete(model))
    delete_rollups()
    total = db.session.scalar(select(func.count()).select_from(Response)) or 0
    _scheme_tables(connection)
    words = DIALECT[dialect]
    done = 0
    for step, statement in enumerate(STEPS, start=1):
        connection.exec_driver_sql(statement.format(**words))
        if postgres and statement.startswith("CREATE TEMPORARY"):
            connection.exec_driver_sql(f"ANALYZE {statement.split()[3]}")
        if progress is not None:
            share = total * step // (len(STEPS) + 1)
            progress(share - done)
            done = share
    fill_rollups(postgres)
    for table in TEMPORARY:
        connection.exec_driver_sql(f"DROP TABLE {table}")
    if progress is not None:
        progress(total - done)
    responses, cells = db.session.execute(
        select(func.coalesce(func.sum(ScoreCell.responses), 0), func.count())
    ).one()
    return int(responses), int(cells)


def _scheme_tables(connection) -> None:
    """Create and fill the temporary tables of the scoring rules of every version answered."""
    for statement in SCHEME_TABLES:
        connection.exec_driver_sql(statement)
    answered = select(Response.questionnaire_version_id).distinct()
    versions = db.session.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(answered))
    )
    questions, scores = [], []
    for version in versions:
        scheme = scheme_of(version)
        questions += [(version.id, key) for key in (*scheme.item_keys, *scheme.expectations)]
        scores += [
            (version.id, item, answer, element, score)
            for element, items in scheme.elements
            for item in items
            for answer, score in scheme.item_scores.items()
            if score is not None
        ]
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    if questions:
        connection.exec_driver_sql(
            f"INSERT INTO score_rebuild_questions VALUES ({mark}, {mark})", questions
        )
    if scores:
        marks = ", ".join([mark] * 5)
        connection.exec_driver_sql(f"INSERT INTO score_rebuild_scores VALUES ({marks})", scores)
    if connection.dialect.name == "postgresql":
        # Without statistics (new tables, or answers just imported in this transaction) the
        # planner spreads each answer set once per question instead of once.
        connection.exec_driver_sql(
            "ANALYZE responses, score_rebuild_questions, score_rebuild_scores"
        )
