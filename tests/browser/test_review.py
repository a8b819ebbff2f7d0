"""A clerk settles doubtful scanned answers by keyboard only: digits, Enter, Backspace."""

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.intake.scan_models import ReviewItem
from satisfaction.survey.models import Response
from tests.auth.helpers import PASSWORD, make_user
from tests.browser.conftest import screenshot, wait_for_focus
from tests.conftest import mix_now
from tests.intake.test_scans import save, scans_of

pytestmark = pytest.mark.browser


def _open_items(app) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(ReviewItem).where(ReviewItem.is_open.is_(True))
        return db.session.scalar(stmt)


def test_review_by_keyboard_only(browser, survey_app, issue, live_server, tmp_path):
    """Digits set each answer, Enter accepts, Backspace goes back; then the form counts."""
    (code,) = issue(1)
    pages, _ = scans_of([code], kinds=("tick", "two"), seed=4)
    path = save(tmp_path / "a.tif", pages)
    assert survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)]).exit_code == 0
    doubts = _open_items(survey_app)
    assert doubts >= 2
    make_user(survey_app, "anh", Role.POSTAL, "001")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/login")
    wait_for_focus(page, "username")
    page.keyboard.type("anh")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    page.goto(live_server + "/post/scans")
    assert page.locator("table td.num").first.inner_text() == str(doubts)
    screenshot(page, "scans-upload")
    page.goto(live_server + "/post/review?kind=doubtful")
    wait_for_focus(page, "value")
    first = page.url
    assert page.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "review-doubtful")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != first)
    wait_for_focus(page, "value")
    page.keyboard.press("Backspace")  # the field is empty: back to the item just decided
    page.wait_for_url(first)
    assert "đã được quyết định" in page.content()
    page.keyboard.press("Enter")  # "Next" has the focus
    for _ in range(doubts - 1):
        wait_for_focus(page, "value")
        current = page.url
        page.keyboard.type("2")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, current=current: url != current)
    assert _open_items(survey_app) == 0
    mix_now(survey_app)  # the page's mixing may still run after its response
    with survey_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    context.close()
