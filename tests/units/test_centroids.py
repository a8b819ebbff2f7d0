"""The communes' centroids: the bundled files, the communes left without one, the loader."""

import csv
import importlib.util
import sqlite3
import sys

from satisfaction.units.centroids import centroids
from satisfaction.units.loading import DATA_DIR, builtin_path
from tests.units.test_successions import SCRIPTS


def _communes(name: str) -> dict[str, list[str]]:
    rows = csv.reader(builtin_path(name).read_text("utf-8").splitlines()[1:])
    return {row[5]: row for row in rows if row[5]}


def _mismatches() -> list[dict]:
    text = (DATA_DIR / "centroids.mismatches.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_commune_has_a_point_or_is_a_reported_mismatch():
    missing = _mismatches()
    for dataset in ("vn-2024", "vn-2025"):
        communes, points = _communes(dataset), centroids(dataset)
        left = {m["code"] for m in missing if m["dataset"] == dataset}
        assert set(points) | left == set(communes) and not set(points) & left
        for m in missing:
            if m["dataset"] == dataset:
                assert communes[m["code"]][4] == m["name"]
        for lat, lon in points.values():  # within Viet Nam, 4 decimals
            assert 8.0 <= lat <= 23.5 and 102.0 <= lon <= 117.5
    # The 19 old communes the package lacks (merged early in 2025); every new commune has one.
    assert [m["dataset"] for m in missing] == ["vn-2024"] * 19
    assert len(centroids("vn-2025")) == 3321


def test_the_points_lie_where_the_communes_are():
    assert centroids("vn-2024")["00001"] == (21.0468, 105.8481)  # Phúc Xá, Hà Nội
    # Every commune's point sits near the others of its province (no commune sent elsewhere).
    for dataset in ("vn-2024", "vn-2025"):
        communes, points = _communes(dataset), centroids(dataset)
        by_province: dict[str, list[tuple[float, float]]] = {}
        for code, point in points.items():
            by_province.setdefault(communes[code][1], []).append(point)
        for province, found in by_province.items():
            lats = sorted(p[0] for p in found)
            middle = lats[len(lats) // 2]
            assert all(abs(lat - middle) < 3.5 for lat in lats), (dataset, province)
    assert centroids("test") == {}  # a list without a file has no points


def test_the_build_writes_the_points_and_the_mismatches(tmp_path):
    """Build from a tiny package database: a matched, a renamed and a missing commune."""
    spec = importlib.util.spec_from_file_location("build", SCRIPTS / "build_unit_datasets.py")
    build = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SCRIPTS))
    spec.loader.exec_module(build)
    header = "Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n"
    ba_dinh = "Thành phố Hà Nội,01,Quận Ba Đình,001,"
    (tmp_path / "vn-2024.csv").write_text(
        header + ba_dinh + "Phường Phúc Xá,00001,Phường\n"
        + ba_dinh + "Phường Trúc Bạch,00004,Phường\n", "utf-8")  # fmt: skip
    (tmp_path / "vn-2025.csv").write_text(
        header + "Thành phố Hà Nội,01,,,Phường Ba Đình,00004,Phường\n", "utf-8")  # fmt: skip
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    db = sqlite3.connect(package / "data" / "dataset.db")
    db.execute("CREATE TABLE admin_units_legacy (districtCode, wardCode, ward, wardLat, wardLon)")
    db.execute("CREATE TABLE admin_units (provinceCode, ward, wardLat, wardLon)")
    db.execute("INSERT INTO admin_units_legacy VALUES ('001', '00001', 'Phường Phúc Xá', "
               "21.046798, 105.848112)")  # fmt: skip
    db.execute("INSERT INTO admin_units VALUES ('01', 'phường  Ba  Đình', 21.03861, 105.83802)")
    db.commit()
    db.close()
    assert build.main(["--centroids", str(package), "--out", str(tmp_path)]) == 0
    old = (tmp_path / "vn-2024.centroids.csv").read_text("utf-8").splitlines()
    assert old == ["code,lat,lon", "00001,21.0468,105.8481"]
    new = (tmp_path / "vn-2025.centroids.csv").read_text("utf-8").splitlines()
    assert new == ["code,lat,lon", "00004,21.0386,105.8380"]  # matched by province and name
    missing = (tmp_path / "centroids.mismatches.csv").read_text("utf-8").splitlines()
    assert missing == ["dataset,code,name,why",
                       "vn-2024,00004,Phường Trúc Bạch,no point in the package"]  # fmt: skip
