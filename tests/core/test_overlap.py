"""Reads begun first and taken later (core/overlap.py): beside the caller on PostgreSQL."""

import threading

import pytest
from sqlalchemy import func, select

from satisfaction.core import overlap
from satisfaction.extensions import db
from satisfaction.units.models import UnitDataset


def _dataset(name: str) -> UnitDataset:
    return UnitDataset(name=name, tag=name[:8], title=name, source="tests")


def test_a_read_runs_beside_the_caller_in_a_session_of_its_own_on_postgresql(app):
    ran = []

    def read(name: str) -> int:
        ran.append((threading.get_ident(), db.session()))
        return db.session.scalar(select(func.count()).where(UnitDataset.name == name))

    with app.app_context():
        db.session.add(_dataset("committed"))
        db.session.commit()
        db.session.add(_dataset("pending"))
        db.session.flush()  # in the caller's transaction, not committed
        postgres = db.session.get_bind().dialect.name == "postgresql"
        committed, pending = overlap.started(read, "committed"), overlap.started(read, "pending")
        if not postgres:
            assert ran == []  # SQLite: read when taken, in the caller's transaction
        assert committed() == 1
        if postgres:  # another thread, another session: what the caller has not committed
            assert pending() == 0  # is not there
            assert all(ident != threading.get_ident() for ident, _session in ran)
            assert all(session is not db.session() for _ident, session in ran)
        else:
            assert pending() == 1
            assert [ident for ident, _session in ran] == [threading.get_ident()] * 2
        db.session.rollback()


def test_an_error_of_the_read_is_raised_where_it_is_taken(app):
    def read() -> int:
        raise LookupError("no such unit")

    with app.app_context():
        taken = overlap.started(read)
        with pytest.raises(LookupError, match="no such unit"):
            taken()
