"""point and field rollups: the cells summed by service point, and by province and field

Revision ID: e5b7d9f1a3c2
Revises: d4a6c8e0f2b1
Create Date: 2026-12-07 00:30:00

A province's page ranked its service points and its communes, and its fields of procedures,
from the monthly cells: over all dates, tens of thousands of cells in a large province (one per
desk, month, source, mode and field). Two new aggregates, each over a month, a quarter and a
year like the rollups of provinces and districts:

- score_point_rollups: by service point and source (with the point's province, district and
  commune, so a unit's desks and its communes are one indexed filter);
- score_field_rollups: by province, source and field.

Both are filled here from the cells already there: their packed tallies summed by numpy,
read by the layouts stored with each questionnaire version (score_layouts), the one thing this
migration reads to understand a tally. No foreign keys: derived rows, rewritten by any rebuild.
"""

import json
from datetime import date

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "e5b7d9f1a3c2"
down_revision = "d4a6c8e0f2b1"
branch_labels = None
depends_on = None

CHUNK = 50_000  # cells read at a time
SPAN_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16, create_constraint=False)


def _span() -> sa.Column:
    return sa.Column("span", _enum("span", "month", "quarter", "year"), nullable=False)


def _source() -> sa.Column:
    return sa.Column("source", _enum("source", "envelope", "enumerator", "desk", "poster"),
                     nullable=False)  # fmt: skip


