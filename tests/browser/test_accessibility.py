"""WCAG 2.1 A and AA rules checked by axe-core on the citizen's and the sign-in pages."""

import pytest

from tests.browser.test_survey import code  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    results = axe_module.Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("path", ["/", "/s/{code}", "/s/?code=XXXX", "/thanks", "/login",
                                  "/d/C00001-T", "/s/{code}?lang=en"])  # fmt: skip
def test_pages_meet_wcag_aa(phone, live_server, code, path):  # noqa: F811
    phone.goto(live_server + path.format(code=code))
    assert _violations(phone) == []


def test_staff_pages_meet_wcag_aa(app, small_units, desktop, live_server):
    from satisfaction.auth.models import Role
    from tests.auth.helpers import PASSWORD, make_user

    make_user(app, "root", Role.ADMIN)
    desktop.goto(live_server + "/login")
    desktop.get_by_label("Tên đăng nhập").fill("root")
    desktop.get_by_label("Mật khẩu").fill(PASSWORD)
    desktop.locator("form.card button").click()
    desktop.wait_for_url("**/staff/")
    found = {}
    for path in ("/staff/", "/units/", "/units/test/001", "/admin/users", "/admin/users/new",
                 "/account/password"):  # fmt: skip
        desktop.goto(live_server + path)
        found[path] = _violations(desktop)
    desktop.goto(live_server + "/admin/users/new")
    desktop.locator("form.card button").click()  # every field in error
    found["errors"] = _violations(desktop)
    assert found == {path: [] for path in found}
