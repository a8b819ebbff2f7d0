"""monthly score cells: the day cells of a service point merged into months

Revision ID: c3e5a7b9d1f4
Revises: b9d4f6a8c0e2
Create Date: 2026-11-23 18:00:00

A day cell held about one response, so at national scale the cells were as many as the answers.
The counts and sums are additive: the cells of one month are merged into the first of them. The
rollups are monthly already and do not change.
"""

from alembic import op
import sqlalchemy as sa

revision = "c3e5a7b9d1f4"
down_revision = "b9d4f6a8c0e2"
branch_labels = None
depends_on = None

MONTH_OF = {
    "sqlite": "date(answered_on, 'start of month')",
    "postgresql": "CAST(date_trunc('month', answered_on) AS date)",
}
KEY = "questionnaire_version_id, service_point_id, month, source, mode"
MERGES = (
    # Every cell, and the cell of its month that keeps the sums: the first one.
    f"CREATE TABLE score_cell_merges AS SELECT c.id AS old_id, k.keep_id FROM score_cells c "
    f"JOIN (SELECT min(id) AS keep_id, {KEY} FROM score_cells GROUP BY {KEY}) k "
    "ON k.questionnaire_version_id = c.questionnaire_version_id "
    "AND k.service_point_id = c.service_point_id AND k.month = c.month "
    "AND k.source = c.source AND k.mode = c.mode",
    "CREATE TABLE score_merged_counts AS SELECT m.keep_id AS cell_id, a.question, a.answer, "
    "SUM(a.count) AS count FROM score_answer_counts a "
    "JOIN score_cell_merges m ON m.old_id = a.cell_id GROUP BY m.keep_id, a.question, a.answer",
    "CREATE TABLE score_merged_sums AS SELECT m.keep_id AS cell_id, s.element_a, s.element_b, "
    "SUM(s.respondents) AS respondents, SUM(s.sum_ab) AS sum_ab, SUM(s.sum_a) AS sum_a, "
    "SUM(s.sum_b) AS sum_b FROM score_element_sums s "
    "JOIN score_cell_merges m ON m.old_id = s.cell_id "
    "GROUP BY m.keep_id, s.element_a, s.element_b",
    "DELETE FROM score_answer_counts",
    "DELETE FROM score_element_sums",
    "UPDATE score_cells SET responses = (SELECT SUM(o.responses) FROM score_cells o "
    "JOIN score_cell_merges m ON m.old_id = o.id WHERE m.keep_id = score_cells.id) "
    "WHERE id IN (SELECT keep_id FROM score_cell_merges)",
    "DELETE FROM score_cells WHERE id NOT IN (SELECT keep_id FROM score_cell_merges)",
)
# After the cells' table is rebuilt (SQLite copies it, and may only drop it once nothing refers
# to it): the merged counts and sums come back.
RESTORES = (
    "INSERT INTO score_answer_counts (cell_id, question, answer, count) "
    "SELECT cell_id, question, answer, count FROM score_merged_counts",
    "INSERT INTO score_element_sums (cell_id, element_a, element_b, respondents, sum_ab, sum_a, "
    "sum_b) SELECT cell_id, element_a, element_b, respondents, sum_ab, sum_a, sum_b "
    "FROM score_merged_sums",
    "DROP TABLE score_merged_sums",
    "DROP TABLE score_merged_counts",
)
PARKS = (
    "CREATE TABLE score_merged_counts AS SELECT * FROM score_answer_counts",
    "CREATE TABLE score_merged_sums AS SELECT * FROM score_element_sums",
    "DELETE FROM score_answer_counts",
    "DELETE FROM score_element_sums",
)


def upgrade():
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month", sa.Date(), nullable=True))
    op.execute(f"UPDATE score_cells SET month = {MONTH_OF[op.get_bind().dialect.name]}")
    for statement in MERGES:
        op.execute(statement)
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        batch_op.drop_constraint("uq_score_cells_key", type_="unique")
        batch_op.drop_index(batch_op.f("ix_score_cells_answered_on"))
        batch_op.drop_column("answered_on")
        batch_op.alter_column("month", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_score_cells_month"), ["month"], unique=False)
        batch_op.create_unique_constraint(
            "uq_score_cells_key",
            ["questionnaire_version_id", "service_point_id", "month", "source", "mode"],
        )
    for statement in RESTORES:
        op.execute(statement)
    op.execute("DROP TABLE score_cell_merges")


def downgrade():
    # The days cannot come back: a month's cell is dated its first day. SQLite copies the table
    # and may only drop the old one once nothing refers to it: the counts and sums wait aside.
    for statement in PARKS:
        op.execute(statement)
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
    op.execute("UPDATE score_cells SET answered_on = month")
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        batch_op.drop_constraint("uq_score_cells_key", type_="unique")
        batch_op.drop_index(batch_op.f("ix_score_cells_month"))
        batch_op.drop_column("month")
        batch_op.alter_column("answered_on", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_score_cells_answered_on"), ["answered_on"],
                              unique=False)  # fmt: skip
        batch_op.create_unique_constraint(
            "uq_score_cells_key",
            ["questionnaire_version_id", "service_point_id", "answered_on", "source", "mode"],
        )
    for statement in RESTORES:
        op.execute(statement)
