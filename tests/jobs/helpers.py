"""Real processes for the jobs tests: `satisfaction` commands killed and run again."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.intake.scan_models import FormState, ScanFile, ScannedForm, ScanPage
from satisfaction.survey.models import Invitation, InvitationStatus, Response
from tests.conftest import mix_now
from tests.intake.test_scans import save, scans_of
from tests.ops.servers import ROOT

COMMAND = str(Path(sys.executable).parent / "satisfaction")


def scan_file(issue, tmp_path: Path, forms: int) -> tuple[Path, list[str]]:
    """Issue forms and write their marked pages, in order, into one PDF."""
    codes = issue(forms)
    pages, _ = scans_of(codes)
    return save(tmp_path / "returns.pdf", pages), codes


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start a `satisfaction` command in the background."""
    return subprocess.Popen([COMMAND, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip


def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> tuple[str, str]:
    """Send sig to a started command and the processes it started (RQ's scheduler); reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    return process.communicate(timeout=60)


def wait_until(check: Callable[[], bool], process: subprocess.Popen | None = None,
               timeout: float = 120) -> None:  # fmt: skip
    """Wait until check() holds; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended first: {process.communicate()}")
        time.sleep(0.1)
    raise AssertionError("timed out")


def pages_recorded(app) -> int:
    """Return how many pages the scan files have recorded (committed)."""
    with app.app_context():
        found = db.session.scalar(select(func.coalesce(func.max(ScanFile.page_count), 0)))
        db.session.remove()
    return found


def assert_every_form_read_once(app, codes: list[str], pages: int) -> None:
    """Check that each page was recorded once and each form counted once, none lost."""
    mix_now(app)
    with app.app_context():
        indexes = db.session.scalars(select(ScanPage.index).order_by(ScanPage.index)).all()
        assert indexes == list(range(1, pages + 1))
        states = db.session.scalars(select(ScannedForm.state)).all()
        assert sorted(states) == [FormState.COUNTED] * len(codes)
        answered = select(func.count()).where(Invitation.status == InvitationStatus.ANSWERED)
        assert db.session.scalar(answered) == len(codes)
        assert db.session.scalar(select(func.count()).select_from(Response)) == len(codes)
        assert db.session.scalar(select(ScanFile.is_complete)) is True
        db.session.remove()
