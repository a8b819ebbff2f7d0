"""Fixtures: an app per database backend (SQLite always, PostgreSQL when configured)."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, text

from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.invitations import create_invitations
from satisfaction.survey.models import Channel
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel


def _compile_catalogs() -> None:
    """Compile translation catalogs that are missing or older than their source (as make does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "satisfaction" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source), use_fuzzy=True)


_compile_catalogs()

PG_URL = os.environ.get("SATISFACTION_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("SATISFACTION_TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs SATISFACTION_TEST_REDIS_URL (a Redis on loopback)"
)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def app_config(database_url: str, **overrides) -> dict:
    """Return the configuration every test app starts from."""
    config = {
        "TESTING": True,
        "ENVIRONMENT": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "https://khaosat.example.vn",
        "SERVER_NAME": None,
        # Count each answer as soon as its response is sent, as if others were waiting with it;
        # the ballot box's own tests set the real threshold.
        "MIX_MIN": 1,
        # ... on the request's thread, so that it is done when the response has been read.
        "MIX_IN_THREAD": False,
        # Jobs run at once, within the request that starts them (tests/jobs try the others).
        "JOBS_BACKEND": "inline",
        "JOBS_TICK_SECONDS": 0,
    }
    config.update(overrides)
    return config


class ServerLikeClient(FlaskClient):
    """A test client that, like a real server, closes each response once it has been read.

    What a view leaves for after the response (the ballot box's mixing) runs then.
    """

    def open(self, *args, **kwargs):
        """Send a request and read the whole response, closing it."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """Yield an empty database with the current schema, once per backend."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    else:
        url = PG_URL
    app = create_app(app_config(url))
    with app.app_context():
        _drop_everything()
        db.create_all()
        db.engine.dispose()
    yield url
    with app.app_context():
        db.engine.dispose()


def _drop_everything() -> None:
    """Drop every table the database has: the models', and any an older schema left."""
    found = MetaData()
    found.reflect(bind=db.engine)
    found.drop_all(bind=db.engine)


def _empty_tables() -> None:
    """Remove every row so that the next test starts from an empty schema."""
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def make_app(database_url) -> Iterator:
    """Return a factory of apps on the test database with extra settings."""
    apps: list[Flask] = []

    def factory(**overrides) -> Flask:
        app = create_app(app_config(database_url, **overrides))
        app.test_client_class = ServerLikeClient
        apps.append(app)
        return app

    yield factory
    if apps:
        with apps[0].app_context():
            db.session.remove()
            _empty_tables()
        for app in apps:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    """Return the application on an empty database (no app context pushed)."""
    return make_app()


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def small_units(app) -> dict[str, int]:
    """Create a tiny three-tier dataset: two provinces, three districts, four communes.

    Returns the ids of the units by code.
    """
    rows = [
        ("01", "Thành phố Hà Nội", UnitLevel.PROVINCE, "Thành phố", None),
        ("001", "Quận Ba Đình", UnitLevel.DISTRICT, "Quận", "01"),
        ("00001", "Phường Phúc Xá", UnitLevel.COMMUNE, "Phường", "001"),
        ("00004", "Phường Trúc Bạch", UnitLevel.COMMUNE, "Phường", "001"),
        ("002", "Quận Hoàn Kiếm", UnitLevel.DISTRICT, "Quận", "01"),
        ("00037", "Phường Phúc Tân", UnitLevel.COMMUNE, "Phường", "002"),
        ("79", "Thành phố Hồ Chí Minh", UnitLevel.PROVINCE, "Thành phố", None),
        ("760", "Quận 1", UnitLevel.DISTRICT, "Quận", "79"),
        ("26734", "Phường Tân Định", UnitLevel.COMMUNE, "Phường", "760"),
    ]
    with app.app_context():
        dataset = UnitDataset(
            name="test", tag="T", title="Test units", source="tests", valid_to=date(2025, 6, 30)
        )
        db.session.add(dataset)
        by_code: dict[str, AdminUnit] = {}
        for code, name, level, kind, parent in rows:
            unit = AdminUnit(
                dataset=dataset,
                code=code,
                name=name,
                level=level,
                kind=kind,
                parent=by_code.get(parent),
            )
            db.session.add(unit)
            db.session.flush()
            unit.path = (by_code[parent].path if parent else "/") + f"{unit.id}/"
            by_code[code] = unit
            prefix = {"province": "P", "district": "D", "commune": "C"}[level.value]
            db.session.add(
                ServicePoint(
                    code=f"{prefix}{code}-T",
                    name=f"Một cửa {name}",
                    level=level,
                    unit=unit,
                    is_generated=True,
                )
            )
        db.session.commit()
        return {code: unit.id for code, unit in by_code.items()}


@pytest.fixture
def survey_app(app, small_units):
    """Return the app with the units and the questionnaires of forms/ recorded."""
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        db.session.commit()
    return app


@pytest.fixture
def issue(survey_app):
    """Return a function issuing codes for a service point."""

    def make(count: int = 1, point: str = "C00001-T", channel: Channel = Channel.ENVELOPE):
        with survey_app.app_context():
            made = create_invitations(point, count, channel)
            db.session.commit()
            return [invitation.code for invitation in made]

    return make


def answers_stored() -> int:
    """Return the answers stored, counted or waiting in the ballot box, in one statement.

    One statement, so one snapshot: a server's mixer may move an answer from the box to the
    responses between two reads (on SQLite each SELECT outside a transaction is its own).
    """
    from sqlalchemy import func, select

    from satisfaction.survey.models import Ballot, Response

    both = select(select(func.count()).select_from(Response).scalar_subquery()
                  + select(func.count()).select_from(Ballot).scalar_subquery())  # fmt: skip
    return db.session.scalar(both) or 0


def mix_now(app: Flask) -> int:
    """Count every answer waiting in the ballot box (as `satisfaction responses mix` does)."""
    from satisfaction.survey import ballot_box

    with app.app_context():
        moved = ballot_box.mix(force=True)
        db.session.remove()
    return moved
