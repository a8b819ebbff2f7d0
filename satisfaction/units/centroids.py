"""Where each commune lies: the bundled centroids of a unit list's communes (pure: files only).

Built by scripts/build_unit_datasets.py --centroids (see data/SOURCES.md); a list without a
centroid file has no points, and a commune left out of its file (data/centroids.mismatches.csv)
has none.
"""

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def centroids(dataset: str) -> dict[str, tuple[float, float]]:
    """Return (latitude, longitude) by commune code for a unit list (empty if none are bundled)."""
    path = DATA_DIR / f"{dataset}.centroids.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as source:
        return {
            row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(source)
        }
