"""A province's service points in a real browser: the two ends of the ranking, on a desk and a
phone, with no accessibility fault; a provincial officer's map opens only their province."""

import pytest
from playwright.sync_api import expect

from satisfaction.dashboard import points
from tests.browser.conftest import screenshot, sign_in_browser
from tests.dashboard.conftest import scored_app  # noqa: F401 (the scored picture)
from tests.dashboard.test_map import mapped_app  # noqa: F401 (named like a bundled list)
from tests.dashboard.test_points import four_desks  # noqa: F401 (four desks in Hà Nội)

pytestmark = pytest.mark.browser


def _check_points(page, live_server: str, name: str) -> list[str]:
    from tests.browser.test_accessibility import _violations

    sign_in_browser(page, live_server, "hanoi")
    page.goto(live_server + "/scores/u/01?period=2026-Q3")
    lowest = page.get_by_role("table", name="1 điểm phục vụ có chỉ số thấp nhất, thấp nhất trước")
    highest = page.get_by_role("table", name="1 điểm phục vụ có chỉ số cao nhất, cao nhất trước")
    expect(lowest).to_contain_text("Một cửa Phường Phúc Tân")
    expect(highest).to_contain_text("Một cửa Phường Trúc Bạch")
    expect(highest).to_contain_text("Phường Trúc Bạch")  # the unit it serves
    section = page.locator("#service-points")
    section.scroll_into_view_if_needed()
    expect(page.get_by_role("link", name="CSV").last).to_be_visible()
    screenshot(page, name)
    return _violations(page)


def test_a_province_shows_its_lowest_and_highest_desks(four_desks, live_server, desktop, phone,  # noqa: F811
                                                       monkeypatch):  # fmt: skip
    monkeypatch.setattr(points, "SHOWN", 1)  # four desks: the two ends of one each
    found = {"desktop": _check_points(desktop, live_server, "points-desktop"),
             "phone": _check_points(phone, live_server, "points-phone")}  # fmt: skip
    assert found == {"desktop": [], "phone": []}
    # On a phone the desks' tables scroll inside themselves, within the screen's width.
    boxes = phone.locator("#service-points ~ .table-scroll").evaluate_all(
        "nodes => nodes.map(n => n.getBoundingClientRect().right - window.innerWidth)"
    )
    assert boxes and max(boxes) <= 1


def test_a_provincial_officers_map_opens_only_their_province(mapped_app, live_server, desktop):  # noqa: F811
    from tests.browser.test_accessibility import _violations

    sign_in_browser(desktop, live_server, "hanoi")
    desktop.goto(live_server + "/scores/?period=2026-Q3")
    expect(desktop.locator("svg.choropleth a.province")).to_have_count(1)
    other = desktop.locator('svg.choropleth g.province[data-code="79"] path').first
    other.click()  # drawn, not a link: the page stays
    assert desktop.url.endswith("/scores/?period=2026-Q3")
    assert _violations(desktop) == []
    desktop.locator('svg.choropleth a[data-code="01"] path').first.click()
    desktop.wait_for_url("**/scores/u/01?*")


def test_a_provinces_communes_on_the_map_at_desktop_and_phone(mapped_app, live_server, desktop,  # noqa: F811
                                                              phone):  # fmt: skip
    from tests.browser.test_accessibility import _violations

    found = {}
    for name, page in (("desktop", desktop), ("phone", phone)):
        sign_in_browser(page, live_server, "hanoi")
        page.goto(live_server + "/scores/u/01?period=2026-Q3")
        drawing = page.get_by_role(
            "img", name="Các xã, phường của Thành phố Hà Nội theo chỉ số hài lòng"
        )
        expect(drawing).to_be_visible()
        expect(drawing.locator("circle")).to_have_count(3)
        box = drawing.bounding_box()
        assert box["width"] <= page.viewport_size["width"]  # fits a phone
        page.locator("#communes-map").scroll_into_view_if_needed()
        screenshot(page, f"communes-{name}")
        found[name] = _violations(page)
    assert found == {"desktop": [], "phone": []}
