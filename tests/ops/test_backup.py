"""scripts/backup.sh and scripts/restore.sh: a backup restored and rebuilt, the same figures."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.paper.codes import group
from tests.conftest import app_config
from tests.survey.conftest import full_answers

ROOT = Path(__file__).resolve().parents[2]
TOOLS = all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql"))


def script(name: str, database_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run a script of scripts/ on a database, with this environment's satisfaction command."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATISFACTION_")}
    env.update(SATISFACTION_DATABASE_URL=database_url, SATISFACTION_ENVIRONMENT="testing",
               SATISFACTION_SECRET_KEY="test-secret",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")  # fmt: skip
    command = ["bash", str(ROOT / "scripts" / name), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def figures(database_url: str) -> dict[str, str]:
    """Return what the command line exports from a database: scores, microdata, statistics."""
    app = create_app(app_config(database_url))
    runner = app.test_cli_runner()
    commands = {level: ["scores", "export", "--level", level, "--format", "csv"]
                for level in ("province", "district", "commune")}  # fmt: skip
    commands["all channels"] = [*commands["commune"], "--channels", "all"]
    commands["microdata"] = ["responses", "export", "--format", "csv", "--with-comments"]
    commands["stats"] = ["responses", "stats", "--format", "json"]
    found = {}
    for name, args in commands.items():
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        found[name] = result.output
    with app.app_context():
        db.engine.dispose()
    return found


@pytest.fixture
def fresh_database(database_url):
    """Yield the URL of a new, empty PostgreSQL database beside the test one; drop it after."""
    if not database_url.startswith("postgresql"):
        pytest.skip("backup and restore are for PostgreSQL (SATISFACTION_TEST_DATABASE_URL)")
    if not TOOLS:
        pytest.skip("needs pg_dump, pg_restore and psql (Debian's postgresql-client)")
    url = make_url(database_url)
    name = f"{url.database}_restored"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_backup_restored_and_rebuilt_gives_identical_exports(
    survey_app, make_app, issue, database_url, fresh_database, tmp_path
):
    seeded = survey_app.test_cli_runner().invoke(args=["demo", "seed", "--responses", "1200"])
    assert seeded.exit_code == 0, seeded.output
    waiting = make_app(MIX_MIN=1000).test_client()  # two answers stay in the ballot box
    for code in issue(2):
        assert waiting.post(f"/s/{group(code)}", data=full_answers()).status_code == 302
    before = figures(database_url)
    assert '"waiting": 2' in before["stats"] and before["commune"].count("\n") > 3

    archive = tmp_path / "nightly.dump"
    backup = script("backup.sh", database_url, str(archive))
    assert backup.returncode == 0, backup.stderr
    assert archive.stat().st_size > 0 and not Path(f"{archive}.partial").exists()
    restore = script("restore.sh", fresh_database, str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "Đã tính lại số liệu tổng hợp từ 1200 phiếu" in restore.stdout, restore.stdout

    assert figures(fresh_database) == before
    again = script("restore.sh", fresh_database, str(archive))  # never over existing data
    assert again.returncode == 1 and "not empty" in again.stderr
    assert figures(fresh_database) == before


def test_the_scripts_refuse_what_they_cannot_do(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'x.sqlite'}"
    backup = script("backup.sh", sqlite, str(tmp_path / "x.dump"))
    assert backup.returncode == 1 and "not PostgreSQL" in backup.stderr
    missing = script("restore.sh", "postgresql+psycopg://u@127.0.0.1/x", str(tmp_path / "none"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert not list(tmp_path.glob("*.dump*"))
