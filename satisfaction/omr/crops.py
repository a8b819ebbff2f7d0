"""Pictures for people: a small page preview, a question's row with the detected marks drawn."""

import io

import numpy as np
from PIL import Image, ImageDraw

from satisfaction.omr.measure import Mark
from satisfaction.omr.read import PageReading
from satisfaction.omr.sources import png_bytes

PREVIEW_WIDTH = 1240  # 150 dpi across an A4 page: enough to read the page again
CROP_WIDTH = 900
COMMENT_WIDTH = 1400  # a comment's frame, wide enough to read a hand at arm's length
COLOURS = {
    Mark.EMPTY: (140, 140, 140),
    Mark.DOUBTFUL: (230, 120, 0),
    Mark.MARKED: (0, 150, 60),
    Mark.FILLED: (200, 0, 0),
    Mark.CIRCLED: (200, 0, 0),
}
ROW_MARGIN_MM = 4.0
TEXT_LEFT_MM = 10.0  # the row's number and words start at the page margin


def page_preview(image: np.ndarray) -> bytes:
    """Return the page at about 150 dpi as JPEG bytes, to show it and to read it again."""
    picture = Image.fromarray(image)
    if picture.width > PREVIEW_WIDTH:
        height = round(picture.height * PREVIEW_WIDTH / picture.width)
        picture = picture.resize((PREVIEW_WIDTH, max(height, 1)), Image.BILINEAR)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=88)
    return out.getvalue()


def stored_page(data: bytes) -> np.ndarray:
    """Return a page kept by page_preview as a greyscale array."""
    with Image.open(io.BytesIO(data)) as picture:
        return np.array(picture.convert("L"))


def question_crop(image: np.ndarray, reading: PageReading, item: str) -> bytes:
    """Return a question's row, upright, with each box outlined in the colour of its class."""
    reg, boxes = reading.registration, [b for b in reading.boxes if b.box.item == item]
    assert reg is not None and boxes
    top = min(b.box.rect.y for b in boxes) - ROW_MARGIN_MM
    bottom = max(b.box.rect.y + b.box.rect.h for b in boxes) + ROW_MARGIN_MM
    right = max(b.box.rect.x + b.box.rect.w for b in boxes) + 2
    corners = [reg.to_px(x, y) for x in (TEXT_LEFT_MM, right) for y in (top, bottom)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    left_px, top_px = max(int(min(xs)), 0), max(int(min(ys)), 0)
    crop = Image.fromarray(image[top_px : int(max(ys)) + 1, left_px : int(max(xs)) + 1])
    crop = crop.convert("RGB")
    draw = ImageDraw.Draw(crop)
    width = max(int(reg.px_per_mm * 0.35), 2)
    for reading_box in boxes:
        rect = reading_box.box.rect
        points = [reg.to_px(rect.x, rect.y), reg.to_px(rect.x + rect.w, rect.y + rect.h)]
        (x0, y0), (x1, y1) = [(x - left_px, y - top_px) for x, y in points]
        w = width
        outline = [min(x0, x1) - w, min(y0, y1) - w, max(x0, x1) + w, max(y0, y1) + w]
        draw.rectangle(outline, outline=COLOURS[reading_box.mark], width=width)
    if reg.upside_down:
        crop = crop.rotate(180)
    if crop.width > CROP_WIDTH:
        crop = crop.resize((CROP_WIDTH, round(crop.height * CROP_WIDTH / crop.width)))
    return png_bytes(np.asarray(crop))


def comment_crop(image: np.ndarray, reading: PageReading) -> bytes:
    """Return the handwritten comment's frame, upright, as a greyscale PNG to type it from."""
    reg, form = reading.registration, reading.form
    assert reg is not None and form is not None and form.comment is not None
    rect = form.comment[1]
    corners = [
        reg.to_px(x, y) for x in (rect.x, rect.x + rect.w) for y in (rect.y, rect.y + rect.h)
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    left, top = max(int(min(xs)), 0), max(int(min(ys)), 0)
    crop = Image.fromarray(image[top : int(max(ys)) + 1, left : int(max(xs)) + 1])
    if reg.upside_down:
        crop = crop.rotate(180)
    if crop.width > COMMENT_WIDTH:
        crop = crop.resize((COMMENT_WIDTH, round(crop.height * COMMENT_WIDTH / crop.width)))
    return png_bytes(np.asarray(crop))
