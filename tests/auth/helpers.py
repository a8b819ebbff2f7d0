"""Helpers to create staff accounts and sign them in from tests."""

from satisfaction.auth import services
from satisfaction.auth.models import Role
from satisfaction.extensions import db

PASSWORD = "correct horse battery"


def make_user(app, username: str, role: Role, scope: str | None = None, dataset: str = "test"):
    """Create an account with the shared test password."""
    with app.app_context():
        services.create_user(username, PASSWORD, role, scope, dataset=dataset if scope else None)
        db.session.commit()


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign in through the real login form and return the response."""
    return client.post("/login", data={"username": username, "password": password})
