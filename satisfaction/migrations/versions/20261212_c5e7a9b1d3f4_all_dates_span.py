"""a span over all dates: one rollup row a unit or desk and source, besides its years

Revision ID: c5e7a9b1d3f4
Revises: b3d5f7a9c1e2
Create Date: 2026-12-12 09:00:00

A province's page over all dates read every year's rollup of each of its desks (three years:
three rows a desk and source, 1 KB each) and summed them. The rollups of units and of service
points now hold one more span, "all" (its first month 0001-01-01), the sum of their years: kept
by the same writers (satisfaction.scoring.sums.SPANS). The fields' rollups have none.

Filled here from the year rows already there (each table's years hold exactly the months it
holds, satisfaction.scoring.rolling), their packed tallies summed by numpy and read by the
layouts stored with each questionnaire version (score_layouts), as e5b7d9f1a3c2 did.
"""

import json
from datetime import date

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "c5e7a9b1d3f4"
down_revision = "b3d5f7a9c1e2"
branch_labels = None
depends_on = None

EVER = date(1, 1, 1)  # the first month of the span over all dates
CHUNK = 50_000  # rows read or written at a time
# Each table, and the columns that with its span and month make a row's key (its version first).
TABLES = {
    "score_rollups": ("questionnaire_version_id", "unit_id", "unit_level", "province_id",
                      "source", "office_level"),
    "score_point_rollups": ("questionnaire_version_id", "service_point_id", "province_id",
                            "district_id", "commune_id", "source"),
}  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    layouts = bind.execute(sa.text("SELECT questionnaire_version_id, answers, pairs "
                                   "FROM score_layouts")).all()  # fmt: skip
    for name, keys in TABLES.items():
        columns = (*keys, "span", "month", "responses", "tally")
        table = sa.table(name, *(sa.column(c, _types().get(c)) for c in columns))
        for version, answers, pairs in layouts:
            dtype = np.dtype([("counts", "<i4", (len(_json(answers)),)),
                              ("moments", "<f8", (len(_json(pairs)), 4))])  # fmt: skip
            rows = _summed(bind, name, keys, version, dtype)
            for first in range(0, len(rows), CHUNK):
                bind.execute(table.insert(), [
                    dict(zip(columns, (*key, "all", EVER, n, tally), strict=True))
                    for key, n, tally in rows[first : first + CHUNK]
                ])  # fmt: skip


def downgrade() -> None:
    for name in TABLES:
        op.execute(f"DELETE FROM {name} WHERE span = 'all'")


def _summed(bind, name: str, keys: tuple[str, ...], version: int, dtype: np.dtype
            ) -> list[tuple]:  # fmt: skip
    """Return (key, responses, packed tally) of a version's year rows summed by key."""
    found = bind.execute(
        sa.text(f"SELECT {', '.join(keys)}, responses, tally FROM {name} "
                "WHERE questionnaire_version_id = :version AND span = 'year'"),
        {"version": version},
    ).all()  # fmt: skip
    if not found:
        return []
    index: dict[tuple, int] = {}
    groups = np.array([index.setdefault(tuple(row[: len(keys)]), len(index)) for row in found],
                      np.int64)  # fmt: skip
    tallies = np.frombuffer(b"".join(bytes(row[-1]) for row in found), dtype)
    responses = np.zeros(len(index), np.int64)
    counts = np.zeros((len(index), *dtype["counts"].shape), np.int64)
    moments = np.zeros((len(index), *dtype["moments"].shape), np.float64)
    np.add.at(responses, groups, np.array([row[-2] for row in found], np.int64))
    np.add.at(counts, groups, tallies["counts"])
    np.add.at(moments, groups, tallies["moments"])
    if len(counts) and counts.max() > np.iinfo(np.int32).max:
        raise OverflowError("an answer count over all dates does not fit its packed tally")
    packed = np.zeros(len(index), dtype)
    packed["counts"], packed["moments"] = counts, moments
    raw, size = packed.tobytes(), dtype.itemsize
    return [(key, int(responses[i]), raw[i * size : (i + 1) * size])
            for i, key in enumerate(index)]  # fmt: skip


def _types() -> dict:
    return {"month": sa.Date(), "tally": sa.LargeBinary()}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value
