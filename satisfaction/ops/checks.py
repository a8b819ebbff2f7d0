"""Readiness: does each service the platform needs answer? (database, Redis and the job queue
when configured)"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from satisfaction.extensions import db

log = logging.getLogger(__name__)
TIMEOUT = 2  # seconds a probe waits for Redis


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its name, whether it passed, and what failed if not."""

    name: str
    ok: bool
    error: str | None = None


def check_database() -> None:
    """Run a trivial query on the database; raise if it does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def check_redis() -> None:
    """Ping the configured Redis; raise if it does not answer."""
    import redis

    url = str(current_app.config["REDIS_URL"])
    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


def check_job_queue() -> None:
    """Read the length of the RQ queue the jobs go to; raise if it cannot be read."""
    from satisfaction.jobs import queue

    jobs = queue.rq_queue()
    try:
        len(jobs)
    finally:
        jobs.connection.close()


def probes() -> dict[str, Callable[[], None]]:
    """Return the checks this configuration needs, by name."""
    from satisfaction.jobs import queue

    found: dict[str, Callable[[], None]] = {"database": check_database}
    if current_app.config.get("REDIS_URL"):
        found["redis"] = check_redis
    if queue.backend() == "rq":
        found["jobs"] = check_job_queue
    return found


def run_checks() -> list[Check]:
    """Run every check; a failure is logged with its cause and named, never raised."""
    results = []
    for name, probe in probes().items():
        try:
            probe()
        except Exception as error:
            log.warning("readiness check %s failed: %s", name, error, extra={"check": name})
            message = _("%(service)s does not answer (%(error)s).", service=name,
                        error=type(error).__name__)  # fmt: skip
            results.append(Check(name, False, message))
        else:
            results.append(Check(name, True))
    return results
