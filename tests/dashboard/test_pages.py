"""Officers' pages: the nation, drill-down, periods, sources, scope, small numbers."""

import re

from satisfaction.scoring import breakdowns
from tests.auth.helpers import sign_in


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_nation_ranks_provinces_with_intervals(scored_app, client):
    sign_in(client, "nation")
    page = client.get("/scores/?period=2026-Q3")
    assert page.status_code == 200
    text = _text(page)
    # Hà Nội in Q3: 30+12 at 5, 5+20 at 2 -> 42/67 = 62.7%; HCM: 25/35 = 71.4% ranks first.
    assert "62,7" in text and "71,4" in text
    assert text.index("Thành phố Hồ Chí Minh") < text.index("Thành phố Hà Nội")
    assert "<svg" in text and "Thay đổi so với Quý II/2026" in text
    assert "bình quân" in text.lower()  # the mean of provinces is labelled as such


def test_a_province_drills_down_to_districts_and_a_commune(scored_app, client):
    sign_in(client, "nation")
    province = _text(client.get("/scores/u/01?period=2026-Q3"))
    assert "Quận Ba Đình" in province and "Quận Hoàn Kiếm" in province
    assert 'href="/scores/u/001?period=2026-Q3"' in province
    district = _text(client.get("/scores/u/001?period=2026-Q3"))
    # Ba Đình in Q3: 30 at 5, 5 at 2 -> 85.7%; Q2 was 20/35 = 57.1%: +28.6 points.
    assert "85,7" in district and "+28,6" in district
    commune = client.get("/scores/u/00001?period=2026-Q3")
    assert commune.status_code == 200
    text = _text(commune)
    assert "Cán bộ nhiệt tình 3" in text  # six comments: shown
    assert "chọn ngẫu nhiên" not in text  # all of them
    assert "Quý II/2026" in text and "Quý III/2026" in text  # the trend table


def test_many_comments_are_sampled_and_counted(scored_app, client, monkeypatch):
    monkeypatch.setattr(breakdowns, "COMMENTS_SHOWN", 4)
    sign_in(client, "nation")
    text = _text(client.get("/scores/u/00001?period=2026-Q3"))
    assert "4 trên 6 góp ý, chọn ngẫu nhiên." in text
    assert text.count("Cán bộ nhiệt tình") == 4


def test_too_few_answers_says_so_and_hides_comments(scored_app, client):
    sign_in(client, "nation")
    text = _text(client.get("/scores/u/00037?period=2026-Q3"))
    assert "62,7" not in text
    assert "ít nhất 5 người" in text  # no comments shown


def test_the_desk_poster_is_apart_unless_asked(scored_app, client):
    sign_in(client, "nation")
    official = _text(client.get("/scores/u/00001?period=2026-08"))
    assert "85,7" in official
    mixed = _text(client.get("/scores/u/00001?period=2026-08&source=envelope&source=poster"))
    assert "không phải chỉ số chính thức" in mixed and "81,1" in mixed  # 30/37


def test_bad_period_and_source_are_named_and_change_nothing(scored_app, client):
    sign_in(client, "nation")
    page = client.get("/scores/?period=2026-13&source=fax")
    assert page.status_code == 422
    text = _text(page)
    assert "2026-13" in text and "fax" in text
    assert "Thành phố Hà Nội" in text  # the page still shows, for all dates


def test_an_officer_sees_only_their_area(scored_app, client):
    sign_in(client, "hanoi")
    home = client.get("/scores/?period=2026-Q3")  # the nation: aggregates every officer reads
    assert home.status_code == 200
    text = _text(home)
    assert 'href="/scores/u/01?period=2026-Q3"' in text  # their own province opens
    assert "Thành phố Hồ Chí Minh" in text and 'href="/scores/u/79' not in text  # not others
    assert client.get("/scores/u/79").status_code == 403
    assert client.get("/scores/u/760").status_code == 403
    assert client.get("/scores/u/99999").status_code == 404
    client.post("/logout")
    sign_in(client, "postal")
    assert client.get("/scores/").status_code == 403


def test_a_units_report_is_a_pdf_with_its_figures(scored_app, client):
    import pypdfium2

    sign_in(client, "nation")
    response = client.get("/scores/u/001/report.pdf?period=2026-Q3")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == client.get("/scores/u/001/report.pdf?period=2026-Q3").data
    pdf = pypdfium2.PdfDocument(response.data)
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    text = re.sub(r"\s+", " ", text)
    assert "Quận Ba Đình" in text and "85,7" in text and "Phường Phúc Xá" in text
    assert "Tiếp cận dịch vụ" in text and "Quý II/2026" in text
    with scored_app.app_context():
        from sqlalchemy import select

        from satisfaction.audit.models import AuditEvent
        from satisfaction.extensions import db

        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("export.report") == 2


