"""Periods next to a period: the one before it, and the quarters leading up to it (pure)."""

from datetime import date, timedelta

from satisfaction.scoring.periods import QUARTER, YEAR, Period, parse_period


def previous(period: Period) -> Period | None:
    """Return the period just before, of the same kind (year, quarter, month, range)."""
    if period.start is None or period.end is None:
        return None
    if YEAR.fullmatch(period.label):
        return parse_period(str(period.start.year - 1))
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
