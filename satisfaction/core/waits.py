"""Say how long someone must wait before a rate limit lets them in again, truly."""

import math
import time

from flask_babel import gettext as _
from flask_babel import ngettext

from satisfaction.extensions import limiter


def seconds_until(reset_at: float) -> int:
    """Return the whole seconds from now until a limiter's window resets (at least 1)."""
    return max(1, math.ceil(reset_at - time.time()))


def current_wait() -> int | None:
    """Return the seconds until the limit refusing this request lets it through, if known."""
    refused = limiter.current_limit
    if refused is None:
        return None
    try:
        return seconds_until(refused.window.reset_time)  # its reset_at adds a second
    except Exception:  # the store went away meanwhile: say nothing rather than fail
        return None


def wait_words(seconds: int) -> str:
    """Say a wait in words, rounded up to the minute: "47 minutes", "2 hours 5 minutes"."""
    minutes = max(1, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    said_minutes = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if not hours:
        return said_minutes
    said_hours = ngettext("%(num)d hour", "%(num)d hours", hours)
    if not minutes:
        return said_hours
    return _("%(hours)s %(minutes)s", hours=said_hours, minutes=said_minutes)
