"""A unit's report as a PDF: the page's figures, tables and trend chart, in the embedded font."""

import io
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satisfaction.dashboard.charts import Point
from satisfaction.dashboard.labels import source_label
from satisfaction.dashboard.pages import UnitPage
from satisfaction.paper.assets import font, register_fonts
from satisfaction.scoring.indices import Estimate

BRAND = colors.HexColor("#0b4f8a")


def _styles() -> dict[str, ParagraphStyle]:
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
    }


def _pct(e: Estimate) -> str:
    return format_decimal(e.value, "#,##0.0") if e.value is not None else "—"


def _ci(e: Estimate) -> str:
    if e.low is None or e.high is None:
        return "—"
    return f"{format_decimal(e.low, '#,##0.0')}–{format_decimal(e.high, '#,##0.0')}"


def _table(rows: list[list], widths: list[float], bold_rows: set[int] = frozenset(),
           first_number: int = 1) -> Table:  # fmt: skip
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font(), 8.5),
        ("FONT", (0, 0), (-1, 0), font(True), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c9d1db")),
        ("ALIGN", (first_number, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("FONT", (0, r), (-1, r), font(True), 8.5) for r in bold_rows]
    table.setStyle(TableStyle(style))
    return table


def _trend(points: list[Point], width: float = 170 * mm, height: float = 55 * mm) -> Drawing:
    """Draw the index by quarter: values joined by a line, intervals as vertical strokes."""
    drawing = Drawing(width, height)
    left, bottom, top = 12 * mm, 8 * mm, 4 * mm
    plot_w, plot_h = width - left - 6 * mm, height - bottom - top

    def y(value: float) -> float:
        return bottom + plot_h * max(0.0, min(100.0, value)) / 100

    for tick in (0, 25, 50, 75, 100):
        drawing.add(Line(left, y(tick), left + plot_w, y(tick), strokeColor=colors.lightgrey,
                         strokeWidth=0.4))  # fmt: skip
        drawing.add(String(left - 2 * mm, y(tick) - 1 * mm, str(tick), fontName=font(),
                           fontSize=7, textAnchor="end"))  # fmt: skip
    step = plot_w / max(1, len(points) - 1)
    line = []
    for i, point in enumerate(points):
        x = left + i * step
        drawing.add(String(x, 2 * mm, point.label, fontName=font(), fontSize=7,
                           textAnchor="middle"))  # fmt: skip
        e = point.estimate
        if e.value is None:
            continue
        if e.low is not None and e.high is not None:
            drawing.add(Line(x, y(e.low), x, y(e.high), strokeColor=colors.black, strokeWidth=0.8))
        line += [x, y(e.value)]
        drawing.add(Circle(x, y(e.value), 1.4 * mm, fillColor=BRAND, strokeColor=BRAND))
    if len(line) > 2:
        drawing.insert(0, PolyLine(line, strokeColor=BRAND, strokeWidth=1.2))
    return drawing


def _elements(page: UnitPage) -> tuple[list[list], set[int]]:
    rows: list[list] = [[_("Element / item"), _("Index") + " (%)", _("%(p)s%% interval", p=95)]]
    bold = set()
    scores = page.figure.scores
    for key, title in page.labels.elements.items():
        if key in scores.elements:
            bold.add(len(rows))
            rows.append([title, _pct(scores.elements[key]), _ci(scores.elements[key])])
        for item in page.labels.element_items[key]:
            if item in scores.items:
                text = Paragraph(page.labels.items[item], _styles()["small"])
                rows.append([text, _pct(scores.items[item]), _ci(scores.items[item])])
    return rows, bold


def _header(page: UnitPage, today: date, min_n: int) -> list:
    s, f = _styles(), page.figure
    period = page.query.period.label or _("all dates")
    story = [Paragraph(_("Citizen satisfaction: %(name)s (%(code)s)", name=page.unit.name,
                         code=page.unit.code), s["title"]),  # fmt: skip
             Paragraph(_("Period: %(p)s. Printed on %(d)s.", p=period, d=today.isoformat()),
                       s["base"]), Spacer(1, 4 * mm)]  # fmt: skip
    if f.enough:
        line = _("Satisfaction index %(v)s%%, 95%% interval %(ci)s, on %(n)s answers.",
                 v=_pct(f.scores.index), ci=_ci(f.scores.index), n=format_decimal(f.n))  # fmt: skip
    else:
        line = _("Not enough answers: %(n)s of the %(min)d needed for a figure.",
                 n=format_decimal(f.n), min=min_n)  # fmt: skip
    story.append(Paragraph(line, s["h2"]))
    return story


def unit_report(page: UnitPage, today: date, min_n: int) -> bytes:
    """Return the PDF report of a unit's page (same inputs, same bytes)."""
    register_fonts()
    s = _styles()
    story = _header(page, today, min_n)
    if page.figure.enough:
        rows, bold = _elements(page)
        story += [_table(rows, [120, 22, 30], bold)]
    interval = _("%(p)s%% interval", p=95)
    story += [Paragraph(_("Trend by quarter"), s["h2"]), _trend(page.trend)]
    trend = [[p.label, format_decimal(p.estimate.n), _pct(p.estimate), _ci(p.estimate)]
             for p in page.trend]  # fmt: skip
    head = [_("Quarter"), _("Answers"), _("Index") + " (%)", interval]
    story.append(_table([head, *trend], [40, 30, 30, 40]))
    if page.rows:
        parts = [
            [str(f.rank or "—"), f.name, format_decimal(f.n), _pct(f.scores.index),
             _ci(f.scores.index)]
            for f in (r.figure for r in page.rows)
        ]  # fmt: skip
        head = [_("Rank"), _("Unit"), _("Answers"), _("Index") + " (%)", interval]
        story += [Paragraph(_("Units in %(name)s, best first", name=page.unit.name), s["h2"]),
                  _table([head, *parts], [14, 86, 22, 22, 30], first_number=2)]  # fmt: skip
    story.append(Spacer(1, 4 * mm))
    sources = "; ".join(source_label(x.value) for x in page.query.sources)
    story.append(Paragraph(_("Each item's index follows the questionnaire's rule (the share of "
                             "answers at 4 or 5 unless it says otherwise); an element is the mean "
                             "of its items, the index the mean of the elements. Sources: %(s)s. "
                             "Figures on fewer than %(n)d answers are not shown.",
                             s=sources, n=min_n),
                           s["small"]))  # fmt: skip
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm, invariant=1,
                            title=page.unit.name, author="satisfaction")  # fmt: skip
    doc.build(story)
    return out.getvalue()
