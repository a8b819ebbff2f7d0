"""On a phone with JavaScript: one part per screen, answers kept until sent, what was left out."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation, InvitationStatus
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_accessibility import _violations
from tests.browser.test_survey import code  # noqa: F401  (fixture)
from tests.conftest import answers_stored

pytestmark = pytest.mark.browser
PARTS = 7  # five elements, what should improve, the comment
KEY = "satisfaction:answers:"
STORED = "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, JSON.parse(localStorage.getItem(k))]))"  # noqa: E501


def _question(page, number: int):
    return page.locator("fieldset.q").nth(number - 1)


def _pick(page, number: int, words: str) -> None:
    _question(page, number).get_by_text(words, exact=True).click()


def _checked(page, number: int, words: str) -> bool:
    return _question(page, number).get_by_label(words, exact=True).is_checked()


def _position(page):
    return page.locator(".steps-pos")


def _next(page) -> None:
    page.get_by_role("button", name="Tiếp theo").click()


def _to_last_part(page) -> None:
    while page.get_by_role("button", name="Tiếp theo").is_visible():
        _next(page)
    expect(_position(page)).to_have_text(f"Phần {PARTS}/{PARTS}")


def _answer_every_part(page) -> None:
    """Tap an answer to every question, part by part, and write a comment on the last."""
    number = 0
    for part in range(1, PARTS + 1):
        expect(_position(page)).to_have_text(f"Phần {part}/{PARTS}")
        screen = page.locator("section.element:visible")
        for _ in range(screen.locator("fieldset.q").count()):
            number += 1
            _pick(page, number, "Hài lòng" if number <= 20 else "Nhiều")
        if part < PARTS:
            _next(page)
    page.get_by_label("Ông/Bà có góp ý gì thêm").fill("Nên có thêm ghế chờ.")


def _counted(app) -> tuple[int, InvitationStatus | None]:
    with app.app_context():
        answers = answers_stored()
        status = db.session.scalar(select(Invitation.status))
        db.session.remove()
    return answers, status


def test_one_part_per_screen_with_progress_back_and_next(phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    expect(_position(phone)).to_have_text(f"Phần 1/{PARTS}")
    expect(phone.locator("section.element:visible")).to_have_count(1)
    assert phone.locator("section.element:visible h2").inner_text() == "Tiếp cận dịch vụ"
    expect(phone.get_by_role("button", name="Gửi câu trả lời")).to_be_hidden()
    expect(phone.get_by_role("button", name="Quay lại")).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "screens-1")
    _next(phone)
    expect(_position(phone)).to_have_text(f"Phần 2/{PARTS}")
    heading = phone.locator("section.element:visible h2")
    expect(heading).to_have_text("Thủ tục hành chính")
    expect(heading).to_be_focused()  # a screen reader reads the part's heading, then where it is
    assert phone.url.endswith("#part-2")
    assert _position(phone).get_attribute("aria-live") == "polite"
    width = phone.evaluate("getComputedStyle(document.querySelector('.steps-bar span')).width")
    assert width.endswith("px") and float(width[:-2]) > 0
    # The keyboard alone: Tab from the heading to the first answer, arrows choose, Tab to Next.
    phone.keyboard.press("Tab")
    phone.keyboard.press("Space")
    assert _question(phone, 6).locator("input").first.is_checked()
    phone.get_by_role("button", name="Tiếp theo").focus()
    phone.keyboard.press("Enter")
    expect(_position(phone)).to_have_text(f"Phần 3/{PARTS}")
    phone.get_by_role("button", name="Quay lại").click()
    expect(_position(phone)).to_have_text(f"Phần 2/{PARTS}")
    phone.go_back()  # the browser's Back goes back a screen too
    expect(_position(phone)).to_have_text(f"Phần 3/{PARTS}")
    phone.go_back()
    expect(_position(phone)).to_have_text(f"Phần 2/{PARTS}")
    _next(phone)
    for _ in range(PARTS - 3):
        _next(phone)
    expect(_position(phone)).to_have_text(f"Phần {PARTS}/{PARTS}")
    expect(phone.get_by_role("button", name="Gửi câu trả lời")).to_be_visible()
    expect(phone.get_by_role("button", name="Tiếp theo")).to_be_hidden()
    screenshot(phone, f"screens-{PARTS}")


def test_answers_survive_a_reload_back_and_a_language_switch(phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    _pick(phone, 1, "Hài lòng")
    _pick(phone, 3, "Bình thường")
    _next(phone)
    _pick(phone, 6, "Rất hài lòng")
    phone.reload()
    expect(_position(phone)).to_have_text(f"Phần 2/{PARTS}")  # the same screen
    assert _checked(phone, 6, "Rất hài lòng")
    stored = phone.evaluate(STORED)
    assert list(stored) == [f"{KEY}s/{code}"]
    kept = stored[f"{KEY}s/{code}"]
    assert set(kept) == {"t", "a"}  # the answers and when they were saved: nothing else
    assert kept["a"] == {"access.info": "4", "access.seating": "3", "procedure.published": "5"}
    phone.goto(f"{live_server}/")  # away, then back
    phone.go_back()
    expect(_position(phone)).to_have_text(f"Phần 2/{PARTS}")
    assert _checked(phone, 6, "Rất hài lòng")
    phone.get_by_role("link", name="English").click()
    expect(_position(phone)).to_have_text(f"Part 2 of {PARTS}")  # the same screen, in English
    assert _checked(phone, 6, "Very satisfied")
    phone.get_by_role("button", name="Back").click()
    assert _checked(phone, 1, "Satisfied") and _checked(phone, 3, "Neutral")
    screenshot(phone, "screens-english-kept")


def test_a_server_error_or_no_connection_keeps_the_answers(app, phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    _answer_every_part(phone)

    def broken(route):
        if route.request.method == "POST":
            route.fulfill(status=500, content_type="text/html", body="<h1>Internal error</h1>")
        else:
            route.continue_()

    phone.route("**/s/*", broken)
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    alert = phone.locator(".steps-failed")
    expect(alert).to_contain_text("Chưa gửi được")
    expect(alert).to_contain_text("vẫn được giữ trên điện thoại này")
    assert alert.get_attribute("role") == "alert"
    screenshot(phone, "screens-server-error")
    assert _violations(phone) == []
    assert _counted(app) == (0, InvitationStatus.ISSUED)
    phone.reload()  # still there, on the last screen
    expect(_position(phone)).to_have_text(f"Phần {PARTS}/{PARTS}")
    assert phone.get_by_label("Ông/Bà có góp ý gì thêm").input_value() == "Nên có thêm ghế chờ."
    phone.unroute("**/s/*")
    phone.route("**/s/*", lambda route: route.abort() if route.request.method == "POST"
                else route.continue_())  # fmt: skip
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    expect(alert).to_contain_text("không kết nối được")
    phone.unroute("**/s/*")
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    phone.wait_for_url("**/thanks")
    assert phone.evaluate(STORED) == {}  # sent: nothing left on the phone
    assert _counted(app) == (1, InvitationStatus.ANSWERED)
    phone.go_back()
    assert phone.get_by_role("heading", level=1).inner_text() == "Phiếu này đã được trả lời"


def test_a_send_whose_reply_was_lost_is_counted_once(app, phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    _answer_every_part(phone)

    def reply_lost(route):
        if route.request.method == "POST":
            route.fetch()  # the server receives it and records it...
            route.abort()  # ...but the phone never hears back
        else:
            route.continue_()

    phone.route("**/s/*", reply_lost)
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    expect(phone.locator(".steps-failed")).to_contain_text("không kết nối được")
    assert _counted(app) == (1, InvitationStatus.ANSWERED)
    phone.unroute("**/s/*")
    phone.get_by_role("button", name="Gửi câu trả lời").click()  # sent again
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phiếu này đã được trả lời")
    assert phone.evaluate(STORED) == {}
    assert _counted(app) == (1, InvitationStatus.ANSWERED)


def test_questions_left_out_are_listed_before_sending(app, phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    _pick(phone, 1, "Hài lòng")
    _next(phone)
    _pick(phone, 6, "Hài lòng")
    _to_last_part(phone)
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    heading = phone.get_by_role("heading", name="Một số câu chưa được trả lời")
    expect(heading).to_be_focused()
    expect(_position(phone)).to_have_text("Trước khi gửi")
    links = phone.locator(".skipped-list a")
    expect(links).to_have_count(24)
    assert links.first.inner_text().startswith("2. ")
    screenshot(phone, "screens-skipped")
    assert _violations(phone) == []
    phone.get_by_role("link", name="10.", exact=False).first.click()
    expect(_position(phone)).to_have_text(f"Phần 3/{PARTS}")
    expect(_question(phone, 10).locator("input").first).to_be_focused()
    _pick(phone, 10, "Rất hài lòng")
    _to_last_part(phone)
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    expect(links).to_have_count(23)
    assert _counted(app) == (0, InvitationStatus.ISSUED)
    phone.get_by_role("button", name="Gửi luôn").click()
    phone.wait_for_url("**/thanks")
    assert _counted(app) == (1, InvitationStatus.ANSWERED)


def _without_script(browser):
    """Open a phone whose browser runs no script of ours (axe itself needs JavaScript)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.route("**/static/survey.js", lambda route: route.abort())
    return context


