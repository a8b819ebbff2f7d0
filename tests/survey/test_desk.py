"""The desk poster at a busy centre: limits per browser and generous per address, counted once."""

import re
import uuid

import pytest
from flask_babel import force_locale

from satisfaction.core.waits import wait_words
from satisfaction.extensions import db
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.desk import BROWSER_COOKIE
from tests.conftest import REDIS_URL, answers_stored, needs_redis
from tests.survey.conftest import full_answers

POSTER = "/d/C00001-T"


@pytest.fixture
def limited(make_app, small_units):
    """Return a factory of apps with rate limits on, the questionnaires recorded."""

    def make(**settings):
        app = make_app(RATELIMIT_ENABLED=True, **settings)
        with app.app_context():
            sync_all(app.config["FORMS_DIR"])
            db.session.commit()
        return app

    return make


def _answers_recorded(app) -> int:
    with app.app_context():
        found = answers_stored()
        db.session.remove()
    return found


def _citizen(app):
    """Return a new browser at the poster: its page read once, so it has its cookie."""
    client = app.test_client()
    page = client.get(POSTER)
    assert page.status_code == 200
    assert client.get_cookie(BROWSER_COOKIE, path="/d/") is not None
    return client


def test_eight_citizens_behind_one_address_are_all_counted(limited):
    app = limited()  # the default limits
    statuses = [_citizen(app).post(POSTER, data=full_answers()).status_code for _ in range(8)]
    assert statuses == [302] * 8
    assert _answers_recorded(app) == 8


def test_one_browser_too_many_is_told_the_true_wait_and_keeps_its_answers(limited):
    app = limited(DESK_RATE_LIMIT="2 per hour")
    citizen = _citizen(app)
    answers = {**full_answers(), "comment": "Chờ hơi lâu."}
    assert [citizen.post(POSTER, data=answers).status_code for _ in range(2)] == [302, 302]
    refused = citizen.post(POSTER, data=answers)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "xin chờ 1 giờ rồi gửi lại" in page and "vẫn được giữ trên trang này" in page
    assert 3540 <= int(refused.headers["Retry-After"]) <= 3600
    assert 'name="access.info" value="5" checked' in page and "Chờ hơi lâu." in page
    assert _answers_recorded(app) == 2
    assert _citizen(app).post(POSTER, data=answers).status_code == 302  # the next citizen


def test_an_address_has_a_generous_limit_of_its_own(limited):
    app = limited(DESK_ADDRESS_RATE_LIMIT="3 per hour")
    statuses = [_citizen(app).post(POSTER, data=full_answers()).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_a_browser_without_the_cookie_counts_with_its_address(limited):
    app = limited(DESK_RATE_LIMIT="1 per hour")
    statuses = [app.test_client().post(POSTER, data=full_answers()).status_code
                for _ in range(2)]  # fmt: skip
    assert statuses == [302, 429]


def test_only_recorded_answers_count_against_the_limit(limited):
    app = limited(DESK_RATE_LIMIT="1 per hour")
    citizen = _citizen(app)
    listed = citizen.post(POSTER, data={"access.info": "4"})  # questions left out: listed
    assert listed.status_code == 422 and "Một số câu chưa được trả lời" in listed.get_data(True)
    sent = citizen.post(POSTER, data={"access.info": "4", "send_anyway": "1"})
    assert sent.status_code == 302 and sent.headers["Location"] == "/thanks?via=poster"


def test_a_send_repeated_after_its_reply_was_lost_is_recorded_once(limited):
    app = limited()
    citizen = app.test_client()
    token = re.search(r'name="once" value="([^"]+)"', citizen.get(POSTER).get_data(True))[1]
    first = citizen.post(POSTER, data={**full_answers(), "once": token})
    again = citizen.post(POSTER, data={**full_answers(), "once": token})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == "/thanks?via=poster"
    assert _answers_recorded(app) == 1
    other = re.search(r'name="once" value="([^"]+)"', citizen.get(POSTER).get_data(True))[1]
    assert other != token
    assert citizen.post(POSTER, data={**full_answers(), "once": other}).status_code == 302
    assert _answers_recorded(app) == 2


def test_a_page_drawn_again_keeps_its_send_token(limited):
    app = limited()
    citizen = app.test_client()
    token = re.search(r'name="once" value="([^"]+)"', citizen.get(POSTER).get_data(True))[1]
    listed = citizen.post(POSTER, data={"access.info": "4", "once": token}).get_data(True)
    assert f'name="once" value="{token}"' in listed


@needs_redis
def test_desk_limits_count_in_redis(limited):
    settings = {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "DESK_RATE_LIMIT": "1 per hour"}  # fmt: skip
    app = limited(**settings)
    citizen = _citizen(app)
    assert citizen.post(POSTER, data=full_answers()).status_code == 302
    refused = citizen.post(POSTER, data=full_answers())
    assert refused.status_code == 429 and "xin chờ 1 giờ" in refused.get_data(as_text=True)


def test_a_wait_is_said_truly_in_words(app):
    with app.test_request_context(), force_locale("en"):
        assert wait_words(10) == "1 minute"
        assert wait_words(47 * 60 - 30) == "47 minutes"
        assert wait_words(3600) == "1 hour"
        assert wait_words(3600 + 5 * 60) == "1 hour 5 minutes"
        assert wait_words(23 * 3600 + 59 * 60 + 1) == "24 hours"
    with app.test_request_context(), force_locale("vi"):
        assert wait_words(47 * 60) == "47 phút" and wait_words(7500) == "2 giờ 5 phút"
