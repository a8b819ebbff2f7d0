"""The desk poster: one printable page (A4 or A3) inviting citizens to rate a service point.

From the top: the question, the office, the QR of the poster's address, that address to type,
and three lines on what it is and that it is anonymous. Drawn on A4 and scaled whole for A3, in
the embedded Noto Sans (every Vietnamese mark). A pure function of its inputs (invariant=1).
"""

from dataclasses import dataclass
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from satisfaction.paper import assets
from satisfaction.paper.draw import points
from satisfaction.paper.flow import wrap
from satisfaction.paper.qr import image_operators_of, symbol_of

SIZES = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}  # millimetres, portrait
WIDTH, HEIGHT = SIZES["A4"]  # drawn at this size, then scaled
MARGIN = 15.0
TEXT_WIDTH = WIDTH - 2 * MARGIN
QR_SIDE = 118.0  # the symbol and its quiet zone: modules of 2 mm and more for a short address
QUIET_MODULES = 4
LINES = ("what", "anonymous", "why")


@dataclass(frozen=True)
class Poster:
    """What one poster shows: its service point and the address its QR holds."""

    url: str  # {PUBLIC_BASE_URL}/d/{code}
    address: str  # the same without the scheme, to type
    service_point: str
    point_code: str


class _Page:
    """A cursor moving down the page, in millimetres from the top; text centred."""

    def __init__(self, canvas: Canvas, locale: str):
        self.canvas, self.locale, self.y = canvas, locale, MARGIN

    def said(self, key: str) -> str:
        return assets.text(key, self.locale, source="poster")

    def centred(self, value: str, size: float, bold: bool = False, most: int = 3) -> None:
        """Write value centred, wrapped over at most `most` lines (smaller if it needs more)."""
        lines = wrap(value, TEXT_WIDTH, size, bold)
        while len(lines) > most and size > 8:
            size -= 1
            lines = wrap(value, TEXT_WIDTH, size, bold)
        self.canvas.setFont(assets.font(bold), size)
        for line in lines[:most]:
            baseline = self.y + assets.ascent_mm(size)
            self.canvas.drawCentredString(points(WIDTH / 2), points(HEIGHT - baseline), line)
            self.y += size * 1.25 * 25.4 / 72

    def fitted(self, value: str, size: float) -> None:
        """Write value on one centred line, in bold, smaller when it would not fit."""
        while size > 8 and assets.width_mm(value, True, size) > TEXT_WIDTH:
            size -= 0.5
        self.centred(value, size, bold=True, most=1)

    def qr(self, url: str) -> None:
        """Draw the symbol of url centred, QR_SIDE wide with its quiet zone."""
        rows = symbol_of(url, "M")
        side = QR_SIDE * len(rows) / (len(rows) + 2 * QUIET_MODULES)
        left, top = (WIDTH - side) / 2, self.y + (QR_SIDE - side) / 2
        self.canvas.addLiteral(
            image_operators_of(rows, points(left), points(HEIGHT - top - side), points(side))
        )
        self.y += QR_SIDE

    def bullets(self, size: float, indent: float = 6.0) -> None:
        """Write the three lines, each after a dot, in a column as wide as the text."""
        self.canvas.setFont(assets.font(), size)
        for key in LINES:
            for index, line in enumerate(wrap(self.said(key), TEXT_WIDTH - indent, size)):
                baseline = points(HEIGHT - self.y - assets.ascent_mm(size))
                if index == 0:
                    self.canvas.drawString(points(MARGIN), baseline, "•")
                self.canvas.drawString(points(MARGIN + indent), baseline, line)
                self.y += size * 1.3 * 25.4 / 72
            self.y += 2


def render_poster(poster: Poster, out: BinaryIO, size: str = "A4", locale: str = "vi") -> None:
    """Write the poster as a one-page PDF of the given paper size (A4 or A3) to out."""
    if size not in SIZES:
        raise ValueError(f"the poster is printed on A4 or A3, not {size!r}")
    width, height = SIZES[size]
    canvas = Canvas(out, pagesize=(points(width), points(height)), invariant=1,
                    pageCompression=1, initialFontName=assets.font())  # fmt: skip
    page = _Page(canvas, locale)
    canvas.setTitle(f"{page.said('title')} {poster.service_point}")
    canvas.setSubject(poster.url)
    canvas.setCreator("satisfaction")
    canvas.scale(width / WIDTH, width / WIDTH)
    page.centred(page.said("title"), 30, bold=True)
    page.y += 4
    page.centred(page.said("office"), 14, most=1)
    page.centred(poster.service_point, 20, bold=True, most=3)
    page.y += 2
    page.qr(poster.url)
    page.y += 1
    page.centred(page.said("scan"), 18, bold=True, most=2)
    page.centred(page.said("type"), 15, most=2)
    page.y += 1
    page.fitted(poster.address, 24)
    page.y += 7
    page.bullets(16)
    canvas.setFont(assets.font(), 9)
    canvas.drawRightString(points(WIDTH - MARGIN), points(MARGIN - 5), poster.point_code)
    canvas.showPage()
    canvas.save()