@pytest.mark.parametrize("javascript", [False, "blocked"], ids=["no-js", "script-blocked"])
def test_questions_left_out_without_javascript(app, browser, live_server, code, javascript):  # noqa: F811
    if javascript is False:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      java_script_enabled=False)  # fmt: skip
    else:
        context = _without_script(browser)
    page = context.new_page()
    page.goto(f"{live_server}/s/{group(code)}")
    expect(page.locator("section.element:visible")).to_have_count(PARTS)  # one page, as ever
    _pick(page, 1, "Hài lòng")
    _pick(page, 2, "Hài lòng")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("heading", name="Một số câu chưa được trả lời")).to_be_visible()
    expect(page.locator(".skipped-list a")).to_have_count(24)
    assert _checked(page, 1, "Hài lòng")  # kept on the page
    if javascript is False:
        screenshot(page, "nojs-skipped")
    else:
        assert _violations(page) == []
    page.locator(".skipped-list a").first.click()
    assert page.url.endswith("#q-access.seating")
    page.get_by_role("button", name="Gửi luôn").click()
    page.wait_for_url("**/thanks#q-access.seating")  # the page's address kept its fragment
    assert _counted(app) == (1, InvitationStatus.ANSWERED)
    context.close()


def test_every_screen_meets_wcag_aa(phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    found = {}
    for part in range(1, PARTS + 1):
        expect(_position(phone)).to_have_text(f"Phần {part}/{PARTS}")
        found[part] = _violations(phone)
        screenshot(phone, f"screens-part-{part}")
        if part < PARTS:
            _next(phone)
    assert found == {part: [] for part in found}


def test_the_single_page_without_script_meets_wcag_aa(browser, live_server, code):  # noqa: F811
    context = _without_script(browser)
    page = context.new_page()
    page.goto(f"{live_server}/s/{group(code)}")
    expect(page.locator("section.element:visible")).to_have_count(PARTS)
    assert page.locator(".steps-pos").count() == 0
    assert _violations(page) == []
    context.close()


def test_answers_kept_more_than_a_day_are_forgotten(phone, live_server, code):  # noqa: F811
    phone.goto(f"{live_server}/s/{group(code)}")
    day = 24 * 3600 * 1000
    keep = "([key, t, a]) => localStorage.setItem(key, JSON.stringify({t: Date.now() + t, a}))"
    phone.evaluate(keep, [f"{KEY}s/{code}", -day - 1000, {"access.info": "5"}])  # a day old
    phone.evaluate(keep, [f"{KEY}d/C00004-T", -day + 60_000, {"access.info": "1"}])
    phone.evaluate("localStorage.setItem('not-ours', 'kept')")
    phone.reload()
    expect(_position(phone)).to_have_text(f"Phần 1/{PARTS}")
    assert not _checked(phone, 1, "Rất hài lòng")
    assert sorted(phone.evaluate("Object.keys(localStorage)")) == ["not-ours", f"{KEY}d/C00004-T"]
