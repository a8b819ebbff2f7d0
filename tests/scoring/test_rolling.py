"""The districts' and points' rollups hold the closed months; the current month waits in the cells
(and is in the provinces' and fields' rollups at once) until it is rolled."""

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import event, func, select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import aggregates, queries, rolling
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.models import (
    OFFICIAL,
    ScoreCell,
    ScoreFieldRollup,
    ScorePointRollup,
    ScoreRollup,
)
from satisfaction.scoring.months import _answered_months
from satisfaction.scoring.periods import Span, parse_period, span_start
from satisfaction.scoring.queries import Place, Scope
from satisfaction.survey.models import Channel, Mode, Response
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel
from tests.scoring.helpers import KEY, record, rollup_snapshot, same, snapshot
from tests.survey.conftest import full_answers

POINTS = ("P01-T", "D001-T", "C00001-T", "C00004-T", "C26734-T", "P79-T", "D760-T")
GROUPS = (None, queries.SOURCE, queries.OFFICE, queries.QUARTER, queries.POINT, queries.FIELD,
          UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)  # fmt: skip


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _unit(code: str) -> AdminUnit:
    return db.session.scalar(select(AdminUnit).where(AdminUnit.code == code))


def _record_some(day: date, n: int = 1) -> None:
    for i, point in enumerate(POINTS * n):
        record(point, full_answers(), day, list(Channel)[i % len(Channel)],
               (Mode.ONLINE, Mode.KEYED)[i % 2], field_code=("", "dat-dai")[i % 2])  # fmt: skip


def _figures() -> dict:
    """Return the tallies of every reading a page makes, over the periods holding this month."""
    versions = (get_version(KEY).id,)
    today = rolling.local_today()
    periods = ["", str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}",
               f"{today:%Y-%m}"]  # fmt: skip
    hanoi, district = _unit("01"), _unit("001")
    provinces = tuple(db.session.scalars(select(AdminUnit.id).where(
        AdminUnit.level == UnitLevel.PROVINCE)))  # fmt: skip
    places = (None, Place(UnitLevel.PROVINCE, hanoi.id),
              Place(UnitLevel.DISTRICT, district.id, hanoi.id))  # fmt: skip
    found = {}
    for text in periods:
        for place in places:
            scope = Scope(versions, parse_period(text), OFFICIAL, place, provinces)
            for group in GROUPS:
                tallies = queries.tallies(scope, group)
                found[text, place, group] = {
                    key: (t.responses, sorted(t.answers.items())) for key, t in tallies.items()
                }
    return found


def _counted(table, month: date, *conditions) -> int | None:
    """Return the responses a table's month rows hold (None: no row)."""
    rows = (table.month == month, table.span == "month", *conditions)
    return db.session.scalar(select(func.sum(table.responses)).where(*rows))


def test_an_answer_of_this_month_waits_for_the_finer_rollups_and_is_read_the_same(survey_app):
    with survey_app.app_context():
        today = rolling.local_today()
        _record_some(date(2026, 7, 15))  # a closed month: rolled as it is counted
        _record_some(today, 2)
        assert rolling.rolled_through() == rolling.closed()
        month = _month_of(today)
        province = ScoreRollup.unit_level == UnitLevel.PROVINCE
        district = ScoreRollup.unit_level == UnitLevel.DISTRICT
        # In the cells, the provinces' rollups and the fields' at once (the national page and
        # every province's fields read them alone); not yet in the districts' or the points'.
        assert db.session.scalar(select(func.sum(ScoreCell.responses))
                                 .where(ScoreCell.month == month)) == 2 * len(POINTS)  # fmt: skip
        assert _counted(ScoreRollup, month, province) == 2 * len(POINTS)
        assert _counted(ScoreFieldRollup, month) == 2 * len(POINTS)
        assert _counted(ScoreRollup, month, district) is None
        assert _counted(ScorePointRollup, month) is None
        before = _figures()
        assert before["", None, None][None][0] == 3 * len(POINTS)
        aggregates.take_turn()
        assert aggregates.roll(month) == [month]
        assert _figures() == before  # read through the union or from the rollups: the same
        db.session.rollback()


