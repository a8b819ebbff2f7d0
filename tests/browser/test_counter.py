"""The post office counter: a scanner's burst lost nowhere, waiting list, warnings, supervisor."""

from contextlib import ExitStack
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.intake.batches import create_batch
from satisfaction.paper.codes import group
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.models import Channel, Invitation, InvitationEvent, InvitationStatus
from tests.auth.helpers import make_user
from tests.browser.conftest import screenshot, serving, wait_for_focus
from tests.browser.test_keying import _sign_in
from tests.survey.conftest import full_answers

pytestmark = pytest.mark.browser
DIGITS = "54444 4444 44444 444 999 332211"
OTHER = "44444 4444 44444 444 999 332211"


@pytest.fixture
def expect():
    """Return Playwright's retrying assertion."""
    return pytest.importorskip("playwright.sync_api").expect


def _violations(page) -> list[str]:
    """Return the WCAG 2.1 AA rules the page breaks (axe-core), as the other pages are checked."""
    pytest.importorskip("axe_playwright_python")
    from tests.browser.test_accessibility import _violations as check

    return check(page)


def _app(make_app, share: int, forms: int):
    app = make_app(DOUBLE_ENTRY_SHARE=share)
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        create_batch("C00001-T", forms, Channel.ENUMERATOR)
        db.session.commit()
        codes = [i.code for i in db.session.scalars(select(Invitation).order_by(Invitation.id))]
    for name, role in (("anh", Role.POSTAL), ("binh", Role.POSTAL), ("chi", Role.SUPERVISOR)):
        make_user(app, name, role, "001")
    return app, codes


@pytest.fixture
def counter(make_app, small_units):
    """An app with 22 single-entry forms and clerks anh, binh and supervisor chi."""
    return _app(make_app, 0, 22)


@pytest.fixture
def twice(make_app, small_units):
    """An app where every form is keyed twice, with 3 forms."""
    return _app(make_app, 1, 3)


@pytest.fixture
def serve():
    """Serve apps on loopback for the test's length."""
    with ExitStack() as running:
        yield lambda app: running.enter_context(serving(app))


def test_a_burst_of_20_scans_at_40_ms_is_all_recorded(browser, counter, serve, expect):
    app, codes = counter
    base = serve(app)
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    _sign_in(page, base, "anh")
    page.goto(base + "/post/scan/dispatch")
    wait_for_focus(page, "code")
    burst = [group(code) for code in codes[:20]]
    burst[7:7] = ["XXXX-1234"]  # a mistyped code in the middle
    burst[12:12] = [burst[3]]  # a form scanned twice
    for code in burst:  # as a handheld scanner sends them: the code, Enter, 40 ms later the next
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_timeout(40)
    results = page.locator("#scan-results li")
    expect(page.locator("#scan-results li.scan-done")).to_have_count(20)
    expect(results).to_have_count(22)
    expect(page.locator("#scan-results li.scan-repeat")).to_contain_text("đã ghi nhận trước đó")
    refused = page.locator("#scan-results li.scan-refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("không phải là mã phiếu hợp lệ")
    expect(page.locator("#scan-tally")).to_have_text("20")
    expect(page.locator("#scan-failed")).to_have_text("1")
    assert page.evaluate("document.activeElement.id") == "code"
    assert page.locator("#code").input_value() == ""
    screenshot(page, "counter-dispatch-burst")
    assert _violations(page) == []
    with app.app_context():
        dispatched = db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.status == InvitationStatus.DISPATCHED))  # fmt: skip
        events = db.session.scalar(select(func.count()).select_from(InvitationEvent))
    assert dispatched == 20 and events == 20  # the repeat made no second event


def test_withdraw_by_scanner_keeps_the_reason(browser, counter, serve, expect):
    app, codes = counter
    base = serve(app)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, base, "anh")
    page.goto(base + "/post/withdraw")
    page.locator("#code").fill(codes[0])
    page.keyboard.press("Enter")  # no reason yet: refused, with the reason why
    expect(page.locator("#scan-results li.scan-refused")).to_contain_text("lý do")
    page.locator("#note").fill("Hỏng khi in")
    for code in codes[:3]:
        page.locator("#code").focus()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.locator("#scan-results li.scan-done")).to_have_count(3)
    expect(page.locator("#scan-results li.scan-settled")).to_contain_text(group(codes[0]))
    expect(page.locator("#scan-failed-line")).to_be_hidden()  # recorded after all
    screenshot(page, "counter-withdraw")
    with app.app_context():
        withdrawn = select(Invitation.withdrawn_reason).where(
            Invitation.status == InvitationStatus.WITHDRAWN
        )
        reasons = set(db.session.scalars(withdrawn))
    assert reasons == {"Hỏng khi in"}


