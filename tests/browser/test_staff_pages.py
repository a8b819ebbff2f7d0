"""Staff pages in a real browser: sign in, switch language, refused pages."""

import pytest

from satisfaction.auth.models import Role
from tests.auth.helpers import PASSWORD, make_user
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_sign_in_at_phone_size(app, small_units, live_server, phone):
    make_user(app, "hanoi", Role.OFFICER, "01")
    phone.goto(live_server + "/login")
    assert phone.locator("h1").inner_text() == "Đăng nhập cho cán bộ"
    screenshot(phone, "login-vi-phone")
    phone.get_by_label("Tên đăng nhập").fill("hanoi")
    phone.get_by_label("Mật khẩu").fill("not the password")
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.get_by_role("alert").wait_for(state="visible")  # the refusal's page, once loaded
    assert "Sai tên đăng nhập hoặc mật khẩu" in phone.get_by_role("alert").inner_text()
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url("**/staff/")
    assert "Thành phố Hà Nội" in phone.content()
    screenshot(phone, "staff-home-vi-phone")
    phone.get_by_role("link", name="Đơn vị hành chính và điểm phục vụ").click()
    phone.wait_for_url("**/units/test/01")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Thành phố Hà Nội")
    response = phone.goto(live_server + "/units/test/79")
    assert response.status == 403


def test_switch_to_english_and_back(app, live_server, desktop):
    desktop.goto(live_server + "/login")
    desktop.get_by_role("link", name="English").click()
    desktop.wait_for_url("**/login")
    assert desktop.locator("h1").inner_text() == "Staff sign-in"
    screenshot(desktop, "login-en-desktop")
    desktop.get_by_role("link", name="Tiếng Việt").click()
    assert desktop.locator("h1").inner_text() == "Đăng nhập cho cán bộ"
