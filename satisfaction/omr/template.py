"""What the reader needs of a printed layout, taken from the layout JSON (design.md section 4)."""

from dataclasses import dataclass
from typing import Any

QUIET_MODULES = 4  # the renderer's quiet zone around the QR symbol, in modules


@dataclass(frozen=True)
class MmRect:
    """A rectangle in millimetres from the top-left corner of the page."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        """Return the centre point."""
        return self.x + self.w / 2, self.y + self.h / 2

    @classmethod
    def of(cls, data: dict[str, Any]) -> "MmRect":
        """Return the rectangle of a JSON object with x, y, w and h."""
        return cls(float(data["x"]), float(data["y"]), float(data["w"]), float(data["h"]))


@dataclass(frozen=True)
class BoxSpec:
    """One answer box: the question's key, the value a mark means, where it is."""

    item: str
    value: int | str
    rect: MmRect


@dataclass(frozen=True)
class PageSpec:
    """One printed page: its number, markers, QR square and boxes."""

    number: int
    markers: tuple[MmRect, ...]
    qr: MmRect
    boxes: tuple[BoxSpec, ...]

    def items(self) -> list[str]:
        """Return the question keys on this page, in printed order."""
        return list(dict.fromkeys(box.item for box in self.boxes))


@dataclass(frozen=True)
class FormSpec:
    """A questionnaire's printed form: its key, version, fingerprint and pages."""

    questionnaire: str
    version: int
    fingerprint: str
    page_size: tuple[float, float]
    pages: tuple[PageSpec, ...]
    comment: tuple[int, MmRect] | None = None  # the page and frame of the handwritten comment

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FormSpec":
        """Return the form described by a layout JSON object."""
        pages = tuple(
            PageSpec(
                int(page["page"]),
                tuple(MmRect.of(m) for m in page["markers"]),
                MmRect.of(page["qr"]),
                tuple(BoxSpec(b["item"], b["value"], MmRect.of(b)) for b in page["boxes"]),
            )
            for page in data["pages"]
        )
        width, height = data["page_size_mm"]
        box = data.get("comment_box")
        comment = (int(box["page"]), MmRect.of(box)) if box else None
        return cls(
            data["questionnaire"], int(data["version"]), data["fingerprint"],
            (float(width), float(height)), pages, comment,
        )  # fmt: skip

    def page(self, number: int) -> PageSpec:
        """Return a page by its number."""
        return next(page for page in self.pages if page.number == number)


def qr_symbol_mm(square: MmRect, version: int) -> tuple[tuple[float, float], ...]:
    """Return the QR symbol's corners (top-left, top-right, bottom-right, bottom-left) in mm."""
    modules = 17 + 4 * version
    side = square.w * modules / (modules + 2 * QUIET_MODULES)
    left, top = square.x + (square.w - side) / 2, square.y + (square.h - side) / 2
    return (left, top), (left + side, top), (left + side, top + side), (left, top + side)
