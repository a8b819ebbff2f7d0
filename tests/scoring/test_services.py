"""Scores for units and periods: roll-ups, the nation two ways, office levels, MIN_N."""

import pytest
from sqlalchemy import select

from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.scoring import breakdowns, services
from satisfaction.scoring.models import Source
from satisfaction.scoring.services import Query
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel
from tests.scoring.helpers import record


def _unit(code: str) -> AdminUnit:
    return db.session.scalar(select(AdminUnit).where(AdminUnit.code == code))


def _dataset() -> UnitDataset:
    return db.session.scalar(select(UnitDataset))


def test_a_district_pools_its_own_desk_and_its_communes(scored):
    with scored.app_context():
        figure = services.unit_scores(_unit("001"))
        assert figure.n == 8  # D001 2, C00001 4, C00004 2
        assert figure.scores.index.value == pytest.approx(600 / 8)
        assert figure.scores.elements["staff"].value == pytest.approx(75.0)
        assert figure.scores.items["staff.courtesy"].n == 8
        low, high = figure.scores.index.low, figure.scores.index.high
        assert low < 75.0 < high


def test_a_province_pools_everything_inside_it(scored):
    with scored.app_context():
        assert services.unit_scores(_unit("01")).scores.index.value == pytest.approx(800 / 11)
        assert services.unit_scores(_unit("00037")).scores.index.value == pytest.approx(100.0)


def test_the_nation_is_the_mean_of_provinces_and_pooled(scored):
    with scored.app_context():
        nation = services.nation_scores(_dataset())
        assert nation.mean_of_provinces.scores.index.value == pytest.approx((800 / 11 + 25) / 2)
        assert nation.pooled.scores.index.value == pytest.approx(900 / 15)
        assert "2" in nation.mean_of_provinces.name
        assert nation.pooled.name != nation.mean_of_provinces.name
        assert [p.rank for p in nation.provinces] == [1, 2]


def test_the_poster_is_kept_apart_and_periods_filter(scored):
    with scored.app_context():
        poster = Query(sources=(Source.POSTER,))
        assert services.unit_scores(_unit("00001"), poster).scores.index.value == 0.0
        assert services.unit_scores(_unit("00001")).n == 4
        august = Query(period=services.period_of("2026-08"), sources=tuple(Source))
        assert services.unit_scores(_unit("00001"), august).n == 2
        quarter = Query(period=services.period_of("2026-Q3"), sources=tuple(Source))
        assert services.unit_scores(_unit("00001"), quarter).n == 6
        assert services.unit_scores(_unit("01"), Query(services.period_of("2025"))).n == 0


def test_too_few_answers_is_blank_and_not_ranked(scored):
    scored.config["MIN_N"] = 3
    with scored.app_context():
        communes = services.level_scores(_dataset(), UnitLevel.COMMUNE)
        by_code = {f.code: f for f in communes}
        assert by_code["00004"].n == 2 and not by_code["00004"].enough
        assert by_code["00004"].scores.index.value is None
        assert by_code["00004"].scores.items == {}  # a list's figures: index and elements
        assert all(e.value is None for e in by_code["00004"].scores.elements.values())
        alone = services.unit_scores(_unit("00004"))
        assert alone.scores.items["staff.courtesy"].value is None
        assert alone.scores.items["staff.courtesy"].n > 0
        assert by_code["00004"].rank is None
        assert (by_code["00001"].rank, by_code["26734"].rank) == (1, 2)
        inside = services.level_scores(_dataset(), UnitLevel.COMMUNE, parent=_unit("001"))
        assert [f.code for f in inside] == ["00001", "00004"]


def test_the_view_by_office_level_hides_small_groups(scored):
    with scored.app_context():
        levels = breakdowns.by_office_level(None, dataset=_dataset())
        # Provincial centre: 1 answer, district desks: 2 -> fewer than 5, not shown.
        assert [f.code for f in levels] == ["commune"]
        assert levels[0].scores.index.value == pytest.approx(700 / 12)
        split = breakdowns.by_source(_unit("00001"), Query(sources=tuple(Source)))
        assert [f.code for f in split] == []  # 4 by envelope, 2 by poster: too few


def test_comments_need_five(scored):
    with scored.app_context():
        for n in range(4):
            record("C00004-T", {"access.info": 4, "comment": f"góp ý {n}"})
        assert breakdowns.comments(_unit("00004")) == breakdowns.Comments()
        record("C00004-T", {"access.info": 4, "comment": "góp ý 4"})
        found = breakdowns.comments(_unit("001"))
        assert found.total == 5
        assert sorted(found.shown) == [f"góp ý {n}" for n in range(5)]
        assert breakdowns.comments(_unit("001"), Query(sources=(Source.POSTER,))).total == 0


def test_a_page_shows_a_sample_of_many_comments(scored, monkeypatch):
    monkeypatch.setattr(breakdowns, "COMMENTS_SHOWN", 3)
    with scored.app_context():
        for n in range(7):
            record("C00004-T", {"access.info": 4, "comment": f"góp ý {n}"})
        found = breakdowns.comments(_unit("001"))
        assert found.total == 7
        assert len(found.shown) == 3
        assert set(found.shown) < {f"góp ý {n}" for n in range(7)}
        assert breakdowns.comments(_unit("001")) == found  # the same sample on every visit


def test_a_bad_period_names_the_field(scored):
    with scored.app_context(), pytest.raises(InputError) as error:
        services.period_of("2026-13")
    assert error.value.problems[0].where == "period"
