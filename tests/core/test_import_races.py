"""A file taken once: two imports at once count it once; a re-saved copy is known; no traceback."""

import io
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import Conflict, InputError
from satisfaction.core.models import ImportedFile
from satisfaction.extensions import db
from satisfaction.intake import returns
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey import microdata
from satisfaction.survey.models import Invitation, Response
from satisfaction.units.loading import import_units
from satisfaction.units.models import AdminUnit
from tests.auth.helpers import make_user, sign_in
from tests.conftest import mix_now
from tests.intake.test_returns import _csv, _row

ROOT = Path(__file__).resolve().parents[2]
POINTS = ("C00001-T", "C00004-T", "D001-T", "C00037-T")
DOSSIERS = "dossier_ref,service_point,procedure_code,procedure_name,result_date\n" + "".join(
    f"HS-{n:03d},C00001-T,1.001,Cấp giấy phép xây dựng,\n" for n in range(1, 41)
)


def _microdata(rows: int = 200) -> str:
    lines = ["service_point,date,channel,access.info,staff.courtesy,comment"]
    lines += [f"{POINTS[n % 4]},2026-10-{1 + n % 28:02d},envelope,{1 + n % 5},4,Cấp giấy nhanh"
              for n in range(rows)]  # fmt: skip
    return "\n".join(lines) + "\n"


def _count(app, model) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _at_once(app, work: Callable[[], object], runs: int = 2) -> list[str]:
    """Run work in runs threads released together, each committing; return what each was told."""
    barrier, told = threading.Barrier(runs), []

    def run() -> None:
        with app.app_context():
            barrier.wait(timeout=10)
            try:
                work()
                db.session.commit()
                told.append("done")
            except Conflict as error:
                db.session.rollback()
                told.append("refused: " + str(error))
            except Exception as error:  # noqa: BLE001 - the test reports anything else
                db.session.rollback()
                told.append(f"failed: {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return told


def test_two_microdata_imports_at_once_count_the_file_once(survey_app, tmp_path):
    path = tmp_path / "round-2025.csv"
    path.write_text(_microdata(), encoding="utf-8")
    told = _at_once(survey_app, lambda: microdata.import_responses(path, name=path.name))
    assert sorted(t.split(":")[0] for t in told) == ["done", "refused"], told
    assert _count(survey_app, Response) == 200


def test_two_returns_imports_at_once_count_once_and_make_no_false_duplicates(
    survey_app, issue, tmp_path
):  # fmt: skip
    path = tmp_path / "returns.csv"
    path.write_text(_csv([_row(code) for code in issue(30)]), encoding="utf-8")
    told = _at_once(survey_app, lambda: returns.import_returns(path, name=path.name))
    assert sorted(t.split(":")[0] for t in told) == ["done", "refused"], told
    assert _count(survey_app, Response) == 30 and _count(survey_app, DuplicateAnswer) == 0


def test_two_unit_loads_at_once_leave_one_list(app, tmp_path):
    path = ROOT / "tests" / "data" / "units-small.csv"
    told = _at_once(app, lambda: import_units(path, "small"))
    assert "done" in told and not [t for t in told if t.startswith("failed")], told
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(AdminUnit))
    assert app.test_cli_runner().invoke(args=["units", "import", str(path),
                                              "--dataset", "small"]).exit_code == 0  # fmt: skip
    assert _count(app, AdminUnit) == first


def test_a_copy_saved_with_crlf_and_a_bom_is_taken_before(survey_app, tmp_path):
    first, copy = tmp_path / "round.csv", tmp_path / "round-excel.csv"
    first.write_text(_microdata(20), encoding="utf-8")
    copy.write_bytes(b"\xef\xbb\xbf" + _microdata(20).replace("\n", "\r\n").encode())
    runner = survey_app.test_cli_runner()
    assert runner.invoke(args=["responses", "import", str(first)]).exit_code == 0
    again = runner.invoke(args=["responses", "import", str(copy)])
    assert again.exit_code == 1 and "round-excel.csv: tệp này đã được nhận trước" in again.output
    assert "round.csv" in again.output and "Traceback" not in again.output
    assert _count(survey_app, Response) == 20
    # Asked for again, it is taken again: deliberately, once.
    assert runner.invoke(args=["responses", "import", str(copy), "--again"]).exit_code == 0
    assert _count(survey_app, Response) == 40 and _count(survey_app, ImportedFile) == 2


