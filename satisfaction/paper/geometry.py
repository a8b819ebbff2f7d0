"""The layout of a printed form as data: millimetres from the top-left corner of the page.

The same objects drive the drawing (render.py) and the JSON the scanner reads back (design.md
section 4), so a box is always where the JSON says it is.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from satisfaction.paper import assets
from satisfaction.questionnaires.definition import LocalText

PT = 25.4 / 72  # millimetres per point
FINGERPRINT_LENGTH = 8


def _mm(value: float) -> float:
    """Return a length as written to JSON: rounded to a hundredth of a millimetre."""
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Rect:
    """A rectangle: its top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """Return the x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """Return the y of the bottom edge."""
        return self.y + self.h

    def grown(self, by: float) -> "Rect":
        """Return the rectangle widened by a margin on every side."""
        return Rect(self.x - by, self.y - by, self.w + 2 * by, self.h + 2 * by)

    def overlaps(self, other: "Rect") -> bool:
        """Return whether the two rectangles share any area."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def to_json(self) -> dict[str, float]:
        """Return {"x", "y", "w", "h"} in millimetres."""
        return {"x": _mm(self.x), "y": _mm(self.y), "w": _mm(self.w), "h": _mm(self.h)}


@dataclass(frozen=True)
class Box:
    """One answer box: the question's key and the value a mark in it means."""

    item: str
    value: int | str
    rect: Rect

    def to_json(self) -> dict[str, Any]:
        """Return the box as in the layout JSON."""
        return {"item": self.item, "value": self.value, **self.rect.to_json()}


@dataclass(frozen=True)
class Text:
    """Lines of text: x is the left edge (the right edge or the centre when aligned so)."""

    x: float
    baseline: float
    lines: tuple[str, ...]
    size: float
    bold: bool = False
    align: str = "left"

    @property
    def leading(self) -> float:
        """Return the distance between baselines in millimetres."""
        return self.size * assets.settings()["type"]["leading"] * PT

    def area(self) -> Rect:
        """Return the rectangle the glyphs can cover (Vietnamese stacked marks included)."""
        width = max((assets.width_mm(line, self.bold, self.size) for line in self.lines), default=0)
        left = {"left": self.x, "right": self.x - width, "centre": self.x - width / 2}[self.align]
        top = self.baseline - assets.ascent_mm(self.size)
        bottom = self.baseline + (len(self.lines) - 1) * self.leading + assets.descent_mm(self.size)
        return Rect(left, top, width, bottom - top)


@dataclass(frozen=True)
class Shape:
    """A drawn shape: a shaded band, a frame, a rule (x, y to right, bottom) or an example box."""

    kind: str
    rect: Rect
    grey: float = 0.0
    mark: str = ""


@dataclass(frozen=True)
class Slot:
    """Room for a text that changes: per copy (code, service point, procedure) or per run (site)."""

    name: str
    x: float
    baseline: float
    width: float
    size: float
    max_lines: int = 1
    label: str = ""
    bold: bool = False
    align: str = "left"
    may_cut: bool = True  # False: always one whole line, printed smaller when it must be

    def area(self) -> Rect:
        """Return the rectangle the slot's text may cover."""
        leading = self.size * assets.settings()["type"]["leading"] * PT
        left = self.x - self.width if self.align == "right" else self.x
        top = self.baseline - assets.ascent_mm(self.size)
        bottom = self.baseline + (self.max_lines - 1) * leading + assets.descent_mm(self.size)
        return Rect(left, top, self.width, bottom - top)


@dataclass(frozen=True)
class Page:
    """One page of the layout: what the scanner needs and what the drawing needs."""

    number: int
    markers: tuple[Rect, ...]
    qr: Rect
    boxes: tuple[Box, ...] = ()
    texts: tuple[Text, ...] = ()
    shapes: tuple[Shape, ...] = ()
    slots: tuple[Slot, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the page as in the layout JSON."""
        return {
            "page": self.number,
            "markers": [marker.to_json() for marker in self.markers],
            "qr": self.qr.to_json(),
            "boxes": [box.to_json() for box in self.boxes],
        }


@dataclass(frozen=True)
class Layout:
    """Every page of a questionnaire's printed form, the same for all copies."""

    questionnaire: str
    version: int
    locale: str
    pages: tuple[Page, ...]
    marking_rule: LocalText
    comment_box: tuple[int, Rect] | None = None
    page_size: tuple[float, float] = (210, 297)
    fingerprint: str = field(default="")

    def geometry(self) -> dict[str, Any]:
        """Return what the fingerprint covers: the key, version and every position read back."""
        comment = None
        if self.comment_box:
            page, rect = self.comment_box
            comment = {"page": page, **rect.to_json()}
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "page_size_mm": list(self.page_size),
            "pages": [page.to_json() for page in self.pages],
            "comment_box": comment,
        }

    def compute_fingerprint(self) -> str:
        """Return a short hash of the geometry, printed on every page."""
        canonical = json.dumps(self.geometry(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]

    def to_json(self) -> dict[str, Any]:
        """Return the layout JSON (design.md section 4, plus "comment_box" and "marking_rule").

        A page's markers are listed top-left, top-right, bottom-left, bottom-right, then the
        asymmetric fifth; "qr" is the square reserved for the symbol and its quiet zone.
        """
        geometry = self.geometry()
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "fingerprint": self.fingerprint,
            "page_size_mm": geometry["page_size_mm"],
            "pages": geometry["pages"],
            "comment_box": geometry["comment_box"],
            "marking_rule": {
                "single_choice": True,
                "filled_box": "answer",  # filled in like the exam sheets: a mark
                "several_marks": "review",  # a correction, or two answers: a person decides
                "text": self.marking_rule.to_dict(),
            },
        }

    def boxes_of(self, item: str) -> list[tuple[int, Box]]:
        """Return the (page number, box) pairs of one question, in printed order."""
        return [(p.number, box) for p in self.pages for box in p.boxes if box.item == item]
