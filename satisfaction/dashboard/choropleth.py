"""Viet Nam's provinces drawn as an SVG choropleth on the server (pure: no Flask, no database).

The outlines are built from the shared province maps by scripts/build_province_maps.py, one
file per unit list (maps/vn-2024.json, maps/vn-2025.json): each province's mainland path, and the
islands of the Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) archipelagos in an inset, always
drawn. Every province has its name and figure as a title, and is a link to its page when the
reader may open it; a province whose figure rests on too few answers is hatched.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

MAPS_DIR = Path(__file__).resolve().parent / "maps"
# Index thresholds (percent) and the colour of each class, light to dark (ColorBrewer YlGnBu).
STEPS = (70.0, 75.0, 80.0, 85.0, 90.0)
COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
HATCH_ID = "few-answers"
ARCHIPELAGOS = ("hoang-sa", "truong-sa")


@dataclass(frozen=True)
class Shade:
    """A province on the map: its link, its title, and its index (None: too few answers)."""

    code: str
    href: str | None  # None: a province the reader may not open, drawn without a link
    title: str
    value: float | None


@dataclass(frozen=True)
class MapText:
    """The words of the map, in the page's language."""

    label: str  # what the map shows
    legend: str  # the legend's heading
    few: str  # the hatched class
    archipelagos: dict[str, str]  # "hoang-sa", "truong-sa" -> name
    credit: str


@cache
def outlines(dataset: str) -> dict | None:
    """Return the outlines of a unit list's provinces, or None if none are bundled."""
    path = MAPS_DIR / f"{dataset}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text("utf-8"))


def colour(value: float | None) -> str:
    """Return the fill of an index (the hatch when there is none)."""
    if value is None:
        return f"url(#{HATCH_ID})"
    return COLOURS[sum(value >= step for step in STEPS)]


def draw(dataset: str, shades: Sequence[Shade], text: MapText, standalone: bool = False) -> Markup:
    """Return the map of a unit list's provinces (empty if it has no outlines)."""
    drawing = outlines(dataset)
    if drawing is None:
        return Markup("")
    width, height = drawing["size"]
    head = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [f'<svg{head} class="choropleth" viewBox="0 0 {width} {height + 20}" '
             f'aria-label="{escape(text.label)}"><title>{escape(text.label)}</title>',
             _defs()]  # fmt: skip
    for shade in shades:
        shape = drawing["provinces"].get(shade.code)
        if shape is not None:
            parts.append(_province(shade, shape))
    parts += [_inset(drawing, text), _legend(height, drawing["inset"][0], text),
              f'<text x="4" y="{height + 14}" font-size="8" fill="#555">'
              f"{escape(text.credit)}</text></svg>"]  # fmt: skip
    return Markup("".join(parts))


def _defs() -> str:
    return (f'<defs><pattern id="{HATCH_ID}" width="4" height="4" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="4" height="4" fill="#f0f0f0"/>'
            '<line x1="0" y1="0" x2="0" y2="4" stroke="#8a8a8a" stroke-width="1.4"/>'
            "</pattern></defs>")  # fmt: skip


def _province(shade: Shade, shape: dict) -> str:
    fill = colour(shade.value)
    tag = "a" if shade.href is not None else "g"
    link = f' href="{escape(shade.href)}"' if shade.href is not None else ""
    parts = [f'<{tag}{link} class="province" data-code="{escape(shade.code)}">'
             f"<title>{escape(shade.title)}</title>"
             f'<path d="{shape["d"]}" fill="{fill}" stroke="#ffffff" stroke-width="0.6" '
             'stroke-linejoin="round"/>']  # fmt: skip
    for name in ARCHIPELAGOS:
        if name in shape:
            parts.append(f'<path class="archipelago" data-archipelago="{name}" d="{shape[name]}" '
                         f'fill="{fill}" stroke="#333333" stroke-width="0.4"/>')  # fmt: skip
    return "".join(parts) + f"</{tag}>"


def _inset(drawing: dict, text: MapText) -> str:
    x, y, w, h = drawing["inset"]
    middle = x + w / 2
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#777777" '
            f'stroke-width="0.8"/><text x="{middle}" y="{y - 4}" font-size="8" '
            f'text-anchor="middle" fill="#333333">{escape(text.archipelagos["hoang-sa"])}</text>'
            f'<text x="{middle}" y="{y + h + 10}" font-size="8" text-anchor="middle" '
            f'fill="#333333">{escape(text.archipelagos["truong-sa"])}</text>')  # fmt: skip


def _legend(height: int, left: float, text: MapText) -> str:
    """Return the legend, in the sea under the islands' inset (left: the inset's left edge).

    At the bottom left it covered the Mekong delta: Kiên Giang, An Giang and Cà Mau.
    """
    top = height - 20 - 14 * (len(COLOURS) + 1)
    parts = [f'<g class="legend" font-size="9" fill="#222222" '
             f'transform="translate({left - 8} 0)"><text x="8" y="{top - 6}" '
             f'font-weight="bold">{escape(text.legend)}</text>']  # fmt: skip
    bounds = ("",) + tuple(f"{step:g}" for step in STEPS) + ("",)
    for i, fill in enumerate(COLOURS):
        low, high = bounds[i], bounds[i + 1]
        label = f"< {high}" if not low else f"≥ {low}" if not high else f"{low}–{high}"
        parts.append(f'<rect x="8" y="{top + 14 * i}" width="14" height="10" fill="{fill}" '
                     f'stroke="#999999" stroke-width="0.5"/><text x="27" y="{top + 14 * i + 9}">'
                     f"{label}</text>")  # fmt: skip
    row = top + 14 * len(COLOURS)
    parts.append(f'<rect x="8" y="{row}" width="14" height="10" fill="url(#{HATCH_ID})" '
                 f'stroke="#999999" stroke-width="0.5"/><text x="27" y="{row + 9}">'
                 f"{escape(text.few)}</text></g>")  # fmt: skip
    return "".join(parts)


_STEP = re.compile(r"([MmLlHhVvZz])([^MmLlHhVvZz]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def rings(path: str) -> list[list[tuple[float, float]]]:
    """Return the closed rings of an outline's SVG path (M, l, h, v and z, as the build writes).

    The same shapes as the page's map, for a drawing that is not SVG (the PDF report).
    """
    found: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] = []
    x = y = 0.0
    for command, args in _STEP.findall(path):
        numbers = [float(n) for n in _NUMBER.findall(args)]
        if command in "Mm":
            if ring:
                found.append(ring)
            x, y = (numbers[0], numbers[1]) if command == "M" else (x + numbers[0], y + numbers[1])
            ring = [(x, y)]
            numbers = numbers[2:]
            command = "L" if command == "M" else "l"
        if command in "Ll":
            for i in range(0, len(numbers) - 1, 2):
                dx, dy = numbers[i], numbers[i + 1]
                x, y = (dx, dy) if command == "L" else (x + dx, y + dy)
                ring.append((x, y))
        elif command in "Hh":
            for n in numbers:
                x = n if command == "H" else x + n
                ring.append((x, y))
        elif command in "Vv":
            for n in numbers:
                y = n if command == "V" else y + n
                ring.append((x, y))
        elif command in "Zz" and ring:
            found.append(ring)
            x, y = ring[0]
            ring = []
    if ring:
        found.append(ring)
    return found
