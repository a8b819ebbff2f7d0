"""Where to act: the units significantly below the nation, or fallen significantly since before.

A unit is listed when the 95% interval of its difference from the national index (the mean of
the provinces) lies wholly below 0, or when that of its change since the previous period does.
Units without a published figure (fewer than MIN_N answers) are never listed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from satisfaction.scoring.beside import change as difference_of
from satisfaction.scoring.beside import versus
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.services import Figure, Nation


@dataclass(frozen=True)
class Concern:
    """A unit that needs attention, and why: below the nation, fallen, or both."""

    figure: Figure
    below_nation: Difference | None = None
    fallen: Difference | None = None


def _down(found: Difference | None) -> Difference | None:
    return found if found is not None and found.significant and found.value < 0 else None


def concerns(rows: Sequence[tuple[Figure, Difference | None]], nation: Nation,
             provinces: bool) -> list[Concern]:  # fmt: skip
    """Return the units of rows (each with its change) that need attention, furthest below first.

    provinces: the units are the provinces the national index averages (their difference from
    it shares their own answers, which the interval takes into account).
    """
    found = []
    for figure, change in rows:
        if not figure.enough:
            continue
        below = _down(versus(figure, nation, provinces))
        fallen = _down(change)
        if below is not None or fallen is not None:
            found.append(Concern(figure, below, fallen))
    return sorted(found, key=_furthest_below)


def _furthest_below(concern: Concern) -> tuple:
    below, fallen = concern.below_nation, concern.fallen
    return (below.value if below else 0, fallen.value if fallen else 0, concern.figure.code)


def of_parts(now: Sequence[Figure], before: Sequence[Figure] | None, nation: Nation,
             provinces: bool) -> list[Concern]:  # fmt: skip
    """Return the parts of a unit (now, and in the period before) that need attention."""
    earlier = {f.code: f for f in before or ()}
    return concerns([(f, difference_of(f, earlier.get(f.code))) for f in now], nation, provinces)
