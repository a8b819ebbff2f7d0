"""Public pages shared by everyone: home and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, url_for

from satisfaction.wiring import LANG_COOKIE

core_bp = Blueprint("core", __name__)


@core_bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language and go back to the page the user was on."""
    target = safe_next(request.args.get("next"))
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def safe_next(target: str | None) -> str:
    """Return target if it is a path on this site, else the home page."""
    if not target:
        return url_for("survey.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("survey.home")
    return target
