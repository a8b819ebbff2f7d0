"""A table's cells and links, written once a row, are what the macros and url_for wrote."""

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale

from satisfaction.dashboard.cells import Cells
from satisfaction.dashboard.links import unit_links
from satisfaction.dashboard.naming import signed
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.indices import Estimate

# What the macros of dashboard/_macros.html wrote before they called Cells (same words, numbers).
FORMER = """{% macro pct(e) -%}
{% if e.value is not none %}{{ format_decimal(e.value, '#,##0.0') }}{% else %}—{% endif %}
{%- endmacro %}{% macro ci(e) -%}
{% if e.low is not none %}{{ format_decimal(e.low, '#,##0.0') }}–{{ format_decimal(e.high, '#,##0.0') }}{% else %}—{% endif %}
{%- endmacro %}{% macro change(d) -%}
{% if d is none %}—{% else %}{{ signed(d.value) }}{% if d.significant %}<span class="sig {{ 'up' if d.value > 0 else 'down' }}" aria-hidden="true">&nbsp;{{ '▲' if d.value > 0 else '▼' }}</span><span class="sr-only"> {{ _("(more than noise)") }}</span>{% endif %}{% endif %}
{%- endmacro %}<td class="num">{{ pct(e) }}</td><td class="num muted">{{ ci(e) }}</td><td class="chart">{% if e.value is not none %}{{ interval_bar(e, label, none) }}{% endif %}</td>|{{ change(d) }}"""  # noqa: E501
ESTIMATES = [Estimate(40, 76.25, 71.05, 81.449), Estimate(1234567, 1234.55, 0.05, 100.0),
             Estimate(12), Estimate(35, 50.0)]  # fmt: skip
CHANGES = [None, Difference(-0.04, -1.0, 0.9), Difference(3.25, 0.5, 6.0),
           Difference(-12.5, -20.0, -5.0), Difference(1234.567)]  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_cells_are_what_the_macros_wrote(app, language):
    with app.test_request_context(f"/?lang={language}"), force_locale(language):
        cells = Cells()
        for estimate in ESTIMATES:
            for difference in CHANGES:
                former = render_template_string(FORMER, e=estimate, d=difference, label="Ba <Đình>",
                                                signed=signed)  # fmt: skip
                made = f"{cells.estimate(estimate, 'Ba <Đình>')}|{cells.change(difference)}"
                assert made == former, (estimate, difference)


def test_the_links_are_what_url_for_gives(app):
    asked = "/scores/?dataset=vn-2025&period=2026-Q3&source=desk&source=envelope&x=a%20b%26c"
    with app.test_request_context(asked):
        link = unit_links()
        for code in ("01", "00004", "C00001-T", "a b/é?#%", "ĐBP"):
            assert link(code) == url_for("scores.unit", code=code, dataset="vn-2025",
                                         period="2026-Q3", source=["desk", "envelope"],
                                         x="a b&c")  # fmt: skip
    with app.test_request_context("/scores/"):
        assert unit_links()("01") == url_for("scores.unit", code="01") == "/scores/u/01"
