"""The demo accounts command."""

from tests.auth.helpers import sign_in


def test_demo_staff_is_idempotent_and_scoped(app, runner, small_units):
    for _ in range(2):
        result = runner.invoke(args=["demo", "staff", "--password", "demo-password-1"])
        assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list", "--format", "csv"]).output.splitlines()
    assert listing[1:] == ["admin,admin,,yes", "buudien.badinh,postal,001,yes",
                           "caicach.hanoi,officer,01,yes",
                           "phutrach.badinh,supervisor,001,yes"]  # fmt: skip
    client = app.test_client()
    assert sign_in(client, "buudien.badinh", "demo-password-1").status_code == 302
    assert client.get("/post/").status_code == 200


def test_demo_staff_refuses_a_short_password(runner, small_units):
    result = runner.invoke(args=["demo", "staff", "--password", "short"])
    assert result.exit_code == 1 and "password" in result.output, result.output
