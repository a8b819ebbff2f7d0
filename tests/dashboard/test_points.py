"""The service points of a unit's page: the lowest and the highest, and every desk as a file."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from satisfaction.dashboard import points
from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.survey.answering import questionnaire_of
from tests.auth.helpers import sign_in
from tests.dashboard.conftest import _answers
from tests.scoring.helpers import KEY, record


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def four_desks(scored_app):
    """Add two desks of Hà Nội in 2026-Q3: Trúc Bạch 31 of 31 satisfied, Ba Đình's desk 6."""
    with scored_app.app_context():
        questionnaire = questionnaire_of(get_version(KEY))
        for point, count in (("C00004-T", 31), ("D001-T", 6)):
            for _ in range(count):
                record(point, _answers(questionnaire, 5), date(2026, 8, 20))
        db.session.commit()
    return scored_app


def test_a_short_table_lists_every_desk_with_its_unit(four_desks, client):
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01?period=2026-Q3"))
    table = text[text.index('id="points-all"') :]
    # Trúc Bạch 100%, Phúc Xá 85.7%, Phúc Tân 37.5%; Ba Đình's desk, 6 answers: listed, not ranked.
    assert table.index("Phường Trúc Bạch") < table.index("Phường Phúc Xá") < table.index("37,5")
    assert "chưa đủ câu trả lời" in table and 'id="points-lowest"' not in text
    assert "/scores/u/01/points.csv?period=2026-Q3" in text


def test_a_long_table_shows_the_lowest_and_the_highest(four_desks, client, monkeypatch):
    monkeypatch.setattr(points, "SHOWN", 1)
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01?period=2026-Q3"))
    lowest = text[text.index('id="points-lowest"') : text.index('id="points-highest"')]
    highest = text[text.index('id="points-highest"') :]
    highest = highest[: highest.index("</table>")]
    assert "37,5" in lowest and "100,0" not in lowest and "85,7" not in lowest
    assert "100,0" in highest and "Phường Trúc Bạch" in highest and "37,5" not in highest
    assert "4 điểm phục vụ có phiếu; 3 điểm có ít nhất 30 phiếu" in text


def test_every_desk_downloads_with_its_unit_and_the_period_in_words(four_desks, client):
    sign_in(client, "hanoi")
    data = client.get("/scores/u/01/points.csv?period=2026-Q3").data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:7] == ["Hạng", "Mã điểm phục vụ", "Điểm phục vụ", "Mã đơn vị", "Đơn vị", "Kỳ",
                           "Số phiếu (n)"]  # fmt: skip
    assert [r[1] for r in rows[1:]] == ["C00004-T", "C00001-T", "C00037-T", "D001-T"]
    assert rows[2][:3] == ["2", "C00001-T", rows[2][2]] and rows[2][4] == "Phường Phúc Xá"
    assert rows[2][5] == "Quý III/2026" and rows[2][7] == "85.71"
    assert rows[4][0] == "" and rows[4][7] == ""  # six answers: no figure, no rank
    book = load_workbook(io.BytesIO(client.get("/scores/u/01/points.xlsx?period=2026-Q3").data))
    sheet, about = book.worksheets
    notes = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert "Quý III/2026" in notes.values()  # the period in words, as in the table
    assert any("Phiếu gửi kèm kết quả qua bưu điện" in str(v) for v in notes.values())
    assert sheet.freeze_panes == "A2" and sheet["A2"].value == 1 and sheet["H2"].value == 100.0
    assert sheet.column_dimensions["E"].width >= len("Phường Trúc Bạch")
    assert client.get("/scores/u/79/points.csv").status_code == 403  # outside the scope


def test_the_cli_keeps_the_period_code(scored_app):
    from satisfaction.dashboard.exports import export_level

    with scored_app.test_request_context():
        text = export_level("province", "2026-Q3", "csv").decode("utf-8")
    assert text.splitlines()[1].split(",")[3] == "2026-Q3"
