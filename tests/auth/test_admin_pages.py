"""The administrator's account pages and one's own password."""

from sqlalchemy import func, select

from satisfaction.audit.models import AuditEvent
from satisfaction.auth.models import Role, User
from satisfaction.extensions import db
from tests.auth.helpers import PASSWORD, make_user, sign_in


def _count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_admin_creates_a_postal_clerk(app, client, small_units):
    make_user(app, "root", Role.ADMIN)
    sign_in(client, "root")
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert "Tài khoản mới" in form
    response = client.post(
        "/admin/users/new",
        data={
            "username": "clerk.badinh",
            "password": "a long password",
            "role": "postal",
            "scope": "001",
        },
    )
    assert response.status_code == 302
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "clerk.badinh" in listing and "Quận Ba Đình" in listing
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "user.create", AuditEvent.target == "clerk.badinh"
            )
        )
        assert event.actor_name == "root" and event.detail == {"role": "postal", "scope": "001"}


def test_bad_account_form_names_the_fields_and_creates_nothing(app, client, small_units):
    make_user(app, "root", Role.ADMIN)
    sign_in(client, "root")
    before = _count_users(app)
    page = client.post(
        "/admin/users/new",
        data={
            "username": "X",
            "password": "short",
            "role": "postal",
            "scope": "",
        },
    ).get_data(as_text=True)
    assert page.count('class="error"') >= 2
    assert 'id="username-err"' in page and 'id="password-err"' in page
    page = client.post(
        "/admin/users/new",
        data={
            "username": "clerk",
            "password": "a long password",
            "role": "postal",
            "scope": "99999",
        },
    ).get_data(as_text=True)
    assert 'id="scope-err"' in page and "99999" in page
    assert _count_users(app) == before


def test_admin_changes_a_role(app, client, small_units):
    make_user(app, "root", Role.ADMIN)
    make_user(app, "someone", Role.OFFICER)
    sign_in(client, "root")
    assert client.get("/admin/users/someone").status_code == 200
    assert client.get("/admin/users/ghost").status_code == 404
    response = client.post(
        "/admin/users/someone", data={"role": "officer", "scope": "79", "is_enabled": "y"}
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "someone"))
        assert user.scope_unit.code == "79"


def test_change_own_password(app, client, small_units):
    make_user(app, "clerk", Role.POSTAL, "001")
    sign_in(client, "clerk")
    page = client.post(
        "/account/password",
        data={
            "current": "not it at all",
            "password": "new password 1",
            "confirm": "new password 1",
        },
    ).get_data(as_text=True)
    assert 'id="current-err"' in page
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "new password 1",
            "confirm": "new password 1",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    assert sign_in(client, "clerk", PASSWORD).status_code == 200
    assert sign_in(client, "clerk", "new password 1").status_code == 302
