"""A citizen answers on a phone, with and without JavaScript, by tapping the visible words."""

import pytest
from playwright.sync_api import expect

from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.invitations import create_invitations
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def code(app, small_units) -> str:
    """Record the questionnaires and issue one code."""
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        made = create_invitations("C00001-T", 1)[0].code
        db.session.commit()
    return made


def _answer_by_tapping(page) -> None:
    questions = page.locator("fieldset.q")
    assert questions.count() == 26
    for i in range(questions.count()):
        question = questions.nth(i)
        if not question.is_visible():  # with JavaScript, one part per screen
            page.get_by_role("button", name="Tiếp theo").click()
        words = "Hài lòng" if i < 20 else "Nhiều"
        if "Không áp dụng" in question.inner_text() and i == 19:
            words = "Không áp dụng"
        question.get_by_text(words, exact=True).click()
        assert question.get_by_label(words, exact=True).is_checked()
    comment = page.get_by_label("Ông/Bà có góp ý gì thêm")
    if not comment.is_visible():
        page.get_by_role("button", name="Tiếp theo").click()
    comment.fill("Nên có thêm ghế chờ.")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_answer_on_a_phone(browser, live_server, code, javascript):
    phones = [
        browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                            has_touch=True, java_script_enabled=javascript)
        for _ in range(2)
    ]  # fmt: skip
    # Two phones (not two tabs: a background tab is throttled) with the same form open.
    page, second_phone = (phone.new_page() for phone in phones)
    page.goto(f"{live_server}/s/{group(code)}")
    second_phone.goto(f"{live_server}/s/{group(code)}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Khảo sát sự hài lòng")
    screenshot(page, f"survey-{'js' if javascript else 'nojs'}-open")
    _answer_by_tapping(page)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.wait_for_url("**/thanks")
    assert "đã được nhận" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, f"survey-{'js' if javascript else 'nojs'}-thanks")
    page.reload()  # the thank-you page reloads without sending anything again
    page.goto(f"{live_server}/s/{group(code)}")
    assert page.get_by_role("heading", level=1).inner_text() == "Phiếu này đã được trả lời"
    second_phone.locator("fieldset.q").first.get_by_text("Rất hài lòng", exact=True).click()
    while javascript and second_phone.get_by_role("button", name="Tiếp theo").is_visible():
        second_phone.get_by_role("button", name="Tiếp theo").click()  # to the last screen
    second_phone.get_by_role("button", name="Gửi câu trả lời").click()
    if javascript:  # the 25 questions left out are listed first
        second_phone.get_by_role("button", name="Gửi luôn").click()
    heading = second_phone.get_by_role("heading", level=1)
    expect(heading).to_have_text("Phiếu này đã được trả lời")
    if javascript:
        assert second_phone.evaluate("localStorage.length") == 0  # nothing left to send
    for phone in phones:
        phone.close()


def test_typing_the_code_on_the_home_page(browser, live_server, code):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server + "/")
    typo = group(code)[:-1] + ("0" if code[-1] != "0" else "1")
    page.get_by_label("Mã in trên phiếu của Ông/Bà").fill(typo)
    page.get_by_role("button", name="Mở phiếu khảo sát").click()
    error = page.locator("#code-err")
    assert "gõ nhầm" in error.inner_text()
    screenshot(page, "home-code-error")
    page.get_by_label("Mã in trên phiếu của Ông/Bà").fill(code.lower())
    page.get_by_role("button", name="Mở phiếu khảo sát").click()
    page.wait_for_url(f"**/s/{group(code)}")
    assert page.locator("fieldset.q").count() == 26
    context.close()
