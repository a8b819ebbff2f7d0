"""A job on a real RQ worker that is killed mid-job is finished by the next worker."""

import signal
import uuid

import pytest

from satisfaction.extensions import db
from satisfaction.jobs import queue
from satisfaction.jobs.models import Job, JobStatus
from tests.conftest import REDIS_URL, needs_redis
from tests.jobs.helpers import assert_every_form_read_once, kill, scan_file, start, wait_until
from tests.ops.servers import server_env

pytestmark = needs_redis
FORMS = 10


def _job(app, job_id: int) -> Job:
    with app.app_context():
        found = db.session.get(Job, job_id)
        db.session.expunge(found)
        db.session.remove()
    return found


@pytest.fixture
def rq_app(make_app, survey_app):
    """Return an app on the same database whose jobs go to a queue of its own on Redis."""
    return make_app(REDIS_URL=REDIS_URL, JOBS_BACKEND=None, JOBS_QUEUE=f"t-{uuid.uuid4().hex}")


def test_a_job_whose_worker_is_killed_is_finished_by_the_next(rq_app, issue, tmp_path,
                                                               database_url):  # fmt: skip
    path, codes = scan_file(issue, tmp_path, FORMS)
    with rq_app.app_context():
        job_id = queue.start("scans", None, path.name, upload=(path.name, path.read_bytes())).id
        db.session.remove()
    env = server_env(database_url, SATISFACTION_REDIS_URL=REDIS_URL,
                     SATISFACTION_JOBS_QUEUE=rq_app.config["JOBS_QUEUE"])  # fmt: skip
    first = start(["jobs", "worker"], env)
    try:
        wait_until(lambda: _job(rq_app, job_id).done >= 5, first)
    finally:
        kill(first)
    assert _job(rq_app, job_id).status is JobStatus.RUNNING, "killed mid-job"

    second = start(["jobs", "worker"], env)
    try:
        wait_until(lambda: _job(rq_app, job_id).is_over, second, timeout=300)
    finally:
        kill(second, signal.SIGTERM)
    job = _job(rq_app, job_id)
    assert job.status is JobStatus.DONE, job.errors
    assert job.attempts == 2 and job.done == job.total == 2 * FORMS
    assert job.result["resumed"] >= 5
    assert_every_form_read_once(rq_app, codes, 2 * FORMS)
