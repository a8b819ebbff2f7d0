"""Scores as JSON: the same figures the pages show, with blanks where answers are too few."""

from datetime import date
from typing import Any

from satisfaction.scoring.attention import Concern
from satisfaction.scoring.beside import Beside
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.indices import Estimate
from satisfaction.scoring.services import Figure


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def estimate(e: Estimate) -> dict[str, Any]:
    """Return an estimate: value and 95% interval in percent, and the answers it rests on."""
    return {"n": e.n, "value": _round(e.value), "ci_low": _round(e.low), "ci_high": _round(e.high)}


def figure(f: Figure, detail: bool = False) -> dict[str, Any]:
    """Return a unit's figure; with detail, its items and expectations too."""
    found = {
        "code": f.code, "name": f.name, "level": f.level, "n": f.n, "enough": f.enough,
        "rank": f.rank, "index": estimate(f.scores.index),
        "elements": {k: estimate(e) for k, e in f.scores.elements.items()},
    }  # fmt: skip
    if detail:
        found["items"] = {k: estimate(e) for k, e in f.scores.items.items()}
        found["expectations"] = {k: estimate(e) for k, e in f.scores.expectations.items()}
    return found


def difference(d: Difference | None) -> dict[str, Any] | None:
    """Return a difference in points with its 95% interval and whether it excludes 0."""
    if d is None:
        return None
    return {"value": _round(d.value), "ci_low": _round(d.low), "ci_high": _round(d.high),
            "significant": d.significant}  # fmt: skip


def beside(b: Beside, until: date | None) -> dict[str, Any]:
    """Return a unit beside the nation: national index both ways, rank, the year before."""
    nation_before = b.nation_last_year
    return {
        "nation": {"mean_of_provinces": estimate(b.nation.mean_of_provinces.scores.index),
                   "pooled": estimate(b.nation.pooled.scores.index),
                   "provinces_counted": sum(1 for f in b.nation.provinces if f.enough)},
        "versus_nation": difference(b.versus_nation),
        "rank": None if b.rank is None else {"rank": b.rank.rank, "best": b.rank.best,
                                             "worst": b.rank.worst, "of": b.rank.of},
        "last_year": None if b.last_year is None else {
            "period": b.last_year.label,
            "partial_until": until.isoformat() if until else None,
            "index": estimate(b.unit_last_year.scores.index) if b.unit_last_year else None,
            "nation": estimate(nation_before.mean_of_provinces.scores.index)
            if nation_before else None,
            "change": difference(b.unit_change),
            "nation_change": difference(b.nation_change),
        },
    }  # fmt: skip


def concern(c: Concern) -> dict[str, Any]:
    """Return a unit of the attention list: its figure, its gap to the nation, its fall."""
    return {"unit": figure(c.figure), "below_nation": difference(c.below_nation),
            "fallen": difference(c.fallen)}  # fmt: skip
