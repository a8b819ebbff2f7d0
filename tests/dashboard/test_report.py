"""The PDF report: a sample of comments with their place and month, never the day."""

import re

import pypdfium2

from satisfaction.scoring import comments
from tests.auth.helpers import sign_in
from tests.dashboard.test_fields import fields_app  # noqa: F401 (answers by field)
from tests.dashboard.test_map import mapped_app  # noqa: F401 (named like a bundled list)


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in document))


def test_the_report_samples_comments_with_place_and_month(scored_app, client, monkeypatch):
    monkeypatch.setattr(comments, "SAMPLE", 4)
    sign_in(client, "hanoi")
    response = client.get("/scores/u/001/report.pdf?period=2026-Q3")
    assert response.status_code == 200
    text = _pdf_text(response.data)
    part = text[text.index("Ý kiến người dân") :]
    assert "4 trên 6 góp ý, chọn ngẫu nhiên." in part
    assert part.count("Cán bộ nhiệt tình") == 4 and part.count("Phường Phúc Xá") == 4
    assert "08/2026" in part and "10/08/2026" not in part  # the month, never the day
    assert response.data == client.get("/scores/u/001/report.pdf?period=2026-Q3").data


def test_a_report_shows_no_comment_under_five(scored_app, client):
    sign_in(client, "hanoi")
    text = _pdf_text(client.get("/scores/u/00037/report.pdf?period=2026-Q3").data)
    part = text[text.index("Ý kiến người dân") :]
    assert "ít nhất 5 người" in part and "Cán bộ" not in part


def test_the_nations_report_draws_the_map_and_ranks_the_provinces(mapped_app, client):  # noqa: F811
    sign_in(client, "hanoi")  # the nation's figures are aggregates: every officer
    page = client.get("/scores/?period=2026-Q3").get_data(as_text=True)
    assert 'href="/scores/report.pdf?period=2026-Q3"' in page
    response = client.get("/scores/report.pdf?period=2026-Q3")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(response.data) < 150_000  # the map is a few hundred small polygons
    assert response.data == client.get("/scores/report.pdf?period=2026-Q3").data
    text = _pdf_text(response.data)
    assert "Sự hài lòng của người dân trên toàn quốc" in text and "Quý III/2026" in text
    assert "Chỉ số hài lòng theo tỉnh" in text and "Quần đảo Hoàng Sa" in text
    assert "Quần đảo Trường Sa" in text and "≥ 90" in text and "90–100" not in text
    ranked = text[text.index("Các tỉnh, cao nhất trước") :]
    assert ranked.index("Thành phố Hồ Chí Minh") < ranked.index("Thành phố Hà Nội")
    assert client.get("/scores/report.pdf?period=2026-13").status_code == 422


def test_a_provinces_report_shows_it_on_the_map(mapped_app, client):  # noqa: F811
    sign_in(client, "hanoi")
    text = _pdf_text(client.get("/scores/u/01/report.pdf?period=2026-Q3").data)
    assert "Chỉ số hài lòng theo tỉnh" in text and "Tỉnh này được viền đen" in text
    district = _pdf_text(client.get("/scores/u/001/report.pdf?period=2026-Q3").data)
    assert "Chỉ số hài lòng theo tỉnh" not in district  # the map is a province's


def test_the_maps_paths_read_back_as_rings():
    from satisfaction.dashboard.choropleth import outlines, rings

    assert rings("M1 2l3 0v4h-3zM10 10.5h1.8v1.8h-1.8z") == [
        [(1, 2), (4, 2), (4, 6), (1, 6)],
        [(10, 10.5), (11.8, 10.5), (11.8, 12.3), (10, 12.3)],
    ]
    shapes = outlines("vn-2025")["provinces"]
    paths = [d for shape in shapes.values() for d in shape.values()]
    assert sum(len(rings(d)) for d in paths) == sum(d.count("M") for d in paths)


