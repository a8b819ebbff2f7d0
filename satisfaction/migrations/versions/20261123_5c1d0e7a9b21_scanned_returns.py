"""scanned returns: scan files, pages, marks and the review queues

Revision ID: 5c1d0e7a9b21
Revises: 17420b9e84cb
Create Date: 2026-11-23 12:00:00

"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "5c1d0e7a9b21"
down_revision = "17420b9e84cb"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
