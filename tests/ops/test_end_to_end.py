"""End to end: two gunicorns and an RQ worker killed mid-job, on PostgreSQL and Redis on loopback.

Citizens answer through both servers while a clerk uploads a scan file; the worker reading it is
killed with SIGKILL once the job page shows progress, and a new worker finishes the job. Then every
acknowledged answer is counted once, every form of the file read once, no server answered 500, and
the aggregates equal a rebuild.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.intake.scan_models import FormState, ScanFile, ScannedForm, ScanPage
from satisfaction.jobs.models import Job, JobStatus
from satisfaction.paper.codes import group
from satisfaction.survey.models import Channel, Invitation, InvitationStatus, Mode, Response
from tests.auth.helpers import PASSWORD, make_user
from tests.conftest import PG_URL, REDIS_URL
from tests.intake.test_scans import DPI, scans_of
from tests.jobs.helpers import COMMAND
from tests.ops.servers import ROOT, gunicorn, server_env
from tests.ops.test_backup import figures
from tests.scoring.helpers import same, snapshot
from tests.survey.conftest import full_answers

pytestmark = pytest.mark.skipif(
    not (PG_URL and REDIS_URL),
    reason="needs SATISFACTION_TEST_DATABASE_URL (PostgreSQL) and SATISFACTION_TEST_REDIS_URL",
)
# Pages of the scan file (two a form). The issue's case is 1,000 pages (bench/scan_upload.py
# sends those); 80 keep this test near a minute on two cores, the file near 20 MB.
PAGES = 80
CITIZENS = 60  # online answers, one code each, spread over both servers
PROGRESS = re.compile(r'<progress value="(\d+)" max="(\d+)"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself: the acknowledgement or the job's address


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects)


def _send(opener, url: str, body: bytes | None = None, kind: str = "") -> tuple[int, str, str]:
    """Send a request; return the status, the Location header and the body."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": kind} if kind else {})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


def _form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def _answer(base: str, code: str) -> int:
    """Answer a code's questionnaire as a citizen; return the status."""
    kind = "application/x-www-form-urlencoded"
    return _send(_opener(), f"{base}/s/{group(code)}", _form(full_answers()), kind)[0]


def _upload(opener, base: str, path: Path) -> tuple[int, str]:
    """Post a scan file as the upload page's form does; return the status and the Location."""
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/pdf\r\n\r\n')  # fmt: skip
    body = head.encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    status, location, _ = _send(opener, f"{base}/post/scans", body,
                                f"multipart/form-data; boundary={boundary}")  # fmt: skip
    return status, location


def _job_page(opener, url: str) -> tuple[bool, int, str]:
    """Return whether the job is over, the pages done, and the page (in English)."""
    status, _, page = _send(opener, url + "?lang=en")
    assert status == 200, page
    found = PROGRESS.search(page)
    return 'http-equiv="refresh"' not in page, int(found.group(1)) if found else 0, page


