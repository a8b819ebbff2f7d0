"""Prometheus metrics: requests by endpoint, answers recorded and waiting, across workers."""

from concurrent.futures import ThreadPoolExecutor

from prometheus_client.parser import text_string_to_metric_families

from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.jobs import services
from satisfaction.jobs.models import JobStatus
from satisfaction.paper.codes import group
from tests.conftest import REDIS_URL, app_config, needs_redis
from tests.ops.servers import fetch, gunicorn, server_env
from tests.survey.conftest import full_answers


def samples(text: str) -> dict[tuple, float]:
    """Return the samples of a scrape by (name, sorted labels)."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples}  # fmt: skip


def value(scrape: dict, name: str, **labels) -> float:
    """Return one sample's value (0 when absent)."""
    return scrape.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_and_timed_by_endpoint(client):
    before = samples(client.get("/metrics").text)
    for _ in range(3):
        client.get("/healthz")
    client.get("/nowhere")
    after = samples(client.get("/metrics").text)
    count = "satisfaction_http_requests_total"
    healthz = {"method": "GET", "endpoint": "ops.healthz", "status": "200"}
    assert value(after, count, **healthz) - value(before, count, **healthz) == 3
    missing = {"method": "GET", "endpoint": "none", "status": "404"}
    assert value(after, count, **missing) - value(before, count, **missing) == 1
    timed = "satisfaction_http_request_duration_seconds_count"
    assert value(after, timed, method="GET", endpoint="ops.healthz") >= 3


def test_answers_recorded_and_waiting(make_app, small_units, issue):
    app = make_app(MIX_MIN=1000)  # the answers stay in the ballot box
    client = app.test_client()
    recorded = "satisfaction_answers_recorded_total"
    before = value(samples(client.get("/metrics").text), recorded, channel="envelope")
    for code in issue(2):
        assert client.post(f"/s/{group(code)}", data=full_answers()).status_code == 302
    refused = client.post(f"/s/{group(code)}", data=full_answers())  # counted once
    assert refused.status_code == 409
    scrape = samples(client.get("/metrics").text)
    assert value(scrape, recorded, channel="envelope") - before == 2
    assert value(scrape, "satisfaction_answers_waiting") == 2


def test_jobs_are_counted_by_status(survey_app, client):
    with survey_app.app_context():
        services.submit("rebuild", None, "a")  # waits: nothing launched it
        failed = services.submit("scans", None, "b.pdf")
        failed.status = JobStatus.FAILED
        db.session.commit()
    scrape = samples(client.get("/metrics").text)
    assert value(scrape, "satisfaction_jobs", status="queued") == 1
    assert value(scrape, "satisfaction_jobs", status="failed") == 1
    assert ("satisfaction_jobs", (("status", "running"),)) in scrape  # 0, named
    assert ("satisfaction_job_workers", ()) not in scrape  # jobs run in the app: no worker


@needs_redis
def test_the_rq_workers_alive_are_counted(make_app):
    scrape = samples(make_app(REDIS_URL=REDIS_URL, JOBS_BACKEND=None).test_client()
                     .get("/metrics").text)  # fmt: skip
    assert value(scrape, "satisfaction_job_workers") == 0  # none started in this test


def test_metrics_answer_without_a_database():
    app = create_app(app_config("postgresql+psycopg://x:y@127.0.0.1:1/none?connect_timeout=2"))
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    assert "satisfaction_http_requests_total" in response.text
    assert "satisfaction_answers_waiting" not in response.text
    assert "satisfaction_jobs" not in response.text


def test_workers_of_one_gunicorn_add_up(schema_url, tmp_path):
    folder = tmp_path / "metrics"
    env = server_env(schema_url, PROMETHEUS_MULTIPROC_DIR=str(folder))
    statuses: list[int] = []
    with gunicorn(env, workers=3) as base:  # /healthz answered once when it came up
        # Concurrent clients, in rounds until more than one worker has served some (which one
        # takes a connection is the kernel's choice: on a busy machine one may take them all).
        for _ in range(20):
            with ThreadPoolExecutor(8) as pool:
                statuses += pool.map(lambda _: fetch(base + "/healthz")[0], range(120))
            counting = list(folder.glob("counter_*.db"))
            if len(counting) >= 2:
                break
        scrapes = [samples(fetch(base + "/metrics")[1]) for _ in range(4)]
    assert statuses == [200] * len(statuses)
    assert len(counting) >= 2, counting  # more than one worker counted
    healthz = {"method": "GET", "endpoint": "ops.healthz", "status": "200"}
    for scrape in scrapes:  # whichever worker answers, the counts are every worker's
        assert value(scrape, "satisfaction_http_requests_total", **healthz) == len(statuses) + 1


def test_requests_counted_by_few_label_sets_are_kept_bounded():
    from satisfaction.ops import metrics

    for n in range(metrics.MAX_CHILDREN + 5):  # odd methods a client may send
        metrics.observe_request(f"X{n}", "none", 405, 0.001)
    assert len(metrics._children) <= metrics.MAX_CHILDREN
    before = metrics.REQUESTS.labels("GET", "survey.home", "200")._value.get()
    metrics.observe_request("GET", "survey.home", 200, 0.001)
    assert metrics.REQUESTS.labels("GET", "survey.home", "200")._value.get() == before + 1
