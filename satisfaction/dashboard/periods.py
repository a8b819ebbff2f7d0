"""Periods next to a period: the one before it, a year before, the quarters up to it (pure)."""

import calendar
from datetime import date, timedelta

from satisfaction.scoring.periods import HALF, QUARTER, YEAR, Period, parse_period


def covered_until(period: Period, latest: date | None) -> date | None:
    """Return the last day of the latest answered month when a year or half runs past it.

    A year (or a half) still in progress has answers only up to some month: it is then
    compared with the same part of the period a year before. None otherwise.
    """
    if latest is None or period.start is None or period.end is None:
        return None
    if not (YEAR.fullmatch(period.label) or HALF.fullmatch(period.label)):
        return None
    last = latest.replace(day=calendar.monthrange(latest.year, latest.month)[1])
    return last if period.start <= latest and last < period.end else None


def _shift(day: date, years: int) -> date:
    """Return the same day some years before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def a_year_before(period: Period, until: date | None = None) -> Period | None:
    """Return the same period a year before (only up to until's day a year before, if given)."""
    if period.start is None or period.end is None:
        return None
    start = _shift(period.start, 1)
    if until is not None:
        return parse_period(f"{start.isoformat()}..{_shift(until, 1).isoformat()}")
    label = period.label
    if YEAR.fullmatch(label):
        return parse_period(str(start.year))
    if HALF.fullmatch(label) or QUARTER.fullmatch(label):
        return parse_period(f"{start.year}{label[4:]}")
    if period.start.day == 1 and label == period.start.strftime("%Y-%m"):
        return parse_period(start.strftime("%Y-%m"))
    return parse_period(f"{start.isoformat()}..{_shift(period.end, 1).isoformat()}")


def previous(period: Period, until: date | None = None) -> Period | None:
    """Return the period a change is measured from.

    The quarter, month or range just before; for a year or a half, the same a year before; for a
    period in progress (until given), the same part of it a year before.
    """
    if period.start is None or period.end is None:
        return None
    if until is not None or YEAR.fullmatch(period.label) or HALF.fullmatch(period.label):
        return a_year_before(period, until)
    if QUARTER.fullmatch(period.label):
        quarter = (period.start.month - 1) // 3 + 1
        year, quarter = (period.start.year, quarter - 1) if quarter > 1 else (
            period.start.year - 1, 4)  # fmt: skip
        return parse_period(f"{year}-Q{quarter}")
    if period.start.day == 1 and period.label == period.start.strftime("%Y-%m"):
        before = period.start - timedelta(days=1)
        return parse_period(before.strftime("%Y-%m"))
    length = period.end - period.start
    end = period.start - timedelta(days=1)
    return parse_period(f"{(end - length).isoformat()}..{end.isoformat()}")


def quarters_until(day: date, count: int = 8) -> list[Period]:
    """Return the count quarters ending with the one that holds day, oldest first."""
    year, quarter = day.year, (day.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        found.append(parse_period(f"{year}-Q{quarter}"))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


def choices(months: list[date]) -> list[Period]:
    """Return the years, halves and quarters holding answered months, latest first."""
    found: dict[str, Period] = {}
    for month in sorted(set(months), reverse=True):
        half, quarter = (month.month - 1) // 6 + 1, (month.month - 1) // 3 + 1
        for label in (f"{month.year}", f"{month.year}-H{half}", f"{month.year}-Q{quarter}"):
            found.setdefault(label, parse_period(label))
    return sorted(found.values(), key=lambda p: (-p.start.year, -(p.end - p.start).days,
                                                 -p.start.toordinal()))  # fmt: skip


def pooled_year(period: Period) -> Period | None:
    """Return the four quarters ending with the one that holds the period's end, as one period.

    A commune mostly has under 30 answers a quarter: pooled over a year it often has a figure.
    None when the period has no end or already spans a year or more.
    """
    if period.start is None or period.end is None:
        return None
    quarters = quarters_until(period.end, 4)
    start, end = quarters[0].start, quarters[-1].end
    if period.start <= start:
        return None
    return parse_period(f"{start.isoformat()}..{end.isoformat()}")
