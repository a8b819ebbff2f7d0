"""answers without foreign keys: a ballot and a response cost one write, not one and five checks

Revision ID: a2c4e6f8b0d1
Revises: f7c9e1a3b5d8
Create Date: 2026-12-10 09:00:00

A ballot's units, service point and questionnaire version are read from their own rows in the
transaction that drops it; a response's are copied from its ballot by the mixer, or, for past
rounds (`responses import`), from units found by their codes. Units, service points and
questionnaire versions are never deleted. Yet each row ran five checks, each a look-up that
also locks the referred row: measured on PostgreSQL, a mix's binary COPY of 30,000 responses
took 1.70-1.80 s with them and 0.86-1.04 s without (docs/benchmarks.md, the mixer's run 10),
and every submit paid five for its ballot. The aggregates went the same way (d4a6c8e0f2b1).
The indexes stay. The downgrade restores the keys.
"""

from alembic import op

revision = "a2c4e6f8b0d1"
down_revision = "f7c9e1a3b5d8"
branch_labels = None
depends_on = None

REFERRED = {  # column -> the table it referred to, in both tables
    "questionnaire_version_id": "questionnaire_versions",
    "service_point_id": "service_points",
    "province_id": "admin_units",
    "district_id": "admin_units",
    "commune_id": "admin_units",
}
TABLES = ("ballots", "responses")


def _name(table: str, column: str, referred: str) -> str:
    return op.f(f"fk_{table}_{column}_{referred}")


def upgrade() -> None:
    for table in TABLES:
        # SQLite: batch mode copies the table without the constraints; PostgreSQL: ALTER TABLE.
        with op.batch_alter_table(table) as batch:
            for column, referred in REFERRED.items():
                batch.drop_constraint(_name(table, column, referred), type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column, referred in REFERRED.items():
                batch.create_foreign_key(_name(table, column, referred), referred, [column], ["id"])
