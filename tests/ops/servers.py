"""Real app servers for tests: gunicorn with the repository's settings file, on loopback."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    """Return the environment of a test server: its database, test settings, then settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SATISFACTION_", "PROMETHEUS_"))}  # fmt: skip
    env.update(SATISFACTION_ENVIRONMENT="testing", SATISFACTION_SECRET_KEY="test-secret",
               SATISFACTION_DATABASE_URL=database_url, SATISFACTION_LOG_JSON="false",
               SATISFACTION_WTF_CSRF_ENABLED="false", SATISFACTION_MIX_MIN="1")  # fmt: skip
    env.update(settings)
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, log: Path | None = None) -> Iterator[str]:
    """Run gunicorn with deploy/gunicorn.conf.py on a free port; yield its base URL.

    With log, its error log (and the app's log lines) go to that file, read or not.
    """
    port = free_port()
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers))
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
               "satisfaction:create_app()"]  # fmt: skip
    # A pipe nobody reads would stall the server once full: a long run writes to a file.
    stderr = log.open("w") if log is not None else subprocess.PIPE
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=stderr, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
        if log is not None:
            stderr.close()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended: {process.stderr.read() if process.stderr else ''}")
        with contextlib.suppress(OSError):
            if fetch(base + "/healthz")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def fetch(url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
    """Send a GET (or a form POST with data); return the status and the body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()
