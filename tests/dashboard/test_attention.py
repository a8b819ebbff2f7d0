"""Where to act: units significantly below the nation or fallen; on the page, as CSV, in the API."""

import csv
import io
import re

from tests.auth.helpers import sign_in


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _attention(text: str) -> str:
    return text[text.index("Nơi cần hành động") :]


def test_a_province_lists_its_district_far_below_the_nation(scored_app, client):
    sign_in(client, "hanoi")
    text = _attention(_text(client.get("/scores/u/01?period=2026-Q3")))
    # Hoàn Kiếm: 12 of 32 at 5 -> 37.5%, against a national index of (62.7 + 71.4) / 2.
    table = text[: text.index("</table>")]
    assert "Quận Hoàn Kiếm" in table and "37,5" in table and "Quận Ba Đình" not in table
    assert "▼" in table  # the mark of a difference beyond noise


def test_the_nation_lists_no_province_when_none_differs_beyond_noise(scored_app, client):
    sign_in(client, "nation")
    text = _attention(_text(client.get("/scores/?period=2026-Q3")))
    assert "Không có đơn vị nào thấp hơn toàn quốc" in text


def test_the_list_downloads_for_excel_and_comes_in_the_api(scored_app, client):
    sign_in(client, "hanoi")
    got = client.get("/scores/u/01/attention.csv?period=2026-Q3")
    assert got.status_code == 200 and got.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert (
        rows[0][:2] == ["Mã đơn vị", "Đơn vị"]
        and "Chênh lệch với chỉ số toàn quốc (điểm)" in rows[0]
    )
    assert [r[0] for r in rows[1:]] == ["002"] and float(rows[1][6]) < -20
    national = client.get("/scores/attention.xlsx?period=2026-Q3")  # every officer: aggregates
    assert national.status_code == 200 and national.data.startswith(b"PK")
    api = client.get("/api/v1/nation?period=2026-Q3")
    assert api.status_code == 200 and api.json["attention"] == []


def test_a_units_parts_that_need_attention_come_in_the_api(scored_app, client):
    sign_in(client, "hanoi")
    body = client.get("/api/v1/units/01?period=2026-Q3").json
    # The same list as the page: Hoàn Kiếm far below the nation, Ba Đình not listed.
    assert [c["unit"]["code"] for c in body["attention"]] == ["002"]
    concern = body["attention"][0]
    assert concern["below_nation"]["significant"] and concern["below_nation"]["ci_high"] < 0
    assert concern["unit"]["index"]["value"] == 37.5
    district = client.get("/api/v1/units/001?period=2026-Q3").json
    assert district["attention"] == []  # Phúc Xá rose; Trúc Bạch has no answers
    commune = client.get("/api/v1/units/00001?period=2026-Q3").json
    assert commune["attention"] == []  # no parts
    assert client.get("/api/v1/units/79?period=2026-Q3").status_code == 403
    spec = client.get("/api/v1/openapi.json").json
    detail = spec["components"]["schemas"]["UnitDetail"]["allOf"][1]["properties"]
    assert detail["attention"]["items"] == {"$ref": "#/components/schemas/Concern"}
