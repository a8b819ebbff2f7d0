"""On a phone: an expired code's page, and what is wrong with a code typed too short."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import _violations
from tests.browser.test_survey import code  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_an_expired_code_on_a_phone(app, phone, live_server, code):  # noqa: F811
    with app.app_context():
        db.session.execute(update(Invitation).values(issued_at=utcnow() - timedelta(days=700)))
        db.session.commit()
    phone.goto(f"{live_server}/")
    phone.get_by_label("Mã in trên phiếu của Ông/Bà").fill(group(code))
    phone.get_by_role("button", name="Mở phiếu khảo sát").click()
    phone.wait_for_url(f"**/s/{group(code)}")
    assert phone.get_by_role("heading", level=1).inner_text() == "Phiếu này đã hết hạn"
    assert "hết hạn vào" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    screenshot(phone, "survey-expired")
    assert _violations(phone) == []


def test_a_code_typed_too_short_on_a_phone(phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/")
    field = phone.get_by_label("Mã in trên phiếu của Ông/Bà")
    field.fill("7KQ2-M9XD")
    phone.get_by_role("button", name="Mở phiếu khảo sát").click()
    alert = phone.get_by_role("alert")
    assert "quá ngắn" in alert.inner_text() and "13" in alert.inner_text()
    field = phone.get_by_label("Mã in trên phiếu của Ông/Bà")
    assert field.input_value() == "7KQ2-M9XD"  # kept
    assert "code-err" in field.get_attribute("aria-describedby")
    expect(field).to_be_focused()  # autofocus lands after the page has loaded: wait for it
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "survey-code-too-short")
    assert _violations(phone) == []
