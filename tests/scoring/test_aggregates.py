"""Aggregates follow every recorded response, and a rebuild from raw answers finds the same."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.scoring import aggregates, rolling
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.models import ScoreCell, Source
from satisfaction.scoring.periods import Span
from satisfaction.scoring.sums import FIELD_SPANS
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import UnitLevel
from tests.scoring.helpers import KEY, answer_count, record, rollup_snapshot, same, snapshot
from tests.survey.conftest import full_answers

POINTS = ("P01-T", "D001-T", "C00001-T", "C00004-T", "C26734-T", "P79-T", "D760-T")


def test_an_online_answer_is_counted_as_it_is_recorded(survey_app, client, issue):
    code = issue()[0]
    assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    with survey_app.app_context():
        cell = db.session.scalar(select(ScoreCell))
        assert (cell.responses, cell.source, cell.mode) == (1, Source.ENVELOPE, Mode.ONLINE)
        assert answer_count("access.info", "5") == 1
        assert answer_count("feedback.reply", "na") == 1
        assert answer_count("expect.online", "3") == 1


def test_a_desk_poster_answer_is_counted_apart(survey_app, client):
    assert client.post("/d/C00001-T", data=full_answers()).status_code == 302
    with survey_app.app_context():
        cell = db.session.scalar(select(ScoreCell))
        assert cell.source == Source.POSTER
        assert cell.commune_id is not None and cell.district_id is not None


def test_a_second_answer_in_a_cell_adds_up(survey_app):
    with survey_app.app_context():
        record("C00001-T", {"access.info": 5, "staff.courtesy": 4})
        record("C00001-T", {"access.info": 5, "staff.courtesy": 2}, mode=Mode.ONLINE)
        record("C00001-T", {"access.info": 1}, mode=Mode.KEYED)
        db.session.commit()
        cells = db.session.scalars(select(ScoreCell).order_by(ScoreCell.mode)).all()
        assert sorted(c.responses for c in cells) == [1, 2]
        assert answer_count("access.info", "5") == 2
        assert answer_count("access.info", "1") == 1


def test_rebuild_command_recomputes_the_aggregates(survey_app):
    with survey_app.app_context():
        record("C00001-T", full_answers())
        record("D001-T", {"access.info": 2}, channel=Channel.DESK, is_poster=True)
        db.session.commit()
        before = snapshot()
        db.session.execute(ScoreCell.__table__.update().values(tally=b"", responses=0))
        db.session.commit()
    result = survey_app.test_cli_runner().invoke(args=["scores", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    with survey_app.app_context():
        assert same(snapshot(), before)
        # New cells after a rebuild get fresh ids (PostgreSQL's sequence was moved on).
        record("C00004-T", {"access.info": 4}, date(2026, 9, 1))
        db.session.commit()
        assert sum(cell["responses"] for cell in snapshot().values()) == 3


def _answers_strategy():
    questionnaire = get_questionnaire(KEY)
    fields = {}
    for item in questionnaire.items:
        # 7 and "" are not answers of the scale: neither may be counted, either way.
        values = [None, 1, 2, 3, 4, 5, 7, ""] + (["na"] if item.allow_na else [])
        fields[item.key] = st.sampled_from(values)
    for expectation in questionnaire.expectations:
        fields[expectation.key] = st.sampled_from([None, 1, 2, 3])
    return st.fixed_dictionaries(fields)


# Two days of a month, another month of its quarter, another quarter, another year.
DAYS = (date(2026, 7, 1), date(2026, 7, 2), date(2026, 8, 31), date(2026, 10, 1), date(2027, 1, 1))


def test_rebuild_equals_incremental(survey_app):
    """Property: whatever answers arrive, in whatever cells, rebuild finds what was kept.

    The same for the rollups: a rebuild sums the cells, so incremental rollups hold them too.
    """
    with survey_app.app_context():
        answers = _answers_strategy()

    response = st.tuples(
        st.sampled_from(POINTS),
        st.sampled_from(DAYS),
        st.sampled_from(list(Channel)),
        st.sampled_from([Mode.ONLINE, Mode.KEYED, Mode.SCANNED]),
        st.booleans(),
        st.sampled_from(["", "dat-dai", "ho-tich"]),  # the field of the procedure ("" unknown)
        answers,
    )

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(response, max_size=12))
    def check(responses):
        with survey_app.app_context():
            try:
                for point, day, channel, mode, poster, field, given_answers in responses:
                    record(point, given_answers, day, channel, mode, poster and channel == "desk",
                           field)  # fmt: skip
                # The months up to the last closed one are rolled up as they are counted;
                # January 2027 (not begun) waits for the points' and districts' rollups.
                rolled = [r for r in responses if r[1] <= rolling.closed()]
                _check_rollups(len(responses), rolled)
                aggregates.take_turn()
                aggregates.roll(DAYS[-1])  # as the first count of February 2027 will
                _check_rollups(len(responses), responses)
            finally:
                db.session.rollback()

    check()


def _check_rollups(counted: int, rolled: list) -> None:
    """Check the cells, the provinces' and the fields' rollups hold every response, the points'
    those rolled, all as a rebuild has them."""
    incremental, rollups = snapshot(), rollup_snapshot()
    assert sum(c["responses"] for c in incremental.values()) == counted
    for span in Span:  # each response once in its province's rollups of each span,
        # once in its province's by field and, once rolled, in its service point's
        provinces = [r for key, r in rollups.items() if key[0] == "score_rollups"
                     and key[3] == UnitLevel.PROVINCE and key[5] == span]  # fmt: skip
        assert sum(r["responses"] for r in provinces) == counted
        for table, at, total in (("score_point_rollups", 6, len(rolled)),
                                 ("score_field_rollups", 3, counted)):  # fmt: skip
            if table == "score_field_rollups" and span not in FIELD_SPANS:
                continue  # the fields' rollups have no span over all dates
            found = [r for key, r in rollups.items() if key[0] == table and key[at] == span]
            assert sum(r["responses"] for r in found) == total, table
    assert rebuilding.rebuild()[0] == counted
    assert same(snapshot(), incremental)
    assert same(rollup_snapshot(), rollups)


def test_keyed_returns_are_counted_as_keyed(survey_app, issue, tmp_path):
    from tests.intake.test_returns import _csv, _row

    codes = issue(3)
    path = tmp_path / "returns.csv"
    path.write_text(_csv([_row(code) for code in codes]), encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 0, result.output
    # The same file again counts nothing more, whatever the importer says about it.
    survey_app.test_cli_runner().invoke(args=["returns", "import", str(path)])
    with survey_app.app_context():
        cell = db.session.scalar(select(ScoreCell))
        assert (cell.responses, cell.source, cell.mode) == (3, Source.ENVELOPE, Mode.KEYED)
        assert cell.month == date(2026, 11, 1)
        assert answer_count("access.info", "5") == 3
