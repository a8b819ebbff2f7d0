"""`satisfaction scores export`: the Score CSV contract, and a workbook read back."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from satisfaction.audit.models import AuditEvent
from satisfaction.extensions import db

ELEMENTS = ["access", "procedure", "staff", "result", "feedback"]


def test_province_csv_follows_the_contract(scored, tmp_path):
    result = scored.test_cli_runner().invoke(
        args=["scores", "export", "--level", "province", "--period", "2026-07", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["unit_code", "unit_name", "level", "period", "n", "index", "ci_low",
                       "ci_high", *ELEMENTS]  # fmt: skip
    hanoi = dict(zip(rows[0], rows[1], strict=True))
    assert (hanoi["unit_code"], hanoi["level"], hanoi["period"], hanoi["n"]) == (
        "01", "province", "2026-07", "11"
    )  # fmt: skip
    assert hanoi["index"] == "72.73"  # 8 of 11
    assert float(hanoi["ci_low"]) < 72.73 < float(hanoi["ci_high"])
    assert hanoi["staff"] == "72.73"
    with scored.app_context():
        assert db.session.scalar(select(AuditEvent.action)) == "scores.export"


def test_too_few_answers_leave_the_figures_empty(scored):
    scored.config["MIN_N"] = 3
    result = scored.test_cli_runner().invoke(args=["scores", "export", "--level", "commune"])
    assert result.exit_code == 0, result.output
    by_code = {row["unit_code"]: row for row in csv.DictReader(io.StringIO(result.output))}
    assert by_code["00004"]["n"] == "2"
    assert (
        by_code["00004"]["index"] == by_code["00004"]["ci_low"] == by_code["00004"]["staff"] == ""
    )
    assert by_code["00001"]["period"] == ""
    assert by_code["00001"]["index"] == "75.00"


def test_xlsx_has_the_table_and_what_it_covers(scored, tmp_path):
    out = tmp_path / "districts.xlsx"
    result = scored.test_cli_runner().invoke(args=[
        "scores", "export", "--level", "district", "--period", "2026-Q3", "--format", "xlsx",
        "--out", str(out), "--channels", "all",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    table, about = book.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][:5] == ("unit_code", "unit_name", "level", "period", "n")
    ba_dinh = rows[1]
    assert ba_dinh[0] == "001" and ba_dinh[4] == 10  # 8 official answers and 2 by the poster
    assert ba_dinh[5] == 60.0
    notes = dict(about.iter_rows(values_only=True))
    assert len(notes) == 7
    values = list(notes.values())
    assert "2026-Q3" in values and "2" in values  # the period and MIN_N
    assert any("4, 5" in str(v) for v in values)  # the rule


def test_bad_input_is_named(scored):
    runner = scored.test_cli_runner()
    bad = runner.invoke(args=["scores", "export", "--level", "province", "--period", "2026-Q5"])
    assert bad.exit_code == 1
    assert "period" in bad.output and "2026-Q5" in bad.output
    xlsx = runner.invoke(args=["scores", "export", "--level", "province", "--format", "xlsx"])
    assert xlsx.exit_code == 2 and "--out" in xlsx.output


def test_the_units_inside_one_unit(scored):
    result = scored.test_cli_runner().invoke(
        args=["scores", "export", "--level", "commune", "--parent", "001"]
    )
    assert result.exit_code == 0, result.output
    assert [row["unit_code"] for row in csv.DictReader(io.StringIO(result.output))] == [
        "00001", "00004"]  # fmt: skip
    missing = scored.test_cli_runner().invoke(
        args=["scores", "export", "--level", "commune", "--parent", "999"]
    )
    assert missing.exit_code == 1 and "999" in missing.output
