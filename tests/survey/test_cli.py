"""The invitations and responses commands."""

import json

from satisfaction.paper.codes import normalize
from tests.survey.conftest import full_answers


def test_create_prints_one_code_a_line(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["invitations", "create", "--service-point", "C00001-T",
                                 "--count", "3", "--channel", "enumerator"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3 and len(set(lines)) == 3
    assert all(len(normalize(line)) == 13 and line.count("-") == 3 for line in lines)


def test_create_prints_urls_from_the_configured_base(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["invitations", "create", "--service-point", "D001-T",
                                 "--count", "2", "--urls"])  # fmt: skip
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        assert line.startswith("https://khaosat.example.vn/s/")
        normalize(line.rsplit("/", 1)[1])


def test_create_refuses_bad_input(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["invitations", "create", "--service-point", "NOPE",
                                 "--count", "0"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "service_point" in result.output and "count" in result.output
    stats = runner.invoke(args=["responses", "stats", "--format", "json"])
    assert json.loads(stats.output) == {"invitations": {}, "responses": {}, "waiting": 0}


def test_create_without_questionnaires_says_what_to_do(runner, small_units):
    result = runner.invoke(args=["invitations", "create", "--service-point", "C00001-T",
                                 "--count", "1"])  # fmt: skip
    assert result.exit_code == 1 and "questionnaires sync" in result.output, result.output


def test_stats(survey_app, issue):
    codes = issue(3)
    client = survey_app.test_client()
    client.post(f"/s/{codes[0]}", data=full_answers())
    client.post("/d/C00001-T", data=full_answers())
    result = survey_app.test_cli_runner().invoke(args=["responses", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "responses": {"desk": 1, "envelope": 1},
        "invitations": {"answered": 1, "issued": 2},
        "waiting": 0,
    }
