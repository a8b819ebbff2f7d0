"""Figures of the paper flow per area, batch and period; keying by clerk; duplicates listed."""

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.extensions import db
from satisfaction.intake import figures, tracking
from satisfaction.survey.models import InvitationStatus
from tests.auth.helpers import make_user, sign_in
from tests.survey.conftest import full_answers


def test_figures_follow_each_step(survey_app, issue):
    codes = issue(5)
    (far,) = issue(point="C26734-T")
    client = survey_app.test_client()
    client.post(f"/s/{codes[0]}", data=full_answers())
    client.post(f"/s/{codes[0]}", data=full_answers())  # a second try counts nothing
    with survey_app.app_context():
        for code in codes[1:4]:
            tracking.move(code, InvitationStatus.DISPATCHED, None)
        tracking.move(codes[1], InvitationStatus.RETURNED, None)
        tracking.move(codes[4], InvitationStatus.WITHDRAWN, None, note="hỏng")
        db.session.commit()
        make_user(survey_app, "clerk", Role.POSTAL, "001")
        counts = figures.form_figures(get_user("clerk"))
        national = figures.form_figures(None)
    assert (counts.issued, counts.dispatched, counts.returned, counts.answered_online,
            counts.withdrawn) == (5, 3, 1, 1, 1)  # fmt: skip
    assert counts.response_rate == 0.25
    assert national.issued == 6 and far
    with survey_app.app_context():
        from sqlalchemy import update

        from satisfaction.survey.models import Invitation, Mode

        read = {"status": InvitationStatus.ANSWERED, "answered_via": Mode.SCANNED}
        db.session.execute(update(Invitation).where(Invitation.code == codes[1]).values(**read))
        db.session.commit()
        scanned = figures.form_figures(get_user("clerk"))
    assert scanned.scanned == 1 and scanned.response_rate == 0.5  # read from a scan counts too


def test_figures_page(survey_app, issue, client):
    issue(2)
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    sign_in(client, "clerk")
    page = client.get("/post/figures")
    assert page.status_code == 200 and "Tỷ lệ phản hồi" in page.get_data(as_text=True)
    assert client.get("/post/figures?unit=00001&start=2026-01-01").status_code == 200
    bad = client.get("/post/figures?unit=99999&start=hôm-qua")
    assert bad.status_code == 422 and "99999" in bad.get_data(as_text=True)
