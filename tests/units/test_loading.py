"""Loading unit lists: the built-in datasets, imports, re-imports and refusals."""

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.units import loading, services
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset
from tests.units.helpers import DATA, count_points, count_units, snapshot, write_csv

SMALL = DATA / "units-small.csv"


def import_small(name: str = "small", tag: str = "S", **options):
    """Import the small three-tier fixture and commit."""
    summary = services.import_units(SMALL, name, tag=tag, **options)
    db.session.commit()
    return summary


def point(code: str) -> ServicePoint:
    return db.session.scalar(select(ServicePoint).where(ServicePoint.code == code))


@pytest.mark.slow
def test_load_vn_2024_twice(app):
    with app.app_context():
        started = time.perf_counter()
        summary = services.load_builtin("vn-2024")
        db.session.commit()
        elapsed = time.perf_counter() - started
        assert count_units("vn-2024") == {"province": 63, "district": 696, "commune": 10051}
        assert (summary.created, summary.points_created) == (10810, 10810)
        assert count_points("vn-2024") == 10810
        assert elapsed < 30, f"loading vn-2024 took {elapsed:.1f} s"

        hanoi, ba_dinh = services.find_unit("01"), services.find_unit("001")
        phuc_xa = services.find_unit("00001")
        assert (hanoi.name, hanoi.parent, hanoi.path) == ("Thành phố Hà Nội", None, f"/{hanoi.id}/")
        assert (ba_dinh.name, ba_dinh.parent_id) == ("Quận Ba Đình", hanoi.id)
        assert (phuc_xa.name, phuc_xa.kind, phuc_xa.parent_id) == ("Phường Phúc Xá", "Phường",
                                                                   ba_dinh.id)  # fmt: skip
        assert phuc_xa.path == f"/{hanoi.id}/{ba_dinh.id}/{phuc_xa.id}/"
        assert services.ancestors(phuc_xa) == [hanoi, ba_dinh]
        assert services.list_units(parent_code="318") == []  # Bạch Long Vĩ: no communes
        assert point("C00001-24").unit_id == phuc_xa.id
        assert point("P01-24").name == "Trung tâm Phục vụ hành chính công Thành phố Hà Nội"
        assert point("D001-24").name == "Bộ phận Một cửa Quận Ba Đình"
        dataset = services.get_dataset("vn-2024")
        assert (dataset.tag, dataset.valid_from, dataset.valid_to) == (
            "24",
            None,
            date(2025, 6, 30),
        )

        before = snapshot()
        again = services.load_builtin("vn-2024")
        db.session.commit()
        assert not again.changed
        assert (again.unchanged, again.created, again.points_created) == (10810, 0, 0)
        assert snapshot() == before


def test_import_then_reimport_is_idempotent(app):
    with app.app_context():
        summary = import_small(title="Small list", valid_from=date(2020, 1, 1))
        assert count_units("small") == {"province": 3, "district": 4, "commune": 5}
        assert (summary.created, summary.points_created, count_points("small")) == (12, 12, 12)
        assert point("C00001-S").is_generated
        before = snapshot()
        again = import_small()
        assert not again.changed and again.unchanged == 12
        assert snapshot() == before


def test_reimport_updates_moves_adds_and_retires(app, tmp_path):
    with app.app_context():
        import_small()
        changed = write_csv(
            tmp_path / "changed.csv",
            "Thành phố Hà Nội,01,Quận Ba Đình,001,Phường Phúc Xá Mới,00001,Phường",
            "Thành phố Hà Nội,01,Quận Ba Đình,001,Xã Bắc Sơn,00379,Xã",
            "Thành phố Hà Nội,01,Huyện Sóc Sơn,016,Thị trấn Sóc Sơn,00376,Thị trấn",
            "Thành phố Hải Phòng,31,Huyện Bạch Long Vĩ,318,,,",
            "Thành phố Hồ Chí Minh,79,Quận 1,760,Phường Tân Định,26734,Phường",
            "Thành phố Hồ Chí Minh,79,Quận 1,760,Phường Đa Kao,26737,Phường",
        )
        summary = services.import_units(changed, "small")
        db.session.commit()
        # Renamed 00001, moved 00379 to Ba Đình, added 26737, dropped 00004 (Trúc Bạch).
        assert (summary.created, summary.updated, summary.retired) == (1, 2, 1)
        assert summary.points_created == 1 and summary.points_updated == 1
        yesterday = date.today() - timedelta(days=1)
        truc_bach = services.find_unit("00004", "small")
        assert truc_bach is not None and truc_bach.valid_to == yesterday
        assert point("C00004-S") is not None  # its service point is kept
        assert "00004" not in [u.code for u in services.list_units("small", parent_code="001")]
        ba_dinh, bac_son = services.find_unit("001", "small"), services.find_unit("00379", "small")
        assert bac_son.parent_id == ba_dinh.id and bac_son.path == f"{ba_dinh.path}{bac_son.id}/"
        assert services.find_unit("26737", "small").valid_from == date.today()
        assert point("C00001-S").name == "Bộ phận Một cửa Phường Phúc Xá Mới"

        back = import_small()
        assert back.updated == 3 and back.retired == 1  # 00004 returns, 26737 retires
        assert services.find_unit("00004", "small").valid_to is None


