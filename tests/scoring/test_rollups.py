"""Figures read from the monthly rollups equal the figures read from the day cells."""

import dataclasses
import math
from contextlib import contextmanager
from datetime import date
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.scoring import breakdowns, queries, services
from satisfaction.scoring.models import DAYS, MONTHS, OFFICIAL, Source
from satisfaction.scoring.periods import parse_period
from satisfaction.scoring.services import Query
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel
from tests.scoring.helpers import record
from tests.scoring.test_aggregates import _answers_strategy

POINTS = ("P01-T", "P79-T", "D001-T", "D002-T", "D760-T", "C00001-T", "C00004-T", "C00037-T",
          "C26734-T")  # fmt: skip
DAYS_ANSWERED = (date(2026, 6, 30), date(2026, 7, 1), date(2026, 7, 31), date(2026, 8, 15),
                 date(2026, 9, 30), date(2026, 10, 1), date(2027, 1, 1))  # fmt: skip
WHOLE_MONTHS = ("", "2026", "2026-Q3", "2026-07", "2026-07-01..2026-09-30",
                "2026-06-01..2027-01-31")  # fmt: skip


def test_whole_months_are_told_from_day_ranges():
    for text in WHOLE_MONTHS + ("2024-02-01..2024-02-29",):
        assert queries.whole_months(parse_period(text)), text
    for text in ("2026-07-01..2026-07-30", "2026-07-02..2026-07-31", "2024-02-01..2024-02-28"):
        assert not queries.whole_months(parse_period(text)), text


def test_communes_and_day_ranges_read_day_cells():
    whole, days = Query(parse_period("2026-Q3")), Query(parse_period("2026-07-01..2026-07-30"))
    assert services.grain_for(whole, UnitLevel.PROVINCE) is MONTHS
    assert services.grain_for(whole, UnitLevel.DISTRICT) is MONTHS
    assert services.grain_for(whole, UnitLevel.COMMUNE) is DAYS
    assert services.grain_for(days, UnitLevel.PROVINCE) is DAYS


@contextmanager
def _day_cells_only():
    with (
        mock.patch.object(services, "grain_for", lambda *args: DAYS),
        mock.patch.object(breakdowns, "grain_for", lambda *args: DAYS),
    ):
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
                  breakdowns.by_source(unit, query)]  # fmt: skip
        if unit.level != UnitLevel.COMMUNE:
            found += [services.level_scores(dataset, level, query, unit) for level in UnitLevel]
    return [dataclasses.asdict(f) if dataclasses.is_dataclass(f) else
            [dataclasses.asdict(g) for g in f] for f in found]  # fmt: skip


def _close(a, b) -> bool:
    """Return whether two figures agree: counts and indices exactly, sums of squares nearly."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_rollups_give_the_figures_of_day_cells(survey_app):
    """Property: for any answers and any whole-month period, rollups and day cells agree."""
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
    )

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(response, max_size=14), st.sampled_from(WHOLE_MONTHS), st.booleans())
    def check(responses, period, official):
        query = Query(parse_period(period), OFFICIAL if official else tuple(Source))
        with survey_app.app_context():
            try:
                for point, day, channel, mode, poster, given_answers in responses:
                    record(point, given_answers, day, channel, mode, poster and channel == "desk")
                from_rollups = _figures(query)
                with _day_cells_only():
                    from_days = _figures(query)
                assert _close(from_rollups, from_days)
            finally:
                db.session.rollback()

    check()
