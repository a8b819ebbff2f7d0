"""Differences between estimates and the ranks an interval allows (pure; docs/methodology.md).

Two figures differ significantly when the 95% interval of their difference excludes 0. The
interval is normal: the standard errors of the two estimates add in squares, less twice their
covariance (a province and the mean of the provinces share that province's answers).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from satisfaction.scoring.indices import Z95, Estimate


@dataclass(frozen=True)
class Difference:
    """A difference in points with its 95% interval; significant when the interval excludes 0."""

    value: float
    low: float | None = None
    high: float | None = None

    @property
    def significant(self) -> bool:
        """Return whether the interval of the difference excludes 0."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class RankRange:
    """A place among ranked figures, and the best and worst places its interval allows."""

    rank: int
    best: int
    worst: int
    of: int


def difference(a: Estimate, b: Estimate, covariance: float = 0.0) -> Difference | None:
    """Return a - b with its 95% interval (covariance in squared points; 0 if independent)."""
    if a.value is None or b.value is None:
        return None
    if a.se is None or b.se is None:
        return Difference(a.value - b.value)
    variance = max(0.0, a.se**2 + b.se**2 - 2 * covariance)
    half = Z95 * math.sqrt(variance)
    value = a.value - b.value
    return Difference(value, value - half, value + half)


def versus_mean(unit: Estimate, mean: Estimate, count: int) -> Difference | None:
    """Return a unit's index less the unweighted mean of count units that includes it."""
    shared = (unit.se or 0.0) ** 2 / count if count else 0.0
    return difference(unit, mean, shared)


def rank_range(values: Sequence[tuple[str, Estimate]], code: str) -> RankRange | None:
    """Return the place of code among ranked estimates (best first) and the places it may hold.

    The best place is 1 plus the number of others significantly above it, the worst the number
    ranked less those significantly below it. None when code is not among the estimates.
    """
    ranked = sorted((v for v in values if v[1].value is not None), key=lambda v: -v[1].value)
    places = {c: place for place, (c, _e) in enumerate(ranked, start=1)}
    if code not in places:
        return None
    own = dict(ranked)[code]
    above = below = 0
    for other, estimate in ranked:
        if other == code:
            continue
        found = difference(estimate, own)
        if found is not None and found.significant:
            above, below = above + (found.value > 0), below + (found.value < 0)
    return RankRange(places[code], 1 + above, len(ranked) - below, len(ranked))
