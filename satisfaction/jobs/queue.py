"""Where jobs run: on RQ with Redis when REDIS_URL is set, else in a thread of this process.

The job records are in the database either way; RQ only carries "run job N". A job whose
process died is taken again: at once by the next worker on the same machine (its process is
gone), else by RQ's retry once the dead worker's heartbeat has expired.
"""

import os
import threading
import time
from datetime import UTC, datetime

from flask import Flask, current_app
from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.jobs import services
from satisfaction.jobs.models import Job, JobStatus

TICK_ID = "satisfaction-tick"
RETRY_INTERVALS = [10, 60]  # seconds before the second and the third try
JOB_TIMEOUT = 6 * 3600  # a 2,000-page scan file, a national rebuild


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


def requeue_abandoned() -> list[int]:
    """Queue again the jobs whose worker process on this machine is gone; return their ids."""
    host = services.this_process().split(":")[0]
    stmt = select(Job).where(Job.status == JobStatus.RUNNING, Job.worker.startswith(host + ":"))
    again = []
    for job in db.session.scalars(stmt).all():
        if _alive(int(job.worker.rsplit(":", 1)[1])):
            continue
        if job.attempts >= services.MAX_ATTEMPTS:
            services.give_up(job.id)
        else:
            again.append(job.id)
    db.session.commit()
    for job_id in again:
        rq_queue().enqueue("satisfaction.jobs.worker.run_job", job_id, job_id=rq_id(job_id))
    return again


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
