"""The nation kept between pages is never older than the last committed write of the aggregates."""

import uuid
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from satisfaction.dashboard.pages import child_level
from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import breakdowns, generations
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.generations import EVERY_MONTH, bump, stamp
from satisfaction.scoring.periods import ALL_DATES, parse_period
from satisfaction.scoring.services import Query, nation_scores
from satisfaction.survey import ballot_box
from satisfaction.survey.answering import add_responses, answer_columns
from satisfaction.survey.models import Channel, Mode, Response
from satisfaction.units import services
from satisfaction.units.models import ServicePoint
from satisfaction.units.queries import get_dataset, get_unit
from tests.conftest import mix_now
from tests.scoring.helpers import KEY, record
from tests.survey.conftest import full_answers
from tests.units.helpers import DATA, write_csv

SMALL = DATA / "units-small.csv"
PERIODS = (ALL_DATES, parse_period("2026"), parse_period("2026-Q3"))


def _nation(period=ALL_DATES):
    """Return the nation of the small units' list over a period, as a page reads it."""
    db.session.commit()  # in a transaction of its own, as a request's
    return nation_scores(get_dataset(), Query(period), detail=False)


def _answers(n: int, day: date = date(2026, 8, 10), point: str = "C00001-T") -> None:
    for _ in range(n):
        record(point, full_answers(), day)


def test_a_period_s_stamp_moves_with_a_write_of_its_months_only(app):
    with app.app_context():
        quarter, year = parse_period("2026-Q3"), parse_period("2026")
        before = [stamp(quarter), stamp(year), stamp(ALL_DATES)]
        bump([date(2026, 12, 1)])  # outside the quarter
        assert stamp(quarter) == before[0]
        assert stamp(year) > before[1] and stamp(ALL_DATES) > before[2]
        moved = stamp(quarter)
        bump([date(2026, 8, 1), date(2026, 8, 1)])
        assert stamp(quarter) == moved + 1
        bump([EVERY_MONTH])  # a rebuild: every period
        assert stamp(quarter) == moved + 2 and stamp(parse_period("2019-02")) == 1


def test_the_nation_is_kept_until_a_write_and_read_again_after_an_import(survey_app):
    with survey_app.app_context():
        _answers(3)
        db.session.commit()
        first = [_nation(period) for period in PERIODS]
        assert [_nation(period) for period in PERIODS] == first  # nothing written: kept
        assert all(kept is made for kept, made in zip(map(_nation, PERIODS), first, strict=True))
        _answers(2)  # `responses import` counts past answers through the same function
        db.session.commit()
        assert [_nation(period).pooled.n for period in PERIODS] == [5, 5, 5]


def test_a_late_answer_changes_its_period_and_no_other(survey_app):
    with survey_app.app_context():
        _answers(3)
        _answers(1, date(2025, 3, 5))
        db.session.commit()
        kept = _nation(parse_period("2026-Q3"))
        _answers(4, date(2025, 3, 20))
        db.session.commit()
        assert _nation(parse_period("2026-Q3")) is kept
        assert _nation(parse_period("2025")).pooled.n == 5
        assert _nation().pooled.n == 8


def test_the_nation_follows_each_mix_of_the_ballot_box(survey_app):
    with survey_app.app_context():
        point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "C00037-T"))
        version = get_version(KEY).id
        for counted in (2, 5):
            while ballot_box.waiting() + _nation().pooled.n < counted:
                ballot_box.drop(point, version, Channel.ENVELOPE, Mode.ONLINE, full_answers(),
                                date(2026, 8, 1))  # fmt: skip
                db.session.commit()
            assert _nation().pooled.n < counted  # waiting in the box, not counted yet
            mix_now(survey_app)
            assert [_nation(period).pooled.n for period in PERIODS] == [counted] * 3


def test_a_rebuild_makes_the_nation_read_again(survey_app):
    with survey_app.app_context():
        _answers(3)
        db.session.commit()
        assert _nation().pooled.n == 3
        point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "C00001-T"))
        # An answer stored without being counted: only a rebuild counts it.
        columns = answer_columns(point, get_version(KEY).id, Channel.ENVELOPE, Mode.ONLINE,
                                 full_answers(), date(2026, 8, 11), False, "")  # fmt: skip
        db.session.execute(Response.__table__.insert(), [{"id": uuid.uuid4(), **columns}])
        db.session.commit()
        assert _nation().pooled.n == 3  # the aggregates were not written: still true of them
        rebuilding.rebuild()
        db.session.commit()
        assert _nation().pooled.n == 4 and _nation(parse_period("2026-Q3")).pooled.n == 4


def test_a_period_with_days_outside_whole_months_is_never_kept(survey_app):
    with survey_app.app_context():
        _answers(3)
        db.session.commit()
        days = parse_period("2026-08-05..2026-08-31")
        assert _nation(days) is not _nation(days)
        generations.forget()


def test_a_change_of_the_units_makes_the_nation_read_again(survey_app, tmp_path):
    with survey_app.app_context():
        services.import_units(SMALL, "small", tag="S")
        db.session.commit()
        dataset = get_dataset("small")
        kept = _nation_of(dataset)
        assert "Thành phố Hà Nội" in [f.name for f in kept.provinces]
        services.import_units(SMALL, "small")  # nothing changed: still kept
        assert _nation_of(dataset) is kept
        lines = SMALL.read_text(encoding="utf-8-sig").splitlines()
        renamed = write_csv(
            tmp_path / "renamed.csv",
            *(line.replace("Thành phố Hà Nội", "Thủ đô Hà Nội") for line in lines[1:]),
        )
        services.import_units(renamed, "small")
        assert "Thủ đô Hà Nội" in [f.name for f in _nation_of(dataset).provinces]


