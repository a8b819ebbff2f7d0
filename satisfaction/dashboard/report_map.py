"""The provinces' map in a PDF report, drawn with reportlab from the page map's own shapes."""

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from satisfaction.dashboard.choropleth import ARCHIPELAGOS, COLOURS, STEPS, colour, outlines, rings
from satisfaction.dashboard.province_map import map_text
from satisfaction.paper.assets import font, runs
from satisfaction.scoring.services import Figure

FEW = colors.HexColor("#d4d4d4")  # too few answers: plain grey on paper (no hatch pattern)
ISLAND = colors.HexColor("#333333")
CAPTION = 20  # units under the map for the credit, as on the page
LINE = 12  # units (7 points on paper) between the two lines of an archipelago's name


def _fill(figure: Figure) -> colors.Color:
    value = figure.scores.index.value if figure.enough else None
    return FEW if value is None else colors.HexColor(colour(value))


def province_map_drawing(dataset: str, figures: Sequence[Figure], highlight: str | None = None,
                         width: float = 85 * mm) -> Drawing | None:  # fmt: skip
    """Return the map of the provinces' figures (one outlined: highlight), None without outlines."""
    shapes = outlines(dataset)
    if shapes is None:
        return None
    size_w, size_h = shapes["size"]
    scale = width / size_w
    height = (size_h + CAPTION) * scale
    drawing = Drawing(width, height)

    def points(ring: list[tuple[float, float]]) -> list[float]:
        return [c for x, y in ring for c in (x * scale, height - y * scale)]

    def add(code: str, fill, stroke, stroke_width: float) -> None:
        shape = shapes["provinces"].get(code, {})
        for ring in rings(shape.get("d", "")):
            drawing.add(Polygon(points(ring), fillColor=fill, strokeColor=stroke,
                                strokeWidth=stroke_width))  # fmt: skip
        for key in ARCHIPELAGOS:  # dots: a dark edge, or white would swallow them
            for ring in rings(shape.get(key, "")):
                drawing.add(Polygon(points(ring), fillColor=fill, strokeColor=ISLAND,
                                    strokeWidth=0.25))  # fmt: skip

    for figure in figures:
        add(figure.code, _fill(figure), colors.white, 0.3)
    if highlight is not None:
        add(highlight, None, colors.black, 1.4)
    _inset(drawing, shapes["inset"], scale, height)
    _legend(drawing, shapes["inset"], scale, height)
    text = map_text()
    drawing.add(String(4 * scale, height - (size_h + 14) * scale, text.credit, fontName=font(),
                       fontSize=6, fillColor=colors.HexColor("#555555")))  # fmt: skip
    return drawing


def _text(
    drawing: Drawing, x: float, y: float, value: str, size: float, bold: bool = False
) -> None:
    """Add a left-aligned text, its signs that the text font lacks (≥) in the math font."""
    for name, piece in runs(value, bold):
        drawing.add(String(x, y, piece, fontName=name, fontSize=size))
        x += pdfmetrics.stringWidth(piece, name, size)


def _inset(drawing: Drawing, box: list[float], scale: float, height: float) -> None:
    """Frame the islands; name each archipelago on two lines (name, then its province), centred
    on the frame: on one line, Trường Sa's name ran over the mainland's coast beside it."""
    x, y, w, h = box
    drawing.add(Rect(x * scale, height - (y + h) * scale, w * scale, h * scale, fillColor=None,
                     strokeColor=colors.HexColor("#777777"), strokeWidth=0.5))  # fmt: skip
    names = map_text().archipelagos
    middle = (x + w / 2) * scale
    for name, below in (("hoang-sa", False), ("truong-sa", True)):
        lines = names[name].replace(" (", "\n(", 1).split("\n")
        # Above the frame the last line sits on it; below, the first line hangs from it.
        first = y + h + 10 if below else y - 5 - (len(lines) - 1) * LINE
        for i, line in enumerate(lines):
            drawing.add(String(middle, height - (first + i * LINE) * scale, line,
                               fontName=font(), fontSize=5.5, textAnchor="middle"))  # fmt: skip


def _legend(drawing: Drawing, box: list[float], scale: float, height: float) -> None:
    """Draw the legend under the islands' frame, where the sea is empty (at the foot of the map,
    as on the page, it lay over the Mekong delta)."""
    text = map_text()
    left, top = box[0] + 4, box[1] + box[3] + 50
    _text(drawing, left * scale, height - (top - 6) * scale, text.legend, 6, bold=True)
    bounds = ("",) + tuple(f"{step:g}" for step in STEPS) + ("",)
    fills = [*(colors.HexColor(c) for c in COLOURS), FEW]
    for i, fill in enumerate(fills):
        if i < len(COLOURS):
            low, high = bounds[i], bounds[i + 1]
            label = f"< {high}" if not low else f"≥ {low}" if not high else f"{low}–{high}"
        else:
            label = text.few
        row = top + 14 * i
        drawing.add(Rect(left * scale, height - (row + 10) * scale, 14 * scale, 10 * scale,
                         fillColor=fill, strokeColor=colors.HexColor("#999999"),
                         strokeWidth=0.3))  # fmt: skip
        _text(drawing, (left + 19) * scale, height - (row + 9) * scale, label, 5.5)
