"""Opening scan files: every format a page at a time; bad files refused with a clear reason."""

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from satisfaction.omr import sources
from satisfaction.omr.sources import ScanFileError, pages_of


def _image(path, fmt, frames=1, mode="L"):
    images = [Image.new(mode, (200, 280), 255) for _ in range(frames)]
    images[0].save(path, format=fmt, save_all=frames > 1, append_images=images[1:])
    return path


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "L"), ("JPEG", "RGB"), ("TIFF", "1")])
def test_images_open_as_grey_pages(tmp_path, fmt, mode):
    """PNG, JPEG and bitonal TIFF pages come out as greyscale arrays."""
    (page,) = list(pages_of(_image(tmp_path / f"a.{fmt.lower()}", fmt, mode=mode)))
    assert page.dtype == np.uint8 and page.shape == (280, 200)


def test_multipage_tiff(tmp_path):
    """Every frame of a TIFF is a page."""
    assert len(list(pages_of(_image(tmp_path / "a.tif", "TIFF", frames=3)))) == 3


def test_pdf_pages_are_rasterised(tmp_path):
    """A PDF's pages are rendered at 200 dpi, one at a time."""
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(tmp_path / "a.pdf")
    (page,) = list(pages_of(tmp_path / "a.pdf"))
    assert abs(page.shape[1] - 1654) <= 2


def test_not_an_image(tmp_path):
    """A text file is refused by its first bytes."""
    (tmp_path / "a.png").write_text("hello")
    with pytest.raises(ScanFileError, match="not a PDF, TIFF, PNG or JPEG"):
        list(pages_of(tmp_path / "a.png"))


def test_corrupt_png(tmp_path):
    """A truncated PNG is refused with a reason, not a crash."""
    data = io.BytesIO()
    Image.new("L", (300, 300), 0).save(data, format="PNG")
    (tmp_path / "a.png").write_bytes(data.getvalue()[:60])
    with pytest.raises(ScanFileError, match="cannot be read"):
        list(pages_of(tmp_path / "a.png"))


def test_corrupt_pdf(tmp_path):
    """A PDF that pdfium cannot open is refused."""
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(ScanFileError, match="PDF cannot be opened"):
        list(pages_of(tmp_path / "a.pdf"))


def test_image_bomb(tmp_path, monkeypatch):
    """An image claiming more pixels than a page can have is refused before it is decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    path = _image(tmp_path / "a.png", "PNG")  # 56,000 pixels: over twice the limit
    with pytest.raises(ScanFileError, match="too large"):
        list(pages_of(path))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 40_000)  # over the limit, under twice it
    with pytest.raises(ScanFileError, match="too large"):
        list(pages_of(path))


def test_too_many_pdf_pages(tmp_path, monkeypatch):
    """A PDF with more pages than allowed is refused before any page is rendered."""
    monkeypatch.setattr(sources, "MAX_PAGES", 3)
    document = pdfium.PdfDocument.new()
    for _ in range(4):
        document.new_page(595, 842)
    document.save(tmp_path / "a.pdf")
    with pytest.raises(ScanFileError, match="too many pages"):
        next(pages_of(tmp_path / "a.pdf"))


def test_huge_pdf_page(tmp_path):
    """A PDF page far larger than A3 is refused with its number."""
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.new_page(14400, 14400)
    document.save(tmp_path / "a.pdf")
    with pytest.raises(ScanFileError, match="page 2: too large"):
        list(pages_of(tmp_path / "a.pdf"))
