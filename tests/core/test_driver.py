"""Hot statements sent by the driver: the same rows, constants and errors as SQLAlchemy's."""

import pytest
from sqlalchemy import bindparam, event, exc, insert, select

from satisfaction.core import driver
from satisfaction.extensions import db
from satisfaction.survey.models import OPEN_STATUSES, Channel, InvitationStatus
from satisfaction.units.models import AdminUnit, UnitLevel


def test_first_gives_the_row_sqlalchemy_gives(app, small_units):
    table = AdminUnit.__table__
    # An IN list of constants (expanded by the driver's path) and a parameter.
    upper = table.c.level.in_([UnitLevel.PROVINCE, UnitLevel.DISTRICT])
    stmt = select(table.c.id, table.c.level, table.c.path).where(
        table.c.code == bindparam("code"), upper
    )
    with app.app_context():
        conn = db.session.connection()
        expected = conn.execute(stmt, {"code": "001"}).one()
        row = driver.first(conn, stmt, {"code": "001"})
        assert (row[0], UnitLevel(row[1]), row[2]) == tuple(expected)
        assert driver.first(conn, stmt, {"code": "00001"}) is None  # a commune: not in the list
        assert driver.first(conn, stmt, {"code": "nowhere"}) is None


def test_first_takes_enums_and_fires_the_cursor_events(app, small_units):
    table = AdminUnit.__table__
    stmt = select(table.c.code).where(table.c.level == bindparam("level")).order_by(table.c.code)
    seen = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            conn = db.session.connection()
            assert driver.first(conn, stmt, {"level": UnitLevel.PROVINCE})[0] == "01"
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(seen) == 1 and "admin_units" in seen[0]


def test_first_raises_sqlalchemy_errors(app, small_units):
    table = AdminUnit.__table__
    with app.app_context():
        unit = db.session.scalars(select(AdminUnit).where(AdminUnit.code == "01")).one()
        clash = insert(table).values(
            id=bindparam("id"), dataset_id=unit.dataset_id, code="01x", name="x",
            level=UnitLevel.PROVINCE, kind="x",
        ).returning(table.c.id)  # fmt: skip
        conn = db.session.connection()
        with pytest.raises(exc.IntegrityError):  # the same id twice: the primary key refuses
            driver.first(conn, clash, {"id": unit.id})
        db.session.rollback()


def test_plain_values_are_what_psycopg_takes():
    assert driver._plain(Channel.ENVELOPE) == "envelope" and driver._plain(5) == 5
    assert {driver._plain(s) for s in OPEN_STATUSES} <= {s.value for s in InvitationStatus}
    assert driver._plain({"a": 1}).obj == {"a": 1}  # JSON
