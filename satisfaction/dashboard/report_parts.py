"""Pieces of a unit's PDF report: styles, numbers, tables, the trend drawing (reportlab)."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from satisfaction.dashboard.charts import Point, fit_axis
from satisfaction.dashboard.naming import signed
from satisfaction.paper.assets import font
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.indices import Estimate

BRAND = colors.HexColor("#0b4f8a")
BAND = colors.Color(0.043, 0.31, 0.54, alpha=0.15)


def styles() -> dict[str, ParagraphStyle]:
    """Return the report's paragraph styles, in the embedded font."""
    base = ParagraphStyle("base", fontName=font(), fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=font(True), fontSize=16, leading=20),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=font(True),
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
            textColor=BRAND,
        ),  # fmt: skip
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle(
            "head", parent=base, fontName=font(True), fontSize=9, leading=12, alignment=1
        ),  # fmt: skip
        "centre": ParagraphStyle("centre", parent=base, fontSize=9, leading=12, alignment=1),
        "right": ParagraphStyle("right", parent=base, alignment=2),
    }


def pct(e: Estimate | None) -> str:
    """Return a figure in percent, or a dash."""
    return format_decimal(e.value, "#,##0.0") if e is not None and e.value is not None else "—"


def ci(e: Estimate) -> str:
    """Return a 95% interval, or a dash."""
    if e.low is None or e.high is None:
        return "—"
    return f"{format_decimal(e.low, '#,##0.0')}–{format_decimal(e.high, '#,##0.0')}"


def change(d: Difference | None) -> str:
    """Return a change with a star when its 95% interval excludes 0."""
    if d is None:
        return "—"
    return signed(d.value) + ("*" if d.significant else "")


def table(rows: list[list], widths: list[float], bold_rows: set[int] = frozenset(),
          first_number: int = 1) -> Table:  # fmt: skip
    """Return a table with a shaded header row, numbers aligned right."""
    found = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font(), 8.5),
        ("FONT", (0, 0), (-1, 0), font(True), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c9d1db")),
        ("ALIGN", (first_number, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("FONT", (0, r), (-1, r), font(True), 8.5) for r in bold_rows]
    found.setStyle(TableStyle(style))
    return found


def trend(points: list[Point], width: float = 170 * mm, height: float = 55 * mm) -> Drawing:
    """Draw the index by quarter on a fitted axis: the interval band, the line, the points."""
    drawing = Drawing(width, height)
    left, bottom, top = 12 * mm, 8 * mm, 4 * mm
    plot_w, plot_h = width - left - 6 * mm, height - bottom - top
    axis = fit_axis(p.estimate for p in points)

    def y(value: float) -> float:
        return bottom + plot_h * axis.share(value)

    for tick in axis.ticks():
        drawing.add(Line(left, y(tick), left + plot_w, y(tick), strokeColor=colors.lightgrey,
                         strokeWidth=0.4))  # fmt: skip
        drawing.add(String(left - 2 * mm, y(tick) - 1 * mm, str(tick), fontName=font(),
                           fontSize=7, textAnchor="end"))  # fmt: skip
    if axis.broken:  # two slanted strokes at the foot of the axis: it does not start at 0
        for dy in (0, 1.6 * mm):
            drawing.add(Line(left - 1.5 * mm, bottom - 1 * mm + dy, left + 1.5 * mm,
                             bottom + 0.5 * mm + dy, strokeWidth=0.8))  # fmt: skip
    step = plot_w / max(1, len(points) - 1)
    line, run = [], []
    for i, point in enumerate([*points, Point("", Estimate(0))]):
        x, e = left + i * step, point.estimate
        if e.value is not None and e.low is not None and e.high is not None:
            run.append((x, e))
        else:
            _band(drawing, run, y)
            run = []
        if i == len(points):
            break
        drawing.add(String(x, 2 * mm, point.label, fontName=font(), fontSize=6.5,
                           textAnchor="middle"))  # fmt: skip
        if e.value is None:
            continue
        if e.low is not None and e.high is not None:
            drawing.add(Line(x, y(e.low), x, y(e.high), strokeColor=colors.black, strokeWidth=0.8))
        line += [x, y(e.value)]
        drawing.add(Circle(x, y(e.value), 1.4 * mm, fillColor=BRAND, strokeColor=BRAND))
    if len(line) > 2:
        drawing.add(PolyLine(line, strokeColor=BRAND, strokeWidth=1.2))
    return drawing


def _band(drawing: Drawing, run: list[tuple[float, Estimate]], y) -> None:
    """Add the interval band of consecutive points (behind everything drawn after the grid)."""
    if len(run) < 2:
        return
    upper = [c for x, e in run for c in (x, y(e.high))]
    lower = [c for x, e in reversed(run) for c in (x, y(e.low))]
    drawing.add(Polygon(upper + lower, fillColor=BAND, strokeColor=None))


def legend() -> str:
    """Return the words for the star of a change."""
    return _("*: the %(p)s%% interval of the change excludes 0, so it is more than noise.", p=95)
