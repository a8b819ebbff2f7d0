"""Mix the ballot box after answers, beside the worker's requests rather than in their way.

A response that dropped answers, once sent, asks for a mix if the box looked due. Mixed on the
request's own thread, a sync worker takes no new request until the mix ends, and a batch costs
a dozen database round trips: every citizen queued behind it waits for them. With
MIX_IN_THREAD a thread of the process mixes instead, woken by the response, and the worker
goes on serving while the mixer waits for the database. What is mixed, and how, is the same
(ballot_box.mix_if_due): the mixer's lock lets one mixer work at a time across processes, a
failed mix leaves the answers in the box, and a wake-up during a mix makes the thread look
again once it ends.
"""

import os
import threading

from flask import Flask

from satisfaction.extensions import db
from satisfaction.survey import ballot_box

_wakers: dict[tuple[int, int], threading.Event] = {}  # by (process, app): a fork starts its own
_lock = threading.Lock()


def mix_soon(app: Flask) -> None:
    """Wake this process's mixer thread of app (started on first use)."""
    key = (os.getpid(), id(app))
    with _lock:
        wake = _wakers.get(key)
        if wake is None:
            wake = _wakers[key] = threading.Event()
            threading.Thread(target=_loop, args=(app, wake), daemon=True, name="mixer").start()
    wake.set()


def _loop(app: Flask, wake: threading.Event) -> None:
    while True:
        wake.wait()
        wake.clear()
        with app.app_context():
            try:
                ballot_box.mix_if_due()  # logs and rolls back what fails: answers stay in the box
            except Exception:  # even its rollback failed (the database gone): live on, look again
                app.logger.exception("the mixer thread could not mix; the answers wait")
            finally:
                db.session.remove()
