"""Time helpers: the database stores naive UTC datetimes."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date where the platform serves (the configured timezone)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Ho_Chi_Minh")
    return datetime.now(zone).date()


def this_month() -> date:
    """Return the first day of the current month, for rows that keep no finer time."""
    return local_today().replace(day=1)
