"""Reading and checking GSO-layout unit lists (pure: no app, no database)."""

import gzip
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from satisfaction.core.errors import InputError
from satisfaction.units.models import UnitLevel
from satisfaction.units.parsing import parse_units

DATA = Path(__file__).resolve().parent.parent / "data"
GSO_HEADER = "Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp"
HANOI = "Thành phố Hà Nội,01,Quận Ba Đình,001"


def problems_of(source) -> list[str]:
    """Return the places of the problems found in source."""
    with pytest.raises(InputError) as caught:
        parse_units(source)
    return [p.where for p in caught.value.problems]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def codes(parsed, level: UnitLevel) -> list[str]:
    return list(parsed.units[level])


def test_good_csv_with_bom():
    parsed = parse_units(DATA / "units-small.csv")
    assert parsed.three_tiers
    assert codes(parsed, UnitLevel.PROVINCE) == ["01", "31", "79"]
    assert codes(parsed, UnitLevel.DISTRICT) == ["001", "016", "318", "760"]
    assert codes(parsed, UnitLevel.COMMUNE) == ["00001", "00004", "00376", "00379", "26734"]
    phuc_xa = parsed.units[UnitLevel.COMMUNE]["00001"]
    assert (phuc_xa.name, phuc_xa.kind, phuc_xa.parent_code) == ("Phường Phúc Xá", "Phường", "001")
    assert parsed.units[UnitLevel.DISTRICT]["001"].parent_code == "01"
    assert parsed.units[UnitLevel.DISTRICT]["016"].kind == "Huyện"
    assert parsed.units[UnitLevel.PROVINCE]["01"].kind == "Thành phố"
    # An island district without communes is kept.
    assert parsed.units[UnitLevel.DISTRICT]["318"].name == "Huyện Bạch Long Vĩ"


