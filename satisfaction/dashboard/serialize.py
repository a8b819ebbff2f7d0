"""Scores as JSON: the same figures the pages show, with blanks where answers are too few."""

from typing import Any

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
