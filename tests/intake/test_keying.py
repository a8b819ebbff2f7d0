"""Keying paper answers: digits, shown back, double entry, duplicates across channels."""

from datetime import date

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.intake.models import DuplicateAnswer, EntryOutcome, KeyedEntry
from satisfaction.paper.codes import group
from satisfaction.survey import ballot_box
from satisfaction.survey.models import Invitation, InvitationStatus, Response
from tests.auth.helpers import make_user, sign_in
from tests.conftest import mix_now
from tests.survey.conftest import full_answers

DIGITS = "54444 4444 44444 444 999 332211"  # 20 items, 6 expectations
DAY = date(2026, 11, 20)


@pytest.fixture
def clerks(survey_app):
    """Two clerks of Ba Đình district."""
    make_user(survey_app, "anh", Role.POSTAL, "001")
    make_user(survey_app, "binh", Role.POSTAL, "001")


def _questionnaire(app, code):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        return keying.questionnaire_for(invitation)


def _count(app, model) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_digits_become_answers(survey_app, issue):
    (code,) = issue()
    questionnaire = _questionnaire(survey_app, code)
    with survey_app.app_context():
        answers = keying.parse_digits(questionnaire, DIGITS, "Tốt")
        assert answers["access.info"] == 5 and answers["feedback.reply"] == "na"
        assert answers["expect.staff_skills"] == 3 and answers["expect.information"] == 1
        assert answers["comment"] == "Tốt"
        blank = keying.parse_digits(questionnaire, "0" * 26)
        assert all(v is None for k, v in blank.items())
        for digits, words in [("5444", "cần 26 câu trả lời, mới nhập 4"),
                              ("7" + DIGITS[1:], "câu 1:"),
                              (DIGITS.replace("54444", "59444"), "câu 2:"),
                              (DIGITS[:-1] + "5", "câu 26:")]:  # fmt: skip
            with pytest.raises(InputError) as caught:
                keying.parse_digits(questionnaire, digits)
            assert words in str(caught.value)


def _key(app, code, clerk, digits=DIGITS):
    with app.app_context():
        questionnaire = keying.questionnaire_for(
            db.session.scalar(select(Invitation).where(Invitation.code == code))
        )
        answers = keying.parse_digits(questionnaire, digits)
        result = keying.key_form(code, answers, get_user(clerk), DAY, seconds=20.0)
        db.session.commit()
        return result.outcome


def test_single_entry_counts_once(clerks_app):
    app, code = clerks_app(share=0)
    assert _key(app, code, "anh") is keying.Keyed.COUNTED
    assert _key(app, code, "binh") is keying.Keyed.DUPLICATE
    assert _count(app, Response) == 1 and _count(app, DuplicateAnswer) == 1
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        assert invitation.status is InvitationStatus.KEYED
        entry = db.session.scalars(select(KeyedEntry)).one()
        assert entry.answers is None and entry.seconds == 20.0  # answers not kept by code


def test_double_entry_match_mismatch_and_resolution(clerks_app):
    app, code = clerks_app(share=1)
    assert _key(app, code, "anh") is keying.Keyed.FIRST_ENTRY
    with app.app_context(), pytest.raises(InputError):
        keying.key_form(code, {}, get_user("anh"), DAY)  # the same clerk cannot key it twice
    assert _count(app, Response) == 0
    assert _key(app, code, "binh", DIGITS.replace("54444", "44444")) is keying.Keyed.MISMATCH
    assert _count(app, Response) == 0
    with app.app_context():
        pairs = keying.mismatches(get_user("anh"))
        assert [p[0].code for p in pairs] == [code]
        answers = keying.parse_digits(keying.questionnaire_for(pairs[0][0]), DIGITS)
        for keyer in ("anh", "binh"):  # neither of the two keyers decides between them
            with pytest.raises(InputError, match="một nhân viên khác sẽ quyết định"):
                keying.resolve(code, answers, get_user(keyer), DAY)
            db.session.rollback()
    make_user(app, "dan", Role.POSTAL, "001")
    with app.app_context(), pytest.raises(InputError, match="người phụ trách"):
        keying.resolve(code, answers, get_user("dan"), DAY)  # a clerk is not a supervisor
    make_user(app, "chi", Role.SUPERVISOR, "001")
    with app.app_context():
        keying.resolve(code, answers, get_user("chi"), DAY)
        db.session.commit()
        assert keying.mismatches(None) == []
        ballot_box.mix(force=True)
        stored = db.session.scalars(select(Response)).one()
        assert stored.answers["access.info"] == 5
        outcomes = sorted(e.outcome for e in db.session.scalars(select(KeyedEntry)))
        assert outcomes == [EntryOutcome.RESOLVED, EntryOutcome.RESOLVED]
    second_code = _new_code(app)
    _key(app, second_code, "anh")
    assert _key(app, second_code, "binh") is keying.Keyed.COUNTED
    with app.app_context():
        status = db.session.scalar(select(Invitation.status).where(Invitation.code == second_code))
    assert status is InvitationStatus.VERIFIED and _count(app, Response) == 2


def test_paper_after_online_is_a_duplicate(clerks_app):
    app, code = clerks_app(share=0)
    assert app.test_client().post(f"/s/{code}", data=full_answers()).status_code == 302
    assert _key(app, code, "anh") is keying.Keyed.DUPLICATE
    assert _count(app, Response) == 1 and _count(app, DuplicateAnswer) == 1


