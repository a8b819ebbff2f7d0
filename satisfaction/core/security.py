"""Security headers on every response."""

from flask import Flask, Response, current_app, request

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    """Add the headers hook."""
    app.after_request(add_security_headers)


# Added to every response that does not set them itself, in this order (names as sent).
ALWAYS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
NO_STORE = ("Cache-Control", "no-store")


def add_security_headers(response: Response) -> Response:
    """Forbid framing, sniffing, outside resources and referrer leaks."""
    headers = response.headers
    # One pass over the response's headers (each Headers.setdefault would read them all again).
    present = {name.lower() for name, _ in headers}
    wanted = [*ALWAYS]
    if current_app.config["SESSION_COOKIE_SECURE"] and request.scheme == "https":
        wanted.append(HSTS)
    if request.endpoint and not request.endpoint.endswith("static"):
        # Pages may show personal scope or answers: never keep them in shared caches.
        wanted.append(NO_STORE)
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)
    return response
