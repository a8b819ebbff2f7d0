"""The units and service-points commands."""

import pytest

from tests.units.helpers import DATA, count_points, count_units, snapshot, write_csv


def run(runner, *args: str, code: int = 0):
    """Invoke a command and check its exit code, showing its output when it differs."""
    result = runner.invoke(args=list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.mark.slow
def test_load_vn_2025_twice_and_list(app, runner):
    run(runner, "units", "load", "vn-2025")
    with app.app_context():
        assert count_units("vn-2025") == {"province": 34, "commune": 3321}
        assert count_points("vn-2025") == 3355
        before = snapshot()
    result = run(runner, "units", "load", "vn-2025")
    assert len(result.output.strip().splitlines()) == 1, result.output
    with app.app_context():
        assert snapshot() == before

    lines = run(runner, "units", "list", "--level", "province", "--format", "csv").output
    lines = lines.splitlines()
    assert lines[0] == "code,name,level,parent_code" and len(lines) == 35
    assert "01,Thành phố Hà Nội,province," in lines
    assert "79,Thành phố Hồ Chí Minh,province," in lines
    hanoi = run(runner, "units", "list", "--parent", "01", "--format", "csv").output.splitlines()
    assert all(line.endswith(",commune,01") for line in hanoi[1:]), hanoi[:3]
    assert "00004,Phường Ba Đình,commune,01" in hanoi
    points = run(runner, "service-points", "list", "--unit", "01", "--format", "csv").output
    points = points.splitlines()
    assert points[:2] == [
        "code,name,level,unit_code",
        "P01-25,Trung tâm Phục vụ hành chính công Thành phố Hà Nội,province,01",
    ]
    assert len(points) == 1 + 1 + len(hanoi) - 1


def test_import_and_list(app, runner):
    result = run(runner, "units", "import", str(DATA / "units-small.csv"), "--tag", "S",
                 "--title", "Small", "--valid-from", "2020-01-01")  # fmt: skip
    assert len(result.output.strip().splitlines()) == 1, result.output
    # Without --dataset the dataset is named after the file.
    lines = run(runner, "units", "list", "--dataset", "units-small", "--parent", "001",
                "--format", "csv").output.splitlines()  # fmt: skip
    assert lines == [
        "code,name,level,parent_code",
        "00001,Phường Phúc Xá,commune,001",
        "00004,Phường Trúc Bạch,commune,001",
    ]
    table = run(runner, "units", "list", "--level", "district").output.splitlines()
    assert table[0].split() == ["code", "name", "level", "parent_code"] and len(table) == 5
    assert table[1].split()[0] == "001"


def test_import_refuses_a_bad_file(app, runner, tmp_path):
    run(runner, "units", "import", str(DATA / "units-small.csv"), "--dataset", "small")
    with app.app_context():
        before = snapshot()
    result = run(runner, "units", "import", str(DATA / "units-bad.csv"), "--dataset", "small",
                 code=1)  # fmt: skip
    problems = result.stderr.splitlines()
    assert [p.split(":")[0] for p in problems] == [
        "dòng 3, cột Mã TP", "dòng 4, cột Phường Xã", "dòng 5, cột Mã PX",
        "dòng 6, cột Mã QH", "dòng 7, cột Mã QH", "dòng 8, cột Mã PX",
    ]  # fmt: skip
    not_a_table = tmp_path / "scan.pdf"
    not_a_table.write_bytes(b"%PDF-1.4\x00\x00")
    result = run(runner, "units", "import", str(not_a_table), "--dataset", "small", code=1)
    assert len(result.stderr.splitlines()) == 1, result.output
    missing = write_csv(tmp_path / "x.csv", "Hà Nội,01,Ba Đình,001,Phúc Xá,,Phường")
    result = run(runner, "units", "import", str(missing), "--dataset", "small", code=1)
    assert result.stderr.startswith("dòng 2, cột Mã PX"), result.output
    with app.app_context():
        assert snapshot() == before
    result = run(runner, "units", "import", str(missing), "--valid-from", "1/7/2025", code=2)
    assert "--valid-from" in result.output


def test_service_points_add_and_list(app, runner, small_units):
    result = run(runner, "service-points", "add", "POST-BD", "--name", "Bưu cục Ba Đình",
                 "--unit", "001")  # fmt: skip
    assert "POST-BD" in result.output
    lines = run(runner, "service-points", "list", "--unit", "001", "--format", "csv").output
    assert lines.splitlines() == [
        "code,name,level,unit_code",
        "D001-T,Một cửa Quận Ba Đình,district,001",
        "POST-BD,Bưu cục Ba Đình,district,001",
        "C00001-T,Một cửa Phường Phúc Xá,commune,00001",
        "C00004-T,Một cửa Phường Trúc Bạch,commune,00004",
    ]
    table = run(runner, "service-points", "list", "--dataset", "test").output.splitlines()
    assert table[0].split() == ["code", "name", "level", "unit_code"] and len(table) == 11


def test_service_points_refusals(app, runner, small_units):
    with app.app_context():
        before = snapshot()
    result = run(runner, "service-points", "add", "D001-T", "--name", " ", "--unit", "99999",
                 code=1)  # fmt: skip
    assert [p.split(":")[0] for p in result.stderr.splitlines()] == ["code", "name", "unit"]
    result = run(runner, "service-points", "list", "--unit", "999", code=1)
    assert "999" in result.stderr
    result = run(runner, "units", "list", "--parent", "999", code=1)
    assert "999" in result.stderr
    result = run(runner, "units", "list", "--dataset", "nowhere", code=1)
    assert "nowhere" in result.stderr
    with app.app_context():
        assert snapshot() == before


def test_unknown_builtin_is_a_usage_error(runner):
    result = run(runner, "units", "load", "vn-1999", code=2)
    assert "vn-2024" in result.output
