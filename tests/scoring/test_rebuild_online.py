"""A rebuild on PostgreSQL: submits go on, nothing is lost or doubled, the tables stay the same."""

import threading
import time

import pytest
from sqlalchemy import func, select, text

from satisfaction.extensions import db
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.survey.models import Ballot, Response
from tests.conftest import mix_now
from tests.scoring.helpers import record, rollup_snapshot, same, snapshot
from tests.survey.conftest import full_answers

TABLES = ("score_cells", "score_rollups")
# Generous: a submit takes some 50 ms here; the old rebuild held each one as long as it ran.
LONGEST_SUBMIT = 2.0
HOLD = 10  # seconds the rebuild waits for the test, at most, in the middle of counting


@pytest.fixture
def pg_app(survey_app, database_url):
    """Return the survey app, on PostgreSQL only."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the rebuild beside the old aggregates is PostgreSQL's")
    return survey_app


def _catalog() -> dict:
    """Return what defines the aggregates' tables: columns, options, indexes and constraints."""
    queries = {
        "columns": "SELECT table_name, ordinal_position, column_name, data_type, is_nullable, "
        "column_default FROM information_schema.columns WHERE table_name IN :tables",
        "options": "SELECT relname, reloptions FROM pg_class WHERE relname IN :tables",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE tablename IN :tables",
        "constraints": "SELECT conrelid::regclass::text, conname, contype, "
        "pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid::regclass::text IN :tables",
        "sequences": "SELECT t, pg_get_serial_sequence(t, 'id') "
        "FROM unnest(CAST(:names AS text[])) AS t",
        "tables": "SELECT tablename FROM pg_tables WHERE tablename LIKE 'score%' "
        "AND schemaname = current_schema()",
    }
    found = {}
    for name, query in queries.items():
        statement = text(query)
        if ":tables" in query:
            statement = statement.bindparams(db.bindparam("tables", expanding=True))
        rows = db.session.execute(statement, {"tables": TABLES, "names": list(TABLES)})
        found[name] = sorted(tuple(str(value) for value in row) for row in rows)
    return found


def _oids() -> list[int]:
    return [db.session.scalar(text(f"SELECT '{table}'::regclass::oid")) for table in TABLES]


def test_a_rebuild_leaves_the_tables_as_they_were_but_new(pg_app):
    runner = pg_app.test_cli_runner()
    with pg_app.app_context():
        record("C00001-T", full_answers())
        record("D001-T", {"access.info": 2})
        db.session.commit()
        before, oids, cells = _catalog(), _oids(), snapshot()
        db.session.remove()
    for _ in range(2):  # the second swaps the tables the first put in
        result = runner.invoke(args=["scores", "rebuild"])
        assert result.exit_code == 0, result.output
    with pg_app.app_context():
        assert _catalog() == before  # no index, constraint or option lost; nothing left beside
        assert set(_oids()).isdisjoint(oids)  # new tables: the old rows went with the old ones
        assert same(snapshot(), cells)
        record("C00004-T", {"access.info": 4})  # the id sequence goes on
        db.session.commit()
        assert sum(cell["responses"] for cell in snapshot().values()) == 3
        db.session.remove()


def test_submits_and_an_import_go_on_during_a_rebuild(pg_app, issue):
    """The rebuild stops in the middle of counting while answers arrive; none is lost or doubled."""
    codes = issue(20)
    client = pg_app.test_client()
    for code in codes[:5]:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    assert mix_now(pg_app) == 0  # each was counted after its response (MIX_MIN 1)

    counting, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold(_count: int) -> None:
        counting.set()
        release.wait(HOLD)

    def rebuild() -> None:
        with pg_app.app_context():
            try:
                rebuilding.rebuild(progress=hold)
                db.session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    def import_one() -> None:  # a past round's answer, counted at once: it waits for the rebuild
        with pg_app.app_context():
            try:
                record("C00004-T", {"access.info": 1, "staff.courtesy": 2})
                db.session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    assert counting.wait(HOLD)
    importer = threading.Thread(target=import_one)
    importer.start()
    longest = 0.0
    for code in codes[5:15]:
        started = time.monotonic()
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
        longest = max(longest, time.monotonic() - started)
    time.sleep(0.5)  # the import is waiting for the rebuild's turn
    release.set()
    rebuilder.join(HOLD * 3)
    importer.join(HOLD * 3)
    assert not errors, errors
    assert longest < LONGEST_SUBMIT, f"a submit took {longest:.2f} s during the rebuild"
    with pg_app.app_context():
        # The mixer left the rebuild alone: the answers waited in the ballot box.
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 10
        db.session.remove()
    for code in codes[15:]:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    mix_now(pg_app)
    with pg_app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        assert responses == 21
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
        cells, rollups = snapshot(), rollup_snapshot()
        assert sum(cell["responses"] for cell in cells.values()) == responses
        rebuilding.rebuild()
        db.session.commit()
        assert same(snapshot(), cells) and same(rollup_snapshot(), rollups)
        db.session.remove()


def test_a_reader_holding_the_tables_only_delays_the_swap(pg_app):
    with pg_app.app_context():
        record("C00001-T", full_answers())
        db.session.commit()
        cells = snapshot()
        db.session.remove()
    reading = threading.Event()

    def read() -> None:  # a long page: it holds the old table until it ends
        with pg_app.app_context(), db.engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM score_cells"))
            reading.set()
            time.sleep(1.5)
            connection.rollback()

    reader = threading.Thread(target=read)
    reader.start()
    assert reading.wait(HOLD)
    started = time.monotonic()
    result = pg_app.test_cli_runner().invoke(args=["scores", "rebuild"])
    reader.join()
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1  # it waited for the reader, trying again and again
    with pg_app.app_context():
        assert same(snapshot(), cells)
        left = text("SELECT tablename FROM pg_tables WHERE tablename LIKE 'score%\\_re%'")
        assert not db.session.scalars(left).all()
        db.session.remove()


def test_old_tables_a_crash_left_are_dropped_by_the_next_rebuild(pg_app):
    with pg_app.app_context():
        db.session.execute(text("CREATE TABLE score_cells_retired_1 (LIKE score_cells)"))
        db.session.commit()
        db.session.remove()
    result = pg_app.test_cli_runner().invoke(args=["scores", "rebuild"])
    assert result.exit_code == 0, result.output
    with pg_app.app_context():
        left = text("SELECT tablename FROM pg_tables WHERE tablename LIKE 'score%\\_re%'")
        assert not db.session.scalars(left).all()
        db.session.remove()
