"""The page builder the layout writes into: a cursor moving down pages, texts measured as placed."""

from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit

from satisfaction.paper import assets
from satisfaction.paper.geometry import PT, Box, Rect, Shape, Slot, Text


def cfg(section: str) -> dict:
    """Return one section of print/layout.toml."""
    return assets.settings()[section]


def leading(size: float) -> float:
    """Return the distance between baselines of a size, in millimetres."""
    return size * cfg("type")["leading"] * PT


def wrap(value: str, width: float, size: float, bold: bool = False) -> tuple[str, ...]:
    """Return value broken into lines no wider than width millimetres."""
    return tuple(simpleSplit(value, assets.font(bold), size, width / PT)) or ("",)


def text_height(lines: int, size: float) -> float:
    """Return the height of lines of text, from the tallest mark to the lowest descender."""
    return assets.ascent_mm(size) + (lines - 1) * leading(size) + assets.descent_mm(size)


def markers() -> tuple[Rect, ...]:
    """Return the five markers: the four corners at the margin, then the asymmetric one."""
    page, marker = cfg("page"), cfg("markers")
    size, margin = marker["size"], page["margin"]
    far_x, far_y = page["width"] - margin - size, page["height"] - margin - size
    corners = [(margin, margin), (far_x, margin), (margin, far_y), (far_x, far_y)]
    fifth = tuple(marker["fifth"])
    return tuple(Rect(x, y, size, size) for x, y in [*corners, fifth])


def qr_square() -> Rect:
    """Return the square reserved for the QR symbol and its quiet zone."""
    qr = cfg("qr")
    return Rect(qr["x"], qr["y"], qr["size"], qr["size"])


def column_centre(index: int) -> float:
    """Return the x of the centre of an answer column (0 = leftmost)."""
    grid = cfg("grid")
    return grid["right"] - (grid["columns"] - index - 0.5) * grid["pitch"]


@dataclass
class Draft:
    """A page being filled."""

    number: int
    boxes: list[Box] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    headed: set[tuple] = field(default_factory=set)  # the column headings already on the page


class Flow:
    """Place blocks down the pages, starting a page when the next block does not fit."""

    def __init__(self, locale: str):
        self.locale = locale
        self.drafts: list[Draft] = []
        self.y = 0.0
        self.number = 0  # the last question number printed
        self.comment_box: tuple[int, Rect] | None = None

    @property
    def page(self) -> Draft:
        """Return the page being filled."""
        return self.drafts[-1]

    @property
    def room(self) -> float:
        """Return the height left on the page for questions."""
        return cfg("page")["content_bottom"] - self.y

    def start_page(self) -> Draft:
        """Add a page and put the cursor at its top margin."""
        self.drafts.append(Draft(len(self.drafts) + 1))
        self.y = cfg("header")["top"]
        return self.page

    def text(self, x: float, width: float, value: str, size: float, bold: bool = False) -> Text:
        """Place a paragraph at the cursor, move the cursor below it, and return it."""
        lines = wrap(value, width, size, bold)
        placed = Text(x, self.y + assets.ascent_mm(size), lines, size, bold)
        self.page.texts.append(placed)
        self.y += text_height(len(lines), size)
        return placed

    def gap(self, height: float) -> None:
        """Leave vertical space."""
        self.y += height

    def next_number(self) -> int:
        """Return the number of the next question."""
        self.number += 1
        return self.number
