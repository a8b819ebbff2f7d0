"""code validity: a batch may set how many days its codes can be answered

Revision ID: d8f0a2c4e6b9
Revises: c6e8a0b2d4f7
Create Date: 2026-12-04 09:00:00

- batches.valid_days: days from issue during which the batch's codes can be answered; empty
  (every batch made before) means the CODE_VALID_DAYS setting. Expiry is computed from the
  invitation's issued_at and these days, never stored.
- The funnel's index (PostgreSQL) also holds batch_id, so that counting expired forms still
  reads the index alone.
"""

from alembic import op
import sqlalchemy as sa

revision = "d8f0a2c4e6b9"
down_revision = "c6e8a0b2d4f7"
branch_labels = None
depends_on = None

INDEX = "ix_invitations_point_issued"
COUNTED = ["dispatched_at", "returned_at", "answered_via", "status"]


def _funnel_index(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="invitations")
    op.create_index(INDEX, "invitations", ["service_point_id", "issued_at"],
                    postgresql_include=include)  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("batches") as batch:
        batch.add_column(sa.Column("valid_days", sa.Integer(), nullable=True))
    _funnel_index([*COUNTED, "batch_id"])


def downgrade() -> None:
    _funnel_index(COUNTED)
    with op.batch_alter_table("batches") as batch:
        batch.drop_column("valid_days")
