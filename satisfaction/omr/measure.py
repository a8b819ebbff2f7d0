"""Measure each box's dark share, classify it, and decide each question from its boxes."""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from satisfaction.omr.register import Registration, pixel_window
from satisfaction.omr.template import BoxSpec, MmRect, PageSpec

INK = 0.75  # a pixel darker than this share of the paper's grey is ink
FAINT = 0.88  # darker than this is at least a trace: faint pencil, a blurred thin stroke
INTERIOR_INSET_MM = 0.9  # measure inside the box, clear of its printed outline
RING_MM = 0.4  # half the width of the band around the printed outline
BESIDE_MM = (-1.8, -0.6)  # a band just outside the box: no print there, only a stray mark
STRAY = 0.03  # ink share in that band that makes an empty question doubtful
COMMENT_INSET_MM = 2.0  # inside the comment frame, clear of its printed outline
COMMENT_SLICE_MM = 12  # measured in slices this wide: a 5 degree skew moves an end by 0.5 mm
COMMENT_WRITTEN = 0.002  # handwriting covers more of the comment frame than this
RING = 0.012  # ink share on each of the four sides of that band: the box is circled


class Mark(StrEnum):
    """What a box holds."""

    EMPTY = "empty"
    DOUBTFUL = "doubtful"
    MARKED = "marked"
    FILLED = "filled"  # filled in, as on exam sheets: a mark like any other
    CIRCLED = "circled"  # a ring drawn round the box: a mark like any other


@dataclass(frozen=True)
class Thresholds:
    """Dark shares that separate the classes; between two bands a person decides."""

    empty: float = 0.03  # below: empty (a stray dot is 0.02-0.03)
    trace: float = 0.08  # an empty box with this share of faint pixels is doubtful
    marked: float = 0.10  # from here: marked
    filled: float = 0.70  # from here: filled (a mark all the same; kept apart for the review)
    ring: float = RING  # each side of the band round an empty box this dark: circled

    def classify(self, share: float, faint: float = 0.0, ring: float = 0.0) -> Mark:
        """Return the class of a dark share (with the faint traces in it and the ring round it)."""
        if share < self.empty:
            if ring >= self.ring:
                return Mark.CIRCLED
            return Mark.DOUBTFUL if faint >= self.trace else Mark.EMPTY
        if share < self.marked:
            return Mark.DOUBTFUL
        return Mark.FILLED if share >= self.filled else Mark.MARKED


MARKS = (Mark.MARKED, Mark.FILLED, Mark.CIRCLED)


@dataclass(frozen=True)
class BoxReading:
    """One box measured: its spec, raw dark shares, class.

    The shares are of ink and of faint traces inside the box, of ink just outside it, and the
    least inked of the four sides of that band (a ring drawn round the box inks all four).
    """

    box: BoxSpec
    share: float
    faint: float
    mark: Mark
    beside: float = 0.0
    ring: float = 0.0


@dataclass(frozen=True)
class Decision:
    """The answer read for one question, or why a person must decide."""

    item: str
    value: int | str | None  # None: no answer (when sure) or unknown (when not)
    sure: bool
    reason: str = ""  # "doubtful", "several" or "beside" when not sure


def _share(image: np.ndarray, window: tuple[int, int, int, int], limit: float) -> float:
    top, bottom, left, right = window
    pixels = image[max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)]
    if pixels.size == 0:
        return 0.0
    return float(np.count_nonzero(pixels < limit)) / pixels.size


def measure(image: np.ndarray, reg: Registration, page: PageSpec,
            thresholds: Thresholds = Thresholds()) -> list[BoxReading]:  # fmt: skip
    """Return every box of the page with its dark share and class."""
    ink, trace = reg.paper * INK, reg.paper * FAINT
    readings = []
    for box in page.boxes:
        window = pixel_window(reg, box.rect, INTERIOR_INSET_MM)
        share, faint = _share(image, window, ink), _share(image, window, trace)
        beside = _band_share(image, reg, box, BESIDE_MM, ink)
        ring = _ring(image, reg, box, ink) if beside >= STRAY else 0.0
        mark = thresholds.classify(share, faint, ring)
        readings.append(BoxReading(box, round(share, 4), round(faint, 4), mark, round(beside, 4),
                                   round(ring, 4)))  # fmt: skip
    return readings


