"""Request ids and JSON logs."""

import json
import logging

import pytest

from satisfaction import create_app
from satisfaction.ops import logs
from tests.conftest import app_config


@pytest.fixture
def json_app(make_app):
    """Return an app logging JSON; take its handler off the root logger afterwards."""
    yield make_app(LOG_JSON=True)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "is_satisfaction", False)]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)


def _lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_a_sane_request_id_is_kept_and_returned(client):
    response = client.get("/", headers={"X-Request-ID": "edge-7f3a:42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a:42"


@pytest.mark.parametrize(
    "sent", ["", "has space", "a\nfake: header", "<script>", "x" * 129, "ý", "-lead"]
)
def test_an_odd_request_id_is_replaced(client, sent):
    response = client.get("/", environ_base={"HTTP_X_REQUEST_ID": sent})
    made = response.headers["X-Request-ID"]
    assert made != sent and len(made) == 32 and int(made, 16) >= 0


def test_every_answer_carries_an_id_even_errors(client):
    for path in ("/nowhere", "/s/not-a-code", "/healthz"):
        assert len(client.get(path).headers["X-Request-ID"]) == 32


def test_json_lines_carry_the_request_id_and_not_the_code(json_app, capsys):
    client = json_app.test_client()
    client.get("/s/7KQ2-M9XD-4TPA-Z", headers={"X-Request-ID": "req-1"})
    with json_app.test_request_context(headers={"X-Request-ID": "req-2"}):
        json_app.preprocess_request()
        json_app.logger.warning("something odd")
    lines = _lines(capsys.readouterr().err)
    request_line = next(line for line in lines if line["logger"] == "satisfaction.requests")
    assert request_line["request_id"] == "req-1"
    assert request_line["route"] == "/s/<code>" and request_line["status"] in (400, 404)
    assert request_line["endpoint"] == "survey.answer" and request_line["duration_ms"] >= 0
    assert "7KQ2" not in json.dumps(lines)
    odd = next(line for line in lines if line["message"] == "something odd")
    assert odd["request_id"] == "req-2" and odd["level"] == "WARNING"


def test_json_logs_are_on_in_production_only_by_default():
    base = app_config("sqlite://")
    assert logs.json_enabled({**base, "ENVIRONMENT": "production"})
    assert not logs.json_enabled({**base, "ENVIRONMENT": "development"})
    assert not logs.json_enabled({**base, "ENVIRONMENT": "production", "LOG_JSON": False})
    assert logs.json_enabled({**base, "ENVIRONMENT": "testing", "LOG_JSON": "true"})


def test_a_log_line_outside_a_request_has_no_id(json_app, capsys):
    logging.getLogger("satisfaction.somewhere").warning("at start")
    (line,) = [line for line in _lines(capsys.readouterr().err) if line["message"] == "at start"]
    assert line["request_id"] == "-"


def test_testing_apps_leave_the_root_logger_alone():
    before = list(logging.getLogger().handlers)
    create_app(app_config("sqlite://"))
    assert logging.getLogger().handlers == before


def test_request_ids_are_random_and_drawn_anew_in_a_forked_worker(monkeypatch):
    from satisfaction.ops import tracing

    made = [tracing.new_id() for _ in range(2 * tracing.IDS_A_DRAW + 3)]  # across draws
    assert len(set(made)) == len(made) and all(len(i) == 32 and int(i, 16) >= 0 for i in made)
    left = tracing.new_id._left
    monkeypatch.setattr(tracing.os, "getpid", lambda: -1)  # as in a worker forked after them
    tracing.new_id()
    assert tracing.new_id._left is not left  # the parent's ids left are not handed out here
