"""What an RQ worker runs: one job, or the periodic tick; and the worker itself.

`satisfaction jobs worker` runs these within the app's context; a plain `rq worker` works too:
each function then builds the app from the same settings (SATISFACTION_*), once a process.
"""

import contextlib
import functools

from flask import current_app, has_app_context

from satisfaction.extensions import db
from satisfaction.jobs import queue, services
from satisfaction.jobs.models import Job


@functools.cache
def _app():
    from satisfaction import create_app

    return create_app()


def _context():
    return contextlib.nullcontext() if has_app_context() else _app().app_context()


def run_job(job_id: int) -> str:
    """Run job job_id, taking it over from a process that died with it; return its status."""
    from satisfaction.jobs.tasks import perform

    with _context():
        try:
            job = db.session.get(Job, job_id)
            if job is None or job.is_over:
                return "gone" if job is None else job.status.value
            if not services.claim(job_id, previous_worker=job.worker):
                return "taken"
            done = services.run(job_id, perform, last_try=False)
            return done.status.value if done else "gone"
        finally:
            db.session.remove()


def tick() -> int:
    """Mix the ballot box if it is due, queue again jobs left by dead workers; reschedule."""
    from satisfaction.survey import ballot_box

    with _context():
        try:
            moved = ballot_box.mix_if_due()
            db.session.commit()
            queue.requeue_abandoned()
        finally:
            db.session.remove()
            queue.schedule_tick(queue.rq_queue(current_app._get_current_object()))
    return moved


def work(burst: bool = False) -> None:
    """Run an RQ worker on the platform's queue, with RQ's scheduler (retries, the tick)."""
    from rq import SimpleWorker

    jobs_queue = queue.rq_queue()
    queue.requeue_abandoned()
    queue.schedule_tick(jobs_queue)
    db.session.remove()
    # One process, no fork: a job runs in the worker with its database pool; a worker killed
    # mid-job leaves the job to the next (see queue.requeue_abandoned).
    worker = SimpleWorker([jobs_queue], connection=jobs_queue.connection)
    worker.work(burst=burst, with_scheduler=True)
