"""Find and decode a page's QR: corner crops first, then filtered, halved, then the whole page."""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter

from satisfaction.paper import codes

# Where the QR may be, as shares of the page's height and width: top-right when the page is
# upright, bottom-left when it is upside down.
CORNERS = (((0.0, 0.32), (0.55, 1.0)), ((0.68, 1.0), (0.0, 0.45)))


@dataclass(frozen=True)
class Identity:
    """A decoded QR: the form code, the symbol's version and corners in page pixels."""

    code: str
    text: str
    version: int
    corners: np.ndarray  # 4 x 2 (x, y): top-left, top-right, bottom-right, bottom-left
    step: str  # which step of the retry chain read it


def code_of(text: str) -> str | None:
    """Return the form code in a QR's text (a survey URL ending in /s/CODE), or None."""
    path = urlsplit(text.strip()).path
    head, _, last = path.rstrip("/").rpartition("/")
    if not head.endswith("/s") and head != "/s":
        return None
    try:
        return codes.normalize(last)
    except codes.CodeError:
        return None


def _attempts(image: np.ndarray) -> Iterator[tuple[str, np.ndarray, int, int, float]]:
    """Yield (step, pixels, x offset, y offset, scale) in the order the chain tries them."""
    height, width = image.shape
    crops = []
    for (top, bottom), (left, right) in CORNERS:
        y0, x0 = int(top * height), int(left * width)
        crops.append((image[y0 : int(bottom * height), x0 : int(right * width)], x0, y0))
    for pixels, x0, y0 in crops:
        yield "crop", pixels, x0, y0, 1.0
    for pixels, x0, y0 in crops:
        filtered = np.asarray(Image.fromarray(pixels).filter(ImageFilter.MedianFilter(3)))
        yield "median", filtered, x0, y0, 1.0
    for pixels, x0, y0 in crops:
        half = Image.fromarray(pixels).reduce(2)
        yield "half", np.asarray(half), x0, y0, 2.0
    yield "page", image, 0, 0, 1.0


def decode_qr(image: np.ndarray) -> Identity | None:
    """Return the first QR on the page that holds a valid form code, or None."""
    for step, pixels, x0, y0, scale in _attempts(image):
        found = zxingcpp.read_barcodes(np.ascontiguousarray(pixels), formats=zxingcpp.QRCode)
        for barcode in found:
            code = code_of(barcode.text)
            if code is None:
                continue
            p = barcode.position
            points = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
            corners = np.array([(pt.x * scale + x0, pt.y * scale + y0) for pt in points], float)
            version = int(barcode.extra.get("Version", 0) or 0)
            return Identity(code, barcode.text, version, corners, step)
    return None
