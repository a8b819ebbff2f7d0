"""The provinces' map: one shape per province of each list, the archipelagos, its weight."""

import csv
import re

import pytest
from sqlalchemy import update

from satisfaction.dashboard import choropleth
from satisfaction.dashboard.choropleth import MapText, Shade
from satisfaction.extensions import db
from satisfaction.units.loading import builtin_path
from satisfaction.units.models import UnitDataset
from tests.auth.helpers import sign_in

TEXT = MapText("Index by province", "Index (%)", "too few answers",
               {"hoang-sa": "Hoàng Sa", "truong-sa": "Trường Sa"}, "credit")  # fmt: skip


def _provinces(dataset: str) -> dict[str, str]:
    rows = csv.reader(builtin_path(dataset).read_text("utf-8").splitlines()[1:])
    return {row[1]: row[0] for row in rows}


@pytest.mark.parametrize(("dataset", "count"), [("vn-2024", 63), ("vn-2025", 34)])
def test_one_shape_per_province_and_both_archipelagos(dataset, count):
    provinces = _provinces(dataset)
    assert len(provinces) == count
    assert set(choropleth.outlines(dataset)["provinces"]) == set(provinces)
    shades = [Shade(code, f"/scores/u/{code}", f"{name}: 80,0%", 60.0 + i % 40)
              for i, (code, name) in enumerate(sorted(provinces.items()))]  # fmt: skip
    svg = str(choropleth.draw(dataset, shades, TEXT, standalone=True))
    links = re.findall(r'<a href="/scores/u/(\d+)" class="province"', svg)
    assert sorted(links) == sorted(provinces)
    assert len(re.findall(r'<path d="M', svg)) == count  # one mainland shape each
    assert 'data-archipelago="hoang-sa"' in svg and 'data-archipelago="truong-sa"' in svg
    da_nang = svg[svg.index('data-code="48"') :].split("</a>")[0]
    khanh_hoa = svg[svg.index('data-code="56"') :].split("</a>")[0]
    assert "hoang-sa" in da_nang and "truong-sa" in khanh_hoa
    assert "<title>Thành phố Hà Nội: 80,0%</title>" in svg
    assert len(svg.encode("utf-8")) < 60_000


def test_too_few_answers_are_hatched_and_classes_follow_the_legend():
    assert choropleth.colour(None) == "url(#few-answers)"
    assert choropleth.colour(69.9) == choropleth.COLOURS[0]
    assert choropleth.colour(80.0) == choropleth.COLOURS[3]
    assert choropleth.colour(95.0) == choropleth.COLOURS[-1]
    svg = str(choropleth.draw("vn-2025", [Shade("01", "/u/01", "Hà Nội", None)], TEXT))
    assert 'fill="url(#few-answers)"' in svg.split('data-code="01"')[1].split("</a>")[0]
    assert str(choropleth.draw("test", [], TEXT)) == ""  # a list without outlines: no map


@pytest.fixture
def mapped_app(scored_app):
    """The scored picture on a list named like the bundled one of 63 provinces."""
    with scored_app.app_context():
        db.session.execute(update(UnitDataset).values(name="vn-2024"))
        db.session.commit()
    return scored_app


def test_the_national_page_draws_the_map_and_offers_it_as_svg(mapped_app, client):
    sign_in(client, "nation")
    page = client.get("/scores/?period=2026-Q3").get_data(as_text=True)
    assert page.count('class="province"') == 2 and "Hoàng Sa" in page
    assert 'href="/scores/u/79?period=2026-Q3&amp;dataset=vn-2024"' in page
    download = client.get("/scores/map.svg?period=2026-Q3")
    assert download.status_code == 200 and download.mimetype == "image/svg+xml"
    assert download.get_data(as_text=True).startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    client.post("/logout")
    sign_in(client, "hanoi")  # the nation's figures are aggregates: every officer reads them
    assert client.get("/scores/map.svg").status_code == 200


def test_a_provincial_officers_map_links_only_their_province(mapped_app, client):
    sign_in(client, "hanoi")
    page = client.get("/scores/?period=2026-Q3").get_data(as_text=True)
    assert '<a href="/scores/u/01?period=2026-Q3&amp;dataset=vn-2024" class="province"' in page
    other = page[page.index('<g class="province" data-code="79">') :].split("</g>")[0]
    assert "<title>Thành phố Hồ Chí Minh: 71,4% (35 câu trả lời)</title>" in other
    assert 'href="/scores/u/79' not in page  # no click meets a refusal
    svg = client.get("/scores/map.svg?period=2026-Q3").get_data(as_text=True)
    assert 'href="/scores/u/79' not in svg and '<g class="province" data-code="79">' in svg