def test_two_tier_import_into_three_tier_dataset_retires_districts(app, tmp_path):
    with app.app_context():
        import_small()
        two_tier = write_csv(tmp_path / "2t.csv", "Thành phố Hà Nội,01,,,Phường Phúc Xá,1,Phường")
        summary = services.import_units(two_tier, "small")
        db.session.commit()
        hanoi, phuc_xa = services.find_unit("01", "small"), services.find_unit("00001", "small")
        assert phuc_xa.parent_id == hanoi.id and phuc_xa.path == f"/{hanoi.id}/{phuc_xa.id}/"
        assert summary.retired == 2 + 4 + 4  # provinces 31, 79; every district; four communes
        assert [u.code for u in services.list_units("small")] == ["01", "00001"]


def test_bad_file_changes_nothing(app):
    with app.app_context():
        import_small()
        before = snapshot()
        with pytest.raises(InputError) as caught:
            services.import_units(DATA / "units-bad.csv", "small")
        db.session.rollback()
        assert [p.where.split(",")[0] for p in caught.value.problems] == [
            "dòng 3", "dòng 4", "dòng 5", "dòng 6", "dòng 7", "dòng 8",
        ]  # fmt: skip
        assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "options", "where"),
    [
        ("Bad Name!", {"tag": "B"}, "dataset"),
        ("other", {"tag": "S"}, "tag"),  # taken by "small"
        ("other", {"tag": "too-long-tag"}, "tag"),
        ("small", {"tag": "X"}, "tag"),  # a dataset's tag never changes
        ("other", {"tag": "O", "valid_from": date(2026, 1, 2), "valid_to": date(2026, 1, 1)},
         "valid_to"),
    ],
)  # fmt: skip
def test_bad_dataset_details_change_nothing(app, name, options, where):
    with app.app_context():
        import_small()
        before = snapshot()
        with pytest.raises(InputError) as caught:
            services.import_units(SMALL, name, **options)
        db.session.rollback()
        assert [p.where for p in caught.value.problems] == [where]
        assert snapshot() == before


def test_unknown_builtin(app):
    with app.app_context(), pytest.raises(InputError) as caught:
        services.load_builtin("vn-1999")
    assert caught.value.problems[0].where == "dataset"


def test_database_error_undoes_the_load(app, monkeypatch):
    def clash(dataset: UnitDataset) -> tuple[int, int]:
        # A second dataset with the same tag breaks a unique constraint after the units are in.
        db.session.execute(insert(UnitDataset), [{"name": "clash", "tag": dataset.tag,
                                                  "title": "clash", "source": ""}])  # fmt: skip
        return 0, 0

    with app.app_context():
        import_small()
        before = snapshot()
        monkeypatch.setattr(loading, "generate_service_points", clash)
        with pytest.raises(IntegrityError):
            services.import_units(SMALL, "second", tag="S2")
        # The savepoint is gone and the session still works.
        assert db.session.scalar(select(AdminUnit.id).where(AdminUnit.code == "00001"))
        assert snapshot() == before
        db.session.rollback()


def test_current_dataset_follows_validity(app, tmp_path):
    with app.app_context():
        assert services.current_dataset() is None
        import_small("old", "O", valid_to=date(2025, 6, 30))
        assert services.current_dataset().name == "old"  # the only one: the latest loaded
        two_tier = write_csv(tmp_path / "2t.csv", "Thành phố Hà Nội,1,,,Phường Ba Đình,4,Phường")
        services.import_units(two_tier, "new", tag="N", valid_from=date(2025, 7, 1))
        db.session.commit()
        assert services.current_dataset().name == "new"
        import_small("old", "O")  # reloading the old list does not make it current
        assert services.current_dataset().name == "new"
        assert services.find_unit("00004").parent.code == "01"
        assert services.find_unit("00004", "nowhere") is None