@pytest.fixture
def clerks_app(make_app, small_units):
    """Return a factory of apps with a double-entry share, two clerks and one fresh code."""
    from satisfaction.questionnaires.services import sync_all

    def factory(share: float):
        app = make_app(DOUBLE_ENTRY_SHARE=share)
        with app.app_context():
            sync_all(app.config["FORMS_DIR"])
            db.session.commit()
        make_user(app, "anh", Role.POSTAL, "001")
        make_user(app, "binh", Role.POSTAL, "001")
        return app, _new_code(app)

    return factory


def _new_code(app) -> str:
    from satisfaction.survey.invitations import create_invitations

    with app.app_context():
        code = create_invitations("C00001-T", 1)[0].code
        db.session.commit()
    return code


def test_keying_screen_by_keyboard(survey_app, clerks, client, issue):
    survey_app.config["DOUBLE_ENTRY_SHARE"] = 0  # this form is keyed once, whatever its code
    (code,) = issue()
    sign_in(client, "anh")
    response = client.post("/post/key/", data={"code": code.lower()})
    assert response.status_code == 302
    url = response.headers["Location"]
    assert url.endswith(group(code))
    page = client.get(url).get_data(as_text=True)
    assert 'id="digits"' in page and "autofocus" in page
    wrong = client.post(url, data={"digits": "123", "comment": ""}).get_data(as_text=True)
    assert "26 câu trả lời" in wrong
    shown = client.post(url, data={"digits": DIGITS, "comment": "Ghế chờ ít"}).get_data(True)
    assert "Rất hài lòng" in shown and "Ghế chờ ít" in shown and 'value="yes"' in shown
    assert _count(survey_app, Response) == 0  # nothing counts before it is confirmed
    done = client.post(url, data={"digits": DIGITS, "comment": "Ghế chờ ít", "confirm": "yes"},
                       follow_redirects=True)  # fmt: skip
    assert "đã lưu và được tính" in done.get_data(as_text=True)
    assert _count(survey_app, Response) == 1
    bad = client.post("/post/key/", data={"code": "0000-0000-0000-0"})
    assert bad.status_code == 422


def test_a_mistyped_or_foreign_code_in_the_keying_address_says_so(survey_app, clerks, client):
    """A code typed into /post/key/<code> (or its resolve page) is checked, never a 500."""
    make_user(survey_app, "chi", Role.SUPERVISOR, "001")  # a supervisor reaches every page
    sign_in(client, "chi")
    for path in ("/post/key/ABCD-EFGH", "/post/key/0000-0000-0000-0",
                 "/post/key/ABCD-EFGH/resolve", "/post/key/" + "9" * 300):  # fmt: skip
        for method in (client.get, client.post):
            response = method(path)
            page = response.get_data(as_text=True)
            assert response.status_code == 404, (path, response.status_code)
            assert 'id="code"' in page  # the code screen again, to type it anew
            said = ("không phải là mã phiếu hợp lệ", "không có phiếu nào mang mã")
            assert any(words in page for words in said), page[:500]


def test_a_clerk_keying_their_own_first_entry_again_is_told_why(survey_app, clerks, client, issue):
    """The second entry is another clerk's: the refusal is said at the top, not a blank form."""
    survey_app.config["DOUBLE_ENTRY_SHARE"] = 1  # every form is keyed twice
    (code,) = issue()
    sign_in(client, "anh")
    url = f"/post/key/{group(code)}"
    client.get(url)
    answers = {"digits": DIGITS, "comment": "", "confirm": "yes"}
    assert client.post(url, data=answers).status_code == 302  # the first entry
    again = client.post(url, data=answers)
    page = again.get_data(as_text=True)
    assert 'role="alert"' in page and "một nhân viên khác" in page, page[:800]
    assert _count(survey_app, Response) == 0


def test_the_clerk_is_warned_before_keying_a_form_that_should_not_be_in_hand(
    survey_app, clerks, client, issue
):
    """Answered online, never dispatched: the keying page says so before anything is keyed."""
    never_sent, online = issue(2)
    assert client.post(f"/s/{online}", data=full_answers()).status_code == 302
    sign_in(client, "anh")
    page = client.get(f"/post/key/{group(never_sent)}").get_data(as_text=True)
    assert 'role="status"' in page and "chưa từng được phát đi" in page
    page = client.get(f"/post/key/{group(online)}").get_data(as_text=True)
    assert "Người dân đã trả lời phiếu này trực tuyến" in page


def test_forms_waiting_for_a_second_entry_are_listed_with_their_first_clerk(clerks_app, client):
    """A one-clerk office can see what waits for a neighbour to key it again."""
    app, code = clerks_app(share=1)
    assert _key(app, code, "anh") is keying.Keyed.FIRST_ENTRY
    client = app.test_client()
    sign_in(client, "binh")
    page = client.get("/post/key/waiting").get_data(as_text=True)
    assert group(code) in page and "anh" in page and f'/post/key/{group(code)}"' in page
    assert "/post/key/waiting" in client.get("/post/key/").get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "anh")
    page = client.get("/post/key/waiting").get_data(as_text=True)
    assert group(code) in page and f'/post/key/{group(code)}"' not in page  # not theirs to key
    assert _key(app, code, "binh") is keying.Keyed.COUNTED
    assert group(code) not in client.get("/post/key/waiting").get_data(as_text=True)
