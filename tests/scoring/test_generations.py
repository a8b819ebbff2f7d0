"""The nation kept between pages is never older than the last committed write of the aggregates."""

import uuid
from datetime import date

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import generations
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.generations import EVERY_MONTH, bump, stamp
from satisfaction.scoring.periods import ALL_DATES, parse_period
from satisfaction.scoring.services import Query, nation_scores
from satisfaction.survey import ballot_box
from satisfaction.survey.answering import answer_columns
from satisfaction.survey.models import Channel, Mode, Response
from satisfaction.units import services
from satisfaction.units.models import ServicePoint
from satisfaction.units.queries import get_dataset
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
