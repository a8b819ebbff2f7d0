"""A province's communes as dots at their centroids on its outline, drawn by the server as SVG.

The dots use the national map's projection (scripts/build_province_maps.py), so the province's
outline from the same bundled shapes lies under them; a dot is coloured by the commune's index
where it rests on at least MIN_N answers, grey otherwise. Communes east of 110.3° E (the island
special zones) and those without a centroid are left off the drawing; the table beside it,
for screen readers, lists every commune with a figure.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from satisfaction.dashboard.choropleth import COLOURS, STEPS, colour, outlines, rings
from satisfaction.dashboard.province_map import title
from satisfaction.scoring.services import Figure, Query, level_scores
from satisfaction.units.centroids import centroids
from satisfaction.units.models import AdminUnit, UnitLevel

# The projection of the national map (scripts/build_province_maps.py), mainland part.
SCALE, COS, WEST, NORTH, INSET_LON = 40.0, math.cos(math.radians(16.0)), 102.1, 23.45, 110.3
FEW = "#bdbdbd"  # too few answers for a figure
PAD = 2.0  # units of the drawing around the province


def project(lat: float, lon: float) -> tuple[float, float]:
    """Return a point of the national map's mainland drawing."""
    return (lon - WEST) * COS * SCALE, (NORTH - lat) * SCALE


@dataclass(frozen=True)
class CommuneMap:
    """The drawing, the communes with a figure (for the table), and how many are drawn."""

    svg: Markup
    figures: tuple[Figure, ...]  # communes with a published figure, best first
    drawn: int
    few: int  # communes drawn grey
    missing: int  # communes not drawn: no centroid, or out at sea


def _box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    return min(xs) - PAD, min(ys) - PAD, max(xs) - min(xs) + 2 * PAD, max(ys) - min(ys) + 2 * PAD


def draw(dataset: str, province: str, label: str, figures: Sequence[Figure]) -> CommuneMap | None:
    """Return the map of a province's communes (None when the list has no outline for it)."""
    shapes, points = outlines(dataset), centroids(dataset)
    shape = (shapes or {}).get("provinces", {}).get(province)
    if shape is None or not points:
        return None
    outline = rings(shape["d"])
    dots = []
    for figure in figures:
        at = points.get(figure.code)
        if at is not None and at[1] < INSET_LON:
            dots.append((figure, *project(*at)))
    x, y, w, h = _box([p for ring in outline for p in ring] + [(dx, dy) for _f, dx, dy in dots])
    radius = max(0.3, min(0.8, 0.2 * math.sqrt(w * h / max(1, len(dots)))))
    path = " ".join("M" + "L".join(f"{px:g} {py:g}" for px, py in ring) + "Z" for ring in outline)
    parts = [f'<svg class="commune-map" viewBox="{x:.1f} {y:.1f} {w:.1f} {h:.1f}" '
             f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
             f'<path d="{path}" fill="#f4f1ea" stroke="#7a7a7a" stroke-width="0.3" '
             f'stroke-linejoin="round"/>']  # fmt: skip
    # One group a colour (the page stays light); the grey first, so that the coloured dots,
    # which carry figures, stay on top.
    groups: dict[str, list[str]] = {FEW: []}
    for figure, dx, dy in dots:
        fill = colour(figure.scores.index.value) if figure.enough else FEW
        groups.setdefault(fill, []).append(
            f'<circle cx="{dx:.1f}" cy="{dy:.1f}" r="{radius:.2f}">'
            f"<title>{escape(title(figure))}</title></circle>")  # fmt: skip
    parts += [
        f'<g fill="{fill}" stroke="#333" stroke-width="{radius / 5:.2f}">'
        + "".join(circles)
        + "</g>"
        for fill, circles in groups.items()
        if circles
    ]
    parts.append("</svg>")
    shown = tuple(sorted((f for f in figures if f.enough), key=lambda f: (f.rank or 0, f.code)))
    few = sum(1 for f, _x, _y in dots if not f.enough)
    return CommuneMap(Markup("".join(parts)), shown, len(dots), few, len(figures) - len(dots))


def legend() -> list[tuple[str, str]]:
    """Return the legend's classes: (colour, words), the grey of too few answers last."""
    bounds = ("",) + tuple(f"{step:g}" for step in STEPS) + ("",)
    found = []
    for i, fill in enumerate(COLOURS):
        low, high = bounds[i], bounds[i + 1]
        found.append((fill, f"< {high}" if not low else f"{low}–{high or 100}"))
    return [*found, (FEW, _("not enough answers"))]


def for_province(province: AdminUnit, query: Query, parts: Sequence[Figure],
                 parts_level: UnitLevel | None) -> CommuneMap | None:  # fmt: skip
    """Return the communes' map of a province page (parts: its ranked parts, when communes)."""
    if province.level is not UnitLevel.PROVINCE or not centroids(province.dataset.name):
        return None
    if parts_level is UnitLevel.COMMUNE:
        figures = list(parts)
    else:  # a three-tier list: the communes under the districts
        figures = level_scores(province.dataset, UnitLevel.COMMUNE, query, parent=province)
    label = _("Communes of %(name)s by satisfaction index", name=province.name)
    return draw(province.dataset.name, province.code, label, figures)
