"""indexes at ten million answers: a unit's comments and cells found by its province or itself

Revision ID: a1c3e5f7b9d2
Revises: f2b4d6e8a0c1
Create Date: 2026-11-24 09:00:00

Measured at ten million answers on PostgreSQL:
- Hà Nội's page counted its 15,528 comments in 50 ms and chose its sample of 50 in 105 ms
  (PostgreSQL walked every answer in id order, reading each). The comments' index now also holds
  every column a unit page filters them by, and their ids (PostgreSQL's INCLUDE): the count and
  the sample's ids are read from the index alone, 5 ms each. SQLite ignores INCLUDE: there the
  index is as before.
- A district's communes over a quarter were read by combining the index of the district's cells
  with that of every cell of the quarter (219,000): 25 ms. The cells are now indexed by province,
  district and commune each followed by the month: 1 ms.
"""

from alembic import op
import sqlalchemy as sa

revision = "a1c3e5f7b9d2"
down_revision = "f2b4d6e8a0c1"
branch_labels = None
depends_on = None

COMMENTED = sa.text("comment <> ''")
FILTERED = ["district_id", "commune_id", "channel", "is_poster", "questionnaire_version_id", "id"]
UNITS = ("province", "district", "commune")


def upgrade() -> None:
    op.drop_index("ix_responses_commented", table_name="responses")
    op.create_index("ix_responses_commented", "responses", ["province_id", "answered_on"],
                    postgresql_where=COMMENTED, sqlite_where=COMMENTED,
                    postgresql_include=FILTERED)  # fmt: skip
    for unit in UNITS:
        op.drop_index(f"ix_score_cells_{unit}_id", table_name="score_cells")
        op.create_index(f"ix_score_cells_{unit}_month", "score_cells", [f"{unit}_id", "month"])


def downgrade() -> None:
    for unit in UNITS:
        op.drop_index(f"ix_score_cells_{unit}_month", table_name="score_cells")
        op.create_index(f"ix_score_cells_{unit}_id", "score_cells", [f"{unit}_id"])
    op.drop_index("ix_responses_commented", table_name="responses")
    op.create_index("ix_responses_commented", "responses", ["province_id", "answered_on"],
                    postgresql_where=COMMENTED, sqlite_where=COMMENTED)  # fmt: skip
