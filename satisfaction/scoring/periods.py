"""Periods a score covers: a year, a quarter, a month or a date range (pure)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

YEAR = re.compile(r"(\d{4})")
QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
HALF = re.compile(r"(\d{4})-H([12])", re.IGNORECASE)
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
    """Return the period of "2026", "2026-H1", "2026-Q3", "2026-07" or "2026-01-01..2026-06-30"."""
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
    if match := HALF.fullmatch(text):
        year, half = int(match[1]), int(match[2])
        first, last = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (
            date(year, 7, 1), date(year, 12, 31))  # fmt: skip
        return Period(f"{year}-H{half}", first, last)
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


class Span(StrEnum):
    """How long a rollup runs from its first month: a month, a quarter, a year, or every month
    (ALL: one row a unit or desk over all dates, its first month EVER)."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ALL = "all"


SPAN_MONTHS = {Span.MONTH: 1, Span.QUARTER: 3, Span.YEAR: 12}  # ALL has no end
EVER = date(1, 1, 1)  # the first month of the span over all dates


def add_months(month: date, count: int) -> date:
    """Return the first day of the month count months after a month's first day."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def span_start(span: Span, month: date) -> date:
    """Return the first day of the span of a kind holding a month."""
    if span is Span.ALL:
        return EVER
    size = SPAN_MONTHS[span]
    return date(month.year, (month.month - 1) // size * size + 1, 1)


@dataclass(frozen=True)
class Spans:
    """Spans of one kind starting from first to last (None: no bound on that side)."""

    span: Span
    first: date | None
    last: date | None


def cover(first: date | None, stop: date | None, widest: Span = Span.YEAR) -> list[Spans]:
    """Return the fewest spans, none wider than widest, covering the months from first to stop.

    Both are first days of months, stop excluded; None leaves that side open. The spans do not
    overlap, so every answer in those months is counted once: whole years, then whole quarters,
    then months. All months (both sides open) are one span of the widest kind, ALL included.
    """
    if first is None and stop is None:
        return [Spans(widest, None, None)]
    widest = Span.YEAR if widest is Span.ALL else widest
    size, head, tail = SPAN_MONTHS[widest], [], []
    if first is None:  # every whole span of the widest kind before the one holding stop
        first = span_start(widest, stop)
        head = [Spans(widest, None, add_months(first, -size))]
    if stop is None:  # every whole span of the widest kind from the first at or after first
        stop = first if span_start(widest, first) == first else add_months(
            span_start(widest, first), size)  # fmt: skip
        tail = [Spans(widest, stop, None)]
    found: list[Spans] = []
    month = first
    while month < stop:
        span = _widest(month, stop, widest)
        last = found[-1] if found else None
        if last is not None and last.span == span and _after(last) == month:
            found[-1] = Spans(span, last.first, month)  # one more of the same kind: one range
        else:
            found.append(Spans(span, month, month))
        month = add_months(month, SPAN_MONTHS[span])
    return head + found + tail


def _widest(month: date, stop: date, widest: Span) -> Span:
    """Return the widest span, up to widest, starting at a month and ending before stop."""
    for span in (Span.YEAR, Span.QUARTER):
        if SPAN_MONTHS[span] > SPAN_MONTHS[widest]:
            continue
        if span_start(span, month) == month and add_months(month, SPAN_MONTHS[span]) <= stop:
            return span
    return Span.MONTH


def _after(spans: Spans) -> date | None:
    """Return the first month after a range of spans (None if it is open)."""
    return None if spans.last is None else add_months(spans.last, SPAN_MONTHS[spans.span])
