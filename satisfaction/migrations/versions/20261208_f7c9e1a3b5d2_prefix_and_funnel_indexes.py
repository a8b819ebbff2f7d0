"""prefix and funnel indexes: a unit's subtree and its forms' funnel found from indexes

Revision ID: f7c9e1a3b5d2
Revises: e5b7d9f1a3c2
Create Date: 2026-12-08 05:30:00

Both PostgreSQL only (SQLite keeps its plain index on the path):

- admin_units.path indexed with varchar_pattern_ops: "every unit inside this one" is a prefix
  match on the path (LIKE '/12/%'), which PostgreSQL reads from a btree only through the
  pattern operators unless the database's collation is exactly C. A province's funnel scanned
  the 14,000 units of both lists to find its 127.
- The funnel's index on invitations also holds is_returned_blank (added by f2b4d6f8a0c1 and
  counted by the funnel since): without it, each of a province's forms was read from the table
  again, and the funnel stopped reading the index alone.
"""

from alembic import op

revision = "f7c9e1a3b5d2"
down_revision = "e5b7d9f1a3c2"
branch_labels = None
depends_on = None

PATH_INDEX = "ix_admin_units_path"
FUNNEL_INDEX = "ix_invitations_point_issued"
COUNTED = ["dispatched_at", "returned_at", "answered_via", "status", "batch_id"]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _indexes(prefix: bool, include: list[str]) -> None:
    op.drop_index(PATH_INDEX, table_name="admin_units")
    op.create_index(PATH_INDEX, "admin_units", ["path"],
                    postgresql_ops={"path": "varchar_pattern_ops"} if prefix else {})  # fmt: skip
    op.drop_index(FUNNEL_INDEX, table_name="invitations")
    op.create_index(FUNNEL_INDEX, "invitations", ["service_point_id", "issued_at"],
                    postgresql_include=include)  # fmt: skip


def upgrade() -> None:
    if _postgres():
        _indexes(True, [*COUNTED, "is_returned_blank"])


def downgrade() -> None:
    if _postgres():
        _indexes(False, COUNTED)
