"""The period picker: periods with official answers, on either unit list."""

from datetime import date

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.scoring.months import answered_months
from satisfaction.survey.models import Channel
from satisfaction.units.queries import get_dataset
from tests.auth.helpers import make_user, sign_in
from tests.dashboard.conftest import _answers
from tests.scoring.helpers import KEY, record
from tests.scoring.test_reform import _record_across, reformed  # noqa: F401 (the two lists)


def _options(html: str) -> str:
    return html[html.index('<select id="period"') : html.index("</select>")]


def test_the_desk_poster_alone_makes_no_period(scored_app, client):
    from satisfaction.questionnaires.services import get_version
    from satisfaction.survey.answering import questionnaire_of

    with scored_app.app_context():
        questionnaire = questionnaire_of(get_version(KEY))
        for _ in range(3):  # anyone's answers in 2026-Q4, nothing official
            record("C00001-T", _answers(questionnaire, 4), date(2026, 11, 5), Channel.DESK,
                   is_poster=True)  # fmt: skip
        db.session.commit()
        months = answered_months(get_dataset("test"))
    assert months == [date(2026, 5, 1), date(2026, 8, 1)]
    sign_in(client, "nation")
    picker = _options(client.get("/scores/?period=2026-Q3").get_data(as_text=True))
    assert "Quý III/2026" in picker and "Quý II/2026" in picker
    assert "Quý IV/2026" not in picker  # the poster's answers alone
    # Picking it still works: the figures are the official ones (none), not an error.
    page = client.get("/scores/u/00001?period=2026-Q4")
    assert page.status_code == 200


def test_the_new_list_offers_the_periods_of_the_old_units_in_it(reformed, client):  # noqa: F811
    _record_across(reformed)
    with reformed.app_context():
        assert answered_months(get_dataset("new")) == [date(2024, 5, 1), date(2025, 8, 1)]
        assert answered_months(get_dataset("old")) == [date(2024, 5, 1)]
    make_user(reformed, "nation", Role.OFFICER)
    sign_in(client, "nation")
    picker = _options(client.get("/scores/?dataset=new").get_data(as_text=True))
    assert "Quý II/2024" in picker and "Năm 2024" in picker and "Quý III/2025" in picker
