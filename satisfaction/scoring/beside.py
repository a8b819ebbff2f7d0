"""A unit beside the nation: the national index, the province's rank, the year before.

National figures are aggregates of every province: any officer may read them, whatever their
scope. One service for the unit page, its PDF report and the API.
"""

from dataclasses import dataclass, replace

from satisfaction.scoring.compare import Difference, RankRange, difference, rank_range, versus_mean
from satisfaction.scoring.periods import Period
from satisfaction.scoring.services import Figure, Nation, Query, nation_scores, unit_scores
from satisfaction.units.models import AdminUnit, UnitLevel


@dataclass(frozen=True)
class Beside:
    """A unit's figure beside the nation's, now and in the same period a year before."""

    unit: Figure
    nation: Nation
    versus_nation: Difference | None  # the unit less the national index (mean of provinces)
    rank: RankRange | None  # a province's place among the provinces
    last_year: Period | None = None
    unit_last_year: Figure | None = None
    nation_last_year: Nation | None = None
    unit_change: Difference | None = None
    nation_change: Difference | None = None


def counted(nation: Nation) -> int:
    """Return how many provinces the national index averages."""
    return sum(1 for f in nation.provinces if f.enough)


def change(now: Figure, before: Figure | None) -> Difference | None:
    """Return the change of a published index with its interval (None unless both are)."""
    if before is None or not (now.enough and before.enough):
        return None
    return difference(now.scores.index, before.scores.index)


def versus(unit: Figure, nation: Nation, is_province: bool) -> Difference | None:
    """Return the unit's index less the national index, when both are published."""
    if not (unit.enough and nation.mean_of_provinces.enough):
        return None
    mean = nation.mean_of_provinces.scores.index
    if is_province and unit.enough:
        return versus_mean(unit.scores.index, mean, counted(nation))
    return difference(unit.scores.index, mean)


def beside_nation(
    unit: AdminUnit, query: Query, figure: Figure, last_year: Period | None = None
) -> Beside:
    """Return a unit's figure beside the nation's, and both in last_year when given."""
    # The nation beside a unit is read by its index (and the mean of the provinces' elements):
    # its items and expectations are the national page's.
    nation = nation_scores(unit.dataset, query, detail=False)
    is_province = unit.level == UnitLevel.PROVINCE
    ranks = None
    if is_province:
        ranked = [(f.code, f.scores.index) for f in nation.provinces if f.rank is not None]
        ranks = rank_range(ranked, unit.code)
    found = Beside(figure, nation, versus(figure, nation, is_province), ranks)
    if last_year is None:
        return found
    earlier = replace(query, period=last_year)
    nation_before = nation_scores(unit.dataset, earlier, detail=False)
    same = [f for f in nation_before.provinces if f.code == unit.code] if is_province else []
    unit_before = same[0] if same else unit_scores(unit, earlier)
    return replace(
        found,
        last_year=last_year,
        unit_last_year=unit_before,
        nation_last_year=nation_before,
        unit_change=change(figure, unit_before),
        nation_change=change(nation.mean_of_provinces, nation_before.mean_of_provinces),
    )
