"""The application factory, configuration, security headers and the language switch."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from satisfaction import ConfigurationError, create_app
from satisfaction.auth.models import Role
from satisfaction.config import DEFAULT_SECRET_KEY
from satisfaction.extensions import db
from tests.auth.helpers import make_user, sign_in
from tests.conftest import PG_URL


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENVIRONMENT": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_command_line_says_why_it_refuses_in_one_line(tmp_path):
    env = dict(os.environ, SATISFACTION_ENVIRONMENT="production",
               SATISFACTION_SECRET_KEY=DEFAULT_SECRET_KEY,
               SATISFACTION_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite'}")  # fmt: skip
    command = [sys.executable, "-c", "from satisfaction.cli import main; main()", "routes"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("Error: Refusing to start: SECRET_KEY"), run.stderr
    assert "Traceback" not in run.stderr


def test_production_with_a_secret_key_uses_secure_cookies(tmp_path):
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigurationError, match="ENVIRONMENT"):
        create_app({"ENVIRONMENT": "staging", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_a_bad_postgres_work_mem_is_refused_with_its_name():
    config = {"ENVIRONMENT": "development", "POSTGRES_WORK_MEM": "32MB -c fsync=off",
              "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:p@127.0.0.1/none"}  # fmt: skip
    with pytest.raises(ConfigurationError, match="POSTGRES_WORK_MEM"):
        create_app(config)


@pytest.mark.skipif(not PG_URL, reason="needs SATISFACTION_TEST_DATABASE_URL (PostgreSQL)")
@pytest.mark.parametrize("work_mem", ["48MB", ""])
def test_postgres_sessions_get_their_settings(work_mem):
    app = create_app({"ENVIRONMENT": "development", "POSTGRES_WORK_MEM": work_mem,
                      "SQLALCHEMY_DATABASE_URI": PG_URL})  # fmt: skip
    with app.app_context():
        if work_mem:
            assert db.session.scalar(text("SHOW work_mem")) == work_mem
        # Each statement planned for its values, even once the driver has prepared it.
        assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
        db.session.rollback()
        db.engine.dispose()


def test_environment_variables_override(monkeypatch, tmp_path):
    monkeypatch.setenv("SATISFACTION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SATISFACTION_ENVIRONMENT", "development")
    monkeypatch.setenv("SATISFACTION_MIN_N", "50")
    monkeypatch.setenv("SATISFACTION_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    (tmp_path / "config.py").write_text("MIN_N = 40\nPUBLIC_BASE_URL = 'https://ks.example.vn'\n")
    app = create_app()
    assert app.config["MIN_N"] == 50
    assert app.config["PUBLIC_BASE_URL"] == "https://ks.example.vn"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite")


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SATISFACTION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SATISFACTION_ENVIRONMENT", "development")
    monkeypatch.delenv("SATISFACTION_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/satisfaction.sqlite"


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_response_s_own_security_headers_are_kept_and_none_is_sent_twice(app):
    from flask import Response

    from satisfaction.core.security import add_security_headers

    own = {"cache-control": "private, max-age=300", "X-Frame-Options": "SAMEORIGIN"}
    with app.test_request_context("/"):
        response = add_security_headers(Response("x", headers=own))
    assert response.headers.getlist("Cache-Control") == ["private, max-age=300"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Referrer-Policy") == ["same-origin"]
    assert "Strict-Transport-Security" not in response.headers  # not over https
    app.config["SESSION_COOKIE_SECURE"] = True
    with app.test_request_context("/", base_url="https://example.org"):
        secure = add_security_headers(Response("x"))
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert secure.headers.getlist("Cache-Control") == ["no-store"]
    names = [name.lower() for name, _ in secure.headers]
    assert len(names) == len(set(names))


def test_the_session_s_signer_is_made_once_per_key_and_old_keys_still_open(app):
    interface = app.session_interface
    signer = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is signer
    cookie = f"{app.config['SESSION_COOKIE_NAME']}={signer.dumps({'seen': 1})}"
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "a new key for this test, long enough to be one"
    rotated = interface.get_signing_serializer(app)
    assert rotated is not signer and interface.get_signing_serializer(app) is rotated
    with app.test_request_context("/", headers={"Cookie": cookie}) as context:
        assert dict(interface.open_session(app, context.request)) == {"seen": 1}
    app.config["SECRET_KEY_FALLBACKS"] = []  # the old key retired: its cookie no longer opens
    with app.test_request_context("/", headers={"Cookie": cookie}) as context:
        assert dict(interface.open_session(app, context.request)) == {}


def test_home_and_login_are_vietnamese_by_default(client):
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in home
    assert "ẩn danh" in home
    login = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in login and "Tên đăng nhập" in login


def test_language_switch_remembers_english(client):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Staff sign-in" in page
    assert client.get("/lang/vi?next=https://evil.example/").headers["Location"] == "/"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_forms_require_the_csrf_token(make_app, small_units):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user(app, "root", Role.ADMIN)
    client = app.test_client()
    response = sign_in(client, "root")
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited(make_app, small_units):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [sign_in(client, "nobody", "wrong password").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_a_proxy_the_client_address_comes_from_it(make_app):
    from flask import request

    app = make_app(TRUSTED_PROXIES=1)

    @app.get("/_whoami")
    def whoami():
        return f"{request.remote_addr} {request.scheme}"

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    assert app.test_client().get("/_whoami", headers=headers).text == "203.0.113.7 https"


def test_the_command_line_asks_for_db_upgrade_on_an_empty_database(tmp_path):
    env = dict(os.environ, SATISFACTION_ENVIRONMENT="development",
               SATISFACTION_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite'}")  # fmt: skip
    command = [sys.executable, "-c", "from satisfaction.cli import main; main()",
               "questionnaires", "sync"]  # fmt: skip
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "satisfaction db upgrade" in run.stderr and "Traceback" not in run.stderr
