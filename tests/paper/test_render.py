"""The rendered PDF, read back as a scanner would: QR codes, text, boxes and markers on a raster."""

import dataclasses

import numpy as np
import pytest
import zxingcpp

from satisfaction.paper.assets import width_mm
from satisfaction.paper.codes import group
from satisfaction.paper.draw import fit
from satisfaction.paper.geometry import Rect
from satisfaction.paper.header import code_slot
from satisfaction.paper.render import FormCopy, ManifestRow, qr_stamp, render_pdf
from tests.paper.conftest import BASE_URL, HUE, LONG_PROCEDURE, crop, px, render

INK = 128  # darker than this is ink
PAPER = 240  # lighter than this is paper


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_manifest_lists_every_copy_in_page_order(rendered, copies):
    assert rendered.result.rows == tuple(
        ManifestRow(copy.code, 2 * i + 1, 2) for i, copy in enumerate(copies)
    )
    assert rendered.result.page_count == len(rendered.pages) == 10


def test_every_page_carries_the_qr_of_its_copy(rendered, layout):
    by_page = {}
    for row in rendered.result.rows:
        for offset in range(row.pages):
            by_page[row.page + offset] = row.code
    for number, image in enumerate(rendered.pages, start=1):
        (found,) = zxingcpp.read_barcodes(image)
        assert found.format == zxingcpp.BarcodeFormat.QRCode
        assert found.text == f"{BASE_URL}/s/{by_page[number]}"
        assert found.ec_level in ("M", "Q")
        qr = layout.pages[(number - 1) % 2].qr
        corners = [found.position.top_left, found.position.bottom_right]
        assert all(px(qr.x) <= p.x <= px(qr.right) for p in corners)
        assert all(px(qr.y) <= p.y <= px(qr.bottom) for p in corners)


def test_qr_modules_are_at_least_half_a_millimetre(rendered, layout):
    stamp = qr_stamp(BASE_URL)
    module = layout.pages[0].qr.w / (stamp.size + 8)  # a quiet zone of four modules each side
    assert module >= 0.5 and stamp.size * module >= 18
    (found,) = zxingcpp.read_barcodes(rendered.pages[0])
    width = found.position.top_right.x - found.position.top_left.x
    assert width == pytest.approx(stamp.size * module * 150 / 25.4, abs=4)


def test_page_one_shows_the_names_the_rules_and_the_code(rendered, copies):
    for index, copy in enumerate(copies):
        text = _normal(rendered.texts[2 * index])
        assert "Rất hài lòng" in text and "Rất không hài lòng" in text
        assert "Khảo sát sự hài lòng về dịch vụ hành chính công" in text
        assert copy.service_point in text
        assert group(copy.code) in text
        assert "Trang 1/2" in text
        assert "gạch chéo ô đánh nhầm bằng hai nét" in text  # the marking rule
        assert "1 = Rất không hài lòng" in text  # the legend
        assert "miễn phí" in text  # returning the form costs nothing
        assert "xin đừng ghi họ tên, địa chỉ hay số điện thoại" in text
        assert "khaosat.dichvucong.example.vn" in text
        assert ("Thủ tục:" in text) == bool(copy.procedure)


def test_long_names_are_wrapped_and_cut_never_spilled(rendered):
    text = _normal(rendered.texts[4])
    assert "Cấp Giấy chứng nhận quyền sử dụng đất" in text and "…" in text
    assert LONG_PROCEDURE not in text
    assert HUE in _normal(rendered.texts[0])


def test_page_two_shows_the_code_the_page_number_and_the_fingerprint(rendered, copies, layout):
    for index, copy in enumerate(copies):
        text = _normal(rendered.texts[2 * index + 1])
        assert group(copy.code) in text and "Trang 2/2" in text
        assert layout.fingerprint in text
        assert copy.service_point not in text  # only page 1 names the office
        assert "Ông/Bà có góp ý gì thêm" in text


