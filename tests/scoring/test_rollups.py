"""Figures from rollups, cells and the raw answers of partial months equal the raw figures."""

import dataclasses
import math
from contextlib import contextmanager
from datetime import date
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.scoring import breakdowns, queries, services
from satisfaction.scoring.models import (
    CELLS,
    FIELD_ROLLUPS,
    OFFICIAL,
    POINT_ROLLUPS,
    ROLLUPS,
    Source,
)
from satisfaction.scoring.periods import parse_period
from satisfaction.scoring.queries import Place, Scope
from satisfaction.scoring.services import Query
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel
from tests.scoring.helpers import KEY, record
from tests.scoring.test_aggregates import _answers_strategy

POINTS = ("P01-T", "P79-T", "D001-T", "D002-T", "D760-T", "C00001-T", "C00004-T", "C00037-T",
          "C26734-T")  # fmt: skip
DAYS_ANSWERED = (date(2026, 6, 30), date(2026, 7, 1), date(2026, 7, 31), date(2026, 8, 15),
                 date(2026, 9, 30), date(2026, 10, 1), date(2027, 1, 1))  # fmt: skip
WHOLE_MONTHS = ("", "2026", "2026-Q3", "2026-07", "2026-07-01..2026-09-30",
                "2026-06-01..2027-01-31", "2026-08-01..2026-12-31",
                "2026-01-01..2027-12-31")  # fmt: skip
FIELDS = ("", "dat-dai", "ho-tich")  # unknown, and two fields of procedures
DAY_RANGES = ("2026-07-01..2026-07-30", "2026-06-30..2026-07-31", "2026-07-31..2026-07-31",
              "2026-06-15..2026-10-01", "2026-07-02..2027-01-01")  # fmt: skip


def test_whole_months_are_told_from_day_ranges():
    for text in WHOLE_MONTHS + ("2024-02-01..2024-02-29",):
        assert queries.whole_months(parse_period(text)), text
    for text in ("2026-07-01..2026-07-30", "2026-07-02..2026-07-31", "2024-02-01..2024-02-28"):
        assert not queries.whole_months(parse_period(text)), text


