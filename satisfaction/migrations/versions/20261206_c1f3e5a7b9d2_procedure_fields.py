"""procedure fields: the catalogue of procedures, and the field (lĩnh vực) of every answer

Revision ID: c1f3e5a7b9d2
Revises: b8d0f2a4c6e9
Create Date: 2026-12-06 08:00:00

- procedures: the catalogue (procedure code -> name -> field code), loaded by
  `satisfaction procedures load FILE`.
- field_code on invitations, batches, ballots, responses and score_cells: a code of the bundled
  list of fields (satisfaction/procedures/data/fields.csv); '' is unknown, which every existing
  row gets. The cells' key gains the field; no cell has to move (all are '').
"""

from alembic import op
import sqlalchemy as sa

revision = "c1f3e5a7b9d2"
down_revision = "b8d0f2a4c6e9"
branch_labels = None
depends_on = None

TABLES = ("invitations", "batches", "ballots", "responses", "score_cells")
CELL_KEY = ["questionnaire_version_id", "service_point_id", "month", "source", "mode"]


def _field() -> sa.Column:
    return sa.Column("field_code", sa.String(length=32), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("field_code", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
        sa.UniqueConstraint("code", name=op.f("uq_procedures_code")),
    )
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(_field())
    with op.batch_alter_table("score_cells") as batch:
        batch.drop_constraint("uq_score_cells_key", type_="unique")
        batch.create_unique_constraint("uq_score_cells_key", [*CELL_KEY, "field_code"])


def downgrade() -> None:
    # The cells of one key but several fields are summed by a rebuild after the downgrade
    # (satisfaction scores rebuild); until then the key without the field cannot hold them.
    op.execute("DELETE FROM score_cells WHERE field_code <> ''")
    with op.batch_alter_table("score_cells") as batch:
        batch.drop_constraint("uq_score_cells_key", type_="unique")
        batch.create_unique_constraint("uq_score_cells_key", CELL_KEY)
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("field_code")
    op.drop_table("procedures")
