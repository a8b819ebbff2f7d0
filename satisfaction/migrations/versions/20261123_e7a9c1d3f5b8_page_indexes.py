"""page indexes: rollups by level and span, a province's comments, a unit's forms

Revision ID: e7a9c1d3f5b8
Revises: d5f7a9c1e3b6
Create Date: 2026-11-23 23:00:00

Measured at one million answers on PostgreSQL: the national page scanned every rollup once per
read to find the provinces' (several ms each, nine reads); a province's page read every answer
of the province for its comments (120 ms) and every form of the province from the table for its
funnel (110 ms). The funnel's index holds the columns it counts (PostgreSQL's INCLUDE), so it is
read without the table.
"""

from alembic import op
import sqlalchemy as sa

revision = "e7a9c1d3f5b8"
down_revision = "d5f7a9c1e3b6"
branch_labels = None
depends_on = None

COMMENTED = sa.text("comment <> ''")


def upgrade() -> None:
    op.create_index("ix_score_rollups_level_span", "score_rollups", ["unit_level", "span", "month"])
    op.create_index("ix_responses_commented", "responses", ["province_id", "answered_on"],
                    postgresql_where=COMMENTED, sqlite_where=COMMENTED)  # fmt: skip
    op.create_index("ix_invitations_point_issued", "invitations", ["service_point_id", "issued_at"],
                    postgresql_include=["dispatched_at", "returned_at", "answered_via", "status"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_invitations_point_issued", table_name="invitations")
    op.drop_index("ix_responses_commented", table_name="responses")
    op.drop_index("ix_score_rollups_level_span", table_name="score_rollups")
