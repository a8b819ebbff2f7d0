"""the ballot box: answers wait, then are counted in random order; no time of an answer is kept

Revision ID: b3d5f7a9c1e4
Revises: a1c3e5f7b9d2
Create Date: 2026-12-02 08:00:00

- ballots: the answers waiting to be mixed into responses (satisfaction.survey.ballot_box).
- invitations keep the month they were answered (answered_month), not the time (answered_at).
- keyed entries and review items keep months; scan pages and scanned forms no time at all;
  duplicate answers no answers (a form keyed twice repeats its counted answer).
- The responses already recorded are stored again in a random order, and on PostgreSQL every
  answered invitation is written again: before this, both were stored in the order codes were
  closed, and shared the transaction that closed them.
"""

from alembic import op
import sqlalchemy as sa

revision = "b3d5f7a9c1e4"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None

CHANNEL = sa.Enum("envelope", "enumerator", "desk", name="channel", native_enum=False, length=16)
MODE = sa.Enum("online", "keyed", "scanned", "imported", name="mode", native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "ballots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("service_point_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("channel", CHANNEL, nullable=False),
        sa.Column("mode", MODE, nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("is_poster", sa.Boolean(), nullable=False),
        sa.Column("dropped_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_version_id"], ["questionnaire_versions.id"],
                                name=op.f("fk_ballots_questionnaire_version_id_questionnaire_versions")),
        sa.ForeignKeyConstraint(["service_point_id"], ["service_points.id"],
                                name=op.f("fk_ballots_service_point_id_service_points")),
        sa.ForeignKeyConstraint(["province_id"], ["admin_units.id"],
                                name=op.f("fk_ballots_province_id_admin_units")),
        sa.ForeignKeyConstraint(["district_id"], ["admin_units.id"],
                                name=op.f("fk_ballots_district_id_admin_units")),
        sa.ForeignKeyConstraint(["commune_id"], ["admin_units.id"],
                                name=op.f("fk_ballots_commune_id_admin_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
    )  # fmt: skip
    op.create_index(op.f("ix_ballots_province_id"), "ballots", ["province_id"])
    op.create_index(op.f("ix_ballots_dropped_at"), "ballots", ["dropped_at"])
    _to_months()
    with op.batch_alter_table("scan_pages") as batch:
        batch.drop_column("read_at")
    with op.batch_alter_table("scanned_forms") as batch:
        batch.drop_column("settled_at")
    with op.batch_alter_table("duplicate_answers") as batch:
        batch.drop_column("answers")
    _store_responses_again()


def _to_months() -> None:
    """Replace the times of answers by their months (invitations, keyed entries, review items)."""
    months = (
        ("invitations", "answered_at", "answered_month", True),
        ("keyed_entries", "keyed_at", "keyed_month", False),
        ("review_items", "created_at", "created_month", False),
        ("review_items", "resolved_at", "resolved_month", True),
    )
    for table, old, new, nullable in months:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(new, sa.Date(), nullable=True))
        op.execute(f"UPDATE {table} SET {new} = {_month_of(old)}")
        if not nullable:
            with op.batch_alter_table(table) as batch:
                batch.alter_column(new, existing_type=sa.Date(), nullable=False)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(old)


def _month_of(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _store_responses_again() -> None:
    """Store the responses in a random order (and, on PostgreSQL, the invitations again)."""
    if op.get_bind().dialect.name == "postgresql":
        # The months above rewrote the answered invitations in this transaction; CLUSTER
        # rewrites the responses in the order of their random ids.
        op.execute("CLUSTER responses USING pk_responses")
        return
    # SQLite keeps a table in the order of its rowids: give each response a random one.
    op.execute("CREATE TEMP TABLE reshuffled AS SELECT rowid AS old, "
               "row_number() OVER (ORDER BY random()) AS new FROM responses")  # fmt: skip
    op.execute("UPDATE responses SET rowid = -(SELECT new FROM reshuffled WHERE old = responses.rowid)")
    op.execute("UPDATE responses SET rowid = -rowid")
    op.execute("DROP TABLE reshuffled")


def downgrade() -> None:
    waiting = op.get_bind().execute(sa.text("SELECT count(*) FROM ballots")).scalar()
    if waiting:
        raise RuntimeError(f"{waiting} answers wait in the ballot box: run "
                           "`satisfaction responses mix` before going back to an older schema")
    with op.batch_alter_table("duplicate_answers") as batch:
        batch.add_column(sa.Column("answers", sa.JSON(), nullable=True))
    op.execute("UPDATE duplicate_answers SET answers = '{}'")
    with op.batch_alter_table("duplicate_answers") as batch:
        batch.alter_column("answers", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("scanned_forms") as batch:
        batch.add_column(sa.Column("settled_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("scan_pages") as batch:
        batch.add_column(sa.Column("read_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE scan_pages SET read_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table("scan_pages") as batch:
        batch.alter_column("read_at", existing_type=sa.DateTime(), nullable=False)
    times = (
        ("invitations", "answered_month", "answered_at", True),
        ("keyed_entries", "keyed_month", "keyed_at", False),
        ("review_items", "created_month", "created_at", False),
        ("review_items", "resolved_month", "resolved_at", True),
    )
    for table, month, old, nullable in times:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(old, sa.DateTime(), nullable=True))
        op.execute(f"UPDATE {table} SET {old} = {month}")
        with op.batch_alter_table(table) as batch:
            if not nullable:
                batch.alter_column(old, existing_type=sa.DateTime(), nullable=False)
            batch.drop_column(month)
    op.drop_index(op.f("ix_ballots_dropped_at"), table_name="ballots")
    op.drop_index(op.f("ix_ballots_province_id"), table_name="ballots")
    op.drop_table("ballots")
