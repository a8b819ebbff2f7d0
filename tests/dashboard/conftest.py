"""A small scored picture for the officers' pages: two quarters, two provinces, comments."""

from datetime import date

import pytest

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.survey.answering import questionnaire_of
from satisfaction.survey.models import Channel
from tests.auth.helpers import make_user
from tests.scoring.helpers import KEY, record

# (service point, day, answers at 5, answers at 2): Phúc Xá improves from Q2 to Q3.
PLAN = [
    ("C00001-T", date(2026, 5, 10), 20, 15),
    ("C00001-T", date(2026, 8, 10), 30, 5),
    ("C00037-T", date(2026, 8, 12), 12, 20),
    ("C26734-T", date(2026, 8, 14), 25, 10),
]


def _answers(questionnaire, value: int) -> dict:
    found: dict = {item.key: value for e in questionnaire.elements for item in e.items}
    found.update({x.key: 3 for x in questionnaire.expectations})
    return found


@pytest.fixture
def scored_app(survey_app):
    """Record the plan, two desk-poster answers, six comments; MIN_N stays 30."""
    with survey_app.app_context():
        questionnaire = questionnaire_of(get_version(KEY))
        for point, day, good, bad in PLAN:
            for value, count in ((5, good), (2, bad)):
                for n in range(count):
                    answers = _answers(questionnaire, value)
                    if point == "C00001-T" and day.month == 8 and n < 6 and value == 5:
                        answers["comment"] = f"Cán bộ nhiệt tình {n}"
                    record(point, answers, day)
        for _ in range(2):
            record("C00001-T", _answers(questionnaire, 1), date(2026, 8, 3), Channel.DESK,
                   is_poster=True)  # fmt: skip
        db.session.commit()
    make_user(survey_app, "nation", Role.OFFICER)
    make_user(survey_app, "hanoi", Role.OFFICER, "01")
    make_user(survey_app, "postal", Role.POSTAL, "01")
    return survey_app


@pytest.fixture
def a_year_of(scored_app):
    """Add Hà Nội's third quarter of 2025: 10 satisfied, 30 not (25%)."""
    with scored_app.app_context():
        questionnaire = questionnaire_of(get_version(KEY))
        for value, count in ((5, 10), (2, 30)):
            for _ in range(count):
                record("C00001-T", _answers(questionnaire, value), date(2025, 8, 20))
        db.session.commit()
    return scored_app
