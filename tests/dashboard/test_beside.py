"""A province beside the nation: the national index, the rank and its range, a year before."""

import re
from datetime import date

import pytest

from satisfaction.dashboard.naming import period_name, signed
from satisfaction.dashboard.periods import a_year_before, choices, covered_until, previous
from satisfaction.scoring.compare import difference, rank_range, versus_mean
from satisfaction.scoring.indices import Estimate
from satisfaction.scoring.periods import parse_period
from tests.auth.helpers import sign_in


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_difference_is_significant_when_its_interval_excludes_zero():
    clear = difference(Estimate(400, 80, se=2.0), Estimate(400, 70, se=2.0))
    assert clear.significant and clear.low == pytest.approx(10 - 1.96 * 8**0.5, abs=0.01)
    noise = difference(Estimate(400, 72, se=2.0), Estimate(400, 70, se=2.0))
    assert not noise.significant
    assert difference(Estimate(3, 70), Estimate(400, 70, se=2.0)).low is None
    # A province inside a mean of two shares half its variance with it: var = 4 - 2 * 4 / 2 + 2.
    shared = versus_mean(Estimate(400, 80, se=2.0), Estimate(800, 75, se=2**0.5), 2)
    assert shared.high - shared.value == pytest.approx(1.96 * 2**0.5, abs=0.01)


def test_the_rank_range_holds_the_ranks_the_interval_allows():
    values = [("a", Estimate(1, 90, se=1.0)), ("b", Estimate(1, 80, se=5.0)),
              ("c", Estimate(1, 78, se=5.0)), ("d", Estimate(1, 60, se=1.0))]  # fmt: skip
    found = rank_range(values, "b")
    assert (found.rank, found.best, found.worst, found.of) == (2, 2, 3, 4)
    top = rank_range(values, "a")
    assert (top.rank, top.best, top.worst) == (1, 1, 1)
    assert rank_range(values, "z") is None


def test_periods_are_compared_as_people_compare_them():
    half = parse_period("2025-H1")
    assert (half.start, half.end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert previous(half).label == "2024-H1"  # the same half a year before
    assert previous(parse_period("2025-Q2")).label == "2025-Q1"
    assert a_year_before(parse_period("2025-Q2")).label == "2024-Q2"
    assert a_year_before(parse_period("2024-02")).label == "2023-02"
    year = parse_period("2025")
    until = covered_until(year, date(2025, 6, 1))
    assert until == date(2025, 6, 30)
    assert previous(year, until).label == "2024-01-01..2024-06-30"
    assert covered_until(year, date(2025, 12, 1)) is None
    assert covered_until(parse_period("2025-Q3"), date(2025, 8, 1)) is None
    listed = [p.label for p in choices([date(2025, 5, 1), date(2025, 8, 1)])]
    assert listed == ["2025", "2025-H2", "2025-H1", "2025-Q3", "2025-Q2"]


@pytest.mark.parametrize(
    ("label", "vi", "en"),
    [("2025-Q2", "Quý II/2025", "Q2 2025"), ("2025-H1", "6 tháng đầu năm 2025",
      "First half of 2025"), ("2025", "Năm 2025", "2025"), ("2025-07", "Tháng 7/2025", "7/2025")],
)  # fmt: skip
def test_periods_and_changes_in_words(app, label, vi, en):
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        assert period_name(parse_period(label)) == vi
        assert signed(-0.04) == "0,0" and signed(1.25) == "+1,2" and signed(-2.0) == "-2,0"
    with app.test_request_context("/?lang=en", headers={"Accept-Language": "en"}):
        assert period_name(parse_period(label)) == en


def test_a_provincial_officer_sees_the_nation_rank_and_marks(a_year_of, client):
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01?period=2026-Q3"))
    # Hà Nội 42/67 = 62.7% ranks 2nd of 2 behind HCM 71.4%; the intervals allow ranks 1 to 2.
    assert "So với toàn quốc" in text and "Xếp thứ 2 trên 2 tỉnh, thành phố" in text
    assert "cho phép xếp từ thứ 1 đến thứ 2" in text
    assert "Toàn quốc (trung bình của 2 tỉnh)" in text and "67,1" in text  # (62.7 + 71.4) / 2
    assert "Toàn quốc (gộp mọi phiếu)" in text
    # A year before, Hà Nội had 25%: +37.7 points, more than noise.
    assert "Quý III/2025" in text and "25,0" in text and "+37,7" in text
    assert "(vượt mức sai số)" in text and "▲" in text
    assert 'href="/scores/"' in text or 'href="/scores/?' in text  # the nation's crumb
    nation = client.get("/scores/?period=2026-Q3")
    assert nation.status_code == 200 and "71,4" in _text(nation)


def test_the_picker_lists_answered_periods_and_a_partial_year_says_so(a_year_of, client):
    sign_in(client, "nation")
    text = _text(client.get("/scores/u/01?period=2026"))
    assert '<select id="period" name="period"' in text
    assert '<option value="2026" selected>Năm 2026</option>' in text
    assert '<option value="2025-Q3">Quý III/2025</option>' in text
    assert "2026-Q4" not in text  # no answers there: not offered
    # 2026 has answers up to August: compared with January to August 2025, and said so.
    assert "chỉ có đến ngày 31/08/2026" in text and "Từ 01/01/2025 đến 31/08/2025" in text


def test_the_api_gives_a_province_beside_the_nation(a_year_of, client):
    sign_in(client, "hanoi")
    body = client.get("/api/v1/units/01?period=2026-Q3").get_json()
    beside = body["beside"]
    assert beside["rank"] == {"rank": 2, "best": 1, "worst": 2, "of": 2}
    assert beside["nation"]["mean_of_provinces"]["value"] == pytest.approx(67.06, abs=0.01)
    last = beside["last_year"]
    assert last["period"] == "2025-Q3" and last["index"]["value"] == 25.0
    assert last["change"]["significant"] is True and last["change"]["value"] > 37
    assert beside["versus_nation"]["significant"] is False
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "beside" in schema["UnitDetail"]["allOf"][1]["properties"]


def test_the_report_names_its_issuer_and_compares_with_the_nation(a_year_of, client):
    import os

    import pypdfium2

    sign_in(client, "hanoi")
    response = client.get("/scores/u/01/report.pdf?period=2026-Q3")
    assert response.status_code == 200
    if os.environ.get("SATISFACTION_SCREENSHOTS"):  # for people to look at
        folder = os.environ["SATISFACTION_SCREENSHOTS"]
        with open(os.path.join(folder, "report-01.pdf"), "wb") as out:
            out.write(response.data)
    pdf = pypdfium2.PdfDocument(response.data)
    text = re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in pdf))
    assert "BỘ NỘI VỤ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert re.search(r"ngày \d+ tháng \d+ năm 20\d\d", text)  # today, in words
    assert "Kỳ: Quý III/2026" in text and "So với toàn quốc" in text
    assert "Xếp thứ 2 trên 2 tỉnh, thành phố" in text and "+37,7*" in text
    assert "mong muốn" in text.lower() or "cải thiện" in text  # the expectations
    assert "Phiếu gửi kèm kết quả qua bưu điện" in text  # channels and sources in words
    assert "envelope" not in text and "2026-12" not in text  # no codes, no ISO dates
    where = text[text.index("Nơi cần hành động") :] if "Nơi cần hành động" in text else ""
    assert "Quận Hoàn Kiếm" in where  # the attention list: 37.5% is far below the nation
