"""The provinces' map in a real browser: a province is a link to its page."""

import pytest

from tests.browser.conftest import screenshot, sign_in_browser
from tests.dashboard.conftest import scored_app  # noqa: F401 (the scored picture)
from tests.dashboard.test_map import mapped_app  # noqa: F401 (named like a bundled list)

pytestmark = pytest.mark.browser


def test_a_province_on_the_map_opens_its_page(mapped_app, live_server, desktop):  # noqa: F811
    sign_in_browser(desktop, live_server, "nation")
    desktop.goto(live_server + "/scores/?period=2026-Q3")
    screenshot(desktop, "scores-map")
    desktop.locator('svg.choropleth a[data-code="79"] path').first.click()
    desktop.wait_for_url("**/scores/u/79?*")
    heading = desktop.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Thành phố Hồ Chí Minh")
