"""No reader of the database links an answer to its code beyond chance (design, section 5).

The attacks of issue 15, run as someone with read access would: 60 codes at three service
points, answered in a random order, then counted by the ballot box.
"""

import random
from collections import defaultdict

import pytest
from sqlalchemy import select, text

from satisfaction.audit.models import AuditEvent
from satisfaction.extensions import db
from satisfaction.survey.models import Ballot, Invitation, InvitationEvent, Response
from satisfaction.units.models import ServicePoint
from tests.survey.conftest import full_answers

POINTS = ("C00001-T", "C00004-T", "C00037-T")
PER_POINT = 20
# By chance, the right guesses at a service point are the fixed points of a random order of 20:
# about one, so 3 of 60 expected. Summed over the three points (counted exactly from the
# derangement numbers), 12 or more happen once in 14,000 runs and 18 or more once in 280 million;
# before the ballot box, each attack linked 60 of 60.
MOST_BY_CHANCE = 17


@pytest.fixture
def answered(make_app, survey_app, issue):
    """Answer 60 codes online in a random order; return the app and each code's comment."""
    app = make_app(MIX_MIN=len(POINTS) * PER_POINT)
    codes = [code for point in POINTS for code in issue(PER_POINT, point)]
    random.Random(15).shuffle(codes)
    client = app.test_client()
    comments = {}
    for i, code in enumerate(codes):
        comments[code] = f"Ý kiến số {i}: {code}"
        answers = {**full_answers(), "comment": comments[code]}
        assert client.post(f"/s/{code}", data=answers).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Ballot)) == 0
    return app, codes, comments


def _truth(comments: dict[str, str]) -> dict[str, str]:
    """Return the code of each counted answer, by its comment (what the attacker wants)."""
    return {comment: code for code, comment in comments.items()}


def test_no_answer_shares_a_transaction_with_its_code(answered):
    app, _codes, comments = answered
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("transaction ids are PostgreSQL's")
        linked = db.session.execute(text(
            "SELECT i.code, r.comment FROM responses r JOIN invitations i ON r.xmin = i.xmin"
        )).all()  # fmt: skip
    truth = _truth(comments)
    assert sum(truth[comment] == code for code, comment in linked) == 0


def test_storage_order_links_no_more_than_chance(answered):
    """Responses in storage order against codes in the order they were answered."""
    app, codes, comments = answered
    with app.app_context():
        position = "ctid" if db.engine.dialect.name == "postgresql" else "rowid"
        stored = db.session.execute(text(
            f"SELECT s.code, r.comment FROM responses r "
            f"JOIN service_points s ON s.id = r.service_point_id ORDER BY r.{position}"
        )).all()  # fmt: skip
        point_of = dict(db.session.execute(
            select(Invitation.code, ServicePoint.code).join(ServicePoint)
        ).all())  # fmt: skip
    answers_by_point: dict[str, list[str]] = defaultdict(list)
    for point, comment in stored:
        answers_by_point[point].append(comment)
    codes_by_point: dict[str, list[str]] = defaultdict(list)
    for code in codes:  # the true order of answering: more than any stored time could tell
        codes_by_point[point_of[code]].append(code)
    truth = _truth(comments)
    linked = sum(
        truth[comment] == code
        for point in POINTS
        for comment, code in zip(answers_by_point[point], codes_by_point[point], strict=True)
    )
    assert linked <= MOST_BY_CHANCE


def test_the_invitations_keep_no_more_than_the_month(answered):
    app, codes, _comments = answered
    with app.app_context():
        months = set(db.session.scalars(select(Invitation.answered_month)))
        days = set(db.session.scalars(select(Response.answered_on)))
        events = db.session.scalar(select(db.func.count()).select_from(InvitationEvent))
        audited = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    assert len(months) == 1 and next(iter(months)).day == 1
    assert len(days) == 1  # every answer of the day looks the same on that side too
    assert events == 0 and audited == 0  # answering writes no event beside the code