def _poll(check: Callable[[], bool], what: str, timeout: float,
          process: subprocess.Popen | None = None) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while not check():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker ended before {what}: {process.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `satisfaction jobs worker` in a process group of its own, logging to a file."""
    with log.open("a") as out:
        return subprocess.Popen([COMMAND, "jobs", "worker"], env=env, cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def _stop(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Send sig to a started command's process group (RQ forks a work horse); reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([COMMAND, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _statuses(log: Path) -> list[tuple[str, int]]:
    """Return the route and status of every request a server logged (JSON lines)."""
    found = []
    for line in log.read_text().splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if "status" in entry:
                found.append((f"{entry['method']} {entry['route']}", entry["status"]))
    return found


def _scan_file(issue, tmp_path: Path) -> tuple[Path, list[str]]:
    """Issue the forms and write their marked pages into one PDF, as a scanner's JPEG."""
    codes = issue(PAGES // 2)
    pages, _ = scans_of(codes)
    path = tmp_path / "tra-ve.pdf"
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI,
                  quality=50)  # fmt: skip
    return path, codes


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_answers_and_a_scan_file_through_two_servers_survive_a_killed_worker(
    survey_app, issue, database_url, tmp_path
):
    online = issue(CITIZENS + 1, channel=Channel.DESK)
    path, scanned = _scan_file(issue, tmp_path)
    make_user(survey_app, "anh", Role.POSTAL, "001")
    # One address sends every answer: the limits would refuse it, as they should.
    env = server_env(database_url, SATISFACTION_REDIS_URL=REDIS_URL, SATISFACTION_LOG_JSON="true",
                     SATISFACTION_JOBS_QUEUE=f"e2e-{uuid.uuid4().hex}",
                     SATISFACTION_RATELIMIT_ENABLED="false")  # fmt: skip
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with gunicorn(env, 2, logs[0]) as first, gunicorn(env, 2, logs[1]) as second:
        acks = _run(env, (first, second), online, path, tmp_path / "worker.log")
    for log in logs:
        statuses = _statuses(log)
        assert ("POST /s/<code>", 302) in statuses, "each server acknowledged answers"
        assert not [s for s in statuses if s[1] >= 500], statuses
        assert "Traceback" not in log.read_text()

    _cli(env, "responses", "mix")
    stats = json.loads(_cli(env, "responses", "stats", "--format", "json"))
    assert stats["responses"] == {"desk": acks, "envelope": len(scanned)}, stats
    assert stats["waiting"] == 0 and acks == CITIZENS + 1
    _assert_read_once(survey_app, online, scanned)
    _assert_aggregates_are_a_rebuild(survey_app, database_url)


def _run(env: dict[str, str], bases: tuple[str, str], online: list[str], path: Path,
         worker_log: Path) -> int:  # fmt: skip
    """Answer and upload through both servers, kill the worker mid-job; return the answers taken."""
    clerk = _opener()
    signed = _send(clerk, bases[1] + "/login", _form({"username": "anh", "password": PASSWORD}),
                   "application/x-www-form-urlencoded")  # fmt: skip
    assert signed[0] == 302, signed[2]
    worker = _worker(env, worker_log)
    started = time.monotonic()

    def later(index: int, base: str, code: str) -> int:
        time.sleep(max(0.0, started + index * 0.1 - time.monotonic()))  # spread over the job
        return _answer(base, code)

    with ThreadPoolExecutor(4) as pool:
        answers = [pool.submit(later, i, bases[i % 2], code) for i, code in enumerate(online[:-1])]
        twice = [pool.submit(later, CITIZENS // 2, base, online[-1]) for base in bases]
        try:
            status, location = _upload(clerk, bases[0], path)
            assert status == 302 and "/jobs/" in location, (status, location)
            job = bases[1] + urllib.parse.urlparse(location).path  # its page on the other server
            _poll(lambda: _job_page(clerk, job)[1] >= PAGES // 8, "some progress", 120, worker)
            _stop(worker)
            over, done, page = _job_page(clerk, job)
            assert not over and done < PAGES, f"the worker was killed mid-job: {page}"
            worker = _worker(env, worker_log)
            _poll(lambda: _job_page(clerk, job)[0], "the job to end", 240, worker)
        finally:
            _stop(worker, signal.SIGTERM)
        statuses = [answer.result() for answer in answers]
        pair = sorted(answer.result() for answer in twice)
    assert statuses == [302] * CITIZENS and pair == [302, 409], (statuses, pair)
    assert "Done" in _job_page(clerk, job)[2]
    refused = _upload(clerk, bases[1], path)  # a file read to the end is taken once
    assert refused[0] == 302 and "/jobs/" not in refused[1], refused
    return statuses.count(302) + pair.count(302)


def _assert_read_once(app, online: list[str], scanned: list[str]) -> None:
    """Check each page recorded once, each form and each answer counted once, the job done."""
    with app.app_context():
        indexes = db.session.scalars(select(ScanPage.index).order_by(ScanPage.index)).all()
        assert indexes == list(range(1, PAGES + 1))
        states = db.session.scalars(select(ScannedForm.state)).all()
        assert states == [FormState.COUNTED] * len(scanned)
        modes = select(Response.mode, func.count()).group_by(Response.mode)
        assert dict(db.session.execute(modes).all()) == {Mode.ONLINE: len(online),
                                                          Mode.SCANNED: len(scanned)}  # fmt: skip
        answered = select(Invitation.code).where(Invitation.status == InvitationStatus.ANSWERED)
        assert sorted(db.session.scalars(answered)) == sorted(online + scanned)
        scan_file = db.session.scalar(select(ScanFile))
        assert scan_file.is_complete and scan_file.page_count == PAGES
        job = db.session.scalar(select(Job))
        assert job.status is JobStatus.DONE, job.errors
        assert job.attempts == 2 and job.done == job.total == PAGES
        db.session.remove()


def _assert_aggregates_are_a_rebuild(app, database_url: str) -> None:
    """Check that the aggregates kept with each answer are what a rebuild makes of them."""
    before = figures(database_url)
    with app.app_context():
        cells = snapshot()
        db.session.remove()
    rebuilt = app.test_cli_runner().invoke(args=["scores", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert figures(database_url) == before
    with app.app_context():
        assert same(snapshot(), cells)
        db.session.remove()
