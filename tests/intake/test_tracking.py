"""Tracking paper forms: dispatch and receive scans, withdrawal, every step with time and clerk."""

import pytest
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import tracking
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation, InvitationEvent, InvitationStatus
from tests.auth.helpers import make_user, sign_in
from tests.survey.conftest import full_answers

S = InvitationStatus


def _status(app, code: str) -> InvitationStatus:
    with app.app_context():
        return db.session.scalar(select(Invitation.status).where(Invitation.code == code))


def test_moves_are_recorded_with_time_and_clerk(survey_app, issue):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    (code,) = issue()
    with survey_app.app_context():
        clerk = get_user("clerk")
        tracking.move(group(code).lower(), S.DISPATCHED, clerk)
        tracking.move(code, S.RETURNED, clerk)
        db.session.commit()
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        assert invitation.status is S.RETURNED
        assert invitation.dispatched_at <= invitation.returned_at
        events = db.session.scalars(select(InvitationEvent).order_by(InvitationEvent.id)).all()
        assert [(e.status, e.actor_id) for e in events] == [(S.DISPATCHED, clerk.id),
                                                            (S.RETURNED, clerk.id)]  # fmt: skip


@pytest.mark.parametrize(
    ("first", "then", "words"),
    [(S.RETURNED, S.DISPATCHED, "earlier step"),
     (S.WITHDRAWN, S.RETURNED, "withdrawn")],
)  # fmt: skip
def test_impossible_moves_are_refused(survey_app, issue, first, then, words):
    (code,) = issue()
    with survey_app.app_context():
        tracking.move(code, first, None, note="hỏng khi in")
        db.session.commit()
        with pytest.raises(InputError) as caught:
            tracking.move(code, then, None)
    assert code[:4] in str(caught.value)
    assert _status(survey_app, code) is first


def test_the_same_scan_twice_is_one_event(survey_app, issue):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    (code,) = issue()
    with survey_app.app_context():
        clerk = get_user("clerk")
        first = tracking.move(code, S.DISPATCHED, clerk)
        again = tracking.move(group(code), S.DISPATCHED, clerk)
        db.session.commit()
        assert not first.is_repeat and again.is_repeat
        events = db.session.scalars(select(InvitationEvent)).all()
        assert [e.status for e in events] == [S.DISPATCHED]
        assert tracking.tally_today(clerk, S.DISPATCHED) == 1
        assert tracking.tally_today(clerk, S.RETURNED) == 0


def test_answered_forms_cannot_be_received_or_withdrawn(survey_app, issue, client):
    (code,) = issue()
    client.post(f"/s/{code}", data=full_answers())
    with survey_app.app_context():
        for to in (S.RETURNED, S.WITHDRAWN):
            with pytest.raises(InputError):
                tracking.move(code, to, None, note="x")
    assert _status(survey_app, code) is S.ANSWERED


def test_withdrawal_needs_a_reason_and_closes_the_code(survey_app, issue, client):
    (code,) = issue()
    with survey_app.app_context():
        with pytest.raises(InputError) as caught:
            tracking.move(code, S.WITHDRAWN, None, note=" ")
        assert caught.value.problems[0].where == "note"
        tracking.move(code, S.WITHDRAWN, None, note="Phong bì bị thất lạc")
        db.session.commit()
    page = client.get(f"/s/{code}").get_data(as_text=True)
    assert "không còn được sử dụng" in page


def test_scan_screen_confirms_each_scan_and_survives_bad_ones(survey_app, issue, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    make_user(survey_app, "hcm", Role.POSTAL, "79")
    first, second = issue(2)
    (far,) = issue(point="C26734-T")
    sign_in(client, "clerk")
    page = client.get("/post/scan/dispatch").get_data(as_text=True)
    assert "autofocus" in page
    for typed, expected in [
        (group(first), "đã xong"), ("XXXX-1234", "không phải là mã phiếu hợp lệ"),
        (group(first), "đã ghi nhận trước đó"), (group(far), "thuộc địa bàn khác"),
        (second.lower(), "đã xong"),
    ]:  # fmt: skip
        response = client.post("/post/scan/dispatch", data={"code": typed},
                               follow_redirects=True)  # fmt: skip
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True), typed
    assert _status(survey_app, first) is S.DISPATCHED and _status(survey_app, far) is S.ISSUED
    received = client.post("/post/scan/receive", data={"code": first}, follow_redirects=True)
    assert "đã xong" in received.get_data(as_text=True)
    assert group(first) in received.get_data(as_text=True)  # listed among the latest scans
    assert client.get("/post/scan/nothing").status_code == 404


def test_withdraw_screen(survey_app, issue, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    (code,) = issue()
    sign_in(client, "clerk")
    page = client.post("/post/withdraw", data={"code": code, "note": "Hỏng khi in"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "đã thu hồi" in page.lower() or "Hỏng khi in" in page
    assert _status(survey_app, code) is S.WITHDRAWN


def test_the_scan_queue_answers_each_code_in_json(survey_app, issue, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    first, second = issue(2)
    sign_in(client, "clerk")
    page = client.get("/post/scan/dispatch").get_data(as_text=True)
    assert "scan_queue.js" in page and 'data-queue="/post/scan/dispatch/queue"' in page
    replies = []
    for typed in (first, group(first).lower(), "XXXX-1234", second):
        response = client.post("/post/scan/dispatch/queue", data={"code": typed})
        replies.append((response.status_code, response.get_json()))
    assert [(status, reply["result"]) for status, reply in replies] == [
        (200, "done"), (200, "repeat"), (422, "refused"), (200, "done")]  # fmt: skip
    assert "đã ghi nhận trước đó" in replies[1][1]["message"]
    assert "không phải là mã phiếu hợp lệ" in replies[2][1]["message"]
    assert [reply.get("tally") for _, reply in replies] == [1, 1, 1, 2]
    with survey_app.app_context():
        assert len(db.session.scalars(select(InvitationEvent)).all()) == 2
    refused = client.post("/post/scan/withdraw/queue", data={"code": first, "note": ""})
    assert refused.status_code == 422 and refused.get_json()["result"] == "refused"
    withdrawn = client.post("/post/scan/withdraw/queue", data={"code": first, "note": "Hỏng"})
    assert withdrawn.get_json()["result"] == "done" and _status(survey_app, first) is S.WITHDRAWN
    assert client.post("/post/scan/nothing/queue", data={"code": first}).status_code == 404
    assert "Hỏng" in client.get("/post/withdraw?note=H%E1%BB%8Fng").get_data(as_text=True)
