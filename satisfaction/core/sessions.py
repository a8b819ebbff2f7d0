"""The session cookie: Flask's signed cookie, its signer built once per key, not per request."""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# Keys change only when the configuration does (tests make many apps): a few are enough.
MAX_SIGNERS = 8


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's session interface, keeping each signer (Flask makes one on every request)."""

    def __init__(self) -> None:
        self._signers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the signer of the app's current key and fallbacks, made once per keys."""
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        found = self._signers.get(keys)
        if found is None:
            if len(self._signers) >= MAX_SIGNERS:
                self._signers.clear()
            found = self._signers[keys] = super().get_signing_serializer(app)
        return found
