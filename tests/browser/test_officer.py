"""A provincial officer in a real browser: the nation, their rank and the marks of change."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in_browser
from tests.dashboard.conftest import a_year_of, scored_app  # noqa: F401 (the scored picture)

pytestmark = pytest.mark.browser


def test_a_provincial_officer_sees_the_nation_and_their_rank(a_year_of, live_server, desktop):  # noqa: F811
    from tests.browser.test_accessibility import _violations

    sign_in_browser(desktop, live_server, "hanoi")
    desktop.goto(live_server + "/scores/")
    desktop.get_by_label("Kỳ", exact=True).select_option("2026-Q3")
    desktop.get_by_role("button", name="Xem").click()
    desktop.wait_for_url("**/scores/?period=2026-Q3*")
    provinces = desktop.get_by_role("table", name="Các tỉnh, cao nhất trước")
    expect(provinces).to_contain_text("Thành phố Hồ Chí Minh")
    expect(provinces.get_by_role("link")).to_have_count(1)  # only their own province opens
    nation_found = _violations(desktop)
    screenshot(desktop, "officer-nation")
    provinces.get_by_role("link", name="Thành phố Hà Nội").click()
    desktop.wait_for_url("**/scores/u/01?*")
    beside = desktop.locator("section.beside")
    expect(beside.get_by_role("heading", name="So với toàn quốc")).to_be_visible()
    expect(beside).to_contain_text("Xếp thứ 2 trên 2 tỉnh, thành phố")
    expect(beside).to_contain_text("cho phép xếp từ thứ 1 đến thứ 2")
    table = beside.get_by_role("table", name="Đơn vị và toàn quốc")
    expect(table).to_contain_text("Toàn quốc (trung bình của 2 tỉnh)")
    expect(table).to_contain_text("+37,7")
    expect(table.locator(".sig.up")).to_have_count(2)  # Hà Nội and the nation: more than noise
    expect(table.get_by_text("(vượt mức sai số)")).to_have_count(2)  # said to screen readers
    screenshot(desktop, "officer-province")
    assert {"nation": nation_found, "province": _violations(desktop)} == {
        "nation": [], "province": []}  # fmt: skip
    desktop.get_by_role("link", name="Toàn quốc").click()  # the crumb leads to the nation
    desktop.wait_for_url("**/scores/?*")
    expect(desktop.get_by_role("table", name="Toàn quốc")).to_be_visible()
