"""Fixtures of the scoring tests: a small picture of answers over the test units."""

from datetime import date

import pytest

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.survey.models import Channel
from tests.scoring.helpers import KEY, record

# Service point -> (satisfied, dissatisfied) respondents; every item answered alike.
ANSWERS = {
    "P01-T": (0, 1),
    "D001-T": (2, 0),
    "C00001-T": (3, 1),
    "C00004-T": (1, 1),
    "D002-T": (0, 0),
    "C00037-T": (2, 0),
    "C26734-T": (1, 3),
}


def _everything(value: int) -> dict:
    return {item: value for item in get_questionnaire(KEY).item_keys}


@pytest.fixture
def scored(survey_app):
    """Record the answers above in July 2026, and two desk-poster answers in August."""
    with survey_app.app_context():
        for point, (good, bad) in ANSWERS.items():
            for value, count in ((5, good), (2, bad)):
                for _ in range(count):
                    record(point, _everything(value))
        for _ in range(2):
            record("C00001-T", _everything(1), date(2026, 8, 3), Channel.DESK, is_poster=True)
        db.session.commit()
    survey_app.config["MIN_N"] = 2
    return survey_app