def test_two_command_lines_at_once_one_refused_without_a_traceback(survey_app, database_url,
                                                                    tmp_path):  # fmt: skip
    path = tmp_path / "round.csv"
    path.write_text(_microdata(), encoding="utf-8")
    env = {**os.environ, "SATISFACTION_DATABASE_URL": database_url, "SATISFACTION_MIX_MIN": "1",
           "SATISFACTION_ENVIRONMENT": "testing", "SATISFACTION_SECRET_KEY": "test"}  # fmt: skip
    command = [sys.executable, "-m", "flask", "--app", "satisfaction", "responses", "import"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    runs = [subprocess.Popen([*command, str(path)], env=env, cwd=tmp_path, **pipes)
            for _ in range(2)]  # fmt: skip
    results = [(run.wait(120), *run.communicate()) for run in runs]
    assert sorted(code for code, _out, _err in results) == [0, 1], results
    loser = next(err for code, _out, err in results if code == 1)
    assert "round.csv: tệp này đã được nhận trước" in loser and "Traceback" not in loser, loser
    assert _count(survey_app, Response) == 200


def test_a_lost_race_on_the_command_line_is_a_message(survey_app, capsys):
    with survey_app.app_context():
        db.session.execute(QuestionnaireVersion.__table__.delete())
        db.session.commit()
    told = []

    def sync() -> None:
        try:
            with fail_on_input_error():
                sync_all(survey_app.config["FORMS_DIR"])
                db.session.commit()
        except SystemExit as leaving:
            told.append(leaving.code)
            raise Conflict("lost") from None

    _at_once(survey_app, sync)
    _at_once(survey_app, sync)  # the second round finds everything recorded
    err = capsys.readouterr().err
    assert "Traceback" not in err and "IntegrityError" not in err
    assert told in ([], [1]), told
    if told:
        assert "cùng lúc" in err


def _upload(client, body: str, name: str = "list.csv"):
    data = {"list-file": (io.BytesIO(body.encode()), name), "list-channel": "envelope"}
    return client.post("/post/batches/import", data=data, content_type="multipart/form-data")


def test_a_list_uploaded_again_gets_409_naming_the_first(survey_app, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    sign_in(client, "clerk")
    assert _upload(client, DOSSIERS, "monday.csv").status_code == 302
    again = _upload(client, DOSSIERS.replace("\n", "\r\n"), "monday-copy.csv")
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and "đã được nhận trước" in page and "monday.csv" in page
    assert _count(survey_app, Invitation) == 40


def test_two_uploads_at_once_one_409_no_500(survey_app):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    clients = [survey_app.test_client() for _ in range(2)]
    for one in clients:
        sign_in(one, "clerk")
    barrier, codes = threading.Barrier(2), []

    def send(one) -> None:
        barrier.wait(timeout=10)
        codes.append(_upload(one, DOSSIERS).status_code)

    threads = [threading.Thread(target=send, args=(one,)) for one in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(codes) == [302, 409], codes
    assert _count(survey_app, Invitation) == 40


@pytest.mark.parametrize("body", [DOSSIERS, DOSSIERS.replace("HS-001", "HS-999")])
def test_overlapping_lists_at_once_never_give_500(survey_app, body):
    """Two different lists naming the same dossiers: the database keeps one form per dossier."""
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    clients = [survey_app.test_client() for _ in range(2)]
    for one in clients:
        sign_in(one, "clerk")
    barrier, codes = threading.Barrier(2), []
    bodies = [DOSSIERS.replace("HS-040", "HS-041"), body]

    def send(one, text) -> None:
        barrier.wait(timeout=10)
        codes.append(_upload(one, text).status_code)

    threads = [
        threading.Thread(target=send, args=pair) for pair in zip(clients, bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert 500 not in codes and set(codes) <= {302, 409}, codes
    with survey_app.app_context():
        refs = db.session.scalars(select(Invitation.dossier_ref)).all()
    assert len(refs) == len(set(refs))


def test_a_refused_file_changes_nothing(survey_app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(_microdata(3).replace("2026-10-02", "hôm qua"), encoding="utf-8")
    with survey_app.app_context(), pytest.raises(InputError):
        microdata.import_responses(path, name=path.name)
    assert _count(survey_app, ImportedFile) == 0
