"""jobs: long work off the request; scan files read on from where they stopped

Revision ID: e1a3c5e7f9b2
Revises: d8f0a2c4e6b9
Create Date: 2026-12-04 08:00:00

- jobs: one row per piece of long work (a scan file, a dossier list, a batch's PDF, a rebuild):
  status, progress, result, errors, who started it; job_files: the upload it reads (until it
  ends) and the file it makes.
- scan_files.is_complete: a file read to the end (or stopped by a bad page) is refused when
  sent again; one cut short goes on from its page_count. The files ingested before were read
  to the end or refused, so they are complete.
- scan_pages: unique (scan_file_id, index), so that two readings of one file never record a
  page twice.
"""

from alembic import op
import sqlalchemy as sa

revision = "e1a3c5e7f9b2"
down_revision = "d8f0a2c4e6b9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("queued", "running", "done", "failed", name="jobstatus",
                                    native_enum=False, length=16, create_constraint=False),
                  nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=128), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["started_by_id"], ["users.id"],
                                name=op.f("fk_jobs_started_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )  # fmt: skip
    op.create_index(op.f("ix_jobs_status"), "jobs", ["status"], unique=False)
    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("mimetype", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_files_job_id_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_files")),
        sa.UniqueConstraint("job_id", "role", name=op.f("uq_job_files_job_id_role")),
    )  # fmt: skip
    with op.batch_alter_table("scan_files") as batch:
        batch.add_column(sa.Column("is_complete", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))  # fmt: skip
    with op.batch_alter_table("scan_files") as batch:
        batch.alter_column("is_complete", server_default=None)
    with op.batch_alter_table("scan_pages") as batch:
        batch.create_unique_constraint(op.f("uq_scan_pages_scan_file_id_index"),
                                       ["scan_file_id", "index"])  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("scan_pages") as batch:
        batch.drop_constraint(op.f("uq_scan_pages_scan_file_id_index"), type_="unique")
    with op.batch_alter_table("scan_files") as batch:
        batch.drop_column("is_complete")
    op.drop_table("job_files")
    op.drop_index(op.f("ix_jobs_status"), table_name="jobs")
    op.drop_table("jobs")
