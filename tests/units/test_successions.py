"""The correspondence of the 2025 reform: the bundled file, its mismatches, and its loading."""

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.units import successions
from satisfaction.units.loading import DATA_DIR, builtin_path
from satisfaction.units.models import UnitSuccession
from satisfaction.units.queries import get_unit

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _rows(name: str) -> list[dict]:
    return list(csv.DictReader((DATA_DIR / name).read_text("utf-8").splitlines()))


def _list(name: str) -> list[list[str]]:
    return list(csv.reader(builtin_path(name).read_text("utf-8").splitlines()))[1:]


@pytest.fixture(scope="module")
def bundled():
    """The correspondence, the mismatches and both lists, indexed by code."""
    old = {r[5]: r for r in _list("vn-2024") if r[5]}
    new = {r[5]: r for r in _list("vn-2025")}
    rows = _rows("vn-2024-to-vn-2025.csv")
    return {"old": old, "new": new, "rows": rows,
            "mismatches": _rows("vn-2024-to-vn-2025.mismatches.csv")}  # fmt: skip


def test_every_old_unit_has_one_successor_or_is_a_reported_mismatch(bundled):
    communes = {r["old_code"]: r for r in bundled["rows"] if r["level"] == "commune"}
    assert len(communes) == sum(1 for r in bundled["rows"] if r["level"] == "commune")
    unmapped = {m["code"] for m in bundled["mismatches"]
                if m["kind"] == "old commune without a new commune"}  # fmt: skip
    assert set(bundled["old"]) == set(communes) | unmapped
    assert not set(communes) & unmapped
    assert all(r["new_code"] in bundled["new"] for r in communes.values())
    provinces = {r["old_code"]: r["new_code"] for r in bundled["rows"] if r["level"] == "province"}
    assert len(provinces) == 63 and len(set(provinces.values())) == 34
    assert Counter(r["level"] for r in bundled["rows"])["district"] == 5  # the island districts


def test_a_commune_goes_into_the_new_province_of_its_province(bundled):
    provinces = {r["old_code"]: r["new_code"] for r in bundled["rows"] if r["level"] == "province"}
    for row in bundled["rows"]:
        if row["level"] == "commune":
            old, new = bundled["old"][row["old_code"]], bundled["new"][row["new_code"]]
            assert provinces[old[1]] == new[1], row


def test_the_provinces_of_the_issue(bundled):
    provinces = {r["old_code"]: r["new_code"] for r in bundled["rows"] if r["level"] == "province"}
    assert {code for code, new in provinces.items() if new == "08"} == {"02", "08"}  # Tuyên Quang
    assert {code for code, new in provinces.items() if new == "31"} == {"30", "31"}  # Hải Phòng
    assert {code for code, new in provinces.items() if new == "92"} == {"92", "93", "94"}


def test_the_reported_mismatches_still_hold(bundled):
    kinds = Counter(m["kind"] for m in bundled["mismatches"])
    assert kinds == {
        "old commune name differs": 180,
        "new commune code differs (matched by name)": 123,
        "old commune without a new commune": 19,
        "old commune code differs (matched by district and name)": 7,
        "old commune not in our list": 3,
        "new commune no old commune counts in": 1,
    }
    for m in bundled["mismatches"]:
        if m["kind"] in ("old commune name differs", "old commune without a new commune"):
            assert bundled["old"][m["code"]][4] == m["ours"]
        if m["kind"] == "old commune not in our list":
            assert m["code"] not in bundled["old"]
        if m["kind"] == "new commune no old commune counts in":
            assert m["code"] not in {r["new_code"] for r in bundled["rows"]}


def test_names_match_whatever_the_tone_mark_placement():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("unit_correspondence",
                                                  SCRIPTS / "unit_correspondence.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    key = module.name_key
    assert key("Phường Yên Hoà") == key("Phường Yên Hòa")
    assert key("Xã Thuỵ Lâm") == key("Xã Thụy Lâm")
    assert key("Phường Văn Miếu - Quốc Tử Giám") == key("Phường Văn Miếu Quốc Tử Giám")
    assert key("Xã Ea H’leo") == key("Xã Ea H'Leo")
    assert key("Xã Tân An") != key("Xã Tân Ân")


def test_loading_both_lists_links_them_once(app, runner):
    assert runner.invoke(args=["units", "load", "vn-2025"]).exit_code == 0
    result = runner.invoke(args=["units", "load", "vn-2024"])
    assert result.exit_code == 0, result.output
    assert "vn-2024 -> vn-2025: 10100 đơn vị cũ được tính vào đơn vị mới" in result.output
    again = runner.invoke(args=["units", "load", "vn-2024"])
    assert again.exit_code == 0 and "không có gì thay đổi" in again.output.splitlines()[-1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UnitSuccession)) == 10100
        tuyen_quang = get_unit("08", "vn-2025")
        formed = [u.code for u in successions.formed_of(tuyen_quang)]
        assert formed == ["02", "08"]
        ha_giang = get_unit("02", "vn-2024")
        assert [(u.code, split) for u, split in successions.after(ha_giang)] == [("08", False)]
