"""Without Redis, a job whose process died is taken up again by the app's own tick."""

import socket
import subprocess
from datetime import timedelta

from sqlalchemy import select, update

from satisfaction.auth.models import Role, User
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.jobs import services, ticker
from satisfaction.jobs.models import Job, JobStatus
from tests.auth.helpers import make_user
from tests.jobs.helpers import assert_every_form_read_once, scan_file, wait_until
from tests.ops.servers import fetch, gunicorn, server_env

FORMS = 3  # two pages each


def _dead_pid() -> int:
    """Return the pid of a process that has ended."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


def _left_running(app, path) -> int:
    """Record a scan job as a process that died mid-job would have left it; return its id."""
    make_user(app, "anh", Role.POSTAL, "001")
    with app.app_context():
        clerk = db.session.scalar(select(User).where(User.username == "anh"))
        job = services.submit("scans", clerk, path.name, upload=(path.name, path.read_bytes()))
        db.session.execute(update(Job).where(Job.id == job.id).values(
            status=JobStatus.RUNNING, attempts=1,
            worker=f"{socket.gethostname()}:{_dead_pid()}"))  # fmt: skip
        db.session.commit()
        return job.id


def _status(app, job_id: int) -> JobStatus:
    with app.app_context():
        status = db.session.get(Job, job_id).status
        db.session.remove()
    return status


def test_a_job_left_by_a_dead_process_is_finished_after_a_restart(survey_app, issue, tmp_path,
                                                                  database_url):  # fmt: skip
    path, codes = scan_file(issue, tmp_path, FORMS)
    job_id = _left_running(survey_app, path)
    env = server_env(database_url, SATISFACTION_JOBS_TICK_SECONDS="1")  # no Redis: threads
    with gunicorn(env, workers=2, log=tmp_path / "gunicorn.log") as base:
        assert fetch(base + "/healthz")[0] == 200  # the first request starts the tick
        wait_until(lambda: _status(survey_app, job_id) is JobStatus.DONE, timeout=120)
    assert_every_form_read_once(survey_app, codes, 2 * FORMS)
    with survey_app.app_context():
        assert db.session.get(Job, job_id).attempts == 2  # taken once more, by one worker only


def test_a_job_queued_but_never_started_is_started_by_the_tick(make_app, small_units):
    """The process died between the job's commit and its thread's start."""
    app = make_app(JOBS_BACKEND="thread")
    with app.app_context():
        waiting = services.submit("rebuild", None, "bảng tổng hợp")
        fresh = services.submit("rebuild", None, "vừa gửi")  # its own thread is about to start
        db.session.execute(update(Job).where(Job.id == waiting.id).values(
            created_at=utcnow() - timedelta(minutes=2)))  # fmt: skip
        db.session.commit()
        ids = waiting.id, fresh.id
    ticker.tick(app)
    wait_until(lambda: _status(app, ids[0]) is JobStatus.DONE, timeout=60)
    assert _status(app, ids[1]) is JobStatus.QUEUED
