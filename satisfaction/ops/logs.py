"""Logs: one JSON object a line carrying the request id, or Flask's plain text."""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask
from flask.logging import default_handler

from satisfaction.ops.tracing import current_id

# Attributes every LogRecord has; any other was passed through extra= and goes in the JSON.
STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
# json.dumps(entry, ensure_ascii=False, default=str), its encoder made once, not per line.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add request_id to the record; keep it."""
        record.request_id = current_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({key: value for key, value in vars(record).items()
                      if key not in STANDARD and not key.startswith("_")})  # fmt: skip
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


class StderrHandler(logging.StreamHandler):
    """Write to the current sys.stderr, whatever replaced it since (a server, a test)."""

    is_satisfaction = True

    @property
    def stream(self):
        """Return the current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def json_enabled(config) -> bool:
    """Tell whether logs are JSON: LOG_JSON if set, else in production only."""
    chosen = config.get("LOG_JSON")
    if chosen is None:
        return config["ENVIRONMENT"] == "production"
    return str(chosen).lower() not in {"0", "false", "no", "off", ""}


def configure(app: Flask) -> None:
    """Send the platform's logs to standard error as JSON when LOG_JSON says so."""
    if not json_enabled(app.config):
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "is_satisfaction", False)]:
        root.removeHandler(handler)  # another app of this process configured it before
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
    app.logger.removeHandler(default_handler)  # its records reach the root handler instead
