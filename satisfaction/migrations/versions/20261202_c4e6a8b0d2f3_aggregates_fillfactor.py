"""room on the aggregates' pages, so that adding to a cell or rollup rewrites no index

Revision ID: c4e6a8b0d2f3
Revises: b3d5f7a9c1e4
Create Date: 2026-12-02 13:00:00

The mixer adds each batch to the cells and rollups it touches: one new version of each row,
its tally and count changed, no indexed column. With room left on the row's page PostgreSQL
writes that version beside the old one and leaves the seven indexes of score_cells (five of
score_rollups) untouched (a "HOT" update); on a full page every index gets a new entry. The
setting applies to pages written from now on (a rebuild writes them all anew). SQLite has no
such setting.
"""

from alembic import op

revision = "c4e6a8b0d2f3"
down_revision = "b3d5f7a9c1e4"
branch_labels = None
depends_on = None

TABLES = ("score_cells", "score_rollups")
FILLFACTOR = 70  # percent of a page filled by inserts: a row of about 1.1 KB has room to change


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