def _outlined(image: np.ndarray, rect: Rect) -> bool:
    """Return whether each edge of rect is drawn dark along its whole length."""
    outer, band = crop(image, rect.grown(0.3)), px(0.6)
    edges = [outer[:band].min(axis=0), outer[-band:].min(axis=0)]
    edges += [outer[:, :band].min(axis=1), outer[:, -band:].min(axis=1)]
    return all(edge.mean() < INK for edge in edges)


def test_boxes_are_where_the_layout_says(rendered, layout):
    for number, image in enumerate(rendered.pages[:2], start=1):
        boxes = layout.pages[number - 1].boxes
        for box in boxes[::4]:
            assert crop(image, box.rect, inset=0.9).min() > PAPER, box  # white inside
            assert _outlined(image, box.rect), box
            assert not _outlined(image, dataclasses.replace(box.rect, x=box.rect.x + 2)), box


def test_markers_are_solid_where_the_layout_says(rendered, layout):
    for number, image in enumerate(rendered.pages, start=1):
        for marker in layout.pages[(number - 1) % 2].markers:
            assert crop(image, marker, inset=0.4).max() < INK
            ring = crop(image, marker.grown(1.5))
            assert ring[0].min() > PAPER and ring[-1].min() > PAPER


def test_comment_box_is_empty_and_framed(rendered, layout):
    page, box = layout.comment_box
    image = rendered.pages[page - 1]
    assert crop(image, box, inset=1).mean() > PAPER
    assert _outlined(image, box)


def test_same_input_same_bytes(questionnaire, copies, rendered):
    again, _ = render(questionnaire, copies)
    assert again == rendered.data
    assert b"/FontFile2" in again  # the font is embedded
    assert b"/BaseFont /Helvetica" not in again


def test_progress_is_reported(questionnaire, copies):
    calls = []
    render(questionnaire, copies, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(5, 5)]


def test_a_copy_carries_no_dossier_reference():
    assert [f.name for f in dataclasses.fields(FormCopy)] == [
        "code",
        "service_point",
        "procedure",
    ]


@pytest.mark.parametrize(
    ("code", "base_url"),
    [
        ("7KQ2-M9XD-4TPA-Z", BASE_URL),  # grouped
        ("7KQ2M9XD4TPAA", BASE_URL),  # wrong check character
        (None, "khaosat.example.vn"),  # no scheme
        (None, "https://example.vn/?x=1"),
        (None, "https://khảosát.vn"),  # not punycode
        (None, "https://" + "k" * 120 + ".vn"),  # modules would print too small
    ],
)
def test_bad_input_is_refused(questionnaire, copies, code, base_url):
    copy = copies[0] if code is None else FormCopy(code, "UBND", "")
    with pytest.raises(ValueError):
        render_pdf(questionnaire, [copy], _Sink(), base_url)


def test_no_copies_is_refused(questionnaire):
    with pytest.raises(ValueError):
        render_pdf(questionnaire, [], _Sink(), BASE_URL)


class _Sink:
    def write(self, data: bytes) -> int:
        return len(data)


def test_page_raster_is_greyscale_a4(rendered):
    for image in rendered.pages:
        assert abs(image.shape[0] - px(297)) <= 1 and abs(image.shape[1] - px(210)) <= 1
    assert all(image.dtype == np.uint8 for image in rendered.pages)


def test_a_wide_code_is_printed_whole_and_smaller():
    slot = code_slot()
    size, lines = fit(slot, "WWWW-WWWW-WWWW-W")
    assert lines == ("WWWW-WWWW-WWWW-W",) and size < slot.size
    assert width_mm(lines[0], True, size) <= slot.width + 1e-9
    assert fit(slot, "7KQ2-M9XD-4TPA-Z") == (slot.size, ("7KQ2-M9XD-4TPA-Z",))


def test_a_long_office_name_is_cut_on_its_one_line(layout):
    (slot,) = [s for s in layout.pages[0].slots if s.name == "service_point"]
    size, lines = fit(slot, HUE * 3)
    assert len(lines) == 1 and lines[0].endswith("…") and size >= slot.size - 1.5
