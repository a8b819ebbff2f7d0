"""Periods a score covers: a year, a quarter, a month or a date range (pure)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

YEAR = re.compile(r"(\d{4})")
QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
MONTH = re.compile(r"(\d{4})-(\d{2})")
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Period:
    """Days from start to end, both included; None on both sides means all dates."""

    label: str
    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        """Return whether a day lies in the period."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


ALL_DATES = Period("")


def parse_period(text: str | None) -> Period:
    """Return the period of "2026", "2026-Q3", "2026-07" or "2026-01-01..2026-06-30"."""
    text = (text or "").strip()
    if not text:
        return ALL_DATES
    if match := YEAR.fullmatch(text):
        year = int(match[1])
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if match := QUARTER.fullmatch(text):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        last = date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        return Period(f"{year}-Q{quarter}", date(year, first, 1), last)
    if match := MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(text)
        return Period(
            text, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        )
    if match := RANGE.fullmatch(text):
        start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        if end < start:
            raise ValueError(text)
        return Period(text, start, end)
    raise ValueError(text)
