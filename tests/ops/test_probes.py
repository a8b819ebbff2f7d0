"""/healthz, /readyz and who may read them and /metrics."""

import pytest

from satisfaction import ConfigurationError, create_app
from tests.conftest import REDIS_URL, app_config, needs_redis
from tests.ops.servers import free_port

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}
DEAD_PG = "postgresql+psycopg://nobody:nothing@127.0.0.1:{port}/none?connect_timeout=2"


def test_healthz_answers_without_touching_the_database():
    app = create_app(app_config(DEAD_PG.format(port=free_port())))
    response = app.test_client().get("/healthz", environ_base=OUTSIDE)
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_says_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json == {"status": "ok", "checks": {"database": "ok"}, "failed": []}


def test_readyz_names_a_database_that_does_not_answer():
    app = create_app(app_config(DEAD_PG.format(port=free_port())))
    response = app.test_client().get("/readyz", query_string={"lang": "en"})
    assert response.status_code == 503
    assert response.json["status"] == "fail" and response.json["failed"] == ["database"]
    assert response.json["checks"]["database"].startswith("database does not answer")


def test_readyz_names_a_redis_that_does_not_answer(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["redis"]
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["redis"].startswith("redis không phản hồi")


@needs_redis
def test_readyz_checks_the_configured_redis(make_app):
    response = make_app(REDIS_URL=REDIS_URL).test_client().get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
def test_operations_pages_are_closed_to_the_world_by_default(client, path):
    response = client.get(path, environ_base=OUTSIDE)
    assert response.status_code == 403
    assert "Không được phép" in response.text


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
def test_a_token_or_an_allowed_network_opens_them(make_app, path):
    client = make_app(METRICS_TOKEN="s3cret-token", METRICS_ALLOWED_ADDRESSES="10.0.0.0/8, ::1"
                      ).test_client()  # fmt: skip
    bearer = {"Authorization": "Bearer s3cret-token"}
    assert client.get(path, environ_base=OUTSIDE, headers=bearer).status_code == 200
    wrong = {"Authorization": "Bearer guess"}
    assert client.get(path, environ_base=OUTSIDE, headers=wrong).status_code == 403
    assert client.get(path, environ_base={"REMOTE_ADDR": "10.2.3.4"}).status_code == 200
    assert client.get(path).status_code == 403  # 127.0.0.1 is no longer listed
    assert client.get(path, environ_base={"REMOTE_ADDR": "not an address"}).status_code == 403


def test_behind_a_proxy_the_forwarded_client_is_judged(make_app):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    assert client.get("/metrics", headers=forwarded).status_code == 403
    assert client.get("/metrics").status_code == 200


def test_behind_a_proxy_the_app_was_not_told_of_only_the_token_opens(make_app):
    client = make_app(METRICS_TOKEN="s3cret-token").test_client()
    forwarded = {"X-Forwarded-For": "127.0.0.1"}  # nginx in front, TRUSTED_PROXIES left at 0
    assert client.get("/metrics", headers=forwarded).status_code == 403
    bearer = {**forwarded, "Authorization": "Bearer s3cret-token"}
    assert client.get("/metrics", headers=bearer).status_code == 200


def test_a_bad_allowed_address_is_refused_by_name():
    config = app_config("sqlite://", METRICS_ALLOWED_ADDRESSES=["10.0.0.0/8", "intranet"])
    with pytest.raises(ConfigurationError, match="METRICS_ALLOWED_ADDRESSES"):
        create_app(config)


@needs_redis
def test_readyz_checks_the_job_queue_when_jobs_run_on_redis(make_app):
    app = make_app(REDIS_URL=REDIS_URL, JOBS_BACKEND=None)  # RQ, as in production
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json["checks"] == {"database": "ok", "redis": "ok", "jobs": "ok"}
