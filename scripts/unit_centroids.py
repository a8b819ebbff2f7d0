"""Build the communes' centroids of both lists from an unzipped `vietnamadminunits` wheel.

Used by build_unit_datasets.py (`--centroids FOLDER`); never needed at runtime. The package's
`data/dataset.db` gives each commune a point (wardLat, wardLon): for the old list
(admin_units_legacy) matched to our vn-2024 communes by GSO code, by district and name when the
codes differ; for the new list (admin_units) matched to our vn-2025 communes by province and
name (the package's new codes do not all follow Decision 19/2025). Every commune of our lists
without a point is a mismatch row.
"""

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from unit_correspondence import Lists, name_key

COLUMNS = ["code", "lat", "lon"]
MISMATCH_COLUMNS = ["dataset", "code", "name", "why"]
DECIMALS = 4  # about 11 m: more than a dot on a province's map needs
# A point outside Viet Nam's mainland and islands is not a commune's (a geocoding slip).
BOUNDS = {"lat": (8.0, 23.5), "lon": (102.0, 117.5)}


@dataclass
class Centroids:
    """The points of each list's communes, and the communes left without one."""

    old: dict[str, tuple[float, float]] = field(default_factory=dict)
    new: dict[str, tuple[float, float]] = field(default_factory=dict)
    mismatches: list[tuple[str, str, str, str]] = field(default_factory=list)


def _point(lat, lon) -> tuple[float, float] | None:
    if lat is None or lon is None:
        return None
    inside = (BOUNDS["lat"][0] <= lat <= BOUNDS["lat"][1]
              and BOUNDS["lon"][0] <= lon <= BOUNDS["lon"][1])  # fmt: skip
    return (round(lat, DECIMALS), round(lon, DECIMALS)) if inside else None


def build(package: Path, lists: Lists) -> Centroids:
    """Return the centroid of every commune of both lists found in the package."""
    db = sqlite3.connect(package / "data" / "dataset.db")
    found = Centroids()
    by_place = {(d, name_key(n)): code for code, (n, d, _p) in lists.old_communes.items()}
    query = "SELECT districtCode, wardCode, ward, wardLat, wardLon FROM admin_units_legacy"
    for d_code, w_code, name, lat, lon in db.execute(query):
        if w_code is None:
            continue
        code = w_code if w_code in lists.old_communes else by_place.get((d_code, name_key(name)))
        point = _point(lat, lon)
        if code is not None and point is not None:
            found.old.setdefault(code, point)
    ours = {(p, name_key(n)): code for code, (n, p) in lists.new_communes.items()}
    query = "SELECT provinceCode, ward, wardLat, wardLon FROM admin_units"
    for p_code, name, lat, lon in db.execute(query):
        code = ours.get((p_code, name_key(name)))
        point = _point(lat, lon)
        if code is not None and point is not None:
            found.new.setdefault(code, point)
    for dataset, communes, points in (("vn-2024", lists.old_communes, found.old),
                                      ("vn-2025", lists.new_communes, found.new)):  # fmt: skip
        for code in sorted(set(communes) - set(points)):
            found.mismatches.append((dataset, code, communes[code][0], "no point in the package"))
    return found


def rows(points: dict[str, tuple[float, float]]) -> list[tuple[str, str, str]]:
    """Return the rows of a centroid file, by code, with DECIMALS decimals."""
    return [(code, f"{lat:.{DECIMALS}f}", f"{lon:.{DECIMALS}f}")
            for code, (lat, lon) in sorted(points.items())]  # fmt: skip
