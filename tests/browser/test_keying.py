"""Clerks key a batch of paper forms by keyboard only, with double entry and a mismatch resolved."""

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.intake.batches import create_batch
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.models import Channel, Invitation, InvitationStatus, Response
from tests.auth.helpers import PASSWORD, make_user
from tests.browser.conftest import FOCUS_TIMEOUT_MS, screenshot, serving, wait_for_focus
from tests.conftest import mix_now

pytestmark = pytest.mark.browser
DIGITS = "54444 4444 44444 444 999 332211"
OTHER = "44444 4444 44444 444 999 332211"


@pytest.fixture
def double_entry_app(make_app, small_units):
    """An app where every paper form is keyed twice, with two clerks and a batch of three."""
    app = make_app(DOUBLE_ENTRY_SHARE=1)
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        create_batch("C00001-T", 3, Channel.ENUMERATOR)
        db.session.commit()
    make_user(app, "anh", Role.POSTAL, "001")
    make_user(app, "binh", Role.POSTAL, "001")
    make_user(app, "chi", Role.SUPERVISOR, "001")  # settles a mismatch, never one of its keyers
    return app


@pytest.fixture
def double_entry_server(double_entry_app):
    """Serve the double-entry app on loopback."""
    with serving(double_entry_app) as base:
        yield base


def _wait_for_confirm(page) -> None:
    """Wait until the page's autofocus is on the confirm button (Enter then saves)."""
    from playwright.sync_api import expect

    confirm = page.get_by_role("button", name="Xác nhận và lưu (Enter)")
    expect(confirm).to_be_focused(timeout=FOCUS_TIMEOUT_MS)


def _sign_in(page, base, username):
    page.bring_to_front()  # keys go to the window in front, as for a clerk at a desk
    page.goto(base + "/login")
    wait_for_focus(page, "username")
    page.keyboard.type(username)  # the username field has the focus: Tab moves on
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")


def _key(page, base, code, digits):
    page.bring_to_front()
    page.goto(base + "/post/key/")
    wait_for_focus(page, "code")
    page.keyboard.type(code)  # the code field has the focus
    page.keyboard.press("Enter")
    page.wait_for_url("**/post/key/*-*")
    wait_for_focus(page, "digits")
    page.keyboard.type(digits)  # the digits field has the focus
    page.keyboard.press("Enter")
    _wait_for_confirm(page)
    page.keyboard.press("Enter")  # the confirm button has the focus
    page.wait_for_url("**/post/key/")
    return page.locator(".flash").inner_text()


def test_key_a_batch_by_keyboard_only(browser, double_entry_app, double_entry_server):
    base = double_entry_server
    with double_entry_app.app_context():
        codes = [i.code for i in db.session.scalars(select(Invitation).order_by(Invitation.id))]
    first, second = (browser.new_context(viewport={"width": 1280, "height": 900})
                     for _ in range(2))  # fmt: skip
    anh, binh = first.new_page(), second.new_page()
    _sign_in(anh, base, "anh")
    _sign_in(binh, base, "binh")
    for code in codes:
        assert "lần nhập thứ nhất" in _key(anh, base, code.lower(), DIGITS)
    assert "đã lưu và được tính" in _key(binh, base, codes[0], DIGITS)
    assert "đã lưu và được tính" in _key(binh, base, codes[1], DIGITS)
    assert "hai lần nhập khác nhau" in _key(binh, base, codes[2], OTHER)
    screenshot(binh, "keying-mismatch-flash")
    chi = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(chi, base, "chi")
    chi.goto(base + "/post/key/mismatches")
    chi.keyboard.press("Tab")
    link = chi.get_by_role("link", name=codes[2][:4], exact=False)
    link.focus()
    chi.keyboard.press("Enter")
    chi.wait_for_url("**/resolve")
    assert chi.locator("tr.differs").count() == 1
    screenshot(chi, "keying-resolve")
    wait_for_focus(chi, "digits")
    chi.keyboard.type(DIGITS)
    chi.keyboard.press("Enter")
    _wait_for_confirm(chi)
    chi.keyboard.press("Enter")
    chi.wait_for_url("**/mismatches")
    assert "đã ghi nhận quyết định" in chi.locator(".flash").inner_text()
    mix_now(double_entry_app)  # the server's own mixing may still run after its reply
    with double_entry_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 3
        statuses = set(db.session.scalars(select(Invitation.status)))
    assert statuses == {InvitationStatus.VERIFIED}
    first.close()
    second.close()
