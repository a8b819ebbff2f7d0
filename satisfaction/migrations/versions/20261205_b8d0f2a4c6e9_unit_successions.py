"""unit successions: which unit of the new list each old unit counts in (the 2025 reform)

Revision ID: b8d0f2a4c6e9
Revises: f2b4d6f8a0c1
Create Date: 2026-12-05 08:00:00

- unit_successions: old unit -> new unit, loaded from the bundled correspondence
  (satisfaction/units/data/vn-2024-to-vn-2025.csv) when both lists are loaded.
"""

from alembic import op
import sqlalchemy as sa

LEVEL = sa.Enum("province", "district", "commune", name="unitlevel", native_enum=False,
                length=16)  # fmt: skip

revision = "b8d0f2a4c6e9"
down_revision = "f2b4d6f8a0c1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_successions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_unit_id", sa.Integer(), nullable=False),
        sa.Column("new_unit_id", sa.Integer(), nullable=False),
        sa.Column("level", LEVEL, nullable=False),
        sa.Column("new_dataset_id", sa.Integer(), nullable=False),
        sa.Column("old_province_id", sa.Integer(), nullable=False),
        sa.Column("new_province_id", sa.Integer(), nullable=False),
        sa.Column("is_split", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["old_unit_id"], ["admin_units.id"],
                                name=op.f("fk_unit_successions_old_unit_id_admin_units")),
        sa.ForeignKeyConstraint(["new_unit_id"], ["admin_units.id"],
                                name=op.f("fk_unit_successions_new_unit_id_admin_units")),
        sa.ForeignKeyConstraint(["new_dataset_id"], ["unit_datasets.id"],
                                name=op.f("fk_unit_successions_new_dataset_id_unit_datasets")),
        sa.ForeignKeyConstraint(["old_province_id"], ["admin_units.id"],
                                name=op.f("fk_unit_successions_old_province_id_admin_units")),
        sa.ForeignKeyConstraint(["new_province_id"], ["admin_units.id"],
                                name=op.f("fk_unit_successions_new_province_id_admin_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_successions")),
        sa.UniqueConstraint("old_unit_id", name=op.f("uq_unit_successions_old_unit_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_unit_successions_new_unit_id"), "unit_successions", ["new_unit_id"])
    op.create_index("ix_unit_successions_reading", "unit_successions",
                    ["new_dataset_id", "level", "new_province_id"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_unit_successions_reading", table_name="unit_successions")
    op.drop_index(op.f("ix_unit_successions_new_unit_id"), table_name="unit_successions")
    op.drop_table("unit_successions")
