"""Each request gets an id (taken from X-Request-ID when sane) and is timed, logged, counted."""

import logging
import re
import time
import uuid

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
    g.request_id = sent if SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish(response: Response) -> Response:
    """Return the request id on the response; count, time and log the request."""
    if "request_id" not in g:  # a request refused before before_request ran
        start()
    response.headers[HEADER] = g.request_id
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or "none"
    metrics.observe_request(request.method, endpoint, response.status_code, seconds)
    if endpoint not in PROBES or response.status_code >= 400:
        # The route's pattern, not the path: a path may hold a citizen's code (/s/<code>).
        route = request.url_rule.rule if request.url_rule else None
        log.info("%s %s %d", request.method, route or "-", response.status_code,
                 extra={"method": request.method, "route": route, "endpoint": endpoint,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1)})  # fmt: skip
    return response