def _tally() -> list[sa.Column]:
    return [sa.Column("responses", sa.Integer(), nullable=False),
            sa.Column("tally", sa.LargeBinary(), nullable=False)]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "score_point_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("service_point_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        _span(),
        sa.Column("month", sa.Date(), nullable=False),
        _source(),
        *_tally(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_point_rollups")),
        sa.UniqueConstraint("questionnaire_version_id", "service_point_id", "span", "month",
                            "source", name="uq_score_point_rollups_key"),  # fmt: skip
    )
    for level in ("province", "district", "commune"):
        op.create_index(f"ix_score_point_rollups_{level}", "score_point_rollups",
                        [f"{level}_id", "span", "month"])  # fmt: skip
    op.create_table(
        "score_field_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        _span(),
        sa.Column("month", sa.Date(), nullable=False),
        _source(),
        sa.Column("field_code", sa.String(length=32), nullable=False),
        *_tally(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_field_rollups")),
        sa.UniqueConstraint("questionnaire_version_id", "province_id", "span", "month", "source",
                            "field_code", name="uq_score_field_rollups_key"),  # fmt: skip
    )
    op.create_index("ix_score_field_rollups_province", "score_field_rollups",
                    ["province_id", "span", "month"])  # fmt: skip
    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_score_field_rollups_province", table_name="score_field_rollups")
    op.drop_table("score_field_rollups")
    for level in ("province", "district", "commune"):
        op.drop_index(f"ix_score_point_rollups_{level}", table_name="score_point_rollups")
    op.drop_table("score_point_rollups")


class _Sums:
    """Packed tallies of one layout summed by key: counts as 64-bit integers while summing."""

    def __init__(self, dtype: np.dtype):
        self.dtype = dtype
        self.keys: dict[tuple, int] = {}
        self.responses = np.zeros(0, np.int64)
        self.counts = np.zeros((0, *dtype["counts"].shape), np.int64)
        self.moments = np.zeros((0, *dtype["moments"].shape), np.float64)

    def add(self, keys: list[tuple], responses: np.ndarray, counts: np.ndarray,
            moments: np.ndarray) -> None:  # fmt: skip
        """Add rows (each row's key, responses, counts and moments) to the sums of their keys."""
        index = np.array([self.keys.setdefault(key, len(self.keys)) for key in keys], np.int64)
        grow = len(self.keys) - len(self.responses)
        if grow > 0:
            self.responses = np.concatenate([self.responses, np.zeros(grow, np.int64)])
            self.counts = np.concatenate([self.counts, np.zeros((grow, *self.counts.shape[1:]),
                                                                np.int64)])  # fmt: skip
            self.moments = np.concatenate([self.moments,
                                           np.zeros((grow, *self.moments.shape[1:]))])  # fmt: skip
        np.add.at(self.responses, index, responses)
        np.add.at(self.counts, index, counts)
        np.add.at(self.moments, index, moments)

    def wider(self, months: int) -> "_Sums":
        """Return these sums (keys starting with a month's first day) over spans of months."""
        found = _Sums(self.dtype)
        keys = [(_start(key[0], months), *key[1:]) for key in self.keys]
        found.add(keys, self.responses, self.counts, self.moments)
        return found

    def rows(self) -> list[tuple]:
        """Return (key, responses, packed tally) of each key."""
        packed = np.zeros(len(self.keys), self.dtype)
        packed["counts"], packed["moments"] = self.counts, self.moments
        raw, size = packed.tobytes(), self.dtype.itemsize
        return [(key, int(self.responses[i]), raw[i * size : (i + 1) * size])
                for i, key in enumerate(self.keys)]  # fmt: skip


def _start(month: date, months: int) -> date:
    """Return the first day of the span of months holding a month."""
    return month.replace(month=(month.month - 1) // months * months + 1)


def _fill(bind) -> None:
    """Sum the stored cells into the new rollups, one questionnaire version at a time."""
    layouts = bind.execute(sa.text("SELECT questionnaire_version_id, answers, pairs "
                                   "FROM score_layouts")).all()  # fmt: skip
    points = _table("score_point_rollups", "questionnaire_version_id", "service_point_id",
                    "province_id", "district_id", "commune_id", "span", "month", "source",
                    "responses", "tally")  # fmt: skip
    fields = _table("score_field_rollups", "questionnaire_version_id", "province_id", "span",
                    "month", "source", "field_code", "responses", "tally")  # fmt: skip
    for version, answers, pairs in layouts:
        answers = _json(answers)
        pairs = _json(pairs)
        dtype = np.dtype([("counts", "<i4", (len(answers),)),
                          ("moments", "<f8", (len(pairs), 4))])  # fmt: skip
        by_point, by_field = _Sums(dtype), _Sums(dtype)
        # Streamed for this statement only: a connection's execution_options() changes the
        # connection itself, and the inserts below cannot run through a server-side cursor.
        cells = bind.execute(
            sa.text("SELECT service_point_id, province_id, district_id, commune_id, month, "
                    "source, field_code, responses, tally FROM score_cells "
                    "WHERE questionnaire_version_id = :version"), {"version": version},
            execution_options={"stream_results": True})  # fmt: skip
        for chunk in cells.partitions(CHUNK):
            tallies = np.frombuffer(b"".join(bytes(row[8]) for row in chunk), dtype)
            responses = np.array([row[7] for row in chunk], np.int64)
            counts, moments = tallies["counts"].astype(np.int64), tallies["moments"]
            months = [_month(row[4]) for row in chunk]
            by_point.add([(month, *row[:4], row[5]) for month, row in zip(months, chunk)],
                         responses, counts, moments)  # fmt: skip
            placed = [i for i, row in enumerate(chunk) if row[1] is not None]
            by_field.add([(months[i], chunk[i][1], chunk[i][5], chunk[i][6]) for i in placed],
                         responses[placed], counts[placed], moments[placed])  # fmt: skip
        for span, months in SPAN_MONTHS.items():
            wide = by_point.wider(months) if months > 1 else by_point
            _insert(bind, points, [
                dict(zip(points.c.keys(), (version, point, province, district, commune, span,
                                           start, source, n, tally)))
                for (start, point, province, district, commune, source), n, tally in wide.rows()
            ])  # fmt: skip
            wide = by_field.wider(months) if months > 1 else by_field
            _insert(bind, fields, [
                dict(zip(fields.c.keys(), (version, province, span, start, source, field, n,
                                           tally)))
                for (start, province, source, field), n, tally in wide.rows()
            ])  # fmt: skip


def _table(name: str, *columns: str) -> sa.TableClause:
    types = {"month": sa.Date(), "tally": sa.LargeBinary()}
    return sa.table(name, *(sa.column(column, types.get(column)) for column in columns))


def _insert(bind, table, rows: list[dict]) -> None:
    for first in range(0, len(rows), CHUNK):
        bind.execute(table.insert(), rows[first : first + CHUNK])


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _month(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
