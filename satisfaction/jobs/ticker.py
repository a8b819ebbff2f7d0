"""Without Redis: the minute's tick in a thread of the serving process.

With RQ the worker's scheduler runs the tick (satisfaction.jobs.worker.tick). On the embedded
default no other process runs, so the app ticks itself, from its first request on: the ballot
box is mixed when an answer has waited MIX_MAX_WAIT even if no new answer comes, and jobs left
by a process that died (a restart mid-job) are taken up again.
"""

import logging
import os
import threading
import time

from flask import Flask

from satisfaction.extensions import db
from satisfaction.jobs import queue

log = logging.getLogger(__name__)
_started: set[int] = set()  # the processes (by pid) whose ticker runs: a fork starts its own
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Start the ticker with the first request when jobs run in the app's threads."""
    seconds = float(app.config["JOBS_TICK_SECONDS"])
    if seconds <= 0 or queue.backend(app) != "thread":
        return

    @app.before_request
    def _start_ticker() -> None:
        start(app, seconds)


def start(app: Flask, seconds: float) -> bool:
    """Start this process's ticker unless it runs already; say whether it was started."""
    with _lock:
        if os.getpid() in _started:
            return False
        _started.add(os.getpid())
    threading.Thread(target=_loop, args=(app, seconds), daemon=True, name="ticker").start()
    return True


def _loop(app: Flask, seconds: float) -> None:
    while True:
        tick(app)
        time.sleep(seconds)


def tick(app: Flask) -> None:
    """Mix the ballot box if due and take up the jobs a dead process left; never raise."""
    from satisfaction.survey import ballot_box

    with app.app_context():
        try:
            ballot_box.mix_if_due()
            resumed = queue.resume_in_threads()
            if resumed:
                log.info("jobs taken up again: %s", resumed)
        except Exception:
            db.session.rollback()
            log.exception("the tick failed; it runs again in a minute")
        finally:
            db.session.remove()
