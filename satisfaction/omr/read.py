"""Read one scanned page: identify it, register it, find which page it is, measure its boxes."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from satisfaction.omr.decode import Identity, decode_qr
from satisfaction.omr.measure import (
    COMMENT_WRITTEN,
    BoxReading,
    Decision,
    Thresholds,
    comment_ink,
    decide,
    measure,
    outline_score,
)
from satisfaction.omr.register import Registration, register, register_blind
from satisfaction.omr.template import FormSpec

MIN_OUTLINES = 0.9  # share of a page's box outlines that must be found where the layout says
MAX_OTHER = 0.75  # another page of the form must fit clearly worse


class Status(StrEnum):
    """How far the reading of a page got."""

    READ = "read"
    UNIDENTIFIED = "unidentified"  # no QR with a form code could be read
    UNKNOWN_CODE = "unknown-code"  # a valid code, but no form is known for it
    UNREGISTERED = "unregistered"  # the markers were not all found or do not fit
    WRONG_LAYOUT = "wrong-layout"  # the boxes are not where this form's layout has them


@dataclass
class PageReading:
    """What was read from one page image."""

    status: Status
    identity: Identity | None = None
    form: FormSpec | None = None
    registration: Registration | None = None
    page: int | None = None
    boxes: list[BoxReading] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    comment_ink: float | None = None  # on the page with the comment frame: its ink share

    @property
    def has_comment(self) -> bool:
        """Tell whether something is handwritten in the page's comment frame."""
        return self.comment_ink is not None and self.comment_ink >= COMMENT_WRITTEN

    @property
    def code(self) -> str | None:
        """Return the page's form code when the QR was read."""
        return self.identity.code if self.identity else None

    @property
    def sure(self) -> bool:
        """Tell whether every question on the page was read without doubt."""
        return self.status is Status.READ and all(d.sure for d in self.decisions)


Resolver = Callable[[str], FormSpec | None]


def which_page(image: np.ndarray, reg: Registration, form: FormSpec) -> int | None:
    """Return the number of the form's page whose box outlines the image shows, or None."""
    scores = sorted(
        ((outline_score(image, reg, page), page.number) for page in form.pages), reverse=True
    )
    best, number = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best < MIN_OUTLINES or runner_up > MAX_OTHER:
        return None
    return number


def read_page(
    image: np.ndarray, resolve: Resolver, thresholds: Thresholds | None = None
) -> PageReading:
    """Return what a greyscale page image (uint8, 2-D) says, or how far its reading got."""
    identity = decode_qr(image)
    if identity is None:
        return PageReading(Status.UNIDENTIFIED)
    form = resolve(identity.code)
    if form is None:
        return PageReading(Status.UNKNOWN_CODE, identity)
    reg = register(image, identity, form.pages[0])
    if not reg.ok:
        return PageReading(Status.UNREGISTERED, identity, form, reg)
    return _read_aligned(image, identity, form, reg, thresholds)


def read_typed(image: np.ndarray, code: str, form: FormSpec,
               thresholds: Thresholds | None = None) -> PageReading:  # fmt: skip
    """Return what a page says when its QR could not be read and a person typed its code."""
    identity = Identity(code, "", 0, np.zeros((4, 2)), "typed")
    reg = register_blind(image, form.pages[0], form.page_size)
    if not reg.ok:
        return PageReading(Status.UNREGISTERED, identity, form, reg)
    return _read_aligned(image, identity, form, reg, thresholds)


def _read_aligned(image: np.ndarray, identity: Identity, form: FormSpec, reg: Registration,
                  thresholds: Thresholds | None) -> PageReading:  # fmt: skip
    """Tell which page of the form an aligned image is, then measure and decide its boxes."""
    number = which_page(image, reg, form)
    if number is None:
        return PageReading(Status.WRONG_LAYOUT, identity, form, reg)
    boxes = measure(image, reg, form.page(number), thresholds or Thresholds())
    reading = PageReading(Status.READ, identity, form, reg, number, boxes, decide(boxes))
    if form.comment is not None and form.comment[0] == number:
        reading.comment_ink = round(comment_ink(image, reg, form.comment[1]), 5)
    return reading
