"""the months the rollups hold: later months are in the cells only until the month closes

Revision ID: b3d5f7a9c1e2
Revises: a9c1e3f5b7d0
Create Date: 2026-12-11 09:00:00

Until now every answer was counted into the cells and the three rollup tables at once; from now
the rollups hold the months up to `through` and the first count of a month rolls the month
before (satisfaction.scoring.rolling). Existing databases have every month rolled up: `through`
starts at the last month of the cells (NULL if there are none).
"""

import sqlalchemy as sa
from alembic import op

revision = "b3d5f7a9c1e2"
down_revision = "a9c1e3f5b7d0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_rolled_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("through", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_rolled_months")),
    )
    op.execute(
        "INSERT INTO score_rolled_months (id, through) SELECT 1, max(month) FROM score_cells"
    )


def downgrade() -> None:
    # The months after `through` are in the cells only: the code of before reads them from
    # the rollups, so run its `satisfaction scores rebuild` after going down.
    op.drop_table("score_rolled_months")
