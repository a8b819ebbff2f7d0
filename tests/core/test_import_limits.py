"""Files refused before they cost anything: XLSX bombs, text that cannot be Vietnamese."""

import io
import zipfile

import openpyxl
import pytest

from satisfaction import create_app
from satisfaction.core import xlsx
from satisfaction.core.errors import InputError
from satisfaction.core.tables import fingerprint, read_table
from tests.conftest import app_config
from tests.core import bombs

SAVE_AS = "CSV UTF-8 (Comma delimited)"


@pytest.fixture(scope="module")
def context():
    """Push a request context in Vietnamese (no database needed)."""
    app = create_app(app_config("sqlite://"))
    with app.test_request_context("/"):
        yield


def _refusal(data: bytes, name: str = "list.csv") -> str:
    with pytest.raises(InputError) as caught:
        read_table(io.BytesIO(data), name)
    return str(caught.value)


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("make", "megabytes"), [
    (bombs.huge_shared_string, 400), (bombs.zip_bomb, 1000),  # beyond the size once opened
    (bombs.huge_shared_string, 100), (bombs.zip_bomb, 200),  # within it: compressed too much
])  # fmt: skip
def test_a_bomb_is_refused_in_seconds_and_under_300_mb(make, megabytes, tmp_path):
    path = make(tmp_path / "danh-sach.xlsx", megabytes)
    assert path.stat().st_size < 3 * 2**20
    told = bombs.measure_refusal(path)
    assert told["told"].startswith("danh-sach.xlsx: Tệp Excel"), told
    assert told["seconds"] < 5 and told["peak_mb"] < 300, told
    assert "Excel" in bombs.measure_refusal(path, "en")["told"]


def test_a_bomb_inside_the_limits_of_the_directory_is_stopped_while_streaming(context):
    cells = "".join(f'<c r="{col}1"><v>1</v></c>' for col in ("A", "B", "DA"))
    book = _replace_sheet(_xlsx([["x"]]), f"<row r='1'>{cells}</row>")
    assert "sau cột thứ 100" in _refusal(book, "wide.xlsx")
    empty = "<c/>" * (xlsx.MAX_CELLS_PER_ROW + 1)
    assert "16384" in _refusal(_replace_sheet(_xlsx([["x"]]), f"<row>{empty}</row>"))
    assert "10000 ký tự" in _refusal(_xlsx([["x" * (xlsx.MAX_CELL + 1)]]))
    entity = '<!DOCTYPE x [<!ENTITY a "b">]>'
    laughs = _replace_sheet(_xlsx([["x"]]), "<row><c><v>1</v></c></row>", prolog=entity)
    assert "khai báo XML" in _refusal(laughs)


def _replace_sheet(data: bytes, rows: str, prolog: str = "") -> bytes:
    """Return the workbook with its first sheet's rows replaced."""
    sheet = (f'<?xml version="1.0"?>{prolog}<worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = sheet.encode() if name == bombs.SHEET else source.read(name)
            target.writestr(name, body)
    return out.getvalue()


def test_a_genuine_workbook_still_reads(context):
    table = read_table(io.BytesIO(_xlsx([["dossier_ref", "procedure_name"],
                                         ["HS-1", "Cấp giấy phép"]])), "list.xlsx")  # fmt: skip
    assert table.header == ["dossier_ref", "procedure_name"]
    assert table.rows == [(2, ["HS-1", "Cấp giấy phép"])]


def test_a_windows_code_page_is_refused_with_how_to_save_as_utf8(context):
    told = _refusal("ten,ma\nPhường Hòa Bình,1\n".encode("cp1252", errors="replace"), "cp.csv")
    assert told.startswith("cp.csv: Tệp không ở dạng UTF-8") and SAVE_AS in told, told


def test_letters_lost_to_question_marks_are_refused_by_line_and_column(context):
    text = "dossier_ref,procedure_name\nHS-1,Cấp giấy\nHS-2,Chứng thực\n"
    told = _refusal(text.encode("cp1252", errors="replace"), "hs.csv")
    assert "dòng 2, cột procedure_name" in told and '"C?p gi?y"' in told, told
    assert "dòng 3, cột procedure_name" in told and SAVE_AS in told


def test_mojibake_is_refused(context):
    garbled = "Cấp giấy phép".encode().decode("cp1252", errors="replace")
    told = _refusal(f"ma,ten\n1,{garbled}\n".encode(), "mojibake.csv")
    assert "dòng 2, cột ten" in told and "lỗi phông" in told and SAVE_AS in told, told


def test_true_vietnamese_and_questions_are_accepted(context):
    text = "ma,ten,comment\n1,XÃ HÒA BÌNH,Tại sao phải chờ lâu?\n2,Thị trấn Đồng Văn,? Rất tốt\n"
    assert len(read_table(io.BytesIO(text.encode()), "ok.csv").rows) == 2


def test_line_endings_and_a_bom_do_not_change_the_fingerprint():
    text = b"a,b\n1,2\n"
    assert fingerprint(text) == fingerprint(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    assert fingerprint(text) == fingerprint(text.replace(b"\n", b"\r"))
    assert fingerprint(text) != fingerprint(b"a,b\n1,3\n")
