"""Open scan files (PDF, TIFF, PNG, JPEG) a page at a time; refuse what cannot be read safely."""

import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

DPI = 200  # PDF pages are rasterised at this resolution
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million pixels
MAX_PAGES = 2_000  # pages in one file
MAX_PAGE_MM = 450  # a PDF page larger than A3 on either side is not a form
MM_PER_PT = 25.4 / 72
# Pillow refuses larger images itself (with a warning up to twice this, which we make an error).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
PDF_MAGIC, TIFF_MAGICS = b"%PDF", (b"II*\x00", b"MM\x00*")


class ScanFileError(ValueError):
    """A scan file that cannot be read: a reason key, the page (1-based) when known, detail."""

    def __init__(self, reason: str, page: int | None = None, detail: str = ""):
        where = f"page {page}: " if page else ""
        super().__init__(f"{where}{reason}{f' ({detail})' if detail else ''}")
        self.reason, self.page, self.detail = reason, page, detail


def kind_of(head: bytes) -> str:
    """Return "pdf" or "image" from a file's first bytes; refuse anything else."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(TIFF_MAGICS) or head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        return "image"
    raise ScanFileError("not a PDF, TIFF, PNG or JPEG file")


def page_count(path: Path) -> int:
    """Return how many pages a scan file holds (0 if it cannot tell), without decoding them."""
    try:
        with open(path, "rb") as handle:
            kind = kind_of(handle.read(8))
        if kind == "pdf":
            document = pdfium.PdfDocument(str(path))
            try:
                return len(document)
            finally:
                document.close()
        with _open_image(path) as image:
            return int(getattr(image, "n_frames", 1))
    except (ScanFileError, pdfium.PdfiumError, OSError):
        return 0


def pages_of(path: Path, start: int = 0) -> Iterator[np.ndarray]:
    """Yield each page of a scan file as a greyscale array, one at a time (bounded memory).

    start: how many pages to pass over first, without decoding them (a file read again).
    """
    with open(path, "rb") as handle:
        kind = kind_of(handle.read(8))
    if kind == "pdf":
        yield from _pdf_pages(path, start)
    else:
        yield from _image_pages(path, start)


def _pdf_pages(path: Path, start: int = 0) -> Iterator[np.ndarray]:
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise ScanFileError("the PDF cannot be opened", detail=str(error)) from None
    try:
        if len(document) > MAX_PAGES:
            raise ScanFileError("too many pages", detail=f"{len(document)} > {MAX_PAGES}")
        for index in range(start, len(document)):
            page = document[index]
            width, height = page.get_size()
            if max(width, height) * MM_PER_PT > MAX_PAGE_MM:
                raise ScanFileError("too large for a form", index + 1)
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            yield np.array(bitmap.to_pil().convert("L"))
            bitmap.close()
            page.close()
    finally:
        document.close()


def _image_pages(path: Path, start: int = 0) -> Iterator[np.ndarray]:
    image = _open_image(path)
    try:
        if start:
            try:
                image.seek(start)
            except EOFError:
                return
        yield from _frames(image, start)
    finally:
        image.close()


def _open_image(path: Path) -> Image.Image:
    """Open an image file, refusing one that claims more pixels than a page can have."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ScanFileError("too large for a form", detail="image bomb?") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ScanFileError("the image cannot be read", detail=str(error)) from None


def _frames(image: Image.Image, index: int = 0) -> Iterator[np.ndarray]:
    while True:
        if index >= MAX_PAGES:
            raise ScanFileError("too many pages", detail=f"> {MAX_PAGES}")
        if image.width * image.height > MAX_PIXELS:
            raise ScanFileError("too large for a form", index + 1)
        try:
            pixels = np.array(image.convert("L"))
        except (OSError, SyntaxError, ValueError) as error:
            raise ScanFileError("the image cannot be read", index + 1, str(error)) from None
        yield pixels
        index += 1
        try:
            image.seek(index)
        except EOFError:
            return


def png_bytes(pixels: np.ndarray) -> bytes:
    """Return a greyscale or RGB array as PNG bytes."""
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", optimize=False)
    return out.getvalue()
