"""Each request gets an id (taken from X-Request-ID when sane) and is timed, logged, counted."""

import logging
import os
import re
import threading
import time

from flask import Flask, Response, g, has_request_context, request

from satisfaction.ops import metrics

HEADER = "X-Request-ID"
# What a proxy or client may send as a request id: short, printable, nothing to inject in logs.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
PROBES = frozenset({"ops.healthz", "ops.readyz", "ops.metrics_page"})

log = logging.getLogger("satisfaction.requests")


def init_app(app: Flask) -> None:
    """Give every request an id and a clock; log and count it once answered."""
    app.before_request(start)
    app.after_request(finish)


def current_id() -> str | None:
    """Return the id of the request being served, if any."""
    if not has_request_context():
        return None
    return g.get("request_id")


def start() -> None:
    """Take the request's id from its header if it is sane, else make one; start its clock."""
    sent = request.headers.get(HEADER, "")
    g.request_id = sent if SANE_ID.fullmatch(sent) else new_id()
    g.request_started = time.perf_counter()


class _RandomIds:
    """Make random request ids, IDS_A_DRAW of them from one read of the system's source."""

    # A read per request cost more than the rest of the id's making. A forked worker draws its
    # own (the parent's ids left would be the other workers' too).

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid, self._left = 0, iter(())

    def __call__(self) -> str:
        with self._lock:
            if self._pid != os.getpid():
                self._pid, self._left = os.getpid(), iter(())
            found = next(self._left, None)
            if found is None:
                drawn = os.urandom(16 * IDS_A_DRAW).hex()
                self._left = (drawn[i : i + 32] for i in range(32, len(drawn), 32))
                found = drawn[:32]
            return found


IDS_A_DRAW = 256
new_id = _RandomIds()  # 32 hex digits, as uuid4().hex (random, but without uuid4's fixed bits)


def finish(response: Response) -> Response:
    """Return the request id on the response; count, time and log the request."""
    if "request_id" not in g:  # a request refused before before_request ran
        start()
    response.headers[HEADER] = g.request_id
    seconds = time.perf_counter() - g.request_started
    served = request._get_current_object()  # read below six times: the proxy once
    method, endpoint, status = served.method, served.endpoint or "none", response.status_code
    metrics.observe_request(method, endpoint, status, seconds)
    if endpoint not in PROBES or status >= 400:
        # The route's pattern, not the path: a path may hold a citizen's code (/s/<code>).
        route = served.url_rule.rule if served.url_rule else None
        log.info("%s %s %d", method, route or "-", status,
                 extra={"method": method, "route": route, "endpoint": endpoint, "status": status,
                        "duration_ms": round(seconds * 1000, 1)})  # fmt: skip
    return response
