"""Start jobs, read them, and run one: the same code on RQ, in a thread, or in a command."""

import os
import socket
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from satisfaction.auth.models import Role, User
from satisfaction.core.errors import InputError, NotFound
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.jobs.models import Job, JobFile, JobStatus

MAX_ATTEMPTS = 3  # a job whose process died is run again, at most this many times in all


def submit(kind: str, user: User | None, title: str = "", params: dict[str, Any] | None = None,
           upload: tuple[str, bytes] | None = None) -> Job:  # fmt: skip
    """Record a job to run (and the file it reads); launch it once committed."""
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    job = Job(kind=kind, title=title[:255], params=params or {}, started_by=user, locale=locale)
    db.session.add(job)
    db.session.flush()
    if upload is not None:
        name, data = upload
        db.session.add(JobFile(job_id=job.id, role="input", name=name[:255], data=data))
        db.session.flush()
    return job


def get_job(job_id: int, user: User) -> Job:
    """Return a job its starter (or an administrator) may see; NotFound otherwise."""
    job = db.session.get(Job, job_id)
    if job is None or (user.role is not Role.ADMIN and job.started_by_id != user.id):
        raise NotFound(f"job {job_id}")
    return job


def recent_jobs(user: User, limit: int = 20) -> list[Job]:
    """Return the newest jobs the user started (every job for an administrator)."""
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if user.role is not Role.ADMIN:
        stmt = stmt.where(Job.started_by_id == user.id)
    return list(db.session.scalars(stmt))


def count_by_status() -> dict[JobStatus, int]:
    """Return how many jobs there are in each status (every status named, 0 included)."""
    found = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return {status: found.get(status, 0) for status in JobStatus}


def file_of(job: Job, role: str) -> JobFile | None:
    """Return the job's input or output file, if it has one."""
    return db.session.scalar(select(JobFile).where(JobFile.job_id == job.id, JobFile.role == role))


def keep_output(job: Job, name: str, mimetype: str, data: bytes) -> None:
    """Keep a file the job made, for its page to offer."""
    db.session.add(JobFile(job_id=job.id, role="output", name=name, mimetype=mimetype, data=data))
    db.session.flush()


def this_process() -> str:
    """Name the running process as "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job_id: int, previous_worker: str | None = None) -> bool:
    """Take a job for this process: a queued one, or one whose process died; commit."""
    dead = (Job.status == JobStatus.RUNNING) & (Job.worker == (previous_worker or ""))
    taken = or_(Job.status == JobStatus.QUEUED, dead)
    done = db.session.execute(
        update(Job).where(Job.id == job_id, taken, Job.attempts < MAX_ATTEMPTS)
        .values(status=JobStatus.RUNNING, worker=this_process(), attempts=Job.attempts + 1)
    )  # fmt: skip
    db.session.commit()
    return done.rowcount == 1


def run(job_id: int, task: Callable[[Job], dict[str, Any]], last_try: bool = True) -> Job | None:
    """Run a claimed job's task, in its starter's language; record its result or errors.

    A refused input ends the job with its problems (line or page named). An unexpected error
    ends it too on its last try; before that it is raised, for the queue to try again (the
    work done so far is kept: the task resumes it).
    """
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    with force_locale(job.locale):
        try:
            result = task(job)
        except InputError as error:
            db.session.rollback()
            _finish(job_id, JobStatus.FAILED, getattr(error, "result", None),
                    [[p.where, p.message] for p in error.problems])  # fmt: skip
        except Exception:
            db.session.rollback()
            current_app.logger.exception("job %s (%s) failed", job_id, job.kind)
            if not last_try and db.session.get(Job, job_id).attempts < MAX_ATTEMPTS:
                raise
            why = _("an unexpected error stopped the job; what it did is kept: start it again")
            _finish(job_id, JobStatus.FAILED, None, [["", why]])
        else:
            _finish(job_id, JobStatus.DONE, result, None)
    return db.session.get(Job, job_id)


def give_up(job_id: int) -> None:
    """End a job whose process died on its last try; what it did is kept."""
    with force_locale(db.session.get(Job, job_id).locale):
        why = _("the job stopped %(n)d times (its process ended); what it did is kept: "
                "start it again", n=MAX_ATTEMPTS)  # fmt: skip
        _finish(job_id, JobStatus.FAILED, None, [["", why]])


def _finish(job_id: int, status: JobStatus, result, errors) -> None:
    """Record how a job ended, drop the file it read, and commit."""
    job = db.session.get(Job, job_id)
    job.status, job.result, job.errors = status, result, errors
    job.finished_at, job.worker = utcnow(), ""
    db.session.execute(delete(JobFile).where(JobFile.job_id == job_id, JobFile.role == "input"))
    db.session.commit()


def advance(job: Job, steps: int = 1) -> None:
    """Count steps done; they are committed with the work they stand for."""
    job.done += steps
