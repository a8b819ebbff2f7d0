"""Codes expire: CODE_VALID_DAYS from their issue (or their batch's days), computed, not stored."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.survey import expiry
from satisfaction.survey.answering import record_invited
from satisfaction.survey.invitations import CodeState, lookup
from satisfaction.survey.models import Ballot, Invitation, InvitationStatus, Mode, Response
from tests.conftest import mix_now
from tests.survey.conftest import full_answers


def age(app, code: str, days: int, **values) -> None:
    """Make a code look issued days ago (and set other columns)."""
    with app.app_context():
        db.session.execute(update(Invitation).where(Invitation.code == code).values(
            issued_at=utcnow() - timedelta(days=days), **values))  # fmt: skip
        db.session.commit()


def counted(app) -> int:
    """Return the answers counted and waiting."""
    mix_now(app)
    with app.app_context():
        waiting = db.session.scalar(select(func.count()).select_from(Ballot))
        return db.session.scalar(select(func.count()).select_from(Response)) + waiting


def test_a_code_issued_two_years_ago_gets_the_expired_page(survey_app, client, issue):
    fresh, old = issue(2)
    age(survey_app, old, 2 * 365)
    page = client.get(f"/s/{old}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Phiếu này đã hết hạn" in text
    assert "hết hạn vào" in text and "Không có khảo sát" not in text
    english = client.get(f"/s/{old}?lang=en").get_data(as_text=True)
    assert "This form has expired" in english
    assert client.get(f"/s/{fresh}").status_code == 200  # a fresh code still opens
    found = client.get("/s/", query_string={"code": old})  # typed at home: same page
    assert found.status_code == 302


def test_a_post_to_an_expired_code_records_nothing(survey_app, client, issue):
    (code,) = issue()
    age(survey_app, code, 181)
    response = client.post(f"/s/{code}", data=full_answers())
    assert response.status_code == 409 and "hết hạn" in response.get_data(as_text=True)
    assert counted(survey_app) == 0
    with survey_app.app_context():
        status = db.session.scalar(select(Invitation.status).where(Invitation.code == code))
    assert status is InvitationStatus.ISSUED  # computed, not written


def test_validity_is_days_from_the_issue_day(make_app, small_units):
    app = make_app(CODE_VALID_DAYS=30)
    with app.app_context():
        from satisfaction.questionnaires.services import sync_all
        from satisfaction.survey.invitations import create_invitations

        sync_all(app.config["FORMS_DIR"])
        (invitation,) = create_invitations("C00001-T", 1)
        db.session.commit()
        code = invitation.code
        assert lookup(code).state is CodeState.OPEN
        assert (expiry.expires_on(invitation) - expiry.local_today()).days == 30
    age(app, code, 29)
    with app.app_context():
        assert lookup(code).state is CodeState.OPEN
    age(app, code, 31)
    with app.app_context():
        found = lookup(code)
        assert found.state is CodeState.EXPIRED and found.expired_on <= expiry.local_today()


def test_an_expired_or_withdrawn_code_never_counts(survey_app, issue):
    expired, withdrawn = issue(2)
    age(survey_app, expired, 400)
    age(survey_app, withdrawn, 1, status=InvitationStatus.WITHDRAWN)
    with survey_app.app_context():
        for code, mode in [(expired, Mode.ONLINE), (expired, Mode.KEYED),
                           (expired, Mode.SCANNED)]:  # fmt: skip
            invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
            with pytest.raises(expiry.CodeExpired):
                record_invited(invitation, {"access.info": 5}, mode, expiry.local_today())
            db.session.rollback()
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == withdrawn))
        from satisfaction.survey.answering import AlreadyAnswered

        with pytest.raises(AlreadyAnswered):
            record_invited(invitation, {"access.info": 5}, Mode.ONLINE, expiry.local_today())
        db.session.rollback()
    assert counted(survey_app) == 0


def test_a_paper_form_received_in_time_still_counts(survey_app, issue):
    (code,) = issue()
    age(survey_app, code, 200, status=InvitationStatus.RETURNED,
        returned_at=utcnow() - timedelta(days=100))  # fmt: skip
    with survey_app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        assert lookup(code).state is CodeState.EXPIRED  # online: no longer
        record_invited(invitation, {"access.info": 5}, Mode.KEYED, expiry.local_today(),
                       InvitationStatus.KEYED)  # fmt: skip
        db.session.commit()
    assert counted(survey_app) == 1


def test_an_online_answer_is_checked_once_on_the_day_its_look_up_found_the_code_valid(
    survey_app, issue
):
    (code,) = issue()
    with survey_app.app_context():
        found = lookup(code)
        assert found.state is CodeState.OPEN and found.open_on == expiry.local_today()
    age(survey_app, code, 400)  # expired since: a look-up of another day would have said so
    with survey_app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        with pytest.raises(expiry.CodeExpired):  # found valid another day: checked again
            record_invited(invitation, {"access.info": 5}, Mode.ONLINE, found.open_on,
                           open_on=found.open_on - timedelta(days=1))  # fmt: skip
        db.session.rollback()
        with pytest.raises(expiry.CodeExpired):  # keyed: checked whatever the look-up said
            record_invited(invitation, {"access.info": 5}, Mode.KEYED, found.open_on,
                           open_on=found.open_on)  # fmt: skip
        db.session.rollback()
        record_invited(invitation, {"access.info": 5}, Mode.ONLINE, found.open_on,
                       open_on=found.open_on)  # fmt: skip
        db.session.commit()
    assert counted(survey_app) == 1