def test_a_period_splits_into_whole_months_and_edge_days():
    whole, edges = queries.split(parse_period("2026-06-15..2026-10-01"))
    assert (whole.start, whole.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert [(e.start, e.end) for e in edges] == [
        (date(2026, 6, 15), date(2026, 6, 30)), (date(2026, 10, 1), date(2026, 10, 1))]  # fmt: skip
    whole, edges = queries.split(parse_period("2026-07-02..2026-07-30"))
    assert whole is None and [(e.start, e.end) for e in edges] == [
        (date(2026, 7, 2), date(2026, 7, 30))]  # fmt: skip
    whole, edges = queries.split(parse_period("2026-07-01..2026-07-30"))
    assert whole is None and len(edges) == 1
    assert queries.split(parse_period("2026-Q3"))[1] == []


def test_each_reading_takes_the_rollups_that_hold_it():
    quarter = parse_period("2026-Q3")

    def scope(level=None, provinces=None):
        return Scope((1,), quarter, OFFICIAL, Place(level, 1) if level else None, provinces)

    assert queries.grain_of(scope(UnitLevel.PROVINCE), None) is ROLLUPS
    assert queries.grain_of(scope(UnitLevel.DISTRICT), queries.SOURCE) is ROLLUPS
    assert queries.grain_of(scope(UnitLevel.COMMUNE), None) is POINT_ROLLUPS
    assert queries.grain_of(scope(UnitLevel.COMMUNE), queries.QUARTER) is POINT_ROLLUPS
    assert queries.grain_of(scope(), UnitLevel.PROVINCE) is ROLLUPS
    assert queries.grain_of(scope(UnitLevel.PROVINCE), UnitLevel.DISTRICT) is ROLLUPS
    # A unit's communes are the sums of their desks; the desks have rollups of their own.
    assert queries.grain_of(scope(UnitLevel.PROVINCE), UnitLevel.COMMUNE) is POINT_ROLLUPS
    assert queries.grain_of(scope(UnitLevel.DISTRICT), UnitLevel.COMMUNE) is POINT_ROLLUPS
    assert queries.grain_of(scope(UnitLevel.PROVINCE), queries.POINT) is POINT_ROLLUPS
    # No place: the rollups of provinces and districts would count an answer twice.
    assert queries.grain_of(scope(), queries.OFFICE) is POINT_ROLLUPS
    # Fields: by province (or the provinces of a dataset); a district's or a commune's: cells.
    assert queries.grain_of(scope(UnitLevel.PROVINCE), queries.FIELD) is FIELD_ROLLUPS
    assert queries.grain_of(scope(provinces=(1, 2)), queries.FIELD) is FIELD_ROLLUPS
    assert queries.grain_of(scope(UnitLevel.DISTRICT), queries.FIELD) is CELLS
    assert queries.grain_of(scope(UnitLevel.COMMUNE), queries.FIELD) is CELLS


@contextmanager
def _cells_only():
    with mock.patch.object(queries, "grain_of", lambda *args: CELLS):
        yield


@contextmanager
def _raw_only():
    with mock.patch.object(queries, "split", lambda period: (None, [period])):
        yield


def _figures(query: Query) -> list:
    dataset = db.session.scalar(select(UnitDataset))
    units = db.session.scalars(select(AdminUnit).order_by(AdminUnit.code)).all()
    found: list = [services.nation_scores(dataset, query),
                   services.level_scores(dataset, UnitLevel.DISTRICT, query),
                   breakdowns.by_office_level(None, query, dataset),
                   breakdowns.by_source(None, query, dataset)]  # fmt: skip
    for unit in units:
        found += [services.unit_scores(unit, query), breakdowns.by_office_level(unit, query),
                  breakdowns.by_source(unit, query), breakdowns.by_service_point(unit, query),
                  breakdowns.by_field(unit, query)]  # fmt: skip
        if unit.level != UnitLevel.COMMUNE:
            found += [services.level_scores(dataset, level, query, unit) for level in UnitLevel]
        found.append(sorted(services.quarter_scores(unit, query).items()))
    return [dataclasses.asdict(f) if dataclasses.is_dataclass(f) else
            [_plain(g) for g in f] for f in found]  # fmt: skip


def _plain(found):
    """Return a figure (or a quarter and its figure) as plain values."""
    if isinstance(found, tuple):
        return found[0], dataclasses.asdict(found[1])
    return dataclasses.asdict(found)


def _close(a, b) -> bool:
    """Return whether two figures agree: counts and indices exactly, sums of squares nearly."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_aggregates_give_the_figures_of_raw_answers(survey_app):
    """Property: for any answers and any period, rollups, cells and raw answers agree."""
    survey_app.config["MIN_N"] = 1  # nothing blanked: every figure is compared
    with survey_app.app_context():
        answers = _answers_strategy()
    response = st.tuples(
        st.sampled_from(POINTS),
        st.sampled_from(DAYS_ANSWERED),
        st.sampled_from(list(Channel)),
        st.sampled_from([Mode.ONLINE, Mode.KEYED, Mode.SCANNED]),
        st.booleans(),
        answers,
        st.sampled_from(FIELDS),
    )

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(response, max_size=14), st.sampled_from(WHOLE_MONTHS + DAY_RANGES),
           st.booleans())  # fmt: skip
    def check(responses, period, official):
        query = Query(parse_period(period), OFFICIAL if official else tuple(Source))
        with survey_app.app_context():
            try:
                for point, day, channel, mode, poster, given_answers, field in responses:
                    record(point, given_answers, day, channel, mode, poster and channel == "desk",
                           field)  # fmt: skip
                from_rollups = _figures(query)
                with _cells_only():
                    from_cells = _figures(query)
                with _raw_only():
                    from_raw = _figures(query)
                assert _close(from_rollups, from_raw)
                assert _close(from_cells, from_raw)
            finally:
                db.session.rollback()

    check()


def _points_inside(unit: AdminUnit) -> int:
    """Return how many service points lie inside a unit."""
    inside = select(func.count()).select_from(ServicePoint).join(AdminUnit).where(
        AdminUnit.path.startswith(unit.path))  # fmt: skip
    return db.session.scalar(inside)


def test_quarters_read_at_once_equal_each_quarter_read_alone(survey_app):
    survey_app.config["MIN_N"] = 1
    with survey_app.app_context():
        items = get_questionnaire(KEY).item_keys
        for index, day in enumerate(DAYS_ANSWERED):
            for number, point in enumerate(POINTS):
                record(point, {item: 1 + (index + number) % 5 for item in items}, day)
        db.session.commit()
        whole = Query(parse_period("2026-01-01..2027-03-31"))
        quarters = [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1), date(2027, 1, 1)]
        for unit in db.session.scalars(select(AdminUnit)).all():
            found = services.quarter_scores(unit, whole)
            assert sorted(found) == quarters, unit.code
            for start, figure in found.items():
                quarter = Query(parse_period(f"{start.year}-Q{(start.month - 1) // 3 + 1}"))
                assert figure == services.unit_scores(unit, quarter), (unit.code, start)
                days = 4 if start == date(2026, 7, 1) else 1
                assert figure.n == days * _points_inside(unit), (unit.code, start)
        # A period cut inside its quarters: each quarter holds only the period's days.
        hanoi = db.session.scalar(select(AdminUnit).where(AdminUnit.code == "01"))
        cut = services.quarter_scores(hanoi, Query(parse_period("2026-06-15..2026-07-31")))
        assert {start: f.n for start, f in cut.items()} == {
            date(2026, 4, 1): 6, date(2026, 7, 1): 2 * 6}  # fmt: skip