def test_the_first_count_of_a_month_rolls_the_month_before_once(survey_app, monkeypatch):
    with survey_app.app_context():
        today = rolling.local_today()
        month = _month_of(today)
        _record_some(today)
        assert rolling.rolled_through() == rolling.closed()
        # A month later: the first count rolls this month, the next rolls nothing.
        later = (month + timedelta(days=32)).replace(day=3)
        monkeypatch.setattr(rolling, "local_today", lambda: later)
        _record_some(later)
        assert rolling.rolled_through() == month
        _record_some(later)
        assert rolling.rolled_through() == month
        assert _counted(ScorePointRollup, month) == len(POINTS)  # rolled once
        assert _counted(ScorePointRollup, _month_of(later)) is None  # waits
        assert _counted(
            ScoreRollup, _month_of(later), ScoreRollup.unit_level == UnitLevel.PROVINCE
        ) == 2 * len(POINTS)
        cells, rollups = snapshot(), rollup_snapshot()
        assert rebuilding.rebuild()[0] == 3 * len(POINTS)
        assert rolling.rolled_through() == month  # the rebuild keeps what was rolled
        assert same(snapshot(), cells) and same(rollup_snapshot(), rollups)
        db.session.rollback()


def test_a_late_answer_of_a_rolled_month_goes_into_the_rollups(survey_app):
    with survey_app.app_context():
        _record_some(rolling.local_today())
        through = rolling.rolled_through()
        record("C00001-T", full_answers(), through.replace(day=20))
        assert _counted(ScorePointRollup, through) == 1
        assert _counted(ScoreRollup, through, ScoreRollup.unit_level == UnitLevel.DISTRICT) == 1
        assert rolling.rolled_through() == through
        db.session.rollback()


def test_a_count_made_before_another_writer_rolled_is_rolled_too(survey_app):
    """A batch counted for the rollups of up to last month and written after a roll of this
    month (the month turned meanwhile): its answers of this month go into the rollups too."""
    with survey_app.app_context():
        today = rolling.local_today()
        month = _month_of(today)
        _record_some(today)  # into the cells only
        responses = db.session.scalars(select(Response)).all()
        counted = aggregates.Counting.of(responses).rows(responses)
        assert counted.through < month and not counted.rows[2]  # no point rollup yet
        aggregates.take_turn()
        aggregates.roll(month)  # another writer, meanwhile
        aggregates.add_counted(counted)  # the same answers once more: twice in every table
        cells = db.session.scalar(select(func.sum(ScoreCell.responses))
                                  .where(ScoreCell.month == month))  # fmt: skip
        assert cells == 2 * len(POINTS)
        for span in Span:
            start = span_start(span, month)
            for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT):
                total = select(func.sum(ScoreRollup.responses)).where(
                    ScoreRollup.unit_level == level, ScoreRollup.span == span,
                    ScoreRollup.month == start)  # fmt: skip
                expected = 2 * sum(1 for p in POINTS if level == UnitLevel.PROVINCE or p[0] != "P")
                assert db.session.scalar(total) == expected, (span, level)
            points = select(func.sum(ScorePointRollup.responses)).where(
                ScorePointRollup.span == span, ScorePointRollup.month == start)  # fmt: skip
            assert db.session.scalar(points) == 2 * len(POINTS), span
        db.session.rollback()


def test_a_rollup_read_is_one_statement_with_the_unrolled_cells(survey_app):
    with survey_app.app_context():
        _record_some(rolling.local_today())
        hanoi, district = _unit("01"), _unit("001")
        scope = Scope((get_version(KEY).id,), parse_period(""), OFFICIAL,
                      Place(UnitLevel.DISTRICT, district.id, hanoi.id))  # fmt: skip
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args):
            statements.append(statement)

        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            found = queries.tallies(scope)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        reads = [s for s in statements if "score_rollups" in s]
        assert len(reads) == 1
        assert "score_cells" in reads[0] and "score_rolled_months" in reads[0]
        raw = select(func.count()).where(Response.district_id == district.id)
        assert found[None].responses == db.session.scalar(raw) == 3  # Ba Đình's three desks
        # A province's own figure reads its rollups alone: they hold every month.
        statements.clear()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            province = queries.tallies(replace(scope, place=Place(UnitLevel.PROVINCE, hanoi.id)))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        reads = [s for s in statements if "score_rollups" in s]
        assert len(reads) == 1 and "score_cells" not in reads[0]
        assert province[None].responses == 4  # Hà Nội's four desks
        db.session.rollback()


def test_the_months_with_answers_hold_the_month_not_rolled(survey_app):
    with survey_app.app_context():
        today = rolling.local_today()
        _record_some(date(2026, 7, 15))
        _record_some(today)
        dataset = db.session.scalar(select(UnitDataset).where(
            UnitDataset.id == _unit("01").dataset_id))  # fmt: skip
        assert _answered_months(dataset) == [date(2026, 7, 1), _month_of(today)]
        aggregates.take_turn()
        aggregates.roll(_month_of(today))
        assert _answered_months(dataset) == [date(2026, 7, 1), _month_of(today)]
        db.session.rollback()
