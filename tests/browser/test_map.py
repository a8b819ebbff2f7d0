"""The provinces' map in a real browser: a province is a link to its page."""

import pytest

from tests.auth.helpers import PASSWORD
from tests.browser.conftest import screenshot
from tests.dashboard.conftest import scored_app  # noqa: F401 (the scored picture)
from tests.dashboard.test_map import mapped_app  # noqa: F401 (named like a bundled list)

pytestmark = pytest.mark.browser


def test_a_province_on_the_map_opens_its_page(mapped_app, live_server, desktop):  # noqa: F811
    desktop.goto(live_server + "/login")
    desktop.get_by_label("Tên đăng nhập").fill("nation")
    desktop.get_by_label("Mật khẩu").fill(PASSWORD)
    desktop.get_by_role("button", name="Đăng nhập").click()
    desktop.wait_for_url("**/staff/")
    desktop.goto(live_server + "/scores/?period=2026-Q3")
    screenshot(desktop, "scores-map")
    desktop.locator('svg.choropleth a[data-code="79"] path').first.click()
    desktop.wait_for_url("**/scores/u/79?*")
    heading = desktop.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Thành phố Hồ Chí Minh")
