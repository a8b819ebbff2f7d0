"""The probes and the metrics: /healthz, /readyz, /metrics."""

from flask import Blueprint, abort, jsonify

from satisfaction.ops import access, checks, metrics

ops_bp = Blueprint("ops", __name__)


@ops_bp.get("/healthz")
def healthz():
    """Say the process lives (touches no database: a restart would not mend one)."""
    return jsonify(status="ok")


@ops_bp.get("/readyz")
def readyz():
    """Say whether the database (and Redis when configured) answer; 503 naming what failed."""
    if not access.may_read_operations():
        abort(403)
    results = checks.run_checks()
    failed = [check.name for check in results if not check.ok]
    body = {
        "status": "fail" if failed else "ok",
        "checks": {check.name: check.error or "ok" for check in results},
        "failed": failed,
    }
    return jsonify(body), 503 if failed else 200


@ops_bp.get("/metrics")
def metrics_page():
    """Expose the metrics to Prometheus."""
    if not access.may_read_operations():
        abort(403)
    body, content_type = metrics.exposition()
    return body, 200, {"Content-Type": content_type}