def test_every_table_downloads_as_csv_and_xlsx(scored_app, client):
    import csv
    import io

    from openpyxl import load_workbook

    sign_in(client, "nation")
    page = client.get("/scores/?period=2026-Q3").get_data(as_text=True)
    assert "/scores/provinces.xlsx?period=2026-Q3" in page
    data = client.get("/scores/provinces.csv?period=2026-Q3").data
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    low, high = "Khoảng tin cậy 95%: cận dưới", "Khoảng tin cậy 95%: cận trên"
    assert rows[0][:8] == ["Mã đơn vị", "Đơn vị", "Cấp", "Kỳ", "Số phiếu (n)", "Chỉ số hài lòng",
                           low, high]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["79", "01"] and rows[2][5] == "62.69"
    assert rows[2][2] == "tỉnh"
    parts = client.get("/scores/u/01/parts.xlsx?period=2026-Q3")
    book = load_workbook(io.BytesIO(parts.data))
    sheet, about = book.worksheets
    assert [c.value for c in sheet[2]][:5] == ["001", "Quận Ba Đình", "huyện", "Quý III/2026", 35]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width >= len("Quận Ba Đình")
    lines = [[cell.value for cell in row] for row in about.iter_rows()]
    assert ["MIN_N (số phiếu tối thiểu)", "30"] in lines
    detail = client.get("/scores/u/001/detail.csv?period=2026-Q3").data.decode("utf-8-sig")
    lines = detail.splitlines()
    assert lines[0] == f"Loại,Mã,Câu hỏi hoặc yếu tố,Số phiếu (n),Điểm,{low},{high}"
    assert lines[1].startswith("chỉ số,index,") and ",35,85.71," in lines[1]
    assert client.get("/scores/u/001/detail.pdf").status_code == 404
    assert client.get("/scores/u/001/other.csv").status_code == 404
    client.post("/logout")
    sign_in(client, "hanoi")
    assert client.get("/scores/provinces.csv").status_code == 200  # the nation's aggregates


def test_every_download_link_of_the_score_pages_opens(scored_app, client):
    """Follow each CSV, XLSX and PDF link of every kind of score page, in both languages."""
    import csv
    import io
    import re

    from openpyxl import load_workbook

    sign_in(client, "nation")
    pages = ["/scores/?period=2026-Q3", "/scores/u/01?period=2026-Q3", "/scores/u/001",
             "/scores/u/00001?period=2026-Q3"]  # fmt: skip
    followed = set()
    for lang in ("vi", "en"):
        client.get(f"/lang/{lang}")
        for path in pages:
            page = client.get(path)
            assert page.status_code == 200, path
            links = re.findall(r'href="([^"]+\.(?:csv|xlsx|pdf)(?:\?[^"]*)?)"', page.text)
            assert links, path
            for link in links:
                link = link.replace("&amp;", "&")
                got = client.get(link)
                assert got.status_code == 200, link
                name = link.split("?")[0]
                if name.endswith(".csv"):
                    assert got.data.startswith(b"\xef\xbb\xbf"), link
                    table = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
                    assert len({len(row) for row in table}) == 1, link  # one width: a table
                elif name.endswith(".xlsx"):
                    sheet = load_workbook(io.BytesIO(got.data)).worksheets[0]
                    rows = 1 if "attention" in name else 2  # an empty attention list: its titles
                    assert sheet.max_row >= rows and sheet.freeze_panes == "A2", link
                else:
                    assert got.data.startswith(b"%PDF"), link
                followed.add(name)
    assert {"/scores/provinces.csv", "/scores/u/001/detail.xlsx"} <= followed
    client.get("/lang/en")
    english = client.get("/scores/u/001/detail.csv?period=2026-Q3").data.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Kind,Key,Question or element,Answers (n),Score")


def test_the_trend_over_all_dates_ends_with_the_latest_answer(scored_app, client):
    sign_in(client, "nation")
    text = _text(client.get("/scores/u/00001"))
    trend = text[text.index("Diễn biến theo quý") :]
    # Answers in 2026-Q2 and Q3 only: the eight quarters end with Q3, whatever today is.
    assert "Quý IV/2024" in trend and "Quý III/2026" in trend and "Quý IV/2026" not in trend
    quarter = _text(client.get("/scores/u/00001?period=2026-Q2"))
    trend = quarter[quarter.index("Diễn biến theo quý") :]
    assert "Quý III/2024" in trend and "Quý II/2026" in trend and "Quý III/2026" not in trend


def test_a_unit_ranks_its_service_points(scored_app, client):
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01?period=2026-Q3"))
    assert "Theo điểm phục vụ" in text
    table = text[text.index("Theo điểm phục vụ") :]
    # Phúc Xá's desk: 30 at 5, 5 at 2 -> 85.7%, first; Phúc Tân's: 12/32 = 37.5%.
    assert "85,7" in table and "37,5" in table
    assert table.index("85,7") < table.index("37,5")
    assert "+28,6" in table  # Phúc Xá's desk since Q2 (57.1%)


def test_a_small_unit_offers_its_last_four_quarters_pooled(scored_app, client):
    sign_in(client, "nation")
    small = _text(client.get("/scores/u/00001?period=2026-Q2"))  # 35 answers: enough
    assert "bốn quý gần nhất" not in small
    text = client.get("/scores/u/00037?period=2026-Q2").get_data(as_text=True)  # none yet
    assert "period=2025-07-01..2026-06-30" in text and "bốn quý gần nhất" in text
    pooled = _text(client.get("/scores/u/00037?period=2025-07-01..2026-06-30"))
    assert "bốn quý gần nhất" not in pooled  # a year already
