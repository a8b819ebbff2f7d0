"""A paper form with no answer at all is returned blank: not counted, its code left open."""

from datetime import date

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.intake.figures import form_figures
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.intake.scan_models import FormState, ScannedForm
from satisfaction.survey.models import Ballot, Invitation, InvitationStatus, Mode, Response
from tests.auth.helpers import make_user
from tests.conftest import mix_now
from tests.intake.test_returns import _csv, _row
from tests.intake.test_scans import save
from tests.omr.synth import rasterise, render_forms
from tests.survey.conftest import full_answers

BLANK = "0" * 26
DAY = date(2026, 11, 20)


def _responses(app) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def _invitation(app, code) -> Invitation:
    with app.app_context():
        found = db.session.scalar(select(Invitation).where(Invitation.code == code))
        db.session.expunge(found)
        return found


def _key(app, code, clerk, digits):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        answers = keying.parse_digits(keying.questionnaire_for(invitation), digits)
        result = keying.key_form(code, answers, get_user(clerk), DAY)
        db.session.commit()
        return result.outcome


@pytest.mark.parametrize("share", [0, 1])
def test_keying_26_zeros_is_returned_blank_and_a_later_answer_counts(issue_app, share):
    app, code = issue_app(share)
    assert _key(app, code, "anh", BLANK) is keying.Keyed.BLANK
    assert _responses(app) == 0
    invitation = _invitation(app, code)
    assert invitation.is_returned_blank and invitation.status is InvitationStatus.RETURNED
    assert invitation.answered_via is None and invitation.returned_at is not None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
        assert form_figures(None).returned_blank == 1
    # The code stays open: the citizen answers online later, and that answer counts once.
    assert app.test_client().post(f"/s/{code}", data=full_answers()).status_code == 302
    assert _responses(app) == 1
    with app.app_context():
        assert form_figures(None).returned_blank == 0  # answered since: no longer listed
        assert db.session.scalar(select(func.count()).select_from(DuplicateAnswer)) == 0


def test_a_supervisor_settling_on_no_answer_records_it_blank(issue_app):
    app, code = issue_app(1)
    assert _key(app, code, "anh", "5" + BLANK[1:]) is keying.Keyed.FIRST_ENTRY
    assert _key(app, code, "binh", BLANK) is keying.Keyed.MISMATCH  # a first entry had answers
    make_user(app, "chi", Role.SUPERVISOR, "001")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        blank = keying.parse_digits(keying.questionnaire_for(invitation), BLANK)
        result = keying.resolve(code, blank, get_user("chi"), DAY)
        db.session.commit()
        assert result.outcome is keying.Keyed.BLANK and keying.mismatches(None) == []
    assert _responses(app) == 0 and _invitation(app, code).is_returned_blank


def test_a_returns_row_with_no_answer_is_blank(survey_app, issue, tmp_path):
    codes = issue(2)
    empty = {key: "" for key in full_answers()}
    path = tmp_path / "returns.csv"
    path.write_text(_csv([_row(codes[0]), _row(codes[1], **empty)]), encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 phiếu không có câu trả lời" in result.output, result.output
    assert _responses(survey_app) == 1
    counted, blank = _invitation(survey_app, codes[0]), _invitation(survey_app, codes[1])
    assert counted.status is InvitationStatus.KEYED and not counted.is_returned_blank
    assert blank.status is InvitationStatus.RETURNED and blank.is_returned_blank


def test_a_scanned_form_with_nothing_marked_is_blank(survey_app, issue, tmp_path):
    codes = issue(2)
    pages = rasterise(render_forms(codes), 200)  # printed, never filled in
    path = save(tmp_path / "blank.tif", pages)
    result = survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert _responses(survey_app) == 0
    with survey_app.app_context():
        states = db.session.scalars(select(ScannedForm.state)).all()
        assert states == [FormState.BLANK, FormState.BLANK]
        invitations = db.session.scalars(select(Invitation)).all()
        assert all(i.is_returned_blank and i.answered_via is None for i in invitations)
        assert form_figures(None).returned_blank == 2
    # The code stays open: the citizen's answer online still counts.
    assert survey_app.test_client().post(f"/s/{codes[0]}", data=full_answers()).status_code == 302
    assert _responses(survey_app) == 1
    assert _invitation(survey_app, codes[0]).answered_via is Mode.ONLINE


@pytest.fixture
def issue_app(make_app, small_units):
    """Return a factory of apps with a double-entry share, two clerks and one fresh code."""
    from satisfaction.questionnaires.services import sync_all
    from satisfaction.survey.invitations import create_invitations

    def factory(share: float):
        app = make_app(DOUBLE_ENTRY_SHARE=share)
        with app.app_context():
            sync_all(app.config["FORMS_DIR"])
            code = create_invitations("C00001-T", 1)[0].code
            db.session.commit()
        make_user(app, "anh", Role.POSTAL, "001")
        make_user(app, "binh", Role.POSTAL, "001")
        return app, code

    return factory
