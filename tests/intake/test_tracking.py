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
    [(S.DISPATCHED, S.DISPATCHED, "already"), (S.RETURNED, S.DISPATCHED, "earlier step"),
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
        (group(first), "đã được đánh dấu"), (group(far), "thuộc địa bàn khác"),
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
