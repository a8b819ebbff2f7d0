"""Recording questionnaire versions and reading them back."""

import pytest
from sqlalchemy import select

from satisfaction.core.errors import InputError, NotFound
from satisfaction.extensions import db
from satisfaction.questionnaires import services
from satisfaction.questionnaires.models import QuestionnaireVersion
from tests.questionnaires.helpers import MINI, edited, mini, write_form


def _rows():
    stmt = select(QuestionnaireVersion).order_by(
        QuestionnaireVersion.key, QuestionnaireVersion.version
    )
    return [(row.key, row.version) for row in db.session.scalars(stmt)]


def test_sync_records_then_leaves_unchanged(app, tmp_path):
    write_form(tmp_path, MINI)
    with app.app_context():
        outcomes = services.sync_all(tmp_path)
        db.session.commit()
        assert [(o.key, o.version, o.status) for o in outcomes] == [("mini", 1, "recorded")]
        row = services.get_version("mini")
        assert row.source_file == "mini.v1.toml"
        assert row.content_hash == mini().content_hash()
        assert row.definition == mini().to_dict()
        assert [o.status for o in services.sync_all(tmp_path)] == ["unchanged"]
        assert _rows() == [("mini", 1)]


def test_changed_version_refused_and_nothing_recorded(app, tmp_path):
    write_form(tmp_path, MINI)
    with app.app_context():
        services.sync_all(tmp_path)
        db.session.commit()
    write_form(tmp_path, edited("Cán bộ lịch sự.", "Cán bộ rất lịch sự."))
    write_form(tmp_path, edited("version = 1", "version = 2"), "mini.v2.toml")
    with app.app_context():
        with pytest.raises(InputError) as caught:
            services.sync_all(tmp_path)
        db.session.rollback()
        assert [p.where for p in caught.value.problems] == [f"{tmp_path.name}/mini.v1.toml"]
        assert "mini.v3.toml" in caught.value.problems[0].message
        assert _rows() == [("mini", 1)]


def test_get_questionnaire_latest_or_asked_version(app, tmp_path):
    write_form(tmp_path, MINI)
    write_form(tmp_path, edited("version = 1", "version = 2"), "mini.v2.toml")
    with app.app_context():
        services.sync_all(tmp_path)
        db.session.commit()
        assert services.get_questionnaire("mini").version == 2
        assert services.get_questionnaire("mini", 1) == mini()
        assert [(r.key, r.version) for r in services.latest_versions()] == [("mini", 2)]
        with pytest.raises(NotFound):
            services.get_questionnaire("mini", 3)
        with pytest.raises(NotFound):
            services.get_questionnaire("nothing")


def test_find_questionnaire_prefers_the_database(app, tmp_path):
    write_form(tmp_path / "forms", MINI)
    with app.app_context():
        found = services.find_questionnaire("mini", None, tmp_path / "forms")
        assert (found.is_recorded, found.source) == (False, "forms/mini.v1.toml")
        services.sync_all(tmp_path / "forms")
        db.session.commit()
        assert services.find_questionnaire("mini", None, tmp_path / "forms").is_recorded
        with pytest.raises(NotFound):
            services.find_questionnaire("mini", 2, tmp_path / "forms")
