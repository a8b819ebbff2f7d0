"""Periods and changes in the reader's words: "Quý II/2025", "+1,2", never "-0,0"."""

from datetime import date

from flask_babel import format_date, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from satisfaction.core.numbers import format_decimal
from satisfaction.scoring.models import Source
from satisfaction.scoring.periods import HALF, MONTH, QUARTER, YEAR, Period


def _quarter(number: int, year: int) -> str:
    names = (_("Q1 %(year)s", year=year), _("Q2 %(year)s", year=year),
             _("Q3 %(year)s", year=year), _("Q4 %(year)s", year=year))  # fmt: skip
    return names[number - 1]


def period_name(period: Period) -> str:
    """Return the name of a period in the page's language ("all dates" for none)."""
    label = period.label
    if period.start is None or period.end is None:
        return _("all dates")
    year = period.start.year
    if YEAR.fullmatch(label):
        return pgettext("a whole year", "%(year)s", year=year)
    if HALF.fullmatch(label):
        if period.start.month == 1:
            return _("First half of %(year)s", year=year)
        return _("Second half of %(year)s", year=year)
    if QUARTER.fullmatch(label):
        return _quarter((period.start.month - 1) // 3 + 1, year)
    if MONTH.fullmatch(label):
        return pgettext("a month", "%(month)s/%(year)s", month=period.start.month, year=year)
    return _("%(start)s to %(end)s", start=day_name(period.start), end=day_name(period.end))


def day_name(day: date) -> str:
    """Return a date as people write it (15/07/2025 in Vietnamese)."""
    return format_date(day, _("MMM d, y"))


def long_day_name(day: date) -> str:
    """Return a date in words ("ngày 15 tháng 7 năm 2025" in Vietnamese)."""
    return _("%(month)s %(day)s, %(year)s", day=day.day, month=format_date(day, "MMMM"),
             year=day.year)  # fmt: skip


def signed(value: float | None, pattern: str = "#,##0.0") -> str:
    """Return a change with its sign; one that rounds to nothing has none ("0,0", not "-0,0")."""
    if value is None:
        return "—"
    if round(value, 1) == 0:
        value = 0.0
    return ("+" if value > 0 else "") + format_decimal(value, pattern)


SOURCE_LABELS = {
    Source.ENVELOPE: _l("Forms sent with results by post"),
    Source.ENUMERATOR: _l("Forms handed out by postal staff"),
    Source.DESK: _l("Coded forms at the desk"),
    Source.POSTER: _l("Desk poster (anyone; not official)"),
}


def source_label(value: str) -> str:
    """Return the words for a source of answers."""
    try:
        return str(SOURCE_LABELS[Source(value)])
    except ValueError:
        return value
