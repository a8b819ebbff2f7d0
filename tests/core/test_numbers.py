"""Numbers written quickly (core/numbers.py) are written as Babel writes them."""

from decimal import Decimal

import flask_babel
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfaction.core import numbers

VALUES = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(-1e7, 1e7, allow_nan=False),
    st.sampled_from([0.05, 0.15, 0.25, 73.45, 73.55, -0.04, -0.0, 99.95, 1234.5, 2.675]),
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_numbers_are_written_as_babel_writes_them(app, language):
    with app.test_request_context(f"/?lang={language}"):
        assert str(flask_babel.get_locale()) == language

        @settings(max_examples=300, deadline=None)
        @given(VALUES, st.sampled_from([None, numbers.ONE_DECIMAL, "#,##0.00"]))
        def same(value, pattern):
            assert numbers.format_decimal(value, pattern) == flask_babel.format_decimal(
                value, pattern), (value, pattern)  # fmt: skip

        same()
        written = numbers.formatter()
        assert written(1234567) == numbers.format_decimal(1234567)
        assert written(73.45, numbers.ONE_DECIMAL) == numbers.format_decimal(73.45, "#,##0.0")


def test_vietnamese_groups_with_dots_and_marks_decimals_with_a_comma(app):
    with app.test_request_context("/?lang=vi"):
        assert numbers.format_decimal(1234567) == "1.234.567"
        assert numbers.format_decimal(73.45, numbers.ONE_DECIMAL) == "73,4"  # half to even
        assert numbers.format_decimal(Decimal("1234.56"), numbers.ONE_DECIMAL) == "1.234,6"
