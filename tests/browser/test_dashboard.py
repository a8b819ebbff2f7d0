"""The officers' dashboard in a real browser: nation, province, district, commune."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import screenshot, sign_in_browser
from tests.dashboard.conftest import scored_app  # noqa: F401 (the scored picture)

pytestmark = pytest.mark.browser


def test_walk_from_the_nation_to_a_commune(scored_app, live_server, desktop):  # noqa: F811
    sign_in_browser(desktop, live_server, "nation")
    desktop.get_by_role("link", name="Chỉ số hài lòng").click()
    desktop.wait_for_url("**/scores/")
    desktop.get_by_label("Kỳ", exact=True).select_option("2026-Q3")
    desktop.get_by_role("button", name="Xem").click()
    desktop.wait_for_url("**/scores/?period=2026-Q3*")
    provinces = desktop.get_by_role("table", name="Các tỉnh, cao nhất trước")
    assert provinces.get_by_role("row").nth(1).inner_text().startswith("1")
    screenshot(desktop, "scores-nation")
    provinces.get_by_role("link", name="Thành phố Hà Nội").click()
    desktop.wait_for_url("**/scores/u/01?*")
    assert desktop.get_by_role("heading", level=1).inner_text().startswith("Thành phố Hà Nội")
    desktop.get_by_role("link", name="Quận Ba Đình").click()
    desktop.wait_for_url("**/scores/u/001?*")
    assert "+28,6" in desktop.locator(".headline").inner_text()
    desktop.get_by_role("link", name="Phường Phúc Xá").click()
    desktop.wait_for_url("**/scores/u/00001?*")
    assert desktop.get_by_role("img", name="Chỉ số hài lòng theo quý").is_visible()
    assert desktop.get_by_text("Cán bộ nhiệt tình 0").is_visible()
    screenshot(desktop, "scores-commune")
    desktop.get_by_role("link", name="Thành phố Hà Nội").click()  # back up by the crumbs
    desktop.wait_for_url("**/scores/u/01?*")
    with desktop.expect_download() as download:
        desktop.locator("p.downloads").last.get_by_role("link", name="XLSX").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert [c.value for c in book.worksheets[0][2]][:2] == ["001", "Quận Ba Đình"]
    assert download.value.suggested_filename == "01-parts-2026-Q3.xlsx"


def test_dashboard_pages_meet_wcag_aa(scored_app, live_server, desktop, phone):  # noqa: F811
    from tests.browser.test_accessibility import _violations

    paths = ("/scores/?period=2026-Q3", "/scores/u/01?period=2026-Q3",
             "/scores/u/00001?period=2026-Q3", "/scores/?period=bad&source=envelope")  # fmt: skip
    found = {}
    for page in (desktop, phone):
        sign_in_browser(page, live_server, "nation")
        for path in paths:
            page.goto(live_server + path)
            found[(page.viewport_size["width"], path)] = _violations(page)
    screenshot(phone, "scores-error-phone")
    assert found == {key: [] for key in found}


def test_an_officer_sees_the_answers_waiting_in_the_ballot_box(scored_app, live_server, desktop):  # noqa: F811
    from datetime import date

    from sqlalchemy import select

    from satisfaction.extensions import db
    from satisfaction.questionnaires.services import get_version
    from satisfaction.survey import ballot_box
    from satisfaction.survey.models import Channel, Mode
    from satisfaction.units.models import ServicePoint

    with scored_app.app_context():
        point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "C00001-T"))
        version = get_version("sipas-services")
        for _ in range(3):
            ballot_box.drop(point, version.id, Channel.ENVELOPE, Mode.ONLINE,
                            {"access.info": 5}, date(2026, 8, 1))  # fmt: skip
        db.session.commit()
    sign_in_browser(desktop, live_server, "nation")
    desktop.goto(live_server + "/scores/u/001?period=2026-Q3")
    note = desktop.locator(".waiting")
    assert "Đang chờ trong hòm phiếu, chưa được tính: 3 câu trả lời" in note.inner_text()
    screenshot(desktop, "scores-district-waiting")
    desktop.goto(live_server + "/scores/u/79?period=2026-Q3")
    assert desktop.locator(".waiting").count() == 0


def test_an_officer_searches_the_comments(scored_app, live_server, desktop, phone):  # noqa: F811
    from tests.browser.test_accessibility import _violations

    for page in (desktop, phone):
        sign_in_browser(page, live_server, "hanoi")
    desktop.goto(live_server + "/scores/u/00001?period=2026-Q3")
    desktop.get_by_role("link", name="Đọc mọi góp ý, kèm nơi và tháng, và tìm trong đó").click()
    desktop.wait_for_url("**/scores/u/00001/comments?*")
    desktop.get_by_label("Có các từ").fill("NHIỆT TÌNH 4")
    desktop.get_by_role("button", name="Xem").click()
    desktop.wait_for_url("**q=*")
    assert "1 trên 6 góp ý" in desktop.get_by_role("status").inner_text()
    assert "Phường Phúc Xá · tháng 08/2026" in desktop.locator("ul.comments").inner_text()
    screenshot(desktop, "scores-comments")
    assert _violations(desktop) == []
    phone.goto(live_server + "/scores/u/01/comments?period=2026-Q3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "scores-comments-phone")
    assert _violations(phone) == []
