"""Draw a layout page with reportlab: the parts every copy shares, and the per-copy texts."""

from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from satisfaction.paper import assets
from satisfaction.paper.flow import cfg, leading, wrap
from satisfaction.paper.geometry import PT, Page, Rect, Shape, Slot, Text

ELLIPSIS = "…"
SLOT_SHRINK = 1.5  # a long name may be printed up to this many points smaller, then it is cut
MARK_PT = 1.4  # pen width of the example tick and cross


def points(mm: float) -> float:
    """Return a length in millimetres as points."""
    return mm / PT


def page_y(mm: float) -> float:
    """Return reportlab's y (points up from the bottom) of a layout y (mm down from the top)."""
    return (cfg("page")["height"] - mm) / PT


def _rect(canvas: Canvas, rect: Rect, stroke: int, fill: int) -> None:
    canvas.rect(
        points(rect.x),
        page_y(rect.bottom),
        points(rect.w),
        points(rect.h),
        stroke=stroke,
        fill=fill,
    )


def draw_text(canvas: Canvas, text: Text) -> None:
    """Draw lines of text, aligned as the layout says."""
    canvas.setFont(assets.font(text.bold), text.size)
    draw = {
        "left": canvas.drawString,
        "right": canvas.drawRightString,
        "centre": canvas.drawCentredString,
    }[text.align]
    for index, line in enumerate(text.lines):
        draw(points(text.x), page_y(text.baseline + index * text.leading), line)


def _example(canvas: Canvas, shape: Shape) -> None:
    """Draw a box of the marking rule's pictures: a tick, a cross, a fill, or a struck tick."""
    rect = shape.rect
    canvas.setLineWidth(cfg("grid")["outline_pt"])
    _rect(canvas, rect, stroke=1, fill=1 if shape.mark == "fill" else 0)
    canvas.setLineWidth(MARK_PT)
    x, y, w = rect.x, rect.y, rect.w
    tick = [((0.15, 0.55), (0.4, 0.85)), ((0.4, 0.85), (0.95, 0.05))]
    cross = [((0.15, 0.15), (0.85, 0.85)), ((0.15, 0.85), (0.85, 0.15))]
    struck = [((-0.1, -0.1), (1.1, 1.1)), ((-0.1, 1.1), (1.1, -0.1))]
    strokes = {"tick": tick, "cross": cross, "struck": tick + struck}.get(shape.mark, [])
    for (x1, y1), (x2, y2) in strokes:
        canvas.line(points(x + x1 * w), page_y(y + y1 * w), points(x + x2 * w), page_y(y + y2 * w))


def _shape(canvas: Canvas, shape: Shape) -> None:
    rect = shape.rect
    if shape.kind == "band":
        canvas.setFillGray(shape.grey)
        _rect(canvas, rect, stroke=0, fill=1)
        canvas.setFillGray(0)
    elif shape.kind == "frame":
        canvas.setLineWidth(cfg("grid")["outline_pt"])
        _rect(canvas, rect, stroke=1, fill=0)
    elif shape.kind == "rule":
        canvas.setStrokeGray(shape.grey)
        canvas.setLineWidth(0.5)
        canvas.line(points(rect.x), page_y(rect.y), points(rect.right), page_y(rect.bottom))
        canvas.setStrokeGray(0)
    elif shape.kind == "example":
        _example(canvas, shape)


def draw_static(canvas: Canvas, page: Page) -> None:
    """Draw what every copy of a page shares: shading, markers, boxes, texts."""
    for shape in page.shapes:
        if shape.kind == "band":
            _shape(canvas, shape)
    canvas.setFillGray(0)
    for marker in page.markers:
        _rect(canvas, marker, stroke=0, fill=1)
    canvas.setLineWidth(cfg("grid")["outline_pt"])
    canvas.setFillGray(1)
    for box in page.boxes:
        _rect(canvas, box.rect, stroke=1, fill=1)  # white inside, even on a shaded row
    canvas.setFillGray(0)
    for shape in page.shapes:
        if shape.kind != "band":
            _shape(canvas, shape)
    for text in page.texts:
        draw_text(canvas, text)


@lru_cache(maxsize=4096)
def fit(slot: Slot, value: str) -> tuple[float, tuple[str, ...]]:
    """Return the size and lines that fit a value into a slot: shrink a little, then cut."""
    width = slot.width - (assets.width_mm(slot.label, True, slot.size) + 1.5 if slot.label else 0)
    size = slot.size
    if not slot.may_cut:  # a code is never cut: scale it to the width
        natural = assets.width_mm(value, slot.bold, size)
        return min(size, size * width / natural), (value,)
    while True:
        lines = wrap(value, width, size, slot.bold)
        if len(lines) <= slot.max_lines or size <= slot.size - SLOT_SHRINK:
            break
        size -= 0.5
    if len(lines) > slot.max_lines:
        last = lines[slot.max_lines - 1]
        while last and assets.width_mm(last + ELLIPSIS, slot.bold, size) > width:
            last = last[:-1].rstrip()
        lines = (*lines[: slot.max_lines - 1], last + ELLIPSIS)
    return size, lines


def slot_code(canvas: Canvas, slot: Slot, value: str) -> str:
    """Return the PDF operators drawing a changing text in its slot, after its label.

    The operators depend only on the slot, the value and the document's font subsets, so a
    renderer may cache them for the rest of a document (most copies of a batch share names).
    """
    if not value:
        return ""
    text = canvas.beginText()
    x = slot.x
    if slot.label:
        text.setFont(assets.font(True), slot.size)
        text.setTextOrigin(points(x), page_y(slot.baseline))
        text.textOut(slot.label)
        x += assets.width_mm(slot.label, True, slot.size) + 1.5
    size, lines = fit(slot, value)
    text.setFont(assets.font(slot.bold), size)
    for index, line in enumerate(lines):
        left = x - assets.width_mm(line, slot.bold, size) if slot.align == "right" else x
        text.setTextOrigin(points(left), page_y(slot.baseline + index * leading(size)))
        text.textOut(line)
    return text.getCode()
