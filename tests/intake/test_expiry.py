"""Expired codes on paper: a form received in time counts, a late one is refused and counted
as expired in the figures; a batch may set its own validity."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.errors import InputError
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.intake import batches, figures, keying, tracking
from satisfaction.intake.models import Batch
from satisfaction.paper.codes import group
from satisfaction.survey.invitations import CodeState, lookup
from satisfaction.survey.models import Channel, Invitation, InvitationStatus, Response
from tests.auth.helpers import make_user, sign_in
from tests.intake.test_keying import DAY, DIGITS
from tests.intake.test_returns import _csv, _row
from tests.survey.test_expiry import age, counted


@pytest.fixture
def clerk(survey_app):
    survey_app.config["DOUBLE_ENTRY_SHARE"] = 0  # keyed once, whatever its random code
    make_user(survey_app, "anh", Role.POSTAL, "001")
    return "anh"


def _key(app, code: str, clerk: str):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        answers = keying.parse_digits(keying.questionnaire_for(invitation), DIGITS)
        result = keying.key_form(code, answers, get_user(clerk), DAY)
        db.session.commit()
        return result.outcome


def test_keying_a_late_form_is_refused_naming_code_and_day(survey_app, issue, clerk):
    (code,) = issue()
    age(survey_app, code, 200, status=InvitationStatus.DISPATCHED)
    with pytest.raises(InputError) as caught:
        _key(survey_app, code, clerk)
    message = str(caught.value)
    assert group(code) in message and "đã hết hạn vào" in message
    assert counted(survey_app) == 0


def test_a_form_received_in_time_is_keyed_late_and_counts(survey_app, issue, clerk):
    (code,) = issue()
    age(survey_app, code, 200, status=InvitationStatus.RETURNED,
        returned_at=utcnow() - timedelta(days=30))  # fmt: skip
    assert _key(survey_app, code, clerk) is keying.Keyed.COUNTED
    assert counted(survey_app) == 1


def test_dispatching_or_receiving_an_expired_form_is_refused(survey_app, issue):
    sent, kept = issue(2)
    age(survey_app, sent, 200, status=InvitationStatus.DISPATCHED)
    age(survey_app, kept, 200)
    with survey_app.app_context():
        for code, step in [(sent, InvitationStatus.RETURNED), (kept, InvitationStatus.DISPATCHED)]:
            with pytest.raises(InputError, match="hết hạn"):
                tracking.move(code, step, None)
        tracking.move(kept, InvitationStatus.WITHDRAWN, None, note="quá hạn")  # still possible
        db.session.commit()


def test_returns_import_refuses_a_late_form(survey_app, issue, tmp_path):
    late, in_time = issue(2)
    age(survey_app, late, 300)
    age(survey_app, in_time, 300, returned_at=utcnow() - timedelta(days=200))
    path = tmp_path / "returns.csv"
    path.write_text(_csv([_row(late), _row(in_time)]), encoding="utf-8")
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 1 and group(late) in result.output
    assert "hết hạn" in result.output and group(in_time) not in result.output
    assert counted(survey_app) == 0  # all or nothing
    path.write_text(_csv([_row(in_time)]), encoding="utf-8")
    result = runner.invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert counted(survey_app) == 1


def test_figures_count_open_forms_past_their_validity(survey_app, issue, clerk):
    fresh, old, answered, withdrawn, late_paper = issue(5)
    for code in (old, answered, withdrawn, late_paper):
        age(survey_app, code, 181)
    age(survey_app, answered, 181, status=InvitationStatus.ANSWERED)
    age(survey_app, withdrawn, 181, status=InvitationStatus.WITHDRAWN)
    age(survey_app, late_paper, 181, status=InvitationStatus.RETURNED,
        returned_at=utcnow() - timedelta(days=1))  # fmt: skip
    with survey_app.app_context():
        counts = figures.form_figures(get_user(clerk))
    assert (counts.issued, counts.expired, counts.withdrawn) == (5, 2, 1)
    client = survey_app.test_client()
    sign_in(client, clerk)
    page = client.get("/post/figures").get_data(as_text=True)
    assert "Đã hết hạn (không trả lời kịp)" in page
    assert fresh


def test_a_batch_sets_its_own_validity(survey_app, clerk):
    runner = survey_app.test_cli_runner()
    args = ["batches", "create", "--service-point", "C00001-T", "--count", "2",
            "--channel", "desk"]  # fmt: skip
    short = runner.invoke(args=[*args, "--valid-days", "10"])
    usual = runner.invoke(args=args)
    assert short.exit_code == 0 and usual.exit_code == 0, short.output + usual.output
    short_id, usual_id = int(short.output.split()[-1]), int(usual.output.split()[-1])
    bad = runner.invoke(args=[*args, "--valid-days", "0"])
    assert bad.exit_code == 1 and "valid_days" in bad.output
    with survey_app.app_context():
        assert db.session.get(Batch, short_id).valid_days == 10
        assert db.session.get(Batch, usual_id).valid_days is None
        codes = {b: db.session.scalars(select(Invitation.code).where(
            Invitation.batch_id == b)).all() for b in (short_id, usual_id)}  # fmt: skip
    for code in codes[short_id] + codes[usual_id]:
        age(survey_app, code, 11)
    with survey_app.app_context():
        assert {lookup(c).state for c in codes[short_id]} == {CodeState.EXPIRED}
        assert {lookup(c).state for c in codes[usual_id]} == {CodeState.OPEN}
        counts = figures.form_figures(get_user(clerk))
        assert (counts.issued, counts.expired) == (4, 2)
        assert figures.form_figures(None, batch_id=usual_id).expired == 0
        with pytest.raises(InputError):
            batches.create_batch("C00001-T", 1, Channel.DESK, valid_days=100_000)


def test_a_batch_from_the_web_sets_its_validity(survey_app, client, clerk):
    sign_in(client, clerk)
    data = {"stack-service_point": "C00001-T", "stack-count": "1", "stack-channel": "desk"}
    for wrong in ("0", "x", "99999"):
        refused = client.post("/post/batches/create", data={**data, "stack-valid_days": wrong})
        assert refused.status_code == 422, wrong
    response = client.post("/post/batches/create", data={**data, "stack-valid_days": "45"})
    assert response.status_code == 302
    with survey_app.app_context():
        assert db.session.scalars(select(Batch.valid_days)).all() == [45]
        assert db.session.scalar(select(Response.id)) is None
