"""Exactly once under load: simultaneous submits through a real threaded server."""

import http.client
import re
import threading
import traceback
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from flask import got_request_exception
from sqlalchemy import func, select
from werkzeug.serving import make_server

from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation, InvitationStatus, Mode, Response
from tests.conftest import mix_now
from tests.survey.conftest import full_answers

CLIENTS = 32
TIMEOUT = 60  # seconds; a bound on every wait, never a synchronisation


@dataclass(frozen=True)
class Reply:
    """What one client got back."""

    status: int
    location: str
    body: str


@dataclass
class Server:
    """A live server and the tracebacks of the requests that failed inside the app."""

    port: int
    errors: list[str]


@pytest.fixture
def server(survey_app) -> Iterator[Server]:
    """Serve the survey app from a threaded server on a free loopback port."""
    errors: list[str] = []

    def record(sender, exception, **extra):
        errors.append("".join(traceback.format_exception(exception)))

    got_request_exception.connect(record, survey_app)
    httpd = make_server("127.0.0.1", 0, survey_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Server(httpd.server_port, errors)
    httpd.shutdown()
    thread.join(TIMEOUT)
    got_request_exception.disconnect(record, survey_app)


def _post_together(port: int, paths: list[str], body: str) -> list[Reply]:
    """POST body to every path at once, one connection a thread, released by a barrier."""
    barrier = threading.Barrier(len(paths), timeout=TIMEOUT)

    def post(path: str) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            conn.connect()  # connect first, so that only the requests themselves race
            barrier.wait()
            conn.request("POST", path, body=body.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            return Reply(response.status, response.getheader("Location") or "", text)
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        futures = [pool.submit(post, path) for path in paths]
        return [future.result(timeout=TIMEOUT) for future in futures]


def _explain(replies: list[Reply], server: Server) -> str:
    statuses = Counter(reply.status for reply in replies)
    odd = {r.status: _heading(r.body) for r in replies if r.status not in (302, 409)}
    return f"statuses {dict(statuses)}; others say {odd}\n" + "\n".join(server.errors[:3])


def _heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return found.group(1).strip() if found else page[:200]


def _counts(app) -> tuple[int, Counter]:
    mix_now(app)
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        statuses = Counter(db.session.scalars(select(Invitation.status)))
        db.session.remove()
    return responses, statuses


def test_one_code_sent_by_many_at_once_is_counted_once(survey_app, issue, server):
    (code,) = issue()
    body = urlencode(full_answers())
    replies = _post_together(server.port, [f"/s/{group(code)}"] * CLIENTS, body)
    explained = _explain(replies, server)
    assert not server.errors, explained
    responses, statuses = _counts(survey_app)
    assert responses == 1, explained
    assert statuses == {InvitationStatus.ANSWERED: 1}
    with survey_app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        assert invitation.answered_via is Mode.ONLINE and invitation.answered_month is not None
        db.session.remove()
    winners = [reply for reply in replies if reply.status == 302]
    assert len(winners) == 1, explained
    assert winners[0].location.endswith("/thanks"), explained
    # Whether a loser lost the race at the update or found the code already answered, it is
    # told so with 409 (a POST that changed nothing), never 200 or 500.
    assert Counter(reply.status for reply in replies)[409] == CLIENTS - 1, explained
    losers = [reply for reply in replies if reply.status == 409]
    assert all("đã được trả lời" in reply.body for reply in losers), explained


def test_many_codes_sent_at_once_are_all_counted(survey_app, issue, server):
    codes = issue(10) + issue(10, point="C00037-T")
    body = urlencode(full_answers())
    replies = _post_together(server.port, [f"/s/{group(code)}" for code in codes], body)
    explained = _explain(replies, server)
    assert not server.errors, explained
    assert [reply.status for reply in replies] == [302] * len(codes), explained
    assert all(reply.location.endswith("/thanks") for reply in replies)
    responses, statuses = _counts(survey_app)
    assert responses == len(codes)
    assert statuses == {InvitationStatus.ANSWERED: len(codes)}
