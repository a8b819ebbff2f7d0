"""Queries on units and service points, and adding service points by hand."""

import pytest

from satisfaction.core.errors import InputError, NotFound
from satisfaction.extensions import db
from satisfaction.units import services
from satisfaction.units.models import UnitLevel
from tests.units.helpers import snapshot


def test_list_units_by_level_and_parent(app, small_units):
    with app.app_context():
        assert [u.code for u in services.list_units(level="province")] == ["01", "79"]
        assert [u.code for u in services.list_units(level=UnitLevel.DISTRICT)] == [
            "001", "002", "760",
        ]  # fmt: skip
        children = services.list_units(parent_code="001")
        assert [(u.code, u.parent.code) for u in children] == [("00001", "001"), ("00004", "001")]
        everything = services.list_units(dataset="test")
        assert [u.level for u in everything[:2]] == [UnitLevel.PROVINCE] * 2
        assert len(everything) == 9


def test_list_units_refuses_unknowns(app, small_units):
    with app.app_context():
        with pytest.raises(NotFound):
            services.list_units(parent_code="999")
        with pytest.raises(NotFound):
            services.list_units(dataset="nowhere")
        with pytest.raises(InputError) as caught:
            services.list_units(level="village")
        assert caught.value.problems[0].where == "level"


def test_find_unit_and_ancestors(app, small_units):
    with app.app_context():
        phuc_xa = services.find_unit("00001")
        assert phuc_xa.id == small_units["00001"]
        assert [u.code for u in services.ancestors(phuc_xa)] == ["01", "001"]
        assert services.ancestors(services.find_unit("01")) == []
        assert services.find_unit("99999") is None


def test_service_points_of_a_subtree(app, small_units):
    with app.app_context():
        codes = [p.code for p in services.list_service_points(unit_code="01")]
        assert codes == ["P01-T", "D001-T", "D002-T", "C00001-T", "C00004-T", "C00037-T"]
        assert [p.code for p in services.list_service_points(unit_code="00001")] == ["C00001-T"]
        assert len(services.list_service_points()) == 9
        assert [p.code for p in services.own_service_points(services.find_unit("001"))] == [
            "D001-T"
        ]
        with pytest.raises(NotFound):
            services.list_service_points(unit_code="999")


def test_add_service_point(app, small_units):
    with app.app_context():
        point = services.add_service_point(" POST-BD.1 ", "Bưu cục  Ba Đình", "001")
        db.session.commit()
        assert (point.code, point.name, point.level, point.is_generated) == (
            "POST-BD.1", "Bưu cục Ba Đình", UnitLevel.DISTRICT, False,
        )  # fmt: skip
        assert point.unit_id == small_units["001"]
        provincial = services.add_service_point("HN-X", "Sở X", "00001", "test", "province")
        assert provincial.level == UnitLevel.PROVINCE
        db.session.commit()
        assert "POST-BD.1" in [p.code for p in services.list_service_points(unit_code="01")]


@pytest.mark.parametrize(
    ("code", "name", "unit", "level", "wheres"),
    [
        ("c00001-t", "Một cửa", "00001", None, ["code"]),  # taken, whatever the case
        ("X", "Một cửa", "00001", None, ["code"]),
        ("a b", "Một cửa", "00001", None, ["code"]),
        ("OK-1", "   ", "00001", None, ["name"]),
        ("OK-1", "x" * 256, "00001", None, ["name"]),
        ("OK-1", "Một cửa", "99999", None, ["unit"]),
        ("OK-1", "Một cửa", "00001", "village", ["level"]),
        ("!", "", "99999", "village", ["code", "name", "unit", "level"]),
    ],
)
def test_add_service_point_refuses_bad_input(app, small_units, code, name, unit, level, wheres):
    with app.app_context():
        before = snapshot()
        with pytest.raises(InputError) as caught:
            services.add_service_point(code, name, unit, level=level)
        db.session.rollback()
        assert [p.where for p in caught.value.problems] == wheres
        assert snapshot() == before


def test_add_service_point_to_unknown_dataset(app, small_units):
    with app.app_context(), pytest.raises(InputError) as caught:
        services.add_service_point("OK-1", "Một cửa", "00001", dataset="nowhere")
    assert [p.where for p in caught.value.problems] == ["unit"]
