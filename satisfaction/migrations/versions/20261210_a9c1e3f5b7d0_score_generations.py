"""the aggregates' generations by month: figures kept until their months are written again

Revision ID: a9c1e3f5b7d0
Revises: a2c4e6f8b0d1
Create Date: 2026-12-10 09:00:00

Every writer of the aggregates (the mixer, `responses import`, a rebuild, a change of the
units) adds one to the months it wrote, in its own transaction; pages keep the nation's
figures of a period until the sum over its months changes (satisfaction.scoring.generations).
Empty at first: a stamp of 0 is as good as any, since a process keeps nothing across a restart.
"""

import sqlalchemy as sa
from alembic import op

revision = "a9c1e3f5b7d0"
down_revision = "a2c4e6f8b0d1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_generations",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_score_generations")),
    )


def downgrade() -> None:
    op.drop_table("score_generations")