def _ring(image: np.ndarray, reg: Registration, box: BoxSpec, limit: float) -> float:
    """Return the ink share of the least inked side of the band just outside the box."""
    outer, inner = BESIDE_MM
    r = box.rect
    sides = (
        MmRect(r.x + outer, r.y + outer, r.w - 2 * outer, inner - outer),  # above
        MmRect(r.x + outer, r.y + r.h - inner, r.w - 2 * outer, inner - outer),  # below
        MmRect(r.x + outer, r.y + outer, inner - outer, r.h - 2 * outer),  # left
        MmRect(r.x + r.w - inner, r.y + outer, inner - outer, r.h - 2 * outer),  # right
    )
    return min(_share(image, pixel_window(reg, side, 0.0), limit) for side in sides)


def decide(readings: list[BoxReading]) -> list[Decision]:
    """Return one decision per question: single marks are answers, anything else is doubt."""
    by_item: dict[str, list[BoxReading]] = {}
    for reading in readings:
        by_item.setdefault(reading.box.item, []).append(reading)
    return [_decide(item, boxes) for item, boxes in by_item.items()]


def _decide(item: str, boxes: list[BoxReading]) -> Decision:
    """Return a lone mark (ticked, crossed, filled or circled) as the answer; doubt otherwise.

    Two marks on a line may be a correction (the wrong box crossed out, the right one marked):
    only a person can tell which is meant.
    """
    marks = [b for b in boxes if b.mark in MARKS]
    if any(b.mark is Mark.DOUBTFUL for b in boxes):
        return Decision(item, None, False, "doubtful")
    if len(marks) > 1:
        return Decision(item, None, False, "several")
    if len(marks) == 1:
        return Decision(item, marks[0].box.value, True)
    if any(b.beside >= STRAY for b in boxes):  # a mark half outside its box, or beside it
        return Decision(item, None, False, "beside")
    return Decision(item, None, True)


def outline_score(image: np.ndarray, reg: Registration, page: PageSpec) -> float:
    """Return the share of the page's boxes whose printed outline is where the layout says."""
    limit = reg.paper * INK
    seen = 0
    for box in page.boxes:
        ring = _band_share(image, reg, box, (-RING_MM, RING_MM), limit)
        outside = _band_share(image, reg, box, (-1.6, -0.8), limit)
        if ring >= 0.18 and ring > outside * 1.3:
            seen += 1
    return seen / max(len(page.boxes), 1)


def _band_share(image: np.ndarray, reg: Registration, box: BoxSpec,
                insets: tuple[float, float], limit: float) -> float:  # fmt: skip
    """Return the dark share of the band between two insets of the box (mm, negative: out)."""
    outer = pixel_window(reg, box.rect, insets[0])
    inner = pixel_window(reg, box.rect, insets[1])
    total = _share(image, outer, limit) * _area(outer)
    hole = _share(image, inner, limit) * _area(inner)
    return (total - hole) / max(_area(outer) - _area(inner), 1)


def _area(window: tuple[int, int, int, int]) -> int:
    top, bottom, left, right = window
    return max(bottom - top, 0) * max(right - left, 0)


def comment_ink(image: np.ndarray, reg: Registration, rect: MmRect) -> float:
    """Return the share of the comment frame's inside that handwriting covers.

    The frame is measured in narrow slices, each placed by the page's fit, so that a skewed
    page's frame stays outside them. The printed rules are lighter than ink, and only ink in
    2 x 2 pixel blocks counts: a pen's stroke, not dust or a lone noisy pixel.
    """
    count = max(round(rect.w / COMMENT_SLICE_MM), 1)
    inked = total = 0
    for k in range(count):
        piece = MmRect(rect.x + rect.w * k / count, rect.y, rect.w / count, rect.h)
        top, bottom, left, right = pixel_window(reg, piece, COMMENT_INSET_MM)
        ink = image[max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)] < reg.paper * INK
        if ink.shape[0] < 2 or ink.shape[1] < 2:
            continue
        blocks = ink[:-1, :-1] & ink[1:, :-1] & ink[:-1, 1:] & ink[1:, 1:]
        inked += int(np.count_nonzero(blocks))
        total += ink.size
    return inked / max(total, 1)
