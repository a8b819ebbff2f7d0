"""A live server on loopback and a headless Chromium driven by Playwright."""

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
# The machine's network is closed: keep Chromium from reaching for outside services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
FOCUS_TIMEOUT_MS = 30_000  # as long as any other wait of Playwright's


def _chromium_path() -> str | None:
    explicit = os.environ.get("SATISFACTION_CHROMIUM")
    if explicit:
        return explicit
    return next((p for name in CHROMIUM_CANDIDATES if (p := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Launch a headless Chromium once, or skip (fail in CI) when there is none."""
    path = _chromium_path()
    if path is None:
        message = "no Chromium installed: browser tests skipped (apt-get install chromium)"
        if os.environ.get("SATISFACTION_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _read_whole(app):
    """The app with each response read whole, and its iterable closed, before a byte is sent.

    A browser drops connections it no longer needs (a favicon, a page it left). Werkzeug's
    development server then skips closing the response's iterable, and a static file stays
    open until the collector finds it: a ResourceWarning that fails whichever test runs then.
    """

    def wsgi(environ, start_response):
        return Response.from_app(app, environ, buffered=True)(environ, start_response)

    return wsgi


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve app on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def wait_for_focus(page, element_id: str) -> None:
    """Wait until the page's autofocus has put the keyboard in the field (as a clerk would).

    Playwright's own assertion, not a predicate string: the pages' policy (script-src 'self')
    forbids the evaluation of strings that wait_for_function() polls with.
    """
    from playwright.sync_api import expect

    expect(page.locator(f"#{element_id}")).to_be_focused(timeout=FOCUS_TIMEOUT_MS)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve app on a free loopback port in a thread; yield its base URL."""
    with serving(app) as base:
        yield base


@pytest.fixture
def phone(browser) -> Iterator:
    """Open a page at a phone's size."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser) -> Iterator:
    """Open a page at a desktop's size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """Save a screenshot when SATISFACTION_SCREENSHOTS names a folder (for people to look at)."""
    folder = os.environ.get("SATISFACTION_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in_browser(page, live_server: str, username: str) -> None:
    """Sign a staff member in through the login page; wait for the staff home."""
    from tests.auth.helpers import PASSWORD

    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/staff/")
