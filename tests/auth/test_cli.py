"""The users command."""

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user


def test_add_list_and_set_password(runner, small_units):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "hanoi",
            "--role",
            "officer",
            "--scope",
            "01",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "username,role,scope_code,enabled",
        "hanoi,officer,01,yes",
    ]
    result = runner.invoke(
        args=["users", "set-password", "hanoi"], input="another long pw\nanother long pw\n"
    )
    assert result.exit_code == 0, result.output


def test_add_refuses_bad_input(runner, small_units):
    result = runner.invoke(
        args=["users", "add", "clerk", "--role", "postal", "--password", "long enough pw"]
    )
    assert result.exit_code == 1, result.output
    assert "scope" in result.output
    result = runner.invoke(
        args=[
            "users",
            "add",
            "clerk",
            "--role",
            "officer",
            "--scope",
            "42",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 1 and "42" in result.output, result.output
    result = runner.invoke(args=["users", "add", "Bad Name", "--role", "admin", "--password", "x"])
    assert result.exit_code == 1 and "username" in result.output and "password" in result.output
    result = runner.invoke(args=["users", "list", "--format", "csv"])
    assert result.output.strip() == "username,role,scope_code,enabled"


def test_duplicate_username_and_unknown_user(app, runner, small_units):
    make_user(app, "taken", Role.ADMIN)
    result = runner.invoke(
        args=["users", "add", "taken", "--role", "admin", "--password", "long enough pw"]
    )
    assert result.exit_code == 1 and "taken" in result.output, result.output
    result = runner.invoke(args=["users", "set-password", "ghost", "--password", "long enough pw"])
    assert result.exit_code == 1 and "ghost" in result.output, result.output
