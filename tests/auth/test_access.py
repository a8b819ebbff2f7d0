"""Sign-in and scopes: who may see which pages."""

import pytest

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user, sign_in


@pytest.fixture
def officers(app, small_units):
    """Create an admin, a national officer, a Hà Nội officer and a Ba Đình postal clerk."""
    make_user(app, "root", Role.ADMIN)
    make_user(app, "national", Role.OFFICER)
    make_user(app, "hanoi", Role.OFFICER, "01")
    make_user(app, "badinh", Role.POSTAL, "001")


def test_anonymous_visitor_is_sent_to_login(client, small_units):
    for path in ("/staff/", "/units/", "/units/test/01", "/admin/users", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path


def test_login_then_logout(client, officers):
    response = sign_in(client, "hanoi")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert "Thành phố Hà Nội" in page
    assert client.post("/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, officers):
    page = sign_in(client, "hanoi", "wrong password!").get_data(as_text=True)
    unknown = sign_in(client, "nobody", "wrong password!").get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu" in page
    assert "Sai tên đăng nhập hoặc mật khẩu" in unknown
    assert client.get("/staff/").status_code == 302


def test_login_redirects_only_within_the_site(client, officers):
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "hanoi", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("user", "path", "status"),
    [
        ("hanoi", "/units/test/01", 200),
        ("hanoi", "/units/test/001", 200),
        ("hanoi", "/units/test/00004", 200),
        ("hanoi", "/units/test/79", 403),
        ("hanoi", "/units/test/26734", 403),
        ("badinh", "/units/test/00001", 200),
        ("badinh", "/units/test/002", 403),
        ("badinh", "/units/test/01", 403),
        ("national", "/units/test/79", 200),
        ("root", "/units/test/26734", 200),
        ("national", "/units/test/99", 404),
        ("hanoi", "/admin/users", 403),
        ("root", "/admin/users", 200),
    ],
)
def test_scope_decides(client, officers, user, path, status):
    sign_in(client, user)
    assert client.get(path).status_code == status


def test_refusal_page_is_in_vietnamese(client, officers):
    sign_in(client, "hanoi")
    page = client.get("/units/test/79").get_data(as_text=True)
    assert "Không được phép" in page


def test_scoped_user_lands_on_own_unit(client, officers):
    sign_in(client, "badinh")
    response = client.get("/units/")
    assert response.headers["Location"] == "/units/test/001"
    page = client.get("/units/test/001").get_data(as_text=True)
    assert "Phường Phúc Xá" in page and "Phường Trúc Bạch" in page
    assert "D001-T" in page


def test_disabled_account_cannot_sign_in(app, client, officers):
    from satisfaction.auth import services
    from satisfaction.extensions import db

    with app.app_context():
        user = services.get_user("hanoi")
        services.set_role(user, Role.OFFICER, "01", is_enabled=False, dataset="test")
        db.session.commit()
    assert sign_in(client, "hanoi").status_code == 200
    assert client.get("/staff/").status_code == 302
