"""Operating the platform: health and readiness probes, request ids, JSON logs, metrics."""

from flask import Flask

from satisfaction.ops import access, logs, metrics, tracing


def init_app(app: Flask) -> None:
    """Wire the probes, the request ids, the logs and the metrics into app."""
    access.check_config(app.config)
    logs.configure(app)
    tracing.init_app(app)
    metrics.init_app(app)
