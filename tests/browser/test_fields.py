"""The field of the procedure in a real browser: a unit's breakdown, and the poster's question."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.survey import ballot_box
from satisfaction.survey.models import Response
from tests.browser.conftest import screenshot, sign_in_browser
from tests.browser.test_accessibility import _violations
from tests.browser.test_screens import _pick, _to_last_part
from tests.dashboard.test_fields import fields_app  # noqa: F401 (answers by field)

pytestmark = pytest.mark.browser


def _shoot(locator, name: str) -> None:
    """Save a picture of one part of a page when SATISFACTION_SCREENSHOTS names a folder."""
    folder = os.environ.get("SATISFACTION_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        locator.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_a_unit_page_shows_its_index_by_field(fields_app, live_server, desktop, phone):  # noqa: F811
    sign_in_browser(desktop, live_server, "hanoi")
    desktop.goto(live_server + "/scores/u/00001?period=2026-Q3")
    table = desktop.get_by_role("table", name="Chỉ số theo lĩnh vực thủ tục, cao nhất trước")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(4)  # the titles, Hộ tịch, Đất đai, the unknown field
    assert rows.nth(1).inner_text().split("\t")[:3] == ["1", "Hộ tịch", "35"]
    assert "chưa đủ câu trả lời" in rows.nth(2).inner_text()
    assert rows.nth(3).inner_text().startswith("—\tChưa rõ lĩnh vực")
    _shoot(desktop.locator("#fields"), "fields-section-vi")
    assert _violations(desktop) == []
    desktop.goto(live_server + "/scores/u/00001?period=2026-Q3&lang=en")
    english = desktop.get_by_role("table", name="Index by field of the procedures, best first")
    expect(english.get_by_role("row").nth(1)).to_contain_text("Civil status registration")
    _shoot(desktop.locator("#fields"), "fields-section-en")
    sign_in_browser(phone, live_server, "hanoi")
    phone.goto(live_server + "/scores/u/00001?period=2026-Q3")
    _shoot(phone.locator("#fields"), "fields-section-phone")
    assert _violations(phone) == []


def test_the_poster_asks_the_field_with_the_last_part(app, small_units, phone, live_server):
    from satisfaction.questionnaires.services import sync_all

    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        db.session.commit()
    phone.goto(f"{live_server}/d/C00001-T")
    question = phone.get_by_label("Lĩnh vực thủ tục Ông/Bà vừa làm (có thể bỏ qua)")
    expect(question).to_be_hidden()  # it goes with the last part, beside the comment
    _pick(phone, 1, "Hài lòng")
    _to_last_part(phone)
    expect(question).to_be_visible()
    question.select_option(label="Đất đai")
    assert _violations(phone) == []
    screenshot(phone, "poster-field")
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    phone.get_by_role("button", name="Gửi luôn").click()
    phone.wait_for_url("**/thanks?via=poster")
    with app.app_context():  # mixed after the reply, or still in the box: either holds the field
        ballot_box.mix(force=True)
        assert list(db.session.scalars(select(Response.field_code))) == ["dat-dai"]