def _ink(data: bytes, text: str) -> float:
    """Return the share of dark pixels where a text is printed (its first occurrence), rasterised.

    A character the font lacks is extracted as text all the same, but prints as nothing.
    """
    document = pypdfium2.PdfDocument(data)
    for page in document:
        found = page.get_textpage().search(text, match_case=True).get_next()
        if found is None:
            continue
        index, count = found
        boxes = [page.get_textpage().get_charbox(i) for i in range(index, index + count)]
        boxes = [b for b in boxes if b[3] - b[1] > 1]  # a space's box is a flat line
        scale, height = 6, page.get_height()
        image = page.render(scale=scale, grayscale=True).to_numpy()
        dark = [(image[int((height - top) * scale) : int((height - bottom) * scale) + 1,
                       int(left * scale) : int(right * scale) + 1] < 128).mean()
                for left, bottom, right, top in boxes]  # fmt: skip
        return min(dark)  # the palest character
    raise AssertionError(f"{text!r} is not in the PDF")


def test_a_units_report_breaks_the_index_down_by_field(fields_app, client):  # noqa: F811
    sign_in(client, "hanoi")
    data = client.get("/scores/u/00001/report.pdf?period=2026-Q3").data
    text = _pdf_text(data)
    part = text[text.index("Theo lĩnh vực thủ tục") :]
    part = part[: part.index("Theo kênh")]
    # Ranked best first, MIN_N holding; the unknown field last, never ranked; under 5: left out.
    assert "1 Hộ tịch 35 85,7" in part
    assert "— Đất đai 12 — —" in part and "— Chưa rõ lĩnh vực 6 — —" in part
    rows = part[part.index("1 Hộ tịch") :]
    assert rows.index("Hộ tịch") < rows.index("Đất đai") < rows.index("Chưa rõ lĩnh vực")
    assert "Chứng thực" not in part and "dưới 30 câu trả lời" in part
    for name in ("Hộ tịch", "Đất đai", "Chưa rõ lĩnh vực"):  # printed, diacritics and all
        assert _ink(data, name) > 0.05, name


def test_a_unit_without_fields_says_so(scored_app, client):
    sign_in(client, "hanoi")
    text = _pdf_text(client.get("/scores/u/00004/report.pdf?period=2026-Q3").data)  # no answer
    assert "Theo lĩnh vực thủ tục" in text
    assert "Không lĩnh vực nào có từ 5 câu trả lời trở lên trong kỳ này." in text


def test_the_maps_legend_prints_its_greater_or_equal_sign(mapped_app, client):  # noqa: F811
    sign_in(client, "hanoi")
    data = client.get("/scores/report.pdf?period=2026-Q3").data
    assert "≥ 90" in _pdf_text(data)
    assert _ink(data, "≥") > 0.05  # in Noto Sans it would be an empty box
    assert _ink(data, "Quần đảo Trường Sa") > 0.05


def test_a_small_units_report_names_its_parts_and_draws_no_empty_chart(scored_app, client):
    sign_in(client, "hanoi")
    text = _pdf_text(client.get("/scores/u/002/report.pdf?period=2026-Q3").data)
    assert "Chưa quý nào có đủ 30 câu trả lời để tính chỉ số." not in text  # 00037 has 32
    district = _pdf_text(client.get("/scores/u/001/report.pdf?period=2026-Q3").data)
    # Trúc Bạch has no answer: named with its count, not a row of dashes.
    assert "Dưới 30 câu trả lời, chưa có chỉ số (1 đơn vị; số câu trả lời trong ngoặc): " \
        "Phường Trúc Bạch (0)." in district  # fmt: skip
    small = _pdf_text(client.get("/scores/u/00004/report.pdf?period=2026-Q3").data)
    assert "Chưa quý nào có đủ 30 câu trả lời để tính chỉ số." in small


def test_parts_without_a_figure_are_not_called_ranked(scored_app, client):
    sign_in(client, "nation")
    text = _pdf_text(client.get("/scores/u/79/report.pdf?period=2026-Q2").data)  # no answer
    assert "Các đơn vị thuộc Thành phố Hồ Chí Minh Dưới 30 câu trả lời" in text
    assert "cao nhất trước" not in text and "Quận 1 (0)" in text
