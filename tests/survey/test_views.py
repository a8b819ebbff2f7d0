"""The citizen's pages, in each state a code can be in."""

import re

from sqlalchemy import func, inspect, select

from satisfaction.extensions import db
from satisfaction.paper.codes import check_character, group
from satisfaction.survey.models import Invitation, InvitationStatus, Mode, Response
from tests.survey.conftest import full_answers, statements_sent


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def _invitation(app, code: str) -> Invitation:
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        db.session.expunge(invitation)
        return invitation


def test_home_asks_for_the_code_in_vietnamese(client):
    page = client.get("/").get_data(as_text=True)
    assert "Mã in trên phiếu của Ông/Bà" in page and 'name="code"' in page
    assert "ẩn danh" in page


def test_typed_code_is_forgiving_and_checked(survey_app, client, issue):
    (code,) = issue()
    typed = group(code).lower().replace("-", " ").replace("0", "o")
    response = client.get("/s/", query_string={"code": typed})
    assert response.status_code == 302 and response.headers["Location"] == f"/s/{group(code)}"
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    page = client.get("/s/", query_string={"code": typo})
    assert page.status_code == 400 and "gõ nhầm" in page.get_data(as_text=True)
    unknown = "ABCDEFGHJKMN" + check_character("ABCDEFGHJKMN")
    page = client.get("/s/", query_string={"code": unknown})
    assert page.status_code == 404 and "Không có phiếu nào mang mã này" in page.get_data(True)
    assert f'value="{unknown}"' in page.get_data(as_text=True)  # typed again, not lost


def test_survey_page_shows_every_question_with_words(survey_app, client, issue):
    (code,) = issue()
    page = client.get(f"/s/{code.lower()}").get_data(as_text=True)
    assert "Một cửa Phường Phúc Xá" in page
    assert page.count('<fieldset class="q"') == 26
    assert page.count("Rất không hài lòng") == 20 and page.count("<span>Không áp dụng</span>") == 3
    assert 'name="feedback.reply" value="na"' in page
    assert 'name="access.info" value="na"' not in page
    assert 'maxlength="1000"' in page
    assert len(page.encode()) < 50_000
    for link in re.findall(r'(?:src|href|action)="([^"]*)"', page):
        assert link.startswith(("/", "#")) or link == "", link  # nothing from outside


def test_survey_page_in_english(survey_app, client, issue):
    (code,) = issue()
    page = client.get(f"/s/{code}?lang=en").get_data(as_text=True)
    assert "Very satisfied" in page and "Send answers" in page


def test_answer_is_recorded_once_and_anonymously(survey_app, client, issue):
    (code,) = issue()
    response = client.post(f"/s/{group(code)}", data=full_answers())
    assert response.status_code == 302 and response.headers["Location"] == "/thanks"
    assert "đã được nhận" in client.get("/thanks").get_data(as_text=True)
    invitation = _invitation(survey_app, code)
    assert invitation.status is InvitationStatus.ANSWERED and invitation.answered_via is Mode.ONLINE
    with survey_app.app_context():
        stored = db.session.scalars(select(Response)).one()
        assert stored.answers["access.info"] == 5 and stored.answers["staff.rules"] == 4
        assert stored.answers["feedback.reply"] == "na"
        assert stored.answers["expect.online"] == 3
        assert stored.comment == "Cán bộ rất nhiệt tình."
        assert stored.channel.value == "envelope" and stored.mode is Mode.ONLINE
        assert stored.province_id and stored.district_id and stored.commune_id
        columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    assert not columns & {"invitation_id", "code", "dossier_ref", "created_at", "answered_at"}
    again = client.get(f"/s/{code}")
    assert again.status_code == 200 and "đã được trả lời" in again.get_data(as_text=True)
    resubmit = client.post(f"/s/{code}", data=full_answers())
    assert resubmit.status_code == 409 and "đã được trả lời" in resubmit.get_data(as_text=True)
    assert _responses(survey_app) == 1


def test_an_answer_changes_nothing_of_its_code_but_its_closing(survey_app, client, issue):
    code, other = issue(2)
    before, other_before = _row(survey_app, code), _row(survey_app, other)
    with statements_sent(survey_app) as sent:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    closing = [s.split(" SET ", 1)[1].split(" WHERE ", 1)[0] for s in sent
               if "UPDATE invitations SET" in s]  # fmt: skip
    assert [sorted(part.split("=")[0] for part in c.split(", ")) for c in closing] == [
        ["answered_month", "answered_via", "status"]
    ]
    after = _row(survey_app, code)
    assert {k for k in before if before[k] != after[k]} == {
        "status",
        "answered_month",
        "answered_via",
    }
    assert _row(survey_app, other) == other_before


