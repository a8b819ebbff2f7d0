"""The service points of a unit's page: every desk when they are few, else the lowest and highest.

A province has hundreds of desks: its page shows the SHOWN lowest and the SHOWN highest ranked
(each with a published figure, MIN_N holds), and the whole table is a download.
"""

from dataclasses import dataclass, replace

from satisfaction.dashboard.pages import Row, by_rank, periods_of
from satisfaction.scoring import breakdowns
from satisfaction.scoring.beside import change as difference_of
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.services import Figure, Query
from satisfaction.units.models import AdminUnit
from satisfaction.units.queries import units_of_points

SHOWN = 10  # desks shown at each end of a long table


@dataclass(frozen=True)
class PointLine:
    """A service point in a table: its figure, its change, and the unit it serves."""

    figure: Figure
    change: Difference | None
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class Points:
    """The service points shown on a page: all of them, or the two ends of the ranking."""

    every: tuple[PointLine, ...]  # all, best first; those not ranked last (named if shown)
    lowest: tuple[PointLine, ...] = ()  # the lowest first (empty when every line is shown)
    highest: tuple[PointLine, ...] = ()  # the highest first

    @property
    def ranked(self) -> int:
        """Return how many points have a figure (and so a rank)."""
        return sum(1 for line in self.every if line.figure.rank is not None)

    @property
    def unranked(self) -> int:
        """Return how many points have too few answers to be ranked."""
        return len(self.every) - self.ranked

    @property
    def all_shown(self) -> bool:
        """Tell whether the page lists every point (a short table)."""
        return not self.lowest and not self.highest

    @property
    def shown(self) -> tuple[PointLine, ...]:
        """Return the lines of a short table: every point, or every ranked one."""
        if self.unranked == 0 or len(self.every) <= 2 * SHOWN:
            return self.every
        return tuple(line for line in self.every if line.figure.rank is not None)


def lines(rows: list[Row], named: set[str] | None = None) -> tuple[PointLine, ...]:
    """Return the rows of service points with the unit each serves (only for the codes in
    named, when given: a page names the desks it shows, not the hundreds it counts)."""
    codes = [r.figure.code for r in rows]
    units = units_of_points(codes if named is None else [c for c in codes if c in named])
    found = []
    for row in rows:
        unit = units.get(row.figure.code)
        found.append(PointLine(row.figure, row.change, unit.code if unit else "",
                               unit.name if unit else ""))  # fmt: skip
    return tuple(found)


def of(rows: list[Row], count: int | None = None) -> Points:
    """Return the points to show: every one when few, else the count lowest and highest ranked."""
    count = SHOWN if count is None else count
    ranked_rows = [row for row in rows if row.figure.rank is not None]
    if len(rows) <= 2 * count or len(ranked_rows) <= 2 * count:
        # A short table: every line, or every ranked one (as Points.shown chooses).
        whole = len(ranked_rows) == len(rows) or len(rows) <= 2 * SHOWN
        return Points(lines(rows, {r.figure.code for r in (rows if whole else ranked_rows)}))
    ends = [*ranked_rows[:count], *ranked_rows[-count:]]
    every = lines(rows, {r.figure.code for r in ends})
    ranked = [line for line in every if line.figure.rank is not None]
    return Points(every, tuple(reversed(ranked[-count:])), tuple(ranked[:count]))


def ranked_rows(unit: AdminUnit, query: Query) -> list[Row]:
    """Return every service point inside a unit ranked, with its change since the period before."""
    before = periods_of(unit.dataset, query.period).before
    now = breakdowns.by_service_point(unit, query)
    earlier = breakdowns.by_service_point(unit, replace(query, period=before)) if before else []
    previous = {f.code: f for f in earlier}
    return [Row(f, difference_of(f, previous.get(f.code))) for f in by_rank(now)]
