"""The cells a ranked table writes on every row: an estimate with its interval, a change.

A province's page has a row for each commune, each unit needing attention and each desk shown:
hundreds of rows, where a macro call for each number (pct, ci, change) and its translated words
looked up again each time were half of the page's rendering. One Cells per rendering writes
them as the macros of dashboard/_macros.html did (those macros now call it): the locale's number
symbols found once, the words translated once.
"""

from functools import cached_property

from flask import g
from flask_babel import gettext as _
from markupsafe import Markup, escape

from satisfaction.core.numbers import ONE_DECIMAL, formatter
from satisfaction.dashboard.charts import Axis, interval_bar
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.indices import Estimate

DASH = "—"


class Cells:
    """Write estimates and changes in the current request's language."""

    def __init__(self) -> None:
        self.number = formatter()

    @cached_property
    def noise(self) -> str:
        """Return the words read out beside a significant change."""
        return _("(more than noise)")

    def pct(self, estimate: Estimate) -> str:
        """Return an estimate in percent with one decimal, or a dash."""
        value = estimate.value
        return DASH if value is None else self.number(value, ONE_DECIMAL)

    def ci(self, estimate: Estimate) -> str:
        """Return an estimate's 95% interval ("71,2–75,0"), or a dash."""
        if estimate.low is None:
            return DASH
        return f"{self.number(estimate.low, ONE_DECIMAL)}–{self.number(estimate.high, ONE_DECIMAL)}"

    def signed(self, value: float | None) -> str:
        """Return a change with its sign, as dashboard.naming.signed() writes it."""
        if value is None:
            return DASH
        if round(value, 1) == 0:
            value = 0.0
        return ("+" if value > 0 else "") + self.number(value, ONE_DECIMAL)

    def change(self, difference: Difference | None) -> Markup:
        """Return a change in points, marked up or down when it is more than noise."""
        if difference is None:
            return Markup(DASH)
        text = escape(self.signed(difference.value))
        if not difference.significant:
            return text
        way, arrow = ("up", "▲") if difference.value > 0 else ("down", "▼")
        return Markup(f'{text}<span class="sig {way}" aria-hidden="true">&nbsp;{arrow}</span>'
                      f'<span class="sr-only"> {escape(self.noise)}</span>')  # fmt: skip

    def estimate(self, estimate: Estimate, label: str, axis: Axis | None = None) -> Markup:
        """Return the three cells of an estimate: percent, interval, and its bar on axis."""
        # Markup.format() escapes through a string formatter: slower than escape() each part.
        bar = interval_bar(estimate, label, axis) if estimate.value is not None else ""
        return Markup(f'<td class="num">{escape(self.pct(estimate))}</td>'
                      f'<td class="num muted">{escape(self.ci(estimate))}</td>'
                      f'<td class="chart">{bar}</td>')  # fmt: skip


def cells() -> Cells:
    """Return the request's Cells (made once, at its first use)."""
    found = g.get("dashboard_cells")
    if found is None:
        found = g.dashboard_cells = Cells()
    return found
