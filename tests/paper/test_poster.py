"""The desk poster read back as a phone would: its QR, its address and its Vietnamese text."""

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from satisfaction.paper.poster import SIZES, Poster, render_poster
from tests.paper.conftest import HUE

POSTER = Poster(url="https://khaosat.example.vn/d/P46-24", address="khaosat.example.vn/d/P46-24",
                service_point=HUE, point_code="P46-24")  # fmt: skip


def read_poster(data: bytes, dpi: float = 100) -> tuple[tuple[float, float], str, list]:
    """Return the page size in millimetres, the page's text and the barcodes found on it."""
    (page,) = pdfium.PdfDocument(data)
    size = (page.get_width() * 25.4 / 72, page.get_height() * 25.4 / 72)
    image = np.array(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    text = " ".join(page.get_textpage().get_text_range().split())
    return size, text, zxingcpp.read_barcodes(image)


def _render(size: str, poster: Poster = POSTER) -> bytes:
    out = io.BytesIO()
    render_poster(poster, out, size)
    return out.getvalue()


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_the_poster_reads_back(size):
    (width, height), text, found = read_poster(_render(size), dpi=60)  # a rough, small picture
    assert (round(width), round(height)) == SIZES[size]
    assert [(code.format, code.text) for code in found] == [
        (zxingcpp.BarcodeFormat.QRCode, "https://khaosat.example.vn/d/P46-24")
    ]
    assert "khaosat.example.vn/d/P46-24" in text and "Thừa Thiên Huế" in text
    assert "Quét mã QR bằng điện thoại để trả lời" in text
    assert "Ẩn danh: không hỏi họ tên, địa chỉ hay số điện thoại." in text
    assert "Khảo sát sự hài lòng về dịch vụ hành chính công" in text


def test_the_qr_modules_are_large_enough_to_scan_from_afar():
    _size, _text, (found,) = read_poster(_render("A4"), dpi=100)
    side_mm = (found.position.top_right.x - found.position.top_left.x) * 25.4 / 100
    assert side_mm > 90  # about 4 mm a module for a short address


def test_same_input_same_bytes():
    assert _render("A4") == _render("A4")
    assert _render("A4") != _render("A3")


def test_a_long_name_and_address_still_fit():
    site = "dichvucong.tinh-thua-thien-hue.example.gov.vn"
    name = f"{HUE}, chi nhánh số 2, {HUE}"
    long = Poster(url=f"https://{site}/d/C19999-2026", address=f"{site}/d/C19999-2026",
                  service_point=name, point_code="C19999-2026")  # fmt: skip
    _size, text, found = read_poster(_render("A4", long))
    assert [code.text for code in found] == [long.url]
    assert long.address in text


def test_other_paper_sizes_are_refused():
    with pytest.raises(ValueError, match="A4 or A3"):
        render_poster(POSTER, io.BytesIO(), "Letter")