def test_bom_stream_and_gzip_read_alike():
    data = (DATA / "units-small.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    plain = parse_units(io.BytesIO(data[3:]))
    assert parse_units(data).units == plain.units
    assert parse_units(gzip.compress(data)).units == plain.units


def test_xlsx_with_numeric_codes(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Tỉnh / Thành phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"])
    # Excel keeps codes as numbers and drops their leading zeros.
    sheet.append(["Thành phố Hà Nội", 1, "Quận Ba Đình", 1, "Phường Phúc Xá", 1, "Phường"])
    sheet.append(["Thành phố Hà Nội", 1.0, "Quận Ba Đình", "001", "Phường Trúc Bạch", 4, None])
    path = tmp_path / "units.xlsx"
    book.save(path)
    parsed = parse_units(path)
    assert codes(parsed, UnitLevel.PROVINCE) == ["01"]
    assert codes(parsed, UnitLevel.COMMUNE) == ["00001", "00004"]
    # Without the level column the kind comes from the name.
    assert parsed.units[UnitLevel.COMMUNE]["00004"].kind == "Phường"


@pytest.mark.parametrize(
    "header",
    [
        "tinh / thanh pho,ma tp,quan huyen,ma qh,phuong xa,ma px,cap",
        "  TỈNH/THÀNH PHỐ , MÃ  TP ,Quận  Huyện,Mã QH,PHƯỜNG XÃ,Mã PX,CẤP",
        "province_name,province_code,district_name,district_code,commune_name,commune_code,level",
        "Province Name;Province Code;District Name;District Code;Commune Name;Commune Code;Level",
    ],
)
def test_header_variants(header):
    separator = ";" if ";" in header else ","
    row = separator.join(["Thành phố Hà Nội", "01", "Quận Ba Đình", "001", "Phường Phúc Xá",
                          "00001", "Phường"])  # fmt: skip
    parsed = parse_units(csv_bytes(header, row))
    assert codes(parsed, UnitLevel.COMMUNE) == ["00001"]
    assert parsed.units[UnitLevel.COMMUNE]["00001"].parent_code == "001"


def test_extra_columns_are_ignored_and_short_codes_padded():
    parsed = parse_units(csv_bytes(GSO_HEADER + ",Tên Tiếng Anh", "Thành phố Hà Nội,1,Quận Ba Đình,"
                                   "1,Phường Phúc Xá,1,Phường,Phuc Xa Ward"))  # fmt: skip
    assert codes(parsed, UnitLevel.COMMUNE) == ["00001"]
    assert codes(parsed, UnitLevel.DISTRICT) == ["001"]


def test_two_tier_without_district_columns():
    parsed = parse_units(csv_bytes(
        "Tỉnh / Thành phố,Mã TP,Phường Xã,Mã PX,Cấp",
        "Thành phố Hà Nội,01,Phường Ba Đình,00004,Phường",
        "Tỉnh Quảng Ninh,22,Đặc khu Cô Tô,07192,Đặc khu",
    ))  # fmt: skip
    assert not parsed.three_tiers
    assert parsed.count(UnitLevel.DISTRICT) == 0
    co_to = parsed.units[UnitLevel.COMMUNE]["07192"]
    assert (co_to.parent_code, co_to.kind) == ("22", "Đặc khu")


def test_two_tier_with_empty_district_columns():
    parsed = parse_units(csv_bytes(GSO_HEADER, "Thành phố Hà Nội,01,,,Phường Ba Đình,00004,Phường"))
    assert not parsed.three_tiers
    assert parsed.units[UnitLevel.COMMUNE]["00004"].parent_code == "01"


def test_every_bad_line_is_named():
    wheres = problems_of(DATA / "units-bad.csv")
    assert wheres == [
        "line 3, column Mã TP",  # not a number
        "line 4, column Phường Xã",  # name missing
        "line 5, column Mã PX",  # duplicate commune
        "line 6, column Mã QH",  # another name for district 001
        "line 7, column Mã QH",  # district 001 in another province
        "line 8, column Mã PX",  # six digits
    ]


def test_problem_messages_carry_codes_and_lines():
    with pytest.raises(InputError) as caught:
        parse_units(DATA / "units-bad.csv")
    messages = [p.message for p in caught.value.problems]
    assert "1A" in messages[0]
    assert "00001" in messages[2] and "2" in messages[2]
    assert "123456" in messages[5]


def test_missing_columns_are_named():
    with pytest.raises(InputError) as caught:
        parse_units(csv_bytes("Tỉnh / Thành phố,Quận Huyện,Mã QH,Phường Xã", "Hà Nội,x,001,y"))
    problems = caught.value.problems
    assert [p.where for p in problems] == ["line 1", "line 1"]
    assert "Mã TP" in problems[0].message and "province_code" in problems[0].message
    assert "Mã PX" in problems[1].message and "commune_code" in problems[1].message


def test_duplicate_column_and_half_district_columns():
    header = "Tỉnh,Mã TP,Mã QH,Phường Xã,Mã PX,Mã PX"
    with pytest.raises(InputError) as caught:
        parse_units(csv_bytes(header, "Hà Nội,01,001,Phúc Xá,00001,00001"))
    problems = caught.value.problems
    assert problems[0].where == "line 1, column Mã PX"
    assert "district_name" in problems[1].message


def test_commune_without_district_in_three_tier_file():
    wheres = problems_of(csv_bytes(
        GSO_HEADER, HANOI + ",Phường Phúc Xá,00001,Phường",
        "Thành phố Hà Nội,01,,,Phường Trúc Bạch,00004,Phường",
    ))  # fmt: skip
    assert wheres == ["line 3, column Mã QH", "line 3, column Quận Huyện"]


def test_name_too_long_and_bad_codes():
    long_name = "Xã " + "a" * 300
    wheres = problems_of(csv_bytes(
        GSO_HEADER,
        HANOI + f",{long_name},00001,Xã",
        HANOI + ",Phường A,-1,Phường",
        HANOI + ",Phường B,٣,Phường",
        "Thành phố Hà Nội,001,Quận Ba Đình,001,Phường C,00010,Phường",
    ))  # fmt: skip
    assert wheres == ["line 2, column Phường Xã", "line 3, column Mã PX", "line 4, column Mã PX",
                      "line 5, column Mã TP"]  # fmt: skip


def test_blank_lines_keep_line_numbers():
    wheres = problems_of(csv_bytes(GSO_HEADER, "", HANOI + ",Phường Phúc Xá,X1,Phường"))
    assert wheres == ["line 3, column Mã PX"]


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n  \n", b"\xef\xbb\xbf", csv_bytes(GSO_HEADER)],
    ids=["empty", "blank", "bom-only", "header-only"],
)
def test_empty_files(data):
    with pytest.raises(InputError) as caught:
        parse_units(data)
    assert len(caught.value.problems) == 1


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 binary\x00\x01\x02",
        "Tỉnh,Mã TP\nHà Nội,01\n".encode("utf-16"),
        "Tinh,Ma TP\nHà Nam,35\n".encode("cp1258"),
        b"PK\x03\x04not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel",
        b"\x1f\x8b broken gzip",
    ],
    ids=["pdf", "utf16", "cp1258", "bad-zip", "xls", "bad-gzip"],
)
def test_files_that_are_not_tables(data):
    with pytest.raises(InputError) as caught:
        parse_units(data)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].where == ""


def test_malformed_csv_names_its_line():
    wheres = problems_of(csv_bytes(GSO_HEADER, HANOI + ',"Phường "Phúc" Xá,00001,Phường'))
    assert wheres == ["line 2"]


def test_shipped_datasets_parse():
    data = Path(__file__).resolve().parents[2] / "satisfaction" / "units" / "data"
    two_tier = parse_units(data / "vn-2025.csv")
    assert [two_tier.count(level) for level in UnitLevel] == [34, 0, 3321]
