"""score rollups: the day cells summed by province or district, month, source and office level

Revision ID: b9d4f6a8c0e2
Revises: a7e3c5d9f1b2
Create Date: 2026-11-23 13:00:00

The rollups are filled from the day cells already there.
"""

from alembic import op
import sqlalchemy as sa

revision = "b9d4f6a8c0e2"
down_revision = "a7e3c5d9f1b2"
branch_labels = None
depends_on = None

MONTH_OF = {
    "sqlite": "date(c.answered_on, 'start of month')",
    "postgresql": "CAST(date_trunc('month', c.answered_on) AS date)",
}


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=16, create_constraint=False)


def upgrade():
    levels = ("province", "district", "commune")
    op.create_table(
        "score_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_level", _enum("unitlevel", *levels), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", _enum("source", "envelope", "enumerator", "desk", "poster"),
                  nullable=False),  # fmt: skip
        sa.Column("office_level", _enum("unitlevel", *levels), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["province_id"], ["admin_units.id"],
                                name=op.f("fk_score_rollups_province_id_admin_units")),
        sa.ForeignKeyConstraint(["questionnaire_version_id"], ["questionnaire_versions.id"],
                                name=op.f("fk_score_rollups_questionnaire_version_id_questionnaire_versions")),
        sa.ForeignKeyConstraint(["unit_id"], ["admin_units.id"],
                                name=op.f("fk_score_rollups_unit_id_admin_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_rollups")),
        sa.UniqueConstraint("questionnaire_version_id", "unit_id", "month", "source",
                            "office_level", name="uq_score_rollups_key"),
    )  # fmt: skip
    with op.batch_alter_table("score_rollups", schema=None) as batch_op:
        for column in ("province_id", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_score_rollups_{column}"), [column], unique=False)
    op.create_table(
        "score_rollup_answer_counts",
        sa.Column("rollup_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["rollup_id"], ["score_rollups.id"],
                                name=op.f("fk_score_rollup_answer_counts_rollup_id_score_rollups")),
        sa.PrimaryKeyConstraint("rollup_id", "question", "answer",
                                name=op.f("pk_score_rollup_answer_counts")),
    )  # fmt: skip
    op.create_table(
        "score_rollup_element_sums",
        sa.Column("rollup_id", sa.Integer(), nullable=False),
        sa.Column("element_a", sa.String(length=64), nullable=False),
        sa.Column("element_b", sa.String(length=64), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("sum_ab", sa.Double(), nullable=False),
        sa.Column("sum_a", sa.Double(), nullable=False),
        sa.Column("sum_b", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["rollup_id"], ["score_rollups.id"],
                                name=op.f("fk_score_rollup_element_sums_rollup_id_score_rollups")),
        sa.PrimaryKeyConstraint("rollup_id", "element_a", "element_b",
                                name=op.f("pk_score_rollup_element_sums")),
    )  # fmt: skip
    for statement in _fill(op.get_bind().dialect.name):
        op.execute(statement)


def _fill(dialect):
    """Return the SQL summing the day cells into the new rollups (as of this revision)."""
    month = MONTH_OF[dialect]
    statements = []
    for level, column in (("province", "province_id"), ("district", "district_id")):
        joins = (
            "JOIN service_points p ON p.id = c.service_point_id "
            f"JOIN score_rollups r ON r.unit_id = c.{column} "
            "AND r.questionnaire_version_id = c.questionnaire_version_id "
            f"AND r.month = {month} AND r.source = c.source AND r.office_level = p.level"
        )
        statements += [
            "INSERT INTO score_rollups (questionnaire_version_id, unit_id, unit_level, province_id,"
            " month, source, office_level, responses) "
            f"SELECT c.questionnaire_version_id, c.{column}, '{level}', c.province_id, "
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


def downgrade():
    op.drop_table("score_rollup_element_sums")
    op.drop_table("score_rollup_answer_counts")
    with op.batch_alter_table("score_rollups", schema=None) as batch_op:
        for column in ("province_id", "unit_id"):
            batch_op.drop_index(batch_op.f(f"ix_score_rollups_{column}"))
    op.drop_table("score_rollups")