def _row(app, code: str) -> dict:
    with app.app_context():
        table = Invitation.__table__
        return dict(db.session.execute(select(table).where(table.c.code == code)).one()._mapping)


def test_empty_answer_asks_again_and_records_nothing(survey_app, client, issue):
    (code,) = issue()
    page = client.post(f"/s/{code}", data={"comment": "  "})
    assert page.status_code == 422
    assert "Xin trả lời ít nhất một câu hỏi" in page.get_data(as_text=True)
    assert _responses(survey_app) == 0
    assert _invitation(survey_app, code).status is InvitationStatus.ISSUED


def test_tampered_answers_are_refused_with_400(survey_app, client, issue):
    (code,) = issue()
    cases = [
        {**full_answers(), "access.info": "7"},
        {**full_answers(), "staff.rules": "NA"},
        {**full_answers(), "expect.online": "5"},
        {**full_answers(), "hacked.item": "1"},
        {**full_answers(), "comment": "x" * 1001},
    ]
    for data in cases:
        page = client.post(f"/s/{code}", data=data)
        assert page.status_code == 400, data
        assert "Không thể nhận các câu trả lời này" in page.get_data(as_text=True)
    assert _responses(survey_app) == 0
    assert _invitation(survey_app, code).status is InvitationStatus.ISSUED


def test_withdrawn_code_gets_a_friendly_page(survey_app, client, issue):
    (code,) = issue()
    with survey_app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        invitation.status = InvitationStatus.WITHDRAWN
        db.session.commit()
    page = client.get(f"/s/{code}")
    assert page.status_code == 200 and "không còn được sử dụng" in page.get_data(as_text=True)
    assert client.post(f"/s/{code}", data=full_answers()).status_code == 409
    assert _responses(survey_app) == 0


def test_expired_form_keeps_the_answers(make_app, small_units):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from satisfaction.questionnaires.services import sync_all
        from satisfaction.survey.invitations import create_invitations

        sync_all(app.config["FORMS_DIR"])
        code = create_invitations("C00001-T", 1)[0].code
        db.session.commit()
    client = app.test_client()
    page = client.post(f"/s/{code}", data=full_answers())
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "vẫn được giữ nguyên" in text
    assert 'name="access.info" value="5" checked' in text
    token = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    done = client.post(f"/s/{code}", data={**full_answers(), "csrf_token": token})
    assert done.status_code == 302
    assert _responses(app) == 1


def test_desk_poster_records_apart(survey_app, client):
    page = client.get("/d/C00001-T")
    assert page.status_code == 200 and "Phường Phúc Xá" in page.get_data(as_text=True)
    assert client.post("/d/C00001-T", data=full_answers()).status_code == 302
    with survey_app.app_context():
        assert db.session.scalars(select(Response)).one().channel.value == "desk"
    missing = client.get("/d/NOPE")
    assert missing.status_code == 404 and "Không có phiếu khảo sát" in missing.get_data(True)


