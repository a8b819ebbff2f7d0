"""aggregates without foreign keys: a new cell or rollup costs one write, not one and its checks

Revision ID: d4a6c8e0f2b1
Revises: c1f3e5a7b9d2
Create Date: 2026-12-07 08:00:00

score_cells and score_rollups are derived from responses (which keep their foreign keys) and a
rebuild replaces them wholesale; units, service points and questionnaire versions are never
deleted. Yet each new row ran one check per foreign key (five for a cell, three for a rollup),
each a look-up that also locks the unit's row: measured on PostgreSQL, inserting a mix's new
cells took about twice as long with the checks as without (docs/benchmarks.md, the mixer's run
6). The cells' index on the service point alone goes too: no page reads cells by it (the key
and the indexes by unit and month serve every read), it only served the foreign key's check
when a service point was deleted. The downgrade restores both.
"""

from alembic import op

revision = "d4a6c8e0f2b1"
down_revision = "c1f3e5a7b9d2"
branch_labels = None
depends_on = None

FOREIGN_KEYS = {  # column -> the table it referred to
    "score_cells": {
        "questionnaire_version_id": "questionnaire_versions",
        "service_point_id": "service_points",
        "province_id": "admin_units",
        "district_id": "admin_units",
        "commune_id": "admin_units",
    },
    "score_rollups": {
        "questionnaire_version_id": "questionnaire_versions",
        "unit_id": "admin_units",
        "province_id": "admin_units",
    },
}
POINT_INDEX = "ix_score_cells_service_point_id"


def _name(table: str, column: str, referred: str) -> str:
    return op.f(f"fk_{table}_{column}_{referred}")


def upgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        # SQLite: batch mode copies the table without the constraints; PostgreSQL: ALTER TABLE.
        with op.batch_alter_table(table) as batch:
            for column, referred in keys.items():
                batch.drop_constraint(_name(table, column, referred), type_="foreignkey")
            if table == "score_cells":
                batch.drop_index(POINT_INDEX)


def downgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table) as batch:
            for column, referred in keys.items():
                batch.create_foreign_key(_name(table, column, referred), referred, [column], ["id"])
            if table == "score_cells":
                batch.create_index(POINT_INDEX, ["service_point_id"])
