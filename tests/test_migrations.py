"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid
from collections.abc import Iterator
from datetime import date

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
        upgrade(revision="c3e5a7b9d1f4")
        cells = db.session.execute(text("SELECT id, month, source, responses FROM score_cells"))
        cells = {row_id: (str(month), source, n) for row_id, month, source, n in cells}
        assert sorted(cells.values()) == [("2026-07-01", "desk", 1), ("2026-07-01", "envelope", 5),
                                          ("2026-08-01", "envelope", 4)]  # fmt: skip
        counts = dict(
            db.session.execute(text("SELECT cell_id, count FROM score_answer_counts")).all()
        )
        sums = dict(db.session.execute(text("SELECT cell_id, sum_a FROM score_element_sums")).all())
        assert counts == sums == {row_id: n for row_id, (_m, _s, n) in cells.items()}
        db.session.close()
        db.engine.dispose()


MONTH_ROLLUPS = (  # month, responses; answer "5" to access.info counted `responses` times
    ("2026-07-01", 2),
    ("2026-08-01", 3),
    ("2026-10-01", 4),
)


def test_month_rollups_are_summed_into_quarters_and_years(empty_database):
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
        upgrade(revision="d5f7a9c1e3b6")
        rollups = db.session.execute(text("SELECT id, span, month, responses FROM score_rollups"))
        rollups = {row_id: (span, str(month), n) for row_id, span, month, n in rollups}
        found = {(span, month): n for span, month, n in rollups.values()}
        assert found == {("month", "2026-07-01"): 2, ("month", "2026-08-01"): 3,
                         ("month", "2026-10-01"): 4, ("quarter", "2026-07-01"): 5,
                         ("quarter", "2026-10-01"): 4, ("year", "2026-01-01"): 9}  # fmt: skip
        counts = text("SELECT rollup_id, count FROM score_rollup_answer_counts")
        sums = text("SELECT rollup_id, sum_ab FROM score_rollup_element_sums")
        assert (dict(db.session.execute(counts).all()) == dict(db.session.execute(sums).all())
                == {row_id: n for row_id, (_span, _month, n) in rollups.items()})  # fmt: skip
        db.session.close()
        downgrade(revision="c3e5a7b9d1f4")
        left = db.session.execute(text("SELECT month, responses FROM score_rollups")).all()
        assert sorted((str(m), n) for m, n in left) == list(MONTH_ROLLUPS)
        count = db.session.scalar(text("SELECT count(*) FROM score_rollup_answer_counts"))
        assert count == len(MONTH_ROLLUPS)
        db.session.close()
        db.engine.dispose()


def test_counts_and_sums_are_packed_into_tallies_and_back(empty_database):
    from satisfaction.scoring import models
    from satisfaction.scoring.layout import layout_of

    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="e7a9c1d3f5b8")
        unit, point, version = _province(point=True)
        values = {"v": version, "u": unit.id, "p": point.id}
        cell = db.session.scalar(
            text("INSERT INTO score_cells (questionnaire_version_id, service_point_id, "
                 "province_id, month, source, mode, responses) VALUES (:v, :p, :u, '2026-07-01', "
                 "'envelope', 'online', 4) RETURNING id"), values)  # fmt: skip
        rollup = db.session.scalar(
            text("INSERT INTO score_rollups (questionnaire_version_id, unit_id, unit_level, "
                 "province_id, span, month, source, office_level, responses) VALUES (:v, :u, "
                 "'province', :u, 'month', '2026-07-01', 'envelope', 'province', 4) "
                 "RETURNING id"), values)  # fmt: skip
        for table, link, row_id in (("score", "cell_id", cell), ("score_rollup", "rollup_id",
                                                                  rollup)):  # fmt: skip
            for question, answer, n in (("access.info", "5", 3), ("access.info", "na", 1),
                                        ("access.info", "9", 2)):  # fmt: skip
                db.session.execute(
                    text(f"INSERT INTO {table}_answer_counts ({link}, question, answer, count) "
                         "VALUES (:id, :q, :a, :n)"),
                    {"id": row_id, "q": question, "a": answer, "n": n})  # fmt: skip
            db.session.execute(
                text(f"INSERT INTO {table}_element_sums VALUES (:id, 'access', 'staff', 3, 0.5, "
                     "1.5, 2.25)"), {"id": row_id})  # fmt: skip
        db.session.commit()
        db.session.close()
        upgrade()
        for model in (models.ScoreCell, models.ScoreRollup):
            row = db.session.scalar(db.select(model))
            tally = layout_of(row.questionnaire_version_id).tally(row.responses, [row.tally])
            # "9" is not an answer of the scale: it was never a valid count, and is left out.
            assert tally.answers == {("access.info", "5"): 3, ("access.info", "na"): 1}
            moment = tally.moments[("access", "staff")]
            assert (tally.responses, len(tally.moments)) == (4, 1)
            assert (moment.n, moment.ab, moment.a, moment.b) == (3, 0.5, 1.5, 2.25)
        # The point and field rollups are filled from the cells: the one cell over each span.
        cell = db.session.scalar(db.select(models.ScoreCell))
        for model in (models.ScorePointRollup, models.ScoreFieldRollup):
            rows = db.session.scalars(db.select(model)).all()
            over_all = {("all", "0001-01-01")} if model is models.ScorePointRollup else set()
            assert {(row.span, str(row.month)) for row in rows} == {
                ("month", "2026-07-01"),
                ("quarter", "2026-07-01"),
                ("year", "2026-01-01"),
                *over_all,  # the years summed (c5e7a9b1d3f4): the fields' have no such span
            }
            assert {(row.responses, bytes(row.tally)) for row in rows} == {
                (cell.responses, bytes(cell.tally))
            }
            assert {row.province_id for row in rows} == {values["u"]}
        db.session.close()
        downgrade(revision="e7a9c1d3f5b8")
        for table in ("score", "score_rollup"):
            counts = db.session.execute(text(f"SELECT question, answer, count "
                                             f"FROM {table}_answer_counts")).all()  # fmt: skip
            assert sorted(map(tuple, counts)) == [("access.info", "5", 3), ("access.info", "na", 1)]
            sums = text(f"SELECT element_a, element_b, respondents, sum_ab, sum_a, sum_b "
                        f"FROM {table}_element_sums")  # fmt: skip
            sums = db.session.execute(sums).all()
            assert list(map(tuple, sums)) == [("access", "staff", 3, 0.5, 1.5, 2.25)]
        db.session.close()
        db.engine.dispose()