def test_desk_answers_are_rate_limited(make_app, small_units):
    app = make_app(RATELIMIT_ENABLED=True, DESK_RATE_LIMIT="2 per hour")
    with app.app_context():
        from satisfaction.questionnaires.services import sync_all

        sync_all(app.config["FORMS_DIR"])
        db.session.commit()
    client = app.test_client()
    codes = [client.post("/d/C00001-T", data=full_answers()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert client.get("/d/C00001-T").status_code == 200  # reading is not limited


def test_code_lookups_are_rate_limited(make_app, small_units):
    app = make_app(RATELIMIT_ENABLED=True, CODE_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.get("/s/", query_string={"code": f"guess{i}"}).status_code
                for i in range(3)]  # fmt: skip
    assert statuses == [400, 400, 400]
    blocked = client.get("/s/ABCD")
    assert blocked.status_code == 429 and "Quá nhiều lần thử" in blocked.get_data(as_text=True)


def _problem(client, typed: str, lang: str = "vi"):
    page = client.get("/s/", query_string={"code": typed, "lang": lang})
    text = page.get_data(as_text=True)
    error = re.search(r'<p class="error" id="code-err" role="alert">([^<]*)</p>', text)
    assert error, text
    assert 'aria-describedby="code-hint code-err"' in text and 'aria-invalid="true"' in text
    return page.status_code, error.group(1), text


def test_a_typed_code_is_told_what_is_wrong(survey_app, client, issue):
    (code,) = issue()
    status, message, page = _problem(client, "7KQ2-M9XD")
    assert status == 400 and "quá ngắn" in message and "8 ký tự" in message and "13" in message
    assert 'value="7KQ2-M9XD"' in page  # kept in the field
    status, message, _page = _problem(client, group(code) + "-7K")
    assert status == 400 and "quá dài" in message and "15 ký tự" in message
    status, message, _page = _problem(client, "7KQ2-M9XD-4TPA-U")
    assert status == 400 and "“U” không thể có trong mã" in message
    status, message, _page = _problem(client, "7KQ2-M9XĐ-4TPA-Z")
    assert "“Đ”" in message
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    status, message, _page = _problem(client, typo)
    assert status == 400 and "gõ nhầm" in message
    status, message, _page = _problem(client, "7KQ2-M9XD", lang="en")
    assert "too short" in message and "8 characters" in message and "13" in message
    status, message, _page = _problem(client, "7KQ2#M9XD-4TPA-Z", lang="en")
    assert "“#” cannot be in a code" in message
    status, message, _page = _problem(client, group(code) + "X", lang="en")
    assert "too long" in message


def test_no_typed_text_gives_a_500(survey_app, client):
    for typed in ["", " ", "\u200b" * 13, "ß" * 13, "x" * 5000, "\x00", "-" * 40, "%", "☃"]:
        page = client.get("/s/", query_string={"code": typed})
        assert page.status_code in (400, 404), typed
        assert client.get(f"/s/{typed[:200] or 'a'}").status_code in (400, 404), typed


def test_the_desk_posters_thanks_speaks_of_no_paper_form(survey_app, client, issue):
    """Answering from the desk poster, there is no paper form: its thanks does not mention one."""
    done = client.post("/d/C00001-T", data=full_answers(), follow_redirects=True)
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    assert "phiếu giấy" not in page and "Ông/Bà có thể đóng trang này" in page
    (code,) = issue(1)
    coded = client.post(f"/s/{code}", data=full_answers(), follow_redirects=True)
    assert "Ông/Bà không cần gửi lại phiếu giấy" in coded.get_data(as_text=True)


def test_questions_left_out_are_listed_with_the_answers_kept(survey_app, client, issue):
    """Without JavaScript, a send with questions left out shows them; sending anyway is one tap."""
    (code,) = issue()
    partial = {"access.info": "4", "staff.courtesy": "5", "comment": "Tốt."}
    page = client.post(f"/s/{code}", data=partial)
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "Một số câu chưa được trả lời" in text
    links = re.findall(r'<li><a href="#q-([^"]+)">(\d+)\. ', text)
    assert len(links) == 24 and links[0] == ("access.signs", "2")
    assert ("staff.courtesy", "10") not in links and ("expect.information", "26") in links
    assert 'name="access.info" value="4" checked' in text and "Tốt." in text
    assert 'type="hidden" name="send_anyway" value="1"' in text
    assert _responses(survey_app) == 0
    assert _invitation(survey_app, code).status is InvitationStatus.ISSUED
    sent = client.post(f"/s/{code}", data={**partial, "send_anyway": "1"})
    assert sent.status_code == 302 and _responses(survey_app) == 1


def test_a_refused_lookup_says_the_true_wait(make_app, small_units):
    app = make_app(RATELIMIT_ENABLED=True, CODE_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for _ in range(2):
        client.get("/s/", query_string={"code": "guess"})
    blocked = client.get("/s/", query_string={"code": "guess", "lang": "en"})
    assert blocked.status_code == 429
    assert "Please wait 1 hour before trying again." in blocked.get_data(as_text=True)


def test_every_scale_runs_lowest_first_as_on_paper(survey_app, client, issue):
    (code,) = issue()
    text = client.get(f"/s/{code}").get_data(as_text=True)
    improve = text[text.index('name="expect.') :]
    assert improve.index(">Ít<") < improve.index(">Nhiều<") < improve.index(">Rất nhiều<")
    assert text.index("Rất không hài lòng") < text.index("Rất hài lòng")
