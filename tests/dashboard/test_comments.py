"""Comments to read: with unit and month, filtered by unit, period and a word, and as CSV."""

import csv
import io
import re
from datetime import date

from satisfaction.extensions import db
from satisfaction.scoring import comments
from tests.auth.helpers import sign_in
from tests.scoring.helpers import record


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _more(app) -> None:
    """Add comments at Hoàn Kiếm (another district of Hà Nội) in July and October."""
    with app.app_context():
        for n, day in enumerate([date(2026, 7, 2), date(2026, 10, 20)] * 3):
            record("C00037-T", {"access.info": 4, "comment": f"ĐẤT ĐAI chậm, lần {n}"}, day)
        db.session.commit()


def test_a_province_lists_its_comments_with_unit_and_month(scored_app, client):
    _more(scored_app)
    sign_in(client, "hanoi")  # a provincial officer: within scope
    page = client.get("/scores/u/01/comments")
    assert page.status_code == 200
    text = _text(page)
    assert "12 góp ý." in text, text
    assert "Phường Phúc Xá" in text and "tháng 08/2026" in text
    assert "Phường Phúc Tân" in text
    assert text.index("tháng 10/2026") < text.index("tháng 08/2026") < text.index("tháng 07/2026")
    assert "15/08" not in text and "10/08/2026" not in text  # never the day


def test_a_word_finds_comments_whatever_its_case(scored_app, client):
    _more(scored_app)
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01/comments", query_string={"q": "đất đai"}))
    assert "6 trên 12" in text and "“đất đai”" in text, text
    assert "Cán bộ nhiệt tình" not in text
    nothing = _text(client.get("/scores/u/01/comments", query_string={"q": "100%_"}))
    assert "0 trên 12" in nothing  # % and _ are letters here, not patterns


def test_the_period_and_a_unit_inside_narrow_the_list(scored_app, client):
    _more(scored_app)
    sign_in(client, "hanoi")
    quarter = _text(client.get("/scores/u/01/comments?period=2026-Q3"))
    assert "tháng 10/2026" not in quarter and "tháng 07/2026" in quarter
    inside = client.get("/scores/u/01/comments", query_string={"part": "001", "q": "nhiệt"})
    assert inside.status_code == 302
    assert inside.headers["Location"].startswith("/scores/u/001/comments?q=")
    assert "Cán bộ nhiệt tình 2" in _text(client.get(inside.headers["Location"]))


def test_fewer_than_five_comments_are_never_shown(scored_app, client):
    with scored_app.app_context():
        for n in range(4):
            record("C26734-T", {"access.info": 3, "comment": f"Riêng tư {n}"}, date(2026, 9, 1))
        db.session.commit()
    sign_in(client, "nation")
    text = _text(client.get("/scores/u/79/comments"))
    assert "Riêng tư" not in text and "ít nhất 5 người" in text
    download = client.get("/scores/u/79/comments.csv")
    assert download.status_code == 200 and "Riêng tư" not in download.data.decode("utf-8-sig")


def test_the_csv_opens_in_excel_with_place_month_and_text(scored_app, client):
    _more(scored_app)
    sign_in(client, "hanoi")
    download = client.get("/scores/u/01/comments.csv", query_string={"q": "ĐẤT"})
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0] == ["Đơn vị", "Tháng", "Ý kiến"]
    assert len(rows) == 7 and {row[1] for row in rows[1:]} == {"07/2026", "10/2026"}


def test_other_provinces_comments_stay_out_of_scope(scored_app, client):
    sign_in(client, "hanoi")
    assert client.get("/scores/u/79/comments").status_code == 403
    assert client.get("/scores/u/79/comments.csv").status_code == 403


def test_pages_of_comments(scored_app, client, monkeypatch):
    _more(scored_app)
    monkeypatch.setattr(comments, "PER_PAGE", 5)
    sign_in(client, "hanoi")
    first = _text(client.get("/scores/u/01/comments"))
    assert "Trang 1/3" in first, first
    third = _text(client.get("/scores/u/01/comments?page=3"))
    assert third.count('<li><span class="muted">') == 2
    assert client.get("/scores/u/01/comments?page=abc").status_code == 200
