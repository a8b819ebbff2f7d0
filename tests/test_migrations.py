"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from satisfaction import create_app
from satisfaction.extensions import db
from tests.conftest import BACKENDS, PG_URL, app_config


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path) -> Iterator[str]:
    """Yield the URL of a new, empty database."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    name = "satisfaction_mig_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_matches_the_models_and_downgrade_empties(empty_database):
    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], "models and migrations disagree; run: satisfaction db migrate"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_db_upgrade_command(empty_database):
    app = create_app(app_config(empty_database))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"admin_units", "service_points", "users", "questionnaire_versions"} <= tables


def _province(point: bool = False) -> tuple:
    """Add a dataset with one province (and its office, if asked) and the questionnaires."""
    from satisfaction.questionnaires.models import QuestionnaireVersion
    from satisfaction.questionnaires.services import sync_all
    from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel

    dataset = UnitDataset(name="test", tag="T", title="Test", source="tests")
    unit = AdminUnit(dataset=dataset, code="01", name="Hà Nội", level=UnitLevel.PROVINCE,
                     kind="Thành phố", path="/")  # fmt: skip
    office = ServicePoint(code="P01-T", name="Một cửa", level=UnitLevel.PROVINCE, unit=unit)
    db.session.add_all([dataset, unit, *([office] if point else [])])
    sync_all(current_app.config["FORMS_DIR"])
    db.session.commit()
    version = db.session.scalars(db.select(QuestionnaireVersion.id)).first()
    return unit, office, version


DAY_CELLS = (  # id, day, source, responses; answer "5" to access.info counted `responses` times
    (1, "2026-07-02", "envelope", 2),
    (2, "2026-07-30", "envelope", 3),
    (3, "2026-07-30", "desk", 1),
    (4, "2026-08-01", "envelope", 4),
)


def test_day_cells_are_merged_into_months(empty_database):
    from satisfaction.scoring.models import ScoreAnswerCount, ScoreCell, ScoreElementSum

    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="b9d4f6a8c0e2")
        unit, point, version = _province(point=True)
        for cell_id, day, source, responses in DAY_CELLS:
            db.session.execute(
                text("INSERT INTO score_cells (id, questionnaire_version_id, service_point_id, "
                     "province_id, answered_on, source, mode, responses) VALUES (:id, :v, :p, "
                     ":u, :day, :source, 'online', :n)"),
                {"id": cell_id, "v": version, "p": point.id, "u": unit.id, "day": day,
                 "source": source, "n": responses},
            )  # fmt: skip
            db.session.execute(
                text("INSERT INTO score_answer_counts VALUES (:id, 'access.info', '5', :n)"),
                {"id": cell_id, "n": responses},
            )
            db.session.execute(
                text("INSERT INTO score_element_sums VALUES (:id, 'access', 'access', :n, "
                     ":n, :n, :n)"),
                {"id": cell_id, "n": responses},
            )  # fmt: skip
        db.session.commit()
        db.session.close()
        upgrade()
        cells = db.session.scalars(db.select(ScoreCell).order_by(ScoreCell.month)).all()
        found = [(c.month.isoformat(), c.source.value, c.responses) for c in cells]
        assert sorted(found) == [("2026-07-01", "desk", 1), ("2026-07-01", "envelope", 5),
                                 ("2026-08-01", "envelope", 4)]  # fmt: skip
        counts = {row.cell_id: row.count for row in db.session.scalars(db.select(ScoreAnswerCount))}
        sums = {row.cell_id: row.sum_a for row in db.session.scalars(db.select(ScoreElementSum))}
        assert counts == sums == {c.id: c.responses for c in cells}
        db.session.close()
        db.engine.dispose()


MONTH_ROLLUPS = (  # month, responses; answer "5" to access.info counted `responses` times
    ("2026-07-01", 2),
    ("2026-08-01", 3),
    ("2026-10-01", 4),
)


def test_month_rollups_are_summed_into_quarters_and_years(empty_database):
    from satisfaction.scoring.models import (
        ScoreRollup,
        ScoreRollupAnswerCount,
        ScoreRollupElementSum,
    )

    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="c3e5a7b9d1f4")
        unit, _office, version = _province()
        for month, responses in MONTH_ROLLUPS:
            values = {"v": version, "u": unit.id, "month": month, "n": responses}
            values["id"] = db.session.scalar(
                text("INSERT INTO score_rollups (questionnaire_version_id, unit_id, unit_level, "
                     "province_id, month, source, office_level, responses) VALUES (:v, :u, "
                     "'province', :u, :month, 'envelope', 'province', :n) RETURNING id"),
                values,
            )  # fmt: skip
            db.session.execute(
                text("INSERT INTO score_rollup_answer_counts VALUES (:id, 'access.info', '5', :n)"),
                values,
            )
            db.session.execute(
                text("INSERT INTO score_rollup_element_sums VALUES (:id, 'access', 'access', :n, "
                     ":n, :n, :n)"),
                values,
            )  # fmt: skip
        db.session.commit()
        db.session.close()
        upgrade()
        rollups = db.session.scalars(db.select(ScoreRollup)).all()
        found = {(r.span.value, r.month.isoformat()): r.responses for r in rollups}
        assert found == {("month", "2026-07-01"): 2, ("month", "2026-08-01"): 3,
                         ("month", "2026-10-01"): 4, ("quarter", "2026-07-01"): 5,
                         ("quarter", "2026-10-01"): 4, ("year", "2026-01-01"): 9}  # fmt: skip
        counts = db.session.scalars(db.select(ScoreRollupAnswerCount))
        sums = db.session.scalars(db.select(ScoreRollupElementSum))
        assert ({r.rollup_id: r.count for r in counts} == {r.rollup_id: r.sum_ab for r in sums}
                == {r.id: r.responses for r in rollups})  # fmt: skip
        db.session.close()
        downgrade(revision="c3e5a7b9d1f4")
        left = db.session.execute(text("SELECT month, responses FROM score_rollups")).all()
        assert sorted((str(m), n) for m, n in left) == list(MONTH_ROLLUPS)
        count = db.session.scalar(text("SELECT count(*) FROM score_rollup_answer_counts"))
        assert count == len(MONTH_ROLLUPS)
        db.session.close()
        db.engine.dispose()
