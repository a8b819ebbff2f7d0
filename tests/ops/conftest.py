"""What the operations tests share: a database file for servers started as processes."""

import pytest

from satisfaction import create_app
from satisfaction.extensions import db
from tests.conftest import app_config


@pytest.fixture
def schema_url(tmp_path) -> str:
    """Return a SQLite database with the schema, for servers started as processes."""
    url = f"sqlite:///{tmp_path / 'servers.sqlite'}"
    app = create_app(app_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url
