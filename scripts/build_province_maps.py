"""Build the province outlines the dashboard draws, from the shared TopoJSON files.

A maintainer's tool, never needed at runtime. Reads `provinces-63.topo.json` and
`provinces-34.topo.json` (see their SOURCES.md), and writes
`satisfaction/dashboard/maps/vn-2024.json` and `vn-2025.json`: for each province of the project's
list (by GSO code) an SVG path of its mainland, and for Đà Nẵng and Khánh Hòa the islands of the
Hoàng Sa and Trường Sa archipelagos, drawn in an inset. Shapes are matched to provinces by name
(folding "TP ", "Tỉnh ", "Thành phố ", "TP HCM" and tone-mark placement); every province must
find exactly one shape.

Each arc of the topology is simplified once (Douglas-Peucker, in the projected plane) and shared
by the two provinces it separates, so neighbours keep one common border.

    python scripts/build_province_maps.py ../shared/maps
"""

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "satisfaction" / "dashboard" / "maps"
FILES = {"vn-2024": ("provinces-63.topo.json", "vn-2024.csv"),
         "vn-2025": ("provinces-34.topo.json", "vn-2025.csv")}  # fmt: skip
SCALE = 40.0  # units of the drawing per degree of latitude
COS = math.cos(math.radians(16.0))  # longitude shrunk as at the middle of the country
MAIN = (102.1, 23.45)  # west and north edges of the mainland map
INSET = {"lon": (110.3, 117.1), "lat": (6.8, 17.3), "scale": 14.0, "at": (300.0, 250.0)}
TOLERANCE = 0.9  # simplification, in units of the drawing
SMALLEST = 1.5  # rings of a smaller area (units squared) are left out of the mainland


def main(argv: list[str] | None = None) -> int:
    """Write one outline file per unit list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maps", type=Path, help="folder of the shared TopoJSON files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from unit_correspondence import name_key, read_list

    OUT.mkdir(parents=True, exist_ok=True)
    for dataset, (topo, units) in FILES.items():
        rows = read_list(ROOT / "satisfaction" / "units" / "data" / units)
        provinces = {row[1]: row[0] for row in rows}
        drawing = build(json.loads((args.maps / topo).read_text("utf-8")), provinces, name_key)
        path = OUT / f"{dataset}.json"
        path.write_text(json.dumps(drawing, ensure_ascii=False, separators=(",", ":")), "utf-8")
        print(f"{path.name}: {len(drawing['provinces'])} provinces, {path.stat().st_size} bytes")
    return 0


def short(name: str, key) -> str:
    """Return a province's name without its kind, folded for matching."""
    for prefix in ("Thành phố ", "Tỉnh ", "TP "):
        name = name.removeprefix(prefix)
    return key("Hồ Chí Minh" if name == "HCM" else name)


def decode(topology: dict) -> list[list[tuple[float, float]]]:
    """Return the arcs as lists of projected points of the mainland map."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def project(lon: float, lat: float) -> tuple[float, float]:
    """Return the point of the mainland map; east of 110.3° E, of the islands' inset."""
    if lon >= INSET["lon"][0]:
        x0, y0 = INSET["at"]
        scale = INSET["scale"]
        return x0 + (lon - INSET["lon"][0]) * COS * scale, y0 + (INSET["lat"][1] - lat) * scale
    return (lon - MAIN[0]) * COS * SCALE, (MAIN[1] - lat) * SCALE


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Return points simplified by Douglas-Peucker, keeping both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay) or 1e-12
        far, where = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if bx == ax and by == ay:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > far:
                far, where = distance, i
        if where is not None and far > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def build(topology: dict, provinces: dict[str, str], key) -> dict:
    """Return the drawing: its size, the inset, and each province's paths by code."""
    geometries = next(iter(topology["objects"].values()))["geometries"]
    arcs = [[project(lon, lat) for lon, lat in arc] for arc in decode(topology)]
    simple = [simplify(arc, TOLERANCE) for arc in arcs]
    by_name = {}
    for geometry in geometries:
        by_name.setdefault(short(geometry["properties"]["ten_tinh"], key), []).append(geometry)
    drawn = {}
    for code, name in sorted(provinces.items()):
        found = by_name.get(short(name, key), [])
        if len(found) != 1:
            raise SystemExit(f"{name} ({code}) matches {len(found)} shapes")
        drawn[code] = paths(found[0], simple, arcs)
    unused = set(by_name) - {short(name, key) for name in provinces.values()}
    if unused:
        raise SystemExit(f"shapes without a province: {sorted(unused)}")
    x0, y0 = INSET["at"]
    width = (INSET["lon"][1] - INSET["lon"][0]) * COS * INSET["scale"]
    height = (INSET["lat"][1] - INSET["lat"][0]) * INSET["scale"]
    inset = [round(x0 - 4), round(y0 - 4), round(width + 8), round(height + 8)]
    size = [round(max(x0 + width + 30, (109.6 - MAIN[0]) * COS * SCALE)), round(15.3 * SCALE)]
    return {"size": size, "inset": inset, "provinces": drawn}


def paths(geometry: dict, simple: list, full: list) -> dict[str, str]:
    """Return a province's mainland path and its archipelagos' islands, as SVG path data."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    mainland: list[str] = []
    islands: dict[str, list[str]] = {}
    for polygon in polygons:
        exact = ring_points(polygon[0], full)
        lon_east = sum(p[0] for p in exact) / len(exact) >= INSET["at"][0] - 1
        if lon_east:  # an island of the archipelagos: a dot where it lies, in the inset
            x, y = sum(p[0] for p in exact) / len(exact), sum(p[1] for p in exact) / len(exact)
            name = "hoang-sa" if y < INSET["at"][1] + 4.0 * INSET["scale"] else "truong-sa"
            islands.setdefault(name, []).append(f"M{x - 0.9:.1f} {y - 0.9:.1f}h1.8v1.8h-1.8z")
            continue
        for ring in polygon:
            points = ring_points(ring, simple)
            if len(points) >= 4 and abs(area(points)) >= SMALLEST:
                mainland.append(path_data(points))
    found = {"d": "".join(mainland)}
    found.update({name: "".join(sorted(set(dots))) for name, dots in islands.items()})
    return found


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    """Return the points of a ring from its arcs (a negative index: the arc reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc[1:] if points else arc
    return points


def area(points: list[tuple[float, float]]) -> float:
    """Return the signed area of a ring."""
    return (
        sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(points, points[1:], strict=False)) / 2
    )


def path_data(points: list[tuple[float, float]]) -> str:
    """Return a ring as SVG path data: rounded, relative, repeated points dropped."""
    rounded = [(round(x), round(y)) for x, y in points]
    parts, (px, py) = [f"M{rounded[0][0]} {rounded[0][1]}"], rounded[0]
    for x, y in rounded[1:-1]:
        if (x, y) != (px, py):
            parts.append(f"l{x - px} {y - py}")
            px, py = x, y
    return "".join(parts).replace(" -", "-") + "z"


if __name__ == "__main__":
    sys.exit(main())
