"""The desk poster: printed from the service point's page, and a busy centre behind one address."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.questionnaires.services import sync_all
from tests.auth.helpers import PASSWORD, make_user
from tests.browser.conftest import PHONE, screenshot, serving
from tests.browser.test_accessibility import _violations
from tests.browser.test_screens import STORED, _checked, _counted, _pick, _to_last_part
from tests.paper.test_poster import read_poster

pytestmark = pytest.mark.browser
POINT = "C00001-T"


def test_the_poster_is_printed_from_the_service_points_page(app, small_units, phone, live_server):
    make_user(app, "hanoi", Role.OFFICER, scope="01")
    phone.goto(live_server + "/login")
    phone.get_by_label("Tên đăng nhập").fill("hanoi")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.locator("form.card button").click()
    phone.wait_for_url("**/staff/")
    phone.goto(live_server + "/units/test/00001")
    phone.get_by_role("link", name="Một cửa Phường Phúc Xá").click()
    phone.wait_for_url(f"**/units/points/{POINT}")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Một cửa Phường Phúc Xá")
    screenshot(phone, "poster-page")
    assert _violations(phone) == []
    for size in ("A4", "A3"):
        with phone.expect_download() as started:
            phone.get_by_role("link", name=f"Áp phích để in, khổ {size} (PDF)").click()
        download = started.value
        assert download.suggested_filename == f"poster-{POINT}-{size}.pdf"
        _size, text, found = read_poster(Path(download.path()).read_bytes())
        assert [code.text for code in found] == [f"https://khaosat.example.vn/d/{POINT}"]
        assert f"khaosat.example.vn/d/{POINT}" in text


@pytest.fixture
def busy_centre(app, small_units, make_app):
    """Serve an app with the rate limits on, as in production, and the default desk limits."""
    limited = make_app(RATELIMIT_ENABLED=True)  # made last: the limiter is this app's
    with limited.app_context():
        sync_all(limited.config["FORMS_DIR"])
        db.session.commit()
    with serving(limited) as base:
        yield limited, base


def _answer_at_the_poster(page, base: str) -> None:
    page.goto(f"{base}/d/{POINT}")
    _pick(page, 1, "Hài lòng")
    _to_last_part(page)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_role("button", name="Gửi luôn").click()


def test_eight_citizens_at_one_poster_from_one_address_are_all_counted(browser, busy_centre):
    app, base = busy_centre
    phones = [browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
              for _ in range(8)]  # fmt: skip
    pages = [phone.new_page() for phone in phones]
    for page in pages:  # one after the other, all from 127.0.0.1
        _answer_at_the_poster(page, base)
        page.wait_for_url("**/thanks?via=poster")
        assert "Ông/Bà có thể đóng trang này" in page.locator("main").inner_text()
    assert _counted(app)[0] == 8
    first = pages[0]
    for _ in range(4):  # five answers an hour from one phone at one desk
        _answer_at_the_poster(first, base)
        first.wait_for_url("**/thanks?via=poster")
    assert _counted(app)[0] == 12
    _answer_at_the_poster(first, base)  # the sixth is refused, saying how long to wait
    alert = first.locator(".steps-failed")
    expect(alert).to_contain_text("xin chờ")
    assert re.search(r"xin chờ (1 giờ|\d\d phút) rồi gửi lại", alert.inner_text())
    assert first.url.endswith("#before-sending")
    screenshot(first, "poster-refused")
    while first.get_by_role("button", name="Quay lại").is_visible():
        first.get_by_role("button", name="Quay lại").click()
    assert _checked(first, 1, "Hài lòng")  # the answers are still on the page
    assert list(first.evaluate(STORED)) == [f"satisfaction:answers:d/{POINT}"]
    assert _counted(app)[0] == 12
    for phone in phones:
        phone.close()
