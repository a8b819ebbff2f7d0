"""Fixtures for the citizen's survey: recorded questionnaires and issued codes."""

from pathlib import Path

import pytest

from satisfaction.extensions import db
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.invitations import create_invitations
from satisfaction.survey.models import Channel

KEY = "sipas-services"


@pytest.fixture
def survey_app(app, small_units):
    """Return the app with the units and the questionnaires of forms/ recorded."""
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        db.session.commit()
    return app


@pytest.fixture
def issue(survey_app):
    """Return a function issuing codes for a service point."""

    def make(count: int = 1, point: str = "C00001-T", channel: Channel = Channel.ENVELOPE):
        with survey_app.app_context():
            made = create_invitations(point, count, channel)
            db.session.commit()
            return [invitation.code for invitation in made]

    return make


def full_answers() -> dict[str, str]:
    """Return a complete, valid set of answers to the SIPAS questionnaire."""
    from satisfaction.questionnaires.loader import load_dir

    forms = Path(__file__).resolve().parents[2] / "forms"
    questionnaire = next(f.questionnaire for f in load_dir(forms) if f.questionnaire.key == KEY)
    answers = {item.key: "4" for item in questionnaire.items}
    answers.update({item.key: "NA" for item in questionnaire.items if item.allow_na})
    answers["access.info"] = "5"
    answers.update({e.key: "3" for e in questionnaire.expectations})
    answers["comment"] = "Cán bộ rất nhiệt tình."
    return answers
