"""imported files: a unique constraint refuses a file taken before, even by two imports at once

Revision ID: c6e8a0b2d4f7
Revises: c4e6a8b0d2f3
Create Date: 2026-12-03 08:00:00

- imported_files: one row per file taken by an import (dossier lists, returns, microdata, units),
  unique on (kind, sha256, repeat). The check in Python it replaces (a look-up of the audit trail
  before the import) let two imports of one file running at once both through.
- The files imported before are recorded from the audit trail and the batches. Their digests
  were of the bytes as sent; a file's fingerprint is now taken with line endings and a BOM
  normalised, which for a file saved with LF and no BOM is the same digest.
"""

import json

from alembic import op
import sqlalchemy as sa

revision = "c6e8a0b2d4f7"
down_revision = "c4e6a8b0d2f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("repeat", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_imported_files_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_files")),
        sa.UniqueConstraint("kind", "sha256", "repeat",
                            name=op.f("uq_imported_files_kind_sha256_repeat")),
    )  # fmt: skip
    _record_earlier_imports()


def _record_earlier_imports() -> None:
    """Record the files the audit trail and the batches say were imported."""
    bind = op.get_bind()
    found: list[tuple[str, str, str, object, object]] = []
    events = bind.execute(sa.text(
        "SELECT action, target, detail, occurred_at, actor_id FROM audit_events "
        "WHERE action IN ('responses.import', 'returns.import') ORDER BY id"))  # fmt: skip
    for action, target, detail, when, actor in events:
        if isinstance(detail, str):
            detail = json.loads(detail or "{}")
        if action == "responses.import":
            digest = (detail or {}).get("sha256", "")
            found.append(("responses", digest, "", when, actor))
        else:
            found.append(("returns", (target or "").removeprefix("file "), "", when, actor))
    batches = bind.execute(sa.text(
        "SELECT source_sha256, source_name, created_at, created_by_id FROM batches "
        "WHERE source_sha256 <> '' ORDER BY id"))  # fmt: skip
    found += [("dossiers", sha, name, when, actor) for sha, name, when, actor in batches]
    rows, repeats = [], {}
    for kind, digest, name, when, actor in found:
        if len(digest) != 64:
            continue
        repeat = repeats[(kind, digest)] = repeats.get((kind, digest), -1) + 1
        rows.append({"kind": kind, "sha256": digest, "repeat": repeat, "name": name or "",
                     "imported_at": when, "actor_id": actor})  # fmt: skip
    if rows:
        table = sa.table("imported_files", *(sa.column(c) for c in rows[0]))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("imported_files")
