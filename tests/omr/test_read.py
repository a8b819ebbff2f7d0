"""Reading single pages: identity, registration, which page, the rules for marks."""

import dataclasses
import io
import random

import numpy as np
import pytest
from PIL import Image

from satisfaction.omr.crops import comment_crop
from satisfaction.omr.decode import code_of
from satisfaction.omr.measure import BoxReading, Mark, Thresholds, decide
from satisfaction.omr.read import Status, read_page, read_typed
from satisfaction.omr.template import BoxSpec, FormSpec, MmRect
from tests.omr.synth import form_spec, handwrite, make_codes, mark_page, rasterise, render_forms

DPI = 200


@pytest.fixture(scope="module")
def page_images() -> tuple[str, list[Image.Image]]:
    """Return a code and its two pages, unmarked, at 200 dpi."""
    (code,) = make_codes(1)
    return code, rasterise(render_forms([code]), DPI)


def test_code_of_reads_survey_urls_only():
    """A QR counts only when it holds a survey URL with a valid code."""
    assert code_of("https://x.example.vn/s/7KQ2-M9XD-4TPA-5") == "7KQ2M9XD4TPA5"
    assert code_of("https://x.example.vn/s/7KQ2M9XD4TPA6") is None  # wrong check character
    assert code_of("https://x.example.vn/other/7KQ2M9XD4TPA5") is None
    assert code_of("hello") is None


def test_blank_sheet_is_unidentified():
    """A page without a QR goes to the unidentified queue."""
    assert read_page(np.full((2339, 1654), 250, np.uint8), lambda c: None).status is (
        Status.UNIDENTIFIED
    )


def test_unknown_code(page_images):
    """A valid code no form is known for is not read further."""
    code, pages = page_images
    reading = read_page(np.asarray(pages[0]), lambda c: None)
    assert reading.status is Status.UNKNOWN_CODE and reading.code == code


def test_each_page_is_found_by_its_boxes(page_images):
    """Both pages carry the same QR: the boxes' outlines tell page 1 from page 2."""
    code, pages = page_images
    spec = form_spec()
    numbers = [read_page(np.asarray(p), lambda c: spec).page for p in pages]
    assert numbers == [1, 2]


def test_another_layout_is_refused_not_misread(page_images):
    """A page printed from another layout (boxes 2 mm lower) is refused, never measured."""
    _, pages = page_images
    spec = form_spec()
    moved = dataclasses.replace(spec, pages=tuple(
        dataclasses.replace(page, boxes=tuple(
            dataclasses.replace(b, rect=dataclasses.replace(b.rect, y=b.rect.y + 2))
            for b in page.boxes))
        for page in spec.pages))  # fmt: skip
    assert read_page(np.asarray(pages[0]), lambda c: moved).status is Status.WRONG_LAYOUT


def test_one_marker_lost_is_made_up_by_the_qr_two_are_not(page_images):
    """A corner cut off is read with the QR's corners in the fit; two lost go to the queue."""
    _, pages = page_images
    pixels = np.asarray(pages[0]).copy()
    pixels[-150:, -150:] = 255
    reading = read_page(pixels, lambda c: form_spec())
    assert reading.status is Status.READ and reading.registration.markers_found == 4
    pixels[-150:, :150] = 255
    assert read_page(pixels, lambda c: form_spec()).status is Status.UNREGISTERED


def test_marks_read_upside_down(page_images):
    """A page fed upside down reads the same answers."""
    code, pages = page_images
    image = pages[1].copy()
    truth = mark_page(image, code, 2, DPI, random.Random(3), ("tick", "cross"), blank_share=0)
    reading = read_page(np.asarray(image.rotate(180)), lambda c: form_spec())
    assert reading.registration.upside_down and reading.page == 2
    assert {d.item: d.value for d in reading.decisions} == truth.answers


def _boxes(*shares: float) -> list[BoxReading]:
    t = Thresholds()
    rect = MmRect(0, 0, 5, 5)
    return [BoxReading(BoxSpec("q", v, rect), s, s, t.classify(s)) for v, s in enumerate(shares, 1)]