def _nation_of(dataset):
    db.session.commit()
    return nation_scores(dataset, Query(), detail=False)


def _breakdowns(unit_code: str = "01", period=ALL_DATES) -> tuple:
    """Return what a unit's page reads of its breakdowns, as a page reads them (a transaction)."""
    db.session.commit()
    unit, query = get_unit(unit_code, None), Query(period)
    return (breakdowns.parts_and_points(unit, child_level(unit), query),
            breakdowns.by_field(unit, query), breakdowns.by_source(unit, query),
            breakdowns.by_office_level(unit, query), breakdowns.comments(unit, query))  # fmt: skip


def _commented(n: int, day: date = date(2026, 8, 10)) -> None:
    for k in range(n):
        record("C00001-T", {**full_answers(), "comment": f"Góp ý {k}"}, day)


def test_a_unit_s_breakdowns_and_comments_are_kept_until_a_write_of_their_period(survey_app):
    with survey_app.test_request_context():
        _commented(6)
        kept = [_breakdowns(period=period) for period in PERIODS]
        again = [_breakdowns(period=period) for period in PERIODS]
        assert all(a is b for first, second in zip(kept, again, strict=True)
                   for a, b in zip(first, second, strict=True))  # fmt: skip
        (parts, points), *_rest, comments = kept[0]
        assert sum(f.n for f in parts) == 6 and [f.n for f in points] == [6]
        assert comments.total == 6
        _commented(1, date(2025, 3, 5))  # a late answer: the quarter's parts stay kept
        assert _breakdowns(period=PERIODS[2])[0] is kept[2][0]
        (parts, points), *_rest, comments = _breakdowns()
        assert sum(f.n for f in parts) == 7 and comments.total == 7
        _commented(2)  # through the ballot box's counting, as a mix: read again
        for period in PERIODS:
            (parts, points), fields, sources, offices, comments = _breakdowns(period=period)
            assert [f.n for f in points] == [9 if period is PERIODS[0] else 8]
            assert comments.total == points[0].n
            assert sum(f.n for f in sources) == sum(f.n for f in offices) == points[0].n


def test_comments_begun_beside_a_page_are_begun_only_when_not_kept(survey_app):
    with survey_app.test_request_context():
        _commented(6)
        db.session.commit()
        unit, query = get_unit("01", None), Query(ALL_DATES)
        started = breakdowns.start_comments(unit, query)
        assert started is not None  # nothing kept yet: begun (beside, on PostgreSQL)
        kept = breakdowns.comments(unit, query, started)
        assert kept.total == 6
        db.session.commit()
        assert breakdowns.start_comments(unit, query) is None  # kept: nothing begun
        assert breakdowns.comments(unit, query) is kept
        _commented(1)  # a write of the period: begun again, and the new comment is in it
        db.session.commit()
        started = breakdowns.start_comments(unit, query)
        assert started is not None and breakdowns.comments(unit, query, started).total == 7


def test_a_unit_s_breakdowns_are_kept_per_language(survey_app):
    with survey_app.test_request_context():
        _commented(6)
        with force_locale("vi"):
            vi = _breakdowns()[3]
        with force_locale("en"):
            en = _breakdowns()[3]
        assert [f.n for f in vi] == [f.n for f in en] and vi[0].name != en[0].name
        with force_locale("vi"):
            assert _breakdowns()[3] is vi


def test_the_figures_used_last_are_kept_and_the_oldest_dropped(survey_app, monkeypatch):
    monkeypatch.setattr(generations, "KEPT", 3)
    with survey_app.test_request_context():
        _answers(6)
        db.session.commit()
        months = [parse_period(f"2026-{m:02d}") for m in (7, 8, 9, 10)]
        first = [_nation(period) for period in months[:3]]
        assert _nation(months[0]) is first[0]  # used again: now the newest
        _nation(months[3])  # a fourth: the least recently used (August) goes
        assert _nation(months[0]) is first[0] and _nation(months[2]) is first[2]
        assert _nation(months[1]) is not first[1]


def test_what_a_transaction_that_wrote_reads_is_never_kept(survey_app):
    with survey_app.app_context():
        _answers(3)
        db.session.commit()
        assert _nation().pooled.n == 3

        def read():  # in the writing transaction itself, no commit
            return nation_scores(get_dataset(), Query(ALL_DATES), detail=False).pooled.n

        _answers(2)  # two counts: August's generation two up, uncommitted
        assert read() == 5
        db.session.rollback()  # the generations back to where they were
        point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "C00001-T"))
        three = answer_columns(point, get_version(KEY).id, Channel.ENVELOPE, Mode.ONLINE,
                               full_answers(), date(2026, 8, 10), False, "")  # fmt: skip
        add_responses([three] * 3)
        _answers(1)  # two counts again: the same stamp as the rolled-back read's
        assert read() == 7
        db.session.rollback()
        assert _nation().pooled.n == 3
