"""Microdata: anonymous responses out with a codebook; past rounds in, all or nothing."""

import csv

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.scoring.models import ScoreCell, Source
from satisfaction.survey.models import Channel, Mode, Response
from tests.scoring.helpers import record


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_export_then_import_round_trip(survey_app, tmp_path):
    with survey_app.app_context():
        record("C00001-T", {"access.info": 5, "feedback.reply": "na", "expect.online": 3,
                            "comment": "Cán bộ tên Lan"})  # fmt: skip
        record("D001-T", {"staff.courtesy": 2}, channel=Channel.DESK, is_poster=True)
        db.session.commit()
    out = tmp_path / "microdata.csv"
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["responses", "export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 2
    assert "code" not in rows[0] and all(row["comment"] == "" for row in rows)
    commune = next(row for row in rows if row["service_point"] == "C00001-T")
    assert (commune["access.info"], commune["feedback.reply"], commune["staff.courtesy"]) == (
        "5", "NA", "")  # fmt: skip
    assert next(r for r in rows if r["service_point"] == "D001-T")["channel"] == "poster"
    book = list(csv.reader((tmp_path / "microdata.codebook.csv").read_text("utf-8").splitlines()))
    assert [line[0] for line in book[1:]] == list(rows[0].keys())

    result = runner.invoke(args=["responses", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert _responses(survey_app) == 4
    with survey_app.app_context():
        imported = db.session.scalars(select(Response).where(Response.mode == Mode.IMPORTED)).all()
        assert sorted(r.is_poster for r in imported) == [False, True]
        cells = db.session.scalars(select(ScoreCell).where(ScoreCell.mode == Mode.IMPORTED)).all()
        assert sorted(c.source for c in cells) == [Source.ENVELOPE, Source.POSTER]
    again = runner.invoke(args=["responses", "import", str(out)])
    assert again.exit_code == 1
    assert _responses(survey_app) == 4


def test_a_bad_file_names_every_bad_line_and_records_nothing(survey_app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "service_point,date,channel,access.info,feedback.reply\n"
        "C00001-T,2026-07-01,envelope,4,NA\n"
        "NOPE,2026-07-01,envelope,4,\n"
        "C00001-T,2026-13-01,envelope,4,\n"
        "C00001-T,2026-07-01,pigeon,9,\n"
        "C00001-T,2026-07-01,desk,,\n",
        encoding="utf-8",
    )
    result = survey_app.test_cli_runner().invoke(args=["responses", "import", str(bad)])
    assert result.exit_code == 1
    for line, column in ((3, "service_point"), (4, "date"), (5, "channel"), (5, "access.info")):
        assert f"{line}" in result.output and column in result.output
    assert result.output.count("\n") >= 5  # line 6: no answer at all
    assert _responses(survey_app) == 0


def test_an_unknown_column_is_refused(survey_app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("service_point,date,phone\nC00001-T,2026-07-01,0912\n", encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["responses", "import", str(bad)])
    assert result.exit_code == 1 and "phone" in result.output


def test_past_rounds_may_give_each_answers_field_by_code_or_name(survey_app, tmp_path):
    data = tmp_path / "past.csv"
    data.write_text(
        "service_point,date,field,access.info\n"
        "C00001-T,2025-07-01,Đất đai,4\n"
        "C00001-T,2025-07-01,ho-tich,5\n"
        "C00001-T,2025-07-01,,5\n",
        encoding="utf-8",
    )
    result = survey_app.test_cli_runner().invoke(args=["responses", "import", str(data)])
    assert result.exit_code == 0, result.output
    with survey_app.app_context():
        assert sorted(db.session.scalars(select(Response.field_code))) == ["", "dat-dai", "ho-tich"]
        cells = sorted(db.session.scalars(select(ScoreCell.field_code)))
        assert cells == ["", "dat-dai", "ho-tich"]
    bad = tmp_path / "bad-field.csv"
    bad.write_text("service_point,date,field,access.info\nC00001-T,2025-07-01,Vũ trụ,4\n",
                   encoding="utf-8")  # fmt: skip
    refused = survey_app.test_cli_runner().invoke(args=["responses", "import", str(bad)])
    assert refused.exit_code == 1
    assert (
        "dòng 2, cột field: lĩnh vực “Vũ trụ” không có trong danh sách lĩnh vực" in refused.output
    )
    assert _responses(survey_app) == 3
