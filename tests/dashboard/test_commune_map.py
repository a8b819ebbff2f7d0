"""A province's communes as dots at their centroids: colours, the table beside, the weight."""

import csv
import re

import pytest

from satisfaction.dashboard import commune_map
from satisfaction.dashboard.choropleth import COLOURS
from satisfaction.scoring.indices import Estimate, Scores
from satisfaction.scoring.services import Figure
from satisfaction.units.loading import builtin_path
from tests.auth.helpers import sign_in
from tests.dashboard.test_map import mapped_app  # noqa: F401 (named like a bundled list)

# The page's weight: the drawing of Hà Nội's 526 communes of 2024, every one with a figure.
BUDGET = 60_000


def test_a_province_draws_its_communes_coloured_where_answers_allow(mapped_app, client):  # noqa: F811
    sign_in(client, "hanoi")
    page = client.get("/scores/u/01?period=2026-Q3").get_data(as_text=True)
    svg = page[page.index('<svg class="commune-map"') :]
    svg = svg[: svg.index("</svg>")]
    by_name = {}
    for fill, group in re.findall(r'<g fill="([^"]+)"[^>]*>(.*?)</g>', svg):
        by_name.update(
            {title.split(":")[0]: fill for title in re.findall(r"<title>([^<]+)<", group)}
        )
    # Phúc Xá 85.7% (35 answers), Phúc Tân 37.5% (32); Trúc Bạch: no answers, grey.
    assert by_name == {"Phường Phúc Xá": COLOURS[4], "Phường Phúc Tân": COLOURS[0],
                       "Phường Trúc Bạch": commune_map.FEW}  # fmt: skip
    assert 'd="M' in svg  # the province's outline under the dots
    table = page[page.index("Các xã, phường có chỉ số, như trên bản đồ") :]
    table = table[: table.index("</table>")]
    assert "Phường Phúc Xá" in table and "85,7" in table and "Trúc Bạch" not in table
    assert "3 xã, phường được vẽ, 1 xã, phường màu xám" in re.sub(r"\s+", " ", page)
    district = client.get("/scores/u/001?period=2026-Q3").get_data(as_text=True)
    assert "commune-map" not in district  # a province's drawing


def test_a_list_without_centroids_draws_no_dots(scored_app, client):
    sign_in(client, "hanoi")
    page = client.get("/scores/u/01?period=2026-Q3").get_data(as_text=True)
    assert "commune-map" not in page  # the test list: no outline, no centroids


@pytest.mark.parametrize(("dataset", "province", "count"), [("vn-2024", "01", 526),
                                                            ("vn-2025", "01", 126)])  # fmt: skip
def test_the_drawing_keeps_to_its_weight(app, dataset, province, count):
    rows = csv.reader(builtin_path(dataset).read_text("utf-8").splitlines()[1:])
    communes = [(row[5], row[4]) for row in rows if row[1] == province and row[5]]
    assert len(communes) == count
    figures = [Figure(code, name, "commune", Scores(40, Estimate(40, 60.0 + i % 40, 50, 70)),
                      True, i + 1) for i, (code, name) in enumerate(communes)]  # fmt: skip
    with app.test_request_context():
        drawn = commune_map.draw(dataset, province, "Hà Nội", figures)
    assert drawn is not None and drawn.drawn == count and drawn.missing == 0
    svg = str(drawn.svg)
    assert svg.count("<circle") == count and len(svg.encode("utf-8")) < BUDGET
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    for cx, cy in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg):  # every dot inside the frame
        assert x <= float(cx) <= x + w and y <= float(cy) <= y + h