def test_years_are_summed_into_the_span_over_all_dates(empty_database):
    from types import SimpleNamespace

    from satisfaction.questionnaires.services import get_version
    from satisfaction.scoring.aggregates import count_responses
    from satisfaction.scoring.layout import layout_of
    from tests.scoring.helpers import KEY
    from tests.survey.conftest import full_answers

    app = create_app(app_config(empty_database))
    over_all = text("SELECT 'units', unit_id, source, responses, tally FROM score_rollups "
                    "WHERE span = 'all' UNION ALL SELECT 'points', service_point_id, source, "
                    "responses, tally FROM score_point_rollups WHERE span = 'all'")  # fmt: skip
    with app.app_context():
        upgrade(revision="b3d5f7a9c1e2")
        unit, point, _version = _province(point=True)
        version = get_version(KEY).id
        days = ("2024-03-05", "2024-11-20", "2025-02-14", "2025-02-15", "2025-09-30")
        count_responses([
            SimpleNamespace(questionnaire_version_id=version, service_point_id=point.id,
                            province_id=unit.id, district_id=None, commune_id=None,
                            answered_on=date.fromisoformat(day), channel=channel,
                            is_poster=False, mode="keyed", field_code="",
                            answers=full_answers())
            for day in days for channel in ("envelope", "desk")
        ])  # fmt: skip
        made = {row[:4]: bytes(row[4]) for row in db.session.execute(over_all)}
        # What the code before this revision wrote: the years, no span over all dates.
        for table in ("score_rollups", "score_point_rollups"):
            db.session.execute(text(f"DELETE FROM {table} WHERE span = 'all'"))
        db.session.commit()
        db.session.close()
        upgrade(revision="c5e7a9b1d3f4")
        filled = {row[:4]: bytes(row[4]) for row in db.session.execute(over_all)}
        assert set(filled) == set(made) and len(made) == 4  # a unit's and a desk's, two sources
        assert {key[3] for key in made} == {len(days)}
        layout = layout_of(version)
        for key, tally in made.items():
            found, expected = layout.tally(key[3], [filled[key]]), layout.tally(key[3], [tally])
            assert found.answers == expected.answers, key
            assert _flat(found.moments) == pytest.approx(_flat(expected.moments)), key
        db.session.close()
        downgrade(revision="b3d5f7a9c1e2")
        assert db.session.execute(over_all).all() == []
        db.session.close()
        db.engine.dispose()


def _flat(moments: dict) -> dict:
    """Return a tally's pair sums as one number each, for an approximate comparison."""
    return {(pair, i): value for pair, m in moments.items()
            for i, value in enumerate((m.n, m.ab, m.a, m.b))}  # fmt: skip
