"""The maintainer's tool that builds the built-in unit lists."""

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from satisfaction.units.models import UnitLevel
from satisfaction.units.parsing import parse_units

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_unit_datasets.py"


@pytest.fixture(scope="module")
def build():
    """Import the script as a module."""
    spec = importlib.util.spec_from_file_location("build_unit_datasets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ward(code: int, name: str, kind: str = "xã") -> dict:
    return {"code": code, "name": name, "division_type": kind}


def release(tmp_path: Path, provinces: list[dict]) -> Path:
    """Write a fake unzipped release holding provinces."""
    data = tmp_path / "release" / "vietnam_provinces" / "data"
    data.mkdir(parents=True)
    (data / "nested-divisions.json").write_text(json.dumps(provinces), encoding="utf-8")
    return tmp_path / "release"


THREE_TIERS = [
    {"code": 1, "name": "Thành phố Hà Nội", "division_type": "tỉnh", "districts": [
        {"code": 1, "name": "Quận Ba Đình", "division_type": "huyện", "wards": [
            ward(4, "Phường Trúc Bạch"), ward(1, "Phường Phúc Xá")]},
        {"code": 16, "name": "Huyện Sóc Sơn", "division_type": "huyện", "wards": [
            ward(376, "Thị trấn Sóc Sơn")]},
    ]},
    {"code": 6, "name": "Tỉnh Bắc Kạn", "division_type": "tỉnh", "districts": [
        {"code": 58, "name": "Thành Phố Bắc Kạn", "division_type": "huyện", "wards": []}]},
]  # fmt: skip


def test_three_tiers(build, tmp_path):
    out = tmp_path / "out"
    assert build.main([str(release(tmp_path, THREE_TIERS)), "--out", str(out)]) == 0
    assert (out / "vn-2024.csv").read_text("utf-8").splitlines() == [
        "Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp",
        "Thành phố Hà Nội,01,Quận Ba Đình,001,Phường Phúc Xá,00001,Phường",
        "Thành phố Hà Nội,01,Quận Ba Đình,001,Phường Trúc Bạch,00004,Phường",
        "Thành phố Hà Nội,01,Huyện Sóc Sơn,016,Thị trấn Sóc Sơn,00376,Thị trấn",
        "Tỉnh Bắc Kạn,06,Thành phố Bắc Kạn,058,,,",
    ]
    assert parse_units(out / "vn-2024.csv").count(UnitLevel.DISTRICT) == 3


def test_two_tiers(build, tmp_path):
    wards = [ward(7192, "Đặc khu Cô Tô", "đặc khu"), ward(6658, "Phường Hạ Long", "phường")]
    provinces = [{"code": 22, "name": "Quảng Ninh", "division_type": "tỉnh", "wards": wards}]
    out = tmp_path / "out"
    build.main([str(release(tmp_path, provinces)), "--out", str(out)])
    assert (out / "vn-2025.csv").read_text("utf-8").splitlines()[1:] == [
        "Tỉnh Quảng Ninh,22,,,Phường Hạ Long,06658,Phường",
        "Tỉnh Quảng Ninh,22,,,Đặc khu Cô Tô,07192,Đặc khu",
    ]


def test_large_files_are_gzipped_reproducibly(build, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "GZIP_ABOVE", 10)
    source, out = release(tmp_path, THREE_TIERS), tmp_path / "out"
    (out).mkdir()
    (out / "vn-2024.csv").write_text("stale", encoding="utf-8")
    build.main([str(source), "--out", str(out)])
    first = (out / "vn-2024.csv.gz").read_bytes()
    assert not (out / "vn-2024.csv").exists()
    build.main([str(source), "--out", str(out)])
    assert (out / "vn-2024.csv.gz").read_bytes() == first
    assert gzip.decompress(first).decode("utf-8").startswith("Tỉnh / Thành phố,Mã TP")
    assert parse_units(out / "vn-2024.csv.gz").count(UnitLevel.COMMUNE) == 3
