"""The questionnaires commands: check, sync, show."""

import json

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.questionnaires.models import QuestionnaireVersion
from tests.questionnaires.helpers import MINI, edited, real, write_form


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuestionnaireVersion))


def test_check_real_forms(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("forms/sipas-services.v1.toml: hợp lệ"), result.output


def test_check_lists_every_problem(make_app, tmp_path):
    forms = tmp_path / "forms"
    write_form(forms, edited('rule = "top-two"', 'rule = "x"'))
    write_form(forms, "version = = 1", "broken.v1.toml")
    runner = make_app(FORMS_DIR=str(forms)).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 1, result.output
    assert "forms/mini.v1.toml: scoring.rule" in result.output, result.output
    assert "forms/broken.v1.toml: dòng 1" in result.output, result.output
    assert str(tmp_path) not in result.output


def test_sync_twice_is_idempotent(app, runner):
    result = runner.invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 0, result.output
    assert "sipas-services v1" in result.output and "sipas-services.v1.toml" in result.output
    result = runner.invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sipas-services v1: không thay đổi"
    assert _count(app) == 1


def test_sync_refuses_an_edited_version_and_records_nothing(make_app, tmp_path):
    forms = tmp_path / "forms"
    write_form(forms, MINI)
    app = make_app(FORMS_DIR=str(forms))
    result = app.test_cli_runner().invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 0, result.output
    write_form(forms, edited("max_length = 20", "max_length = 30"))
    write_form(forms, edited('key = "mini"', 'key = "other"'), "other.v1.toml")
    result = app.test_cli_runner().invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 1, result.output
    assert "forms/mini.v1.toml" in result.output and "mini.v2.toml" in result.output
    assert _count(app) == 1


def test_sync_refuses_invalid_files(make_app, tmp_path):
    forms = tmp_path / "forms"
    write_form(forms, MINI)
    write_form(
        forms,
        edited('key = "mini"', 'key = "other"').replace("version = 1", "version = 0"),
        "other.v1.toml",
    )
    app = make_app(FORMS_DIR=str(forms))
    result = app.test_cli_runner().invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 1 and "forms/other.v1.toml: version" in result.output, result.output
    assert _count(app) == 0


def test_show_json_matches_the_contract(runner):
    result = runner.invoke(args=["questionnaires", "sync"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["questionnaires", "show", "sipas-services", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == real().to_dict()
    assert (data["key"], data["version"]) == ("sipas-services", 1)
    assert [e["key"] for e in data["elements"]] == [
        "access",
        "procedure",
        "staff",
        "result",
        "feedback",
    ]
    assert all("key" in item for e in data["elements"] for item in e["items"])
    assert all("key" in e for e in data["expectations"])
    assert "Rất hài lòng" in result.output  # not escaped: ensure_ascii=False


def test_show_reads_the_file_when_not_recorded(make_app, tmp_path):
    forms = tmp_path / "forms"
    write_form(forms, MINI)
    write_form(forms, edited("version = 1", "version = 2"), "mini.v2.toml")
    runner = make_app(FORMS_DIR=str(forms)).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "show", "mini", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["version"] == 2, result.output
    result = runner.invoke(
        args=["questionnaires", "show", "mini", "--version", "1", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "forms/mini.v1.toml" in result.output and "staff.courtesy" in result.output
    assert "Officials were polite." in result.output


def test_show_text_of_recorded_version(runner):
    runner.invoke(args=["questionnaires", "sync"])
    result = runner.invoke(args=["questionnaires", "show", "sipas-services"])
    assert result.exit_code == 0, result.output
    assert "[feedback]" in result.output and "feedback.reply (NA)" in result.output
    assert "hài lòng" in result.output


def test_show_unknown_key_or_version(runner):
    result = runner.invoke(args=["questionnaires", "show", "nothing", "--format", "json"])
    assert result.exit_code == 1 and "nothing" in result.output, result.output
    result = runner.invoke(args=["questionnaires", "show", "sipas-services", "--version", "9"])
    assert result.exit_code == 1 and "sipas-services v9" in result.output, result.output
