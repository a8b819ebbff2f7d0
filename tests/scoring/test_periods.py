"""A run of whole months is read in the fewest rollup spans, each month exactly once."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from satisfaction.scoring.periods import (
    EVER,
    SPAN_MONTHS,
    Span,
    Spans,
    add_months,
    cover,
    span_start,
)

D = date


def _shown(first, stop):
    return [(s.span.value, s.first, s.last) for s in cover(first, stop)]


def test_widest_spans_first():
    assert _shown(D(2026, 1, 1), D(2028, 1, 1)) == [("year", D(2026, 1, 1), D(2027, 1, 1))]
    assert _shown(D(2026, 6, 1), D(2027, 2, 1)) == [
        ("month", D(2026, 6, 1), D(2026, 6, 1)),
        ("quarter", D(2026, 7, 1), D(2026, 10, 1)),
        ("month", D(2027, 1, 1), D(2027, 1, 1)),
    ]
    assert _shown(D(2026, 7, 1), D(2026, 8, 1)) == [("month", D(2026, 7, 1), D(2026, 7, 1))]


def test_open_sides_take_every_year_beyond():
    assert _shown(None, None) == [("year", None, None)]
    assert _shown(None, D(2026, 8, 1)) == [
        ("year", None, D(2025, 1, 1)),
        ("quarter", D(2026, 1, 1), D(2026, 4, 1)),
        ("month", D(2026, 7, 1), D(2026, 7, 1)),
    ]
    assert _shown(D(2026, 2, 1), None) == [
        ("month", D(2026, 2, 1), D(2026, 3, 1)),
        ("quarter", D(2026, 4, 1), D(2026, 10, 1)),
        ("year", D(2027, 1, 1), None),
    ]


def test_spans_no_wider_than_asked():
    assert [(s.span.value, s.first, s.last) for s in cover(None, D(2026, 8, 1), Span.QUARTER)] == [
        ("quarter", None, D(2026, 4, 1)),
        ("month", D(2026, 7, 1), D(2026, 7, 1)),
    ]
    assert [(s.span.value, s.first, s.last)
            for s in cover(D(2026, 1, 1), D(2028, 1, 1), Span.QUARTER)] == [
        ("quarter", D(2026, 1, 1), D(2027, 10, 1))]  # fmt: skip


MONTHS = st.integers(min_value=0, max_value=60).map(lambda n: add_months(D(2024, 1, 1), n))
WINDOW = [add_months(D(2024, 1, 1), n) for n in range(-36, 108)]  # wider than any range drawn


def _instances(found):
    """Return the (span, first month) of every single span the ranges name, within WINDOW."""
    return [(s.span, m) for s in found for m in WINDOW
            if span_start(s.span, m) == m and (s.first is None or m >= s.first)
            and (s.last is None or m <= s.last)]  # fmt: skip


@given(MONTHS, st.integers(min_value=1, max_value=40), st.sampled_from(["both", "from", "to"]),
       st.sampled_from(list(SPAN_MONTHS)))  # fmt: skip
def test_every_month_is_covered_once(first, length, bounds, widest):
    low = first if bounds != "to" else None
    high = add_months(first, length) if bounds != "from" else None
    spans = _instances(cover(low, high, widest))
    assert all(SPAN_MONTHS[span] <= SPAN_MONTHS[widest] for span, _m in spans)
    for span, start in spans:  # no span reaches outside the months asked for
        assert low is None or start >= low
        assert high is None or add_months(start, SPAN_MONTHS[span]) <= high
    for month in WINDOW[12:-24]:  # every month inside is in exactly one span
        inside = (low is None or month >= low) and (high is None or month < high)
        holding = [(s, m) for s, m in spans if m <= month < add_months(m, SPAN_MONTHS[s])]
        assert len(holding) == (1 if inside else 0), (low, high, month)
    if widest != Span.MONTH:  # at most two months at each end
        assert sum(1 for s, _m in spans if s == Span.MONTH) <= 4


def test_all_dates_are_one_span_where_the_rollups_have_it():
    assert cover(None, None, Span.ALL) == [Spans(Span.ALL, None, None)]
    # A period with a bound is covered by years at the widest, as before.
    assert cover(D(2025, 1, 1), None, Span.ALL) == cover(D(2025, 1, 1), None, Span.YEAR)
    assert cover(None, D(2026, 8, 1), Span.ALL) == cover(None, D(2026, 8, 1), Span.YEAR)
    assert span_start(Span.ALL, D(2026, 8, 1)) == EVER