@pytest.mark.parametrize(
    ("shares", "value", "sure", "reason"),
    [
        ((0, 0, 0.3, 0, 0), 3, True, ""),  # one tick
        ((0, 0, 0, 0, 0), None, True, ""),  # no answer
        ((1.0, 0, 0.3, 0, 0), None, False, "several"),  # a correction: a person settles it
        ((0, 0.3, 0.4, 0, 0), None, False, "several"),
        ((0, 0, 0.06, 0, 0), None, False, "doubtful"),
        ((0, 1.0, 0, 0, 0), 2, True, ""),  # a lone filled box: filled in as on exam sheets
        ((0, 0.76, 0, 0, 0), 2, True, ""),  # a heavy cross or half a fill
    ],
)
def test_decisions(shares, value, sure, reason):
    """One mark of any kind is an answer; several or a doubtful one go to a person."""
    (decision,) = decide(_boxes(*shares))
    assert (decision.value, decision.sure, decision.reason) == (value, sure, reason)


def test_a_mark_beside_an_empty_question_is_doubtful():
    """No box marked but ink just outside one (a mark half outside its box): a person looks."""
    boxes = _boxes(0, 0, 0, 0, 0)
    boxes[2] = dataclasses.replace(boxes[2], beside=0.1)
    (decision,) = decide(boxes)
    assert (decision.value, decision.sure, decision.reason) == (None, False, "beside")


def test_a_ring_round_an_empty_box_is_a_mark():
    """Ink on all four sides just outside a box is a circle drawn round it; on one side, not."""
    t = Thresholds()
    assert t.classify(0.0, 0.0, ring=0.2) is Mark.CIRCLED
    assert t.classify(0.0, 0.0, ring=0.0) is Mark.EMPTY
    boxes = _boxes(0, 0, 0, 0, 0)
    boxes[3] = dataclasses.replace(boxes[3], mark=Mark.CIRCLED, beside=0.3, ring=0.2)
    (decision,) = decide(boxes)
    assert (decision.value, decision.sure) == (4, True)


def test_faint_trace_in_an_empty_box_is_doubtful():
    """A box under the ink threshold but with faint traces is not silently empty."""
    assert Thresholds().classify(0.01, 0.2) is Mark.DOUBTFUL
    assert Thresholds().classify(0.01, 0.01) is Mark.EMPTY


def test_form_spec_round_trips_the_layout_json():
    """The reader takes every page, marker and box from the layout JSON."""
    spec = form_spec()
    assert isinstance(spec, FormSpec) and [p.number for p in spec.pages] == [1, 2]
    assert all(len(p.markers) == 5 for p in spec.pages)


@pytest.mark.parametrize("turn", [0, 180])
def test_a_typed_code_reads_a_page_whose_qr_is_spoiled(page_images, turn):
    """With the QR blotted out, the page goes unidentified; with the code typed, it is read."""
    code, pages = page_images
    image = pages[0].copy()
    truth = mark_page(image, code, 1, DPI, random.Random(5), ("tick", "cross"), blank_share=0)
    pixels = np.asarray(image).copy()
    qr = form_spec().page(1).qr
    top, left = round(qr.y * DPI / 25.4), round(qr.x * DPI / 25.4)
    side = round(qr.w * DPI / 25.4)
    pixels[top : top + side, left : left + side] = 255
    small = Image.fromarray(pixels).rotate(turn).resize((1240, 1754))  # as stored: 150 dpi
    assert read_page(np.asarray(small), lambda c: form_spec()).status is Status.UNIDENTIFIED
    reading = read_typed(np.asarray(small), code, form_spec())
    assert reading.status is Status.READ and reading.page == 1
    assert {d.item: d.value for d in reading.decisions} == truth.answers


@pytest.mark.parametrize("turn", [0, 180])
def test_a_handwritten_comment_is_seen_and_cropped(page_images, turn):
    """Words in the comment frame are seen, and cropped upright; the empty frame is not."""
    code, pages = page_images
    number, rect = form_spec().comment
    blank = read_page(np.asarray(pages[number - 1].rotate(turn)), lambda c: form_spec())
    assert blank.comment_ink is not None and not blank.has_comment
    image = pages[number - 1].copy()
    handwrite(image, DPI, random.Random(8), words=6)
    reading = read_page(np.asarray(image.rotate(turn)), lambda c: form_spec())
    assert reading.has_comment, reading.comment_ink
    with Image.open(io.BytesIO(comment_crop(np.asarray(image.rotate(turn)), reading))) as crop:
        assert crop.height / crop.width == pytest.approx(rect.h / rect.w, abs=0.02)
        upright = np.asarray(crop.convert("L"))
    assert upright[: upright.shape[0] // 2].min() < 128  # the words are in the upper half
    other = read_page(np.asarray(pages[0]), lambda c: form_spec())
    assert other.comment_ink is None and not other.has_comment
