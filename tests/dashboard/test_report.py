"""The PDF report: a sample of comments with their place and month, never the day."""

import re

import pypdfium2

from satisfaction.scoring import comments
from tests.auth.helpers import sign_in


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
