"""The catalogue of procedures: loaded from the national database's export, all or nothing."""

import io

import openpyxl
from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.procedures import catalogue
from satisfaction.procedures.fields import all_fields, by_code, by_name, field_name
from satisfaction.procedures.models import Procedure

GOOD = (
    "Mã thủ tục,Tên thủ tục,Lĩnh vực\n"
    "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch\n"
    "2.000815,Thủ tục chứng thực bản sao từ bản chính,Chứng thực\n"
    "1.004227,Thủ tục đăng ký đất đai lần đầu,ĐẤT  ĐAI\n"
    "3.000001,Thủ tục hòa giải,Hoà giải ở cơ sở\n"
)
BAD = (
    "Mã thủ tục,Tên thủ tục,Lĩnh vực\n"
    "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch\n"
    "1.009999,Thủ tục lạ,Vũ trụ học\n"
    ",Thủ tục không mã,Hộ tịch\n"
    "1.001193,Đăng ký khai sinh lần nữa,Hộ tịch\n"
    "1.008888,Thủ tục không lĩnh vực,\n"
)


def _stored() -> dict[str, tuple[str, str]]:
    found = db.session.execute(select(Procedure.code, Procedure.name, Procedure.field_code))
    return {code: (name, field) for code, name, field in found}


def test_the_bundled_fields_have_unique_codes_and_names():
    fields = all_fields()
    assert len({f.code for f in fields}) == len(fields) >= 50
    assert all(f.code and f.name_vi and f.name_en for f in fields)
    assert by_name("đất đai").code == "dat-dai"
    assert by_name("Thuỷ sản") is by_name("Thủy sản") is by_code("thuy-san")
    assert by_name("Civil status registration").code == "ho-tich"
    assert by_name("Thiên văn") is None
    assert field_name("chung-thuc", "vi") == "Chứng thực"
    assert field_name("chung-thuc", "en") == "Certification of copies and signatures"


def test_a_good_export_is_loaded_with_fields_matched_by_name(app):
    with app.app_context():
        summary = catalogue.load_catalogue(GOOD.encode(), "tthc.csv")
        db.session.commit()
        assert (summary.added, summary.changed, summary.unchanged) == (4, 0, 0)
        stored = _stored()
        assert stored["1.001193"] == ("Thủ tục đăng ký khai sinh", "ho-tich")
        assert stored["1.004227"][1] == "dat-dai"  # case and spacing do not matter
        assert stored["3.000001"][1] == "hoa-giai-co-so"  # old tone placement: hoà
        assert catalogue.fields_of(["2.000815", "9.999", ""]) == {"2.000815": "chung-thuc"}


def test_loading_again_changes_nothing_and_a_new_field_is_taken(app):
    with app.app_context():
        catalogue.load_catalogue(GOOD.encode())
        db.session.commit()
        again = catalogue.load_catalogue(GOOD.encode())
        assert (again.added, again.changed, again.unchanged) == (0, 0, 4)
        moved = GOOD.replace("Thủ tục hòa giải,Hoà giải ở cơ sở", "Thủ tục hòa giải,Tư pháp")
        moved = moved.replace(",Tư pháp", ",Phổ biến giáo dục pháp luật")
        changed = catalogue.load_catalogue(moved.encode())
        db.session.commit()
        assert (changed.added, changed.changed) == (0, 1)
        assert _stored()["3.000001"][1] == "pho-bien-phap-luat"


def test_a_bad_export_names_every_bad_line_in_vietnamese_and_changes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    with app.app_context():
        catalogue.load_catalogue(GOOD.encode())
        db.session.commit()
        before = _stored()
    path = tmp_path / "bad-tthc.csv"
    path.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["procedures", "load", str(path)])
    assert result.exit_code == 1, result.output
    text = result.output
    assert "dòng 3: lĩnh vực “Vũ trụ học” không có trong danh sách lĩnh vực" in text, text
    assert "dòng 4: thiếu mã thủ tục" in text, text
    assert "dòng 5: thủ tục 1.001193 đã có ở dòng 2" in text, text
    assert "dòng 6: thiếu lĩnh vực" in text, text
    assert "dòng 2" not in text.replace("đã có ở dòng 2", ""), text
    with app.app_context():
        assert _stored() == before


def test_the_command_loads_an_xlsx_export(app, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    path = tmp_path / "tthc.xlsx"
    book.save(path)
    result = app.test_cli_runner().invoke(args=["procedures", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã thêm 4 thủ tục, sửa 0, 0 không đổi" in result.output
    again = app.test_cli_runner().invoke(args=["procedures", "load", str(path)])
    assert again.exit_code == 0 and "Đã thêm 0 thủ tục, sửa 0, 4 không đổi" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Procedure)) == 4


def test_a_file_without_the_field_column_is_refused(app):
    with app.app_context():
        try:
            catalogue.load_catalogue(io.BytesIO("Mã thủ tục,Tên thủ tục\n1.1,A\n".encode()))
        except catalogue.InputError as error:
            assert str(error) == "dòng 1: thiếu cột Lĩnh vực"
        else:
            raise AssertionError("a file without fields was taken")
        assert db.session.scalar(select(func.count()).select_from(Procedure)) == 0


def test_the_fields_command_lists_codes_and_names(app):
    result = app.test_cli_runner().invoke(args=["procedures", "fields", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "dat-dai,Đất đai,Land" in result.output
