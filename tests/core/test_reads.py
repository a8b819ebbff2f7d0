"""Reads shared within a transaction (core/memo.py) and rows asked in binary (core/sql.py)."""

from sqlalchemy import event, select

from satisfaction.core.memo import in_transaction
from satisfaction.core.sql import BINARY_RESULTS
from satisfaction.extensions import db
from satisfaction.scoring.services import Query, scheme_and_versions
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, UnitDataset, UnitSuccession


def test_a_value_is_read_once_per_transaction_and_again_after_it(app):
    calls = []

    def read() -> int:
        calls.append(1)
        return db.session.scalar(select(AdminUnit.id).limit(1)) or 0

    with app.app_context():
        first = in_transaction("k", read)
        assert in_transaction("k", read) == first and len(calls) == 1
        in_transaction("other", read)
        assert len(calls) == 2  # another key is another value
        db.session.commit()
        in_transaction("k", read)
        assert len(calls) == 3  # a new transaction reads again
        db.session.rollback()
        in_transaction("k", read)
        assert len(calls) == 4


def test_a_value_kept_while_another_is_computed_stays_kept(app):
    calls = []

    def read(key: str) -> int:
        calls.append(key)
        return db.session.scalar(select(AdminUnit.id).limit(1)) or 0

    with app.app_context():
        in_transaction("outer", lambda: in_transaction("inner", lambda: read("inner")))
        in_transaction("inner", lambda: read("inner"))
        in_transaction("outer", lambda: read("outer"))
        assert calls == ["inner"]  # each read once, the inner one kept by the outer's compute


def test_what_changes_between_transactions_is_seen(survey_app, small_units):
    """A page after a command sees what the command committed (versions, successions)."""
    with survey_app.app_context():
        unit = db.session.get(AdminUnit, small_units["01"])
        assert successions.before(unit).ids == ()
        scheme, versions = scheme_and_versions(Query())
        assert versions  # read, and kept for this transaction
        db.session.commit()
        # Committed by someone else between two pages: a predecessor of the province.
        old = UnitDataset(name="old-list", tag="old", title="Old")
        db.session.add(old)
        db.session.flush()
        former = AdminUnit(dataset_id=old.id, code="X1", name="Former", level=unit.level,
                           path="/")  # fmt: skip
        db.session.add(former)
        db.session.flush()
        former.path = f"/{former.id}/"
        db.session.add(UnitSuccession(
            old_unit_id=former.id, new_unit_id=unit.id, level=unit.level,
            new_dataset_id=unit.dataset_id, old_province_id=former.id, new_province_id=unit.id,
        ))  # fmt: skip
        db.session.commit()
        assert successions.before(unit).ids == (former.id,)


def test_aggregate_rows_come_as_the_same_values_in_binary(app, small_units):
    """The option changes how PostgreSQL sends rows, never what they are (SQLite ignores it)."""
    seen = []

    with app.app_context():
        engine = db.engine

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(getattr(cursor, "format", None))

        event.listen(engine, "after_cursor_execute", record)
        try:
            stmt = select(AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.level).order_by(
                AdminUnit.id)  # fmt: skip
            text_rows = db.session.execute(stmt).all()
            binary_rows = db.session.execute(
                stmt.execution_options(**{BINARY_RESULTS: True})).all()  # fmt: skip
        finally:
            event.remove(engine, "after_cursor_execute", record)
        assert binary_rows == text_rows and text_rows
        if engine.dialect.name == "postgresql":
            from psycopg import pq

            assert seen == [pq.Format.TEXT, pq.Format.BINARY]
