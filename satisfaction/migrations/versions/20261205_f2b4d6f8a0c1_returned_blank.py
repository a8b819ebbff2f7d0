"""returned blank: paper forms that came back with no answer at all

Revision ID: f2b4d6f8a0c1
Revises: e1a3c5e7f9b2
Create Date: 2026-12-05 08:00:00

- invitations.is_returned_blank: the form came back (scanned, keyed or imported) with nothing
  ticked and no comment. It is not counted and its code stays open; the post office figures
  list it. A flag, no time: nothing here tells when a code was answered.
"""

from alembic import op
import sqlalchemy as sa

revision = "f2b4d6f8a0c1"
down_revision = "e1a3c5e7f9b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("is_returned_blank", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("is_returned_blank")
