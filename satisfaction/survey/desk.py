"""The desk poster's limits: per service point and browser, generous per address.

Citizens at a one-stop centre share its Wi-Fi, so one address stands for many people: each
browser (a random cookie, nothing else) gets DESK_RATE_LIMIT at each service point, and an
address as a whole the far larger DESK_ADDRESS_RATE_LIMIT. Only recorded answers count. A send
carries a random token of its page; one that reached the server and was recorded is not
recorded again when the phone, having lost the reply, sends it once more.

The limits count in the rate limiter's store (Redis when configured). Should that store fail,
the poster stays open: its answers are reported apart from the official index.
"""

import logging
import re
import secrets

from flask import Response, current_app, request
from limits import RateLimitItem, RateLimitItemPerDay, parse_many

from satisfaction.core.waits import seconds_until
from satisfaction.extensions import limiter

BROWSER_COOKIE = "desk_browser"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SENT = RateLimitItemPerDay(1)  # a send token is remembered for a day
log = logging.getLogger(__name__)


def valid_token(value: str | None) -> str | None:
    """Return value if it can be a browser id or a send token we made, else None."""
    return value if value and TOKEN.fullmatch(value) else None


def new_token() -> str:
    """Return a fresh random token (a browser id or a page's send token)."""
    return secrets.token_urlsafe(16)


def browser_of() -> str | None:
    """Return the random id a poster page gave this browser, if it sent one back."""
    return valid_token(request.cookies.get(BROWSER_COOKIE))


def name_browser(response: Response) -> Response:
    """Give a browser seen for the first time its random id, for the poster pages only."""
    if browser_of() is None:
        response.set_cookie(BROWSER_COOKIE, new_token(), path="/d/", max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])  # fmt: skip
    return response


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and limiter.enabled


def _prefix() -> str:
    return str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "satisfaction")


def _limits(point: str, browser: str | None, address: str) -> list[tuple[RateLimitItem, tuple]]:
    """Return each limit with the key it counts under, for one browser at one service point."""
    config, prefix = current_app.config, _prefix()
    # A browser without the cookie is counted with the others of its address, strictly.
    who = ("browser", browser) if browser else ("address", address)
    mine = [(item, (prefix, "desk", point, *who)) for item in parse_many(config["DESK_RATE_LIMIT"])]
    shared = [(item, (prefix, "desk", point, "all", address))
              for item in parse_many(config["DESK_ADDRESS_RATE_LIMIT"])]  # fmt: skip
    return mine + shared


def wait_seconds(point: str, browser: str | None, address: str) -> int:
    """Return how long this browser must wait for its next answer at this point (0: none)."""
    if not _enabled():
        return 0
    try:
        strategy, waits = limiter.limiter, [0]
        for item, key in _limits(point, browser, address):
            if not strategy.test(item, *key):
                waits.append(seconds_until(strategy.get_window_stats(item, *key).reset_time))
        return max(waits)
    except Exception:  # the store is away: keep the poster open
        log.warning("desk limits: the rate limit store cannot be read", exc_info=True)
        return 0


def count_answer(point: str, browser: str | None, address: str, token: str | None) -> None:
    """Count a recorded answer against the limits, and remember its send token for a day."""
    if not _enabled():
        return
    try:
        strategy = limiter.limiter
        for item, key in _limits(point, browser, address):
            strategy.hit(item, *key)
        if token:
            strategy.hit(SENT, _prefix(), "desk-sent", token)
    except Exception:
        log.warning("desk limits: the rate limit store cannot be written", exc_info=True)


def already_sent(token: str | None) -> bool:
    """Tell whether an answer with this send token was recorded within the last day."""
    if not token or not _enabled():
        return False
    try:
        return not limiter.limiter.test(SENT, _prefix(), "desk-sent", token)
    except Exception:
        log.warning("desk limits: the rate limit store cannot be read", exc_info=True)
        return False
