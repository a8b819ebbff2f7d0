"""A rebuild writes the aggregates in the order pages read them: by province, span and month."""

from datetime import date

from sqlalchemy import text

from satisfaction.extensions import db
from satisfaction.scoring.models import AGGREGATE_GRAINS
from satisfaction.scoring.rebuild import rebuild, stored_order


def test_rows_are_ordered_by_province_then_span_then_month():
    names = ("questionnaire_version_id", "unit_id", "province_id", "span", "month", "tally")
    rows = [(1, 9, 12, "year", date(2026, 1, 1), b""), (1, 3, None, "month", date(2026, 2, 1), b""),
            (1, 4, 5, "quarter", date(2026, 4, 1), b""), (1, 5, 5, "month", date(2026, 5, 1), b""),
            (1, 6, 5, "month", date(2026, 4, 1), b"")]  # fmt: skip
    assert [row[1] for row in stored_order(names, rows)] == [3, 6, 5, 4, 9]
    unplaced = ("questionnaire_version_id", "month")
    assert stored_order(unplaced, [(2, "b"), (1, "a")]) == [(2, "b"), (1, "a")]


def test_a_rebuild_stores_each_aggregate_by_province(scored):
    """What a page reads of one province sits together in the table, in the order it is read
    (the order of storage: rowid on SQLite, ctid on PostgreSQL)."""
    with scored.app_context():
        rebuild()
        db.session.commit()
        postgres = db.engine.dialect.name == "postgresql"
        for grain in AGGREGATE_GRAINS:
            table = grain.cells.__tablename__
            place = "ctid" if postgres else "rowid"
            provinces = [p or 0 for p in db.session.execute(
                text(f"SELECT province_id FROM {table} ORDER BY {place}")).scalars()]  # fmt: skip
            assert provinces, table
            assert provinces == sorted(provinces), table