def _key_first(app, code, clerk, digits=DIGITS):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        answers = keying.parse_digits(keying.questionnaire_for(invitation), digits)
        keying.key_form(code, answers, get_user(clerk), date.today())
        db.session.commit()


def test_waiting_list_and_warnings(browser, twice, serve, expect):
    app, codes = twice
    base = serve(app)
    _key_first(app, codes[0], "anh")
    app.test_client().post(f"/s/{codes[2]}", data=full_answers())  # answered online
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, base, "binh")
    page.goto(base + "/post/key/waiting")
    row = page.locator("tbody tr").filter(has_text=group(codes[0]))
    expect(row).to_contain_text("anh")
    row.get_by_role("link").click()
    page.wait_for_url("**/post/key/*-*")
    page.goto(base + f"/post/key/{group(codes[1])}")
    expect(page.locator("p.note")).to_contain_text("chưa từng được phát đi")
    page.goto(base + f"/post/key/{group(codes[2])}")
    expect(page.locator("p.note")).to_contain_text("trực tuyến")
    screenshot(page, "counter-keying-warning")


def test_only_a_supervisor_who_keyed_neither_entry_settles(browser, twice, serve, expect):
    app, codes = twice
    base = serve(app)
    _key_first(app, codes[0], "anh")
    _key_first(app, codes[0], "binh", OTHER)
    clerk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(clerk, base, "binh")
    clerk.goto(base + "/post/key/mismatches")
    expect(clerk.locator("main")).to_contain_text("Người phụ trách bưu điện quyết định")
    expect(clerk.locator("tbody a")).to_have_count(0)  # no link to decide for a clerk
    response = clerk.goto(base + f"/post/key/{group(codes[0])}/resolve")
    assert response.status == 403
    boss = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(boss, base, "chi")
    boss.goto(base + "/post/key/mismatches")
    boss.get_by_role("link", name=group(codes[0])).click()
    boss.wait_for_url("**/resolve")
    wait_for_focus(boss, "digits")
    boss.keyboard.type(DIGITS)
    boss.keyboard.press("Enter")
    boss.get_by_role("button", name="Xác nhận và lưu (Enter)").click()
    boss.wait_for_url("**/mismatches")
    expect(boss.locator(".flash")).to_contain_text("đã ghi nhận quyết định")


def test_the_keying_counter_follows_the_digits_by_element(browser, twice, serve, expect):
    app, codes = twice
    base = serve(app)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, base, "anh")
    page.goto(base + f"/post/key/{group(codes[0])}")
    wait_for_focus(page, "digits")
    groups = page.locator("#digit-groups li")
    expect(groups).to_have_count(6)  # five elements, then the expectations
    page.keyboard.type("54444 44")
    expect(groups.nth(0).locator(".group-count")).to_have_text("5/5")
    expect(groups.nth(0)).to_have_class("full")
    expect(groups.nth(1).locator(".group-count")).to_have_text("2/4")
    expect(groups.nth(1)).to_have_class("current")
    expect(page.locator("#digit-total")).to_have_text("Đã nhập 7/26 chữ số")
    screenshot(page, "counter-keying-groups")
    assert _violations(page) == []
    page.keyboard.type("4" * 20)
    expect(page.locator("#digit-total")).to_have_text("Thừa 1 chữ số")
    expect(groups.nth(5).locator(".group-count")).to_have_text("6/6")


def test_the_figures_page_lists_forms_long_out_with_a_download(browser, counter, serve, expect):
    from sqlalchemy import update

    from satisfaction.core.time import utcnow
    from satisfaction.intake import tracking

    app, codes = counter
    with app.app_context():
        anh = get_user("anh")
        for code in codes[:8]:
            tracking.move(code, InvitationStatus.DISPATCHED, anh)
        db.session.execute(update(Invitation).where(Invitation.code.in_(codes[:3]))
                           .values(dispatched_at=utcnow() - timedelta(days=45)))  # fmt: skip
        db.session.commit()
    _key_first(app, codes[5], "anh", "0" * 26)  # came back blank
    base = serve(app)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, base, "anh")
    page.goto(base + "/post/figures?days=30")
    expect(page.locator("#overdue")).to_contain_text("30 ngày")
    expect(page.locator("main")).to_contain_text(group(codes[0]))
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải danh sách").click()
    body = caught.value.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbf") and body.decode("utf-8-sig").count("\n") == 4
    screenshot(page, "counter-figures")
    assert _violations(page) == []
