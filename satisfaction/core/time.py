"""Time helpers: the database stores naive UTC datetimes."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Ho_Chi_Minh")


def local_today() -> date:
    """Return today's date where the platform serves (the configured timezone)."""
    return datetime.now(_zone()).date()


def local_date(moment: datetime) -> date:
    """Return the local date of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(_zone()).date()


def utc_start_of(day: date) -> datetime:
    """Return the stored (naive UTC) time at which a local day begins."""
    return datetime.combine(day, time(), _zone()).astimezone(UTC).replace(tzinfo=None)


def this_month() -> date:
    """Return the first day of the current month, for rows that keep no finer time."""
    return local_today().replace(day=1)
