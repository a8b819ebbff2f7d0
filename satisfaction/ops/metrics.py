"""Prometheus metrics: requests and latency by endpoint, answers recorded and waiting, jobs.

Under gunicorn with several workers each worker counts for itself; with
PROMETHEUS_MULTIPROC_DIR set (before the workers start) they write their counts to files there
and any worker's /metrics adds them all up (prometheus_client's multiprocess mode).
"""

import logging
import os

from flask import Flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event
from sqlalchemy.orm import Session

from satisfaction.survey import ballot_box

log = logging.getLogger(__name__)
RECORDED = ballot_box.CHANNELS  # in a session's info: channels of the answers it dropped

# Not registered anywhere: each scrape puts them (or their files) in a registry of its own.
REQUESTS = Counter("satisfaction_http_requests", "HTTP requests answered, by endpoint and status",
                   ["method", "endpoint", "status"], registry=None)  # fmt: skip
LATENCY = Histogram("satisfaction_http_request_duration_seconds",
                    "Time to answer an HTTP request, by endpoint", ["method", "endpoint"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
                    registry=None)  # fmt: skip
ANSWERS = Counter("satisfaction_answers_recorded",
                  "Answers recorded (committed into the ballot box), by channel", ["channel"],
                  registry=None)  # fmt: skip
OWN = (REQUESTS, LATENCY, ANSWERS)


def init_app(app: Flask) -> None:
    """Count answers as their transactions commit (once per process)."""
    if not event.contains(Session, "after_commit", _count_answers):
        event.listen(Session, "after_commit", _count_answers)
        event.listen(Session, "after_rollback", _forget_answers)


def multiprocess_dir() -> str | None:
    """Return the folder where workers share their counts, if one is set."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def observe_request(method: str, endpoint: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    key = (method, endpoint, status)
    found = _children.get(key)
    if found is None:
        if len(_children) >= MAX_CHILDREN:  # odd methods sent by clients: keep a bounded few
            _children.clear()
        found = _children[key] = (REQUESTS.labels(method, endpoint, str(status)),
                                  LATENCY.labels(method, endpoint))  # fmt: skip
    found[0].inc()
    found[1].observe(seconds)


# Each label set's counter and histogram, found once (labels() checks and locks on each call).
_children: dict[tuple[str, str, int], tuple] = {}
MAX_CHILDREN = 1000


def _count_answers(session: Session) -> None:
    """Count the answers the committed transaction dropped in the ballot box, by channel."""
    for channel in session.info.pop(RECORDED, []):
        ANSWERS.labels(getattr(channel, "value", str(channel))).inc()


def _forget_answers(session: Session) -> None:
    session.info.pop(RECORDED, None)


class WaitingCollector:
    """Report the answers waiting in the ballot box, read from the database at each scrape."""

    def collect(self):
        """Yield the gauge of waiting answers (nothing if the database does not answer)."""
        from satisfaction.extensions import db
        from satisfaction.survey import ballot_box

        try:
            count = ballot_box.waiting()
        except Exception as error:
            log.warning("metrics: the ballot box could not be counted: %s", error)
            return
        finally:
            db.session.rollback()
        yield GaugeMetricFamily("satisfaction_answers_waiting",
                                "Answers in the ballot box, not counted in the scores yet",
                                value=count)  # fmt: skip


class JobsCollector:
    """Report the jobs by status (from their records) and, on RQ, the workers alive."""

    def collect(self):
        """Yield the gauges of jobs by status and of RQ workers (nothing if a reading fails)."""
        from satisfaction.extensions import db
        from satisfaction.jobs import queue, services

        try:
            counts = services.count_by_status()
        except Exception as error:
            log.warning("metrics: the jobs could not be counted: %s", error)
            return
        finally:
            db.session.rollback()
        jobs = GaugeMetricFamily("satisfaction_jobs", "Jobs by status (queued, running, done, "
                                 "failed), as their records say", labels=["status"])  # fmt: skip
        for status, count in counts.items():
            jobs.add_metric([status.value], count)
        yield jobs
        if queue.backend() == "rq":
            try:
                workers = queue.workers_alive()
            except Exception as error:
                log.warning("metrics: the RQ workers could not be counted: %s", error)
                return
            yield GaugeMetricFamily(
                "satisfaction_job_workers",
                "RQ workers alive on this platform's queue",
                value=workers,
            )


def exposition() -> tuple[bytes, str]:
    """Return the metrics of every worker in Prometheus's text format, and its content type."""
    registry = CollectorRegistry()
    folder = multiprocess_dir()
    if folder:
        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        for metric in OWN:
            registry.register(metric)
    registry.register(WaitingCollector())
    registry.register(JobsCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
