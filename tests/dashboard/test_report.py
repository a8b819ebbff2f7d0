"""The PDF report: a sample of comments with their place and month, never the day."""

import re

import pypdfium2

from satisfaction.scoring import comments
from tests.auth.helpers import sign_in
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
    assert "Quần đảo Trường Sa" in text and "90–100" in text
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
