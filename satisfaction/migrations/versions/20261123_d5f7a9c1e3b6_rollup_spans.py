"""rollup spans: quarter and year rollups beside the months

Revision ID: d5f7a9c1e3b6
Revises: c3e5a7b9d1f4
Create Date: 2026-11-23 20:00:00

A national page over all dates summed eighteen month rollups per province, source and office
level. Rollups now also run over a quarter and a year, and a period is read in the fewest spans
that cover it. The existing month rollups become spans of a month; their quarters and years are
summed from them here.

On PostgreSQL, the columns linking counts and sums to their cell or rollup are told how many rows
a cell has, roughly: sampled, a column where most values repeat a few dozen times looks ten times
less varied than it is, and the planner then scanned every cell for one commune's page.
"""

from datetime import date

from alembic import op
import sqlalchemy as sa

revision = "d5f7a9c1e3b6"
down_revision = "c3e5a7b9d1f4"
branch_labels = None
depends_on = None

OLD_KEY = ["questionnaire_version_id", "unit_id", "month", "source", "office_level"]
NEW_KEY = ["questionnaire_version_id", "unit_id", "span", "month", "source", "office_level"]
SPAN_MONTHS = {"quarter": 3, "year": 12}
KEY = "questionnaire_version_id, unit_id, unit_level, province_id, source, office_level"
OF_M = ", ".join("m." + column for column in KEY.split(", "))
# SQLite copies a table to change its constraints, and may only drop the old one once nothing
# refers to it: the rollups' counts and sums wait aside meanwhile.
PARKS = (
    "CREATE TABLE score_parked_counts AS SELECT * FROM score_rollup_answer_counts",
    "CREATE TABLE score_parked_sums AS SELECT * FROM score_rollup_element_sums",
    "DELETE FROM score_rollup_answer_counts",
    "DELETE FROM score_rollup_element_sums",
)
RESTORES = (
    "INSERT INTO score_rollup_answer_counts (rollup_id, question, answer, count) "
    "SELECT rollup_id, question, answer, count FROM score_parked_counts",
    "INSERT INTO score_rollup_element_sums (rollup_id, element_a, element_b, respondents, "
    "sum_ab, sum_a, sum_b) SELECT rollup_id, element_a, element_b, respondents, sum_ab, sum_a, "
    "sum_b FROM score_parked_sums",
    "DROP TABLE score_parked_counts",
    "DROP TABLE score_parked_sums",
)


# Negative: distinct values as a share of the rows (a cell has some 30 answer counts and 12
# element sums; a rollup, fuller, some 70 and 14).
ROWS_PER_KEY = (
    ("score_answer_counts", "cell_id", -0.03),
    ("score_element_sums", "cell_id", -0.08),
    ("score_rollup_answer_counts", "rollup_id", -0.015),
    ("score_rollup_element_sums", "rollup_id", -0.07),
)


def _sums(span: str) -> list[str]:
    """Return the SQL summing month rollups into the rollups of a wider span."""
    spans = f"JOIN score_rollup_spans s ON s.month = m.month AND s.span = '{span}' "
    joins = (
        f"JOIN score_rollups m ON m.id = x.rollup_id {spans}"
        f"JOIN score_rollups r ON r.span = '{span}' AND r.month = s.start "
        "AND r.questionnaire_version_id = m.questionnaire_version_id AND r.unit_id = m.unit_id "
        "AND r.source = m.source AND r.office_level = m.office_level"
    )
    return [
        f"INSERT INTO score_rollups ({KEY}, span, month, responses) SELECT {OF_M}, '{span}', "
        f"s.start, SUM(m.responses) FROM score_rollups m {spans}WHERE m.span = 'month' "
        f"GROUP BY {OF_M}, s.start",
        "INSERT INTO score_rollup_answer_counts (rollup_id, question, answer, count) "
        "SELECT r.id, x.question, x.answer, SUM(x.count) FROM score_rollup_answer_counts x "
        f"{joins} WHERE m.span = 'month' GROUP BY r.id, x.question, x.answer",
        "INSERT INTO score_rollup_element_sums (rollup_id, element_a, element_b, respondents, "
        "sum_ab, sum_a, sum_b) SELECT r.id, x.element_a, x.element_b, SUM(x.respondents), "
        "SUM(x.sum_ab), SUM(x.sum_a), SUM(x.sum_b) FROM score_rollup_element_sums x "
        f"{joins} WHERE m.span = 'month' GROUP BY r.id, x.element_a, x.element_b",
    ]


def _start(span: str, month: date) -> date:
    size = SPAN_MONTHS[span]
    return date(month.year, (month.month - 1) // size * size + 1, 1)


def _park(statements) -> None:
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL alters the table in place
        for statement in statements:
            op.execute(statement)


def upgrade():
    _park(PARKS)
    with op.batch_alter_table("score_rollups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("span", sa.String(length=16), nullable=False, server_default="month")
        )
        batch_op.drop_constraint("uq_score_rollups_key", type_="unique")
        batch_op.create_unique_constraint("uq_score_rollups_key", NEW_KEY)
    with op.batch_alter_table("score_rollups", schema=None) as batch_op:
        batch_op.alter_column("span", existing_type=sa.String(length=16), server_default=None)
    _park(RESTORES)
    bind = op.get_bind()
    months = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT month FROM score_rollups"))]
    op.execute("CREATE TABLE score_rollup_spans (month DATE NOT NULL, span VARCHAR(16) NOT NULL, "
               "start DATE NOT NULL)")  # fmt: skip
    spans = sa.table("score_rollup_spans", sa.column("month", sa.Date),
                     sa.column("span", sa.String), sa.column("start", sa.Date))  # fmt: skip
    if months:
        months = [m if isinstance(m, date) else date.fromisoformat(m) for m in months]
        op.bulk_insert(spans, [{"month": m, "span": span, "start": _start(span, m)}
                               for m in months for span in SPAN_MONTHS])  # fmt: skip
    for span in SPAN_MONTHS:
        for statement in _sums(span):
            op.execute(statement)
    op.execute("DROP TABLE score_rollup_spans")
    if bind.dialect.name == "postgresql":
        for table, column, share in ROWS_PER_KEY:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET (n_distinct = {share})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, column, _share in ROWS_PER_KEY:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} RESET (n_distinct)")
    wider = "SELECT id FROM score_rollups WHERE span <> 'month'"
    op.execute(f"DELETE FROM score_rollup_answer_counts WHERE rollup_id IN ({wider})")
    op.execute(f"DELETE FROM score_rollup_element_sums WHERE rollup_id IN ({wider})")
    op.execute("DELETE FROM score_rollups WHERE span <> 'month'")
    _park(PARKS)
    with op.batch_alter_table("score_rollups", schema=None) as batch_op:
        batch_op.drop_constraint("uq_score_rollups_key", type_="unique")
        batch_op.drop_column("span")
        batch_op.create_unique_constraint("uq_score_rollups_key", OLD_KEY)
    _park(RESTORES)
