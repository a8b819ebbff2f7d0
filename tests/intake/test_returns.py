"""Importing paper answers keyed elsewhere: every row checked, counted once, nothing partial."""

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.paper.codes import group
from satisfaction.survey.models import Invitation, InvitationStatus, Response
from tests.conftest import mix_now
from tests.survey.conftest import full_answers


def _csv(rows: list[dict]) -> str:
    keys = [k for k in full_answers() if k != "comment"]
    header = ["code", "service_point", "date", "channel", *keys, "comment"]
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(h, "")) for h in header))
    return "\n".join(lines) + "\n"


def _row(code: str, **changes) -> dict:
    row = {**full_answers(), "code": group(code), "service_point": "C00001-T",
           "date": "2026-11-02", "channel": "envelope", "comment": "Tốt"}  # fmt: skip
    row.update(changes)
    return row


def _count(app, model) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_import_counts_each_form_once(survey_app, issue, tmp_path):
    codes = issue(3)
    survey_app.test_client().post(f"/s/{codes[2]}", data=full_answers())  # answered online
    path = tmp_path / "returns.csv"
    path.write_text(_csv([_row(c) for c in codes]), encoding="utf-8")
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2" in result.output and "1" in result.output
    assert _count(survey_app, Response) == 3 and _count(survey_app, DuplicateAnswer) == 1
    with survey_app.app_context():
        statuses = db.session.scalars(select(Invitation.status).order_by(Invitation.id)).all()
        days = {r.answered_on.isoformat() for r in db.session.scalars(select(Response))}
    assert statuses == [InvitationStatus.KEYED, InvitationStatus.KEYED, InvitationStatus.ANSWERED]
    assert "2026-11-02" in days
    again = runner.invoke(args=["returns", "import", str(path)])
    assert again.exit_code == 1 and "trước" in again.output, again.output  # imported before
    assert _count(survey_app, Response) == 3 and _count(survey_app, DuplicateAnswer) == 1


def test_bad_rows_refuse_the_whole_file(survey_app, issue, tmp_path):
    good, other = issue(2)
    (far,) = issue(point="C00004-T")
    rows = [
        _row(good),
        _row(other, **{"access.info": "7"}),
        _row(far),  # printed for another office than the row says
        _row("ABCD-EFGH-JKMN-P"),
        _row(good, date="02/11/2026"),
    ]
    path = tmp_path / "bad.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["returns", "import", str(path)])
    assert result.exit_code == 1, result.output
    for where in ("dòng 3, cột access.info", "dòng 4, cột service_point", "dòng 5, cột code",
                  "dòng 6, cột code"):  # fmt: skip
        assert where in result.output, result.output
    assert _count(survey_app, Response) == 0
    header_only = tmp_path / "h.csv"
    header_only.write_text("code,service_point,date,oops\n", encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["returns", "import", str(header_only)])
    assert result.exit_code == 1 and "access.info" in result.output and "oops" in result.output
