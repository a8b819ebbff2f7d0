"""score aggregates: counts per service point, day, channel, item and answer

Revision ID: 8e4f2b6c3d10
Revises: 5c1d0e7a9b21
Create Date: 2026-11-23 12:00:01

"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "8e4f2b6c3d10"
down_revision = "5c1d0e7a9b21"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
