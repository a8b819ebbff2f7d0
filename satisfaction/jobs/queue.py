"""Where jobs run: on RQ with Redis when REDIS_URL is set, else in a thread of this process.

The job records are in the database either way; RQ only carries "run job N". A job whose
process died is taken again: at once by the next worker on the same machine (its process is
gone), else by RQ's retry once the dead worker's heartbeat has expired.
"""

import os
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select

from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.jobs import services
from satisfaction.jobs.models import Job, JobStatus

TICK_ID = "satisfaction-tick"
RETRY_INTERVALS = [10, 60]  # seconds before the second and the third try
JOB_TIMEOUT = 6 * 3600  # a 2,000-page scan file, a national rebuild
STALE_QUEUED = 60  # seconds a queued job may wait for its thread before another takes it


def backend(app: Flask | None = None) -> str:
    """Return where jobs run: "rq", "thread" or "inline" (at once, in the caller: tests)."""
    config = (app or current_app).config
    chosen = config.get("JOBS_BACKEND")
    if chosen:
        return str(chosen)
    return "rq" if config.get("REDIS_URL") else "thread"


def rq_queue(app: Flask | None = None):
    """Return the RQ queue of this platform's jobs, on the configured Redis."""
    from redis import Redis
    from rq import Queue

    config = (app or current_app).config
    connection = Redis.from_url(str(config["REDIS_URL"]), socket_connect_timeout=5)
    return Queue(str(config["JOBS_QUEUE"]), connection=connection, default_timeout=JOB_TIMEOUT)


def workers_alive(app: Flask | None = None) -> int:
    """Return how many RQ workers listen to this platform's queue now."""
    from rq import Worker

    jobs = rq_queue(app)
    try:
        return Worker.count(queue=jobs)
    finally:
        jobs.connection.close()


def rq_id(job_id: int) -> str:
    """Return the RQ job id that carries a job (one per job, whatever the try)."""
    return f"satisfaction-job-{job_id}"


def launch(job: Job) -> None:
    """Start a committed job where jobs run."""
    mode = backend()
    if mode == "rq":
        from rq import Retry

        rq_queue().enqueue(
            "satisfaction.jobs.worker.run_job", job.id, job_id=rq_id(job.id),
            retry=Retry(max=services.MAX_ATTEMPTS - 1, interval=RETRY_INTERVALS),
        )  # fmt: skip
    elif mode == "thread":
        app = current_app._get_current_object()
        threading.Thread(target=_in_thread, args=(app, job.id), daemon=True,
                         name=f"job-{job.id}").start()  # fmt: skip
    else:
        run_here(job)


def start(kind: str, user, title: str = "", params: dict | None = None,
          upload: tuple[str, bytes] | None = None) -> Job:  # fmt: skip
    """For a front end: record a job, commit (the edge's one commit), and launch it."""
    job = services.submit(kind, user, title, params, upload)
    db.session.commit()
    launch(job)
    return job


def run_here(job: Job) -> None:
    """Run a committed job now, in this process, in a context of its own."""
    _in_thread(current_app._get_current_object(), job.id)


def _in_thread(app: Flask, job_id: int) -> None:
    """Run a job in a fresh app context (its own database session)."""
    from satisfaction.jobs.tasks import perform

    with app.app_context():
        if services.claim(job_id):
            services.run(job_id, perform)
        db.session.remove()


def _abandoned() -> list[Job]:
    """Return the running jobs whose process, on this machine, is gone."""
    host = services.this_process().split(":")[0]
    stmt = select(Job).where(Job.status == JobStatus.RUNNING, Job.worker.startswith(host + ":"))
    return [job for job in db.session.scalars(stmt).all()
            if not _alive(int(job.worker.rsplit(":", 1)[1]))]  # fmt: skip


def _to_take_again() -> list[tuple[int, str]]:
    """Give up the abandoned jobs out of tries; return the others as (id, dead worker)."""
    again = []
    for job in _abandoned():
        if job.attempts >= services.MAX_ATTEMPTS:
            services.give_up(job.id)
        else:
            again.append((job.id, job.worker))
    db.session.commit()
    return again


def requeue_abandoned() -> list[int]:
    """Queue again the jobs whose worker process on this machine is gone; return their ids."""
    again = [job_id for job_id, _worker in _to_take_again()]
    for job_id in again:
        rq_queue().enqueue("satisfaction.jobs.worker.run_job", job_id, job_id=rq_id(job_id))
    return again


def resume_in_threads(stale_after: float = STALE_QUEUED) -> list[int]:
    """Without RQ: run again, in threads of this process, the jobs a dead process left.

    Those are the running jobs whose process on this machine is gone, and the jobs queued
    more than stale_after seconds ago that no thread took (the process died between the
    commit and the start). Return their ids.
    """
    left = _to_take_again()
    since = utcnow() - timedelta(seconds=stale_after)
    queued = select(Job.id).where(Job.status == JobStatus.QUEUED, Job.created_at < since)
    left += [(job_id, "") for job_id in db.session.scalars(queued).all()]
    db.session.commit()
    app = current_app._get_current_object()
    for job_id, worker in left:
        threading.Thread(target=_take_over, args=(app, job_id, worker), daemon=True,
                         name=f"job-{job_id}").start()  # fmt: skip
    return [job_id for job_id, _worker in left]


def _take_over(app: Flask, job_id: int, worker: str) -> None:
    """Run a job a dead process left, unless another process took it first."""
    from satisfaction.jobs.tasks import perform

    with app.app_context():
        if services.claim(job_id, previous_worker=worker or None):
            services.run(job_id, perform)
        db.session.remove()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def schedule_tick(queue=None) -> None:
    """Schedule the periodic tick (mix the ballot box, requeue abandoned jobs) next minute.

    Its id names the minute it runs at: ticks scheduled by several workers for one minute are
    one job, so their chains merge instead of multiplying.
    """
    queue = queue or rq_queue()
    minute = int(time.time() // 60) + 1
    queue.enqueue_at(datetime.fromtimestamp(minute * 60, UTC), "satisfaction.jobs.worker.tick",
                     job_id=f"{TICK_ID}-{minute}", result_ttl=0)  # fmt: skip
