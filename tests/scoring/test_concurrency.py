"""Answers arriving together all land in the aggregates: none lost, none counted twice."""

from urllib.parse import urlencode

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.paper.codes import group
from satisfaction.scoring.models import ScoreCell
from tests.conftest import mix_now
from tests.scoring.helpers import answer_count, pair_respondents
from tests.survey.conftest import full_answers
from tests.survey.test_concurrency import _explain, _post_together, server  # noqa: F401


def test_simultaneous_answers_in_one_cell_all_add_up(survey_app, issue, server):  # noqa: F811
    codes = issue(12) + issue(12, point="C00037-T")
    replies = _post_together(server.port, [f"/s/{group(code)}" for code in codes],
                             urlencode(full_answers()))  # fmt: skip
    assert [reply.status for reply in replies] == [302] * len(codes), _explain(replies, server)
    mix_now(survey_app)  # the server's own mixing may still run after the last response
    with survey_app.app_context():
        cells = db.session.scalars(select(ScoreCell)).all()
        assert sorted(cell.responses for cell in cells) == [12, 12]
        assert answer_count("access.info", "5") == 24
        assert pair_respondents("staff", "staff") == 24
        db.session.remove()
