"""Error pages: every failure becomes a page in the user's language, never a traceback."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from satisfaction.core.errors import Forbidden, InputError, NotFound, Problem
from satisfaction.core.uploads import megabytes
from satisfaction.core.waits import current_wait, wait_words
from satisfaction.extensions import db


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(Forbidden, lambda e: http_error_code(403))
    app.register_error_handler(NotFound, lambda e: http_error_code(404))
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(IntegrityError, lost_race)
    app.register_error_handler(InputError, refused)
    app.before_request(refuse_nul)


def refuse_nul() -> None:
    """Refuse an address with a NUL character in it, naming where (a 400, not PostgreSQL's 500:
    its text cannot hold one, so a lookup of such a code or name would fail, not find nothing)."""
    named = [*(request.view_args or {}).items(), *request.args.items(multi=True)]
    problems = [Problem(name, _("a NUL character (\\0) is not allowed here"))
                for name, value in named
                if "\x00" in name or (isinstance(value, str) and "\x00" in value)]  # fmt: skip
    if problems:
        raise InputError(problems)


def refused(error: InputError):
    """Explain input refused where no view of its own did (the API answers in JSON itself)."""
    text = "; ".join(str(p) for p in error.problems)
    return render_template("errors/error.html", code=400, title=_("Bad request"), text=text), 400


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please go back and try again."),
        ),
        403: (_("Not allowed"), _("Your account does not give access to this page.")),
        404: (_("Page not found"), _("There is no page at this address. Check the address.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        409: (
            _("Done at the same moment elsewhere"),
            _(
                "Someone else changed the same records at the same moment: nothing was saved. "
                "Go back, reload the page and see where things stand."
            ),
        ),  # fmt: skip
        413: (
            _("File too large"),
            _(
                "The file sent is larger than the %(mb)d MB this page "
                "accepts. Save it in smaller parts (a scanner can save "
                "a file every hundred pages or so) and send each.",
                mb=megabytes(request.max_content_length) or 0,
            ),
        ),  # fmt: skip
        429: (_("Too many attempts"), _("Please wait a minute before trying again.")),
    }


def http_error_code(code: int):
    """Render the page for an HTTP status code."""
    title, text = _messages().get(code, (_("Error"), _("Something went wrong.")))
    return render_template("errors/error.html", code=code, title=title, text=text), code


def http_error(error: HTTPException):
    """Render an HTTP error raised by Flask or a view."""
    if error.code is None or error.code >= 500:
        return server_error(error)
    if error.code == 429:
        return too_many()
    return http_error_code(error.code)


def too_many():
    """Refuse one attempt too many, saying truly how long to wait (from the limit's window)."""
    wait = current_wait()
    if wait is None:
        return http_error_code(429)
    title = _("Too many attempts")
    text = _("Please wait %(wait)s before trying again.", wait=wait_words(wait))
    return render_template("errors/error.html", code=429, title=title, text=text), 429


def csrf_error(error: CSRFError):
    """Explain an expired or missing form token."""
    text = _("The form expired or was sent from elsewhere. Reload the page and try again.")
    return render_template("errors/error.html", code=400, title=_("Form expired"), text=text), 400


def lost_race(error: IntegrityError):
    """Roll back a request that lost a race for the same rows, and say so (409, not 500)."""
    db.session.rollback()
    return http_error_code(409)


def server_error(error):
    """Roll back the failed transaction and apologise."""
    db.session.rollback()
    title, text = _("Server error"), _("Something went wrong on our side. Nothing was saved.")
    return render_template("errors/error.html", code=500, title=title, text=text), 500
