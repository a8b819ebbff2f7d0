"""score aggregates: counts per service point, day, channel, item and answer

Revision ID: 8e4f2b6c3d10
Revises: 5c1d0e7a9b21
Create Date: 2026-11-23 12:00:01

After upgrading a database that already holds responses, run `satisfaction scores rebuild`.
"""

from alembic import op
import sqlalchemy as sa

revision = "8e4f2b6c3d10"
down_revision = "5c1d0e7a9b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_poster", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Before this column, a poster answer was a desk answer given online; coded desk forms
    # answered online look the same and are set apart too (the cautious side).
    op.execute(
        "UPDATE responses SET is_poster = true WHERE channel = 'desk' AND mode = 'online'"
    )
    op.create_table(
        "score_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("service_point_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Enum("envelope", "enumerator", "desk", "poster", name="source",
                                    native_enum=False, length=16, create_constraint=False),
                  nullable=False),  # fmt: skip
        sa.Column("mode", sa.Enum("online", "keyed", "scanned", "imported", name="mode",
                                  native_enum=False, length=16, create_constraint=False),
                  nullable=False),  # fmt: skip
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["admin_units.id"],
                                name=op.f("fk_score_cells_commune_id_admin_units")),
        sa.ForeignKeyConstraint(["district_id"], ["admin_units.id"],
                                name=op.f("fk_score_cells_district_id_admin_units")),
        sa.ForeignKeyConstraint(["province_id"], ["admin_units.id"],
                                name=op.f("fk_score_cells_province_id_admin_units")),
        sa.ForeignKeyConstraint(["questionnaire_version_id"], ["questionnaire_versions.id"],
                                name=op.f("fk_score_cells_questionnaire_version_id_questionnaire_versions")),
        sa.ForeignKeyConstraint(["service_point_id"], ["service_points.id"],
                                name=op.f("fk_score_cells_service_point_id_service_points")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_cells")),
        sa.UniqueConstraint("questionnaire_version_id", "service_point_id", "answered_on", "source",
                            "mode", name="uq_score_cells_key"),
    )  # fmt: skip
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        for column in ("answered_on", "commune_id", "district_id", "province_id", "service_point_id"):
            batch_op.create_index(batch_op.f(f"ix_score_cells_{column}"), [column], unique=False)
    op.create_table(
        "score_answer_counts",
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["score_cells.id"],
                                name=op.f("fk_score_answer_counts_cell_id_score_cells")),
        sa.PrimaryKeyConstraint("cell_id", "question", "answer", name=op.f("pk_score_answer_counts")),
    )  # fmt: skip
    op.create_table(
        "score_element_sums",
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("element_a", sa.String(length=64), nullable=False),
        sa.Column("element_b", sa.String(length=64), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("sum_ab", sa.Double(), nullable=False),
        sa.Column("sum_a", sa.Double(), nullable=False),
        sa.Column("sum_b", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["score_cells.id"],
                                name=op.f("fk_score_element_sums_cell_id_score_cells")),
        sa.PrimaryKeyConstraint("cell_id", "element_a", "element_b",
                                name=op.f("pk_score_element_sums")),
    )  # fmt: skip


def downgrade():
    op.drop_table("score_element_sums")
    op.drop_table("score_answer_counts")
    with op.batch_alter_table("score_cells", schema=None) as batch_op:
        for column in ("answered_on", "commune_id", "district_id", "province_id", "service_point_id"):
            batch_op.drop_index(batch_op.f(f"ix_score_cells_{column}"))
    op.drop_table("score_cells")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("is_poster")
