"""Batches: dossier lists checked row by row, stacks of forms, scope, no form issued twice."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import batches
from satisfaction.intake.models import Batch
from satisfaction.survey.models import Channel, Invitation
from tests.auth.helpers import make_user, sign_in

HEADER = "dossier_ref,service_point,procedure_code,procedure_name,result_date\n"
GOOD = HEADER + (
    "HS-001,C00001-T,1.001,Đăng ký khai sinh,2026-11-20\n"
    "HS-002,C00001-T,1.002,Chứng thực bản sao,20/11/2026\n"
    "HS-003,D001-T,2.001,Cấp giấy phép xây dựng,\n"
)


def _count(app, model=Invitation) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_dossier_list_issues_one_form_per_dossier_once(survey_app):
    with survey_app.app_context():
        outcome = batches.import_dossier_list(GOOD.encode(), source_name="today.csv")
        db.session.commit()
        assert (outcome.created, outcome.existing) == (3, 0)
        batch = outcome.batch
        assert batch.form_count == 3 and batch.channel is Channel.ENVELOPE
        assert batch.unit.code == "001"  # the smallest unit holding both offices
        forms = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        assert [f.dossier_ref for f in forms] == ["HS-001", "HS-002", "HS-003"]
        assert forms[1].procedure_name == "Chứng thực bản sao"
        assert forms[1].result_on.isoformat() == "2026-11-20" and forms[2].result_on is None
        # The same dossiers in another file (rows reordered): nothing issued twice.
        reordered = HEADER + "".join(reversed(GOOD.splitlines(keepends=True)[1:]))
        again = batches.import_dossier_list(reordered.encode())
        more = batches.import_dossier_list((GOOD + "HS-004,C00004-T,1.001,Khai sinh,\n").encode())
        db.session.commit()
        assert again.batch is None and again.existing == 3 and again.earlier_batch_id == batch.id
        assert (more.created, more.existing) == (1, 3)
    assert _count(survey_app) == 4 and _count(survey_app, Batch) == 2


def test_bad_rows_are_all_named_and_nothing_is_created(survey_app):
    bad = HEADER + (
        "HS-001,C00001-T,1.001,Khai sinh,2026-11-20\n"
        ",C00001-T,1.001,Khai sinh,2026-11-20\n"
        "HS-003,NOPE,1.001,Khai sinh,2026-11-20\n"
        "HS-004,C00001-T,1.001,Khai sinh,31/02/2026\n"
        "HS-001,C00001-T,1.001,Khai sinh,2026-11-20\n"
    )
    with survey_app.app_context(), pytest.raises(InputError) as caught:
        batches.import_dossier_list(bad.encode())
    wheres = [p.where for p in caught.value.problems]
    assert wheres == [
        "dòng 3, cột dossier_ref", "dòng 4, cột service_point", "dòng 5, cột result_date",
        "dòng 6, cột dossier_ref",
    ]  # fmt: skip
    with survey_app.app_context(), pytest.raises(InputError) as caught:
        batches.import_dossier_list((HEADER + "HS-003,NOPE,1,x,\n").encode())
    assert caught.value.problems[0].where == "dòng 2, cột service_point"
    assert _count(survey_app) == 0 and _count(survey_app, Batch) == 0


def test_missing_columns_and_excel_files(survey_app):
    with survey_app.app_context(), pytest.raises(InputError) as caught:
        batches.import_dossier_list(b"ref,office\nA,B\n")
    assert [p.message for p in caught.value.problems] == [
        "thiếu cột dossier_ref", "thiếu cột service_point"]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã hồ sơ", "Mã điểm phục vụ", "Mã thủ tục", "Tên thủ tục", "Ngày trả kết quả"])
    sheet.append(["X-1", "C00004-T", "1.001", "Đăng ký kết hôn", "2026-11-21"])
    data = io.BytesIO()
    book.save(data)
    with survey_app.app_context():
        outcome = batches.import_dossier_list(data.getvalue())
        db.session.commit()
        assert outcome.created == 1 and outcome.batch.service_point.code == "C00004-T"


def test_stack_of_forms(survey_app):
    with survey_app.app_context():
        batch = batches.create_batch("C00001-T", 25, Channel.ENUMERATOR)
        db.session.commit()
        assert batch.form_count == 25 and batch.unit.code == "00001"
        with pytest.raises(InputError) as caught:
            batches.create_batch("NOPE", 0, Channel.ENVELOPE)
    assert {p.where for p in caught.value.problems} == {"service_point", "count", "channel"}
    assert _count(survey_app) == 25


def test_stack_for_every_service_point_of_an_area(survey_app):
    with survey_app.app_context():
        batch = batches.create_batch("001", 3, Channel.ENUMERATOR)  # Ba Đình: its desk, 2 communes
        db.session.commit()
        forms = select(Invitation).where(Invitation.batch_id == batch.id)
        points = sorted(i.service_point.code for i in db.session.scalars(forms))
        assert points == ["C00001-T"] * 3 + ["C00004-T"] * 3 + ["D001-T"] * 3
        assert batch.form_count == 9 and batch.unit.code == "001" and batch.service_point is None
        with pytest.raises(InputError) as caught:
            batches.create_batch("01", batches.MAX_FORMS, Channel.DESK)
    assert caught.value.problems[0].where == "count"
    assert "6 điểm phục vụ" in caught.value.problems[0].message
    assert _count(survey_app) == 9


def test_area_stack_from_the_command_line(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["batches", "create", "--area", "002", "--count", "2",
                                 "--channel", "enumerator"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4" in result.output.splitlines()[0]  # Hoàn Kiếm's desk and its one commune
    both = runner.invoke(args=["batches", "create", "--area", "002", "--service-point", "D002-T",
                               "--count", "2", "--channel", "desk"])  # fmt: skip
    assert both.exit_code == 2 and "--area" in both.output


def test_a_clerk_works_only_within_their_area(survey_app):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    from satisfaction.auth.services import get_user

    with survey_app.app_context():
        clerk = get_user("clerk")
        with pytest.raises(InputError) as caught:
            batches.import_dossier_list((HEADER + "A,C26734-T,1,x,\n").encode(), actor=clerk)
        assert "C26734-T" in caught.value.problems[0].message
        with pytest.raises(InputError):
            batches.create_batch("P79-T", 5, Channel.DESK, clerk)
        batches.create_batch("C00004-T", 5, Channel.DESK, clerk)
        with pytest.raises(InputError) as caught:
            batches.create_batch("79", 5, Channel.DESK, clerk)
        assert "ngoài phạm vi" in caught.value.problems[0].message
        db.session.commit()


def test_post_pages_keep_to_the_clerks_area(survey_app, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    make_user(survey_app, "hcm", Role.POSTAL, "79")
    make_user(survey_app, "officer", Role.OFFICER, "01")
    sign_in(client, "clerk")
    assert "Phiếu giấy" in client.get("/post/").get_data(as_text=True)
    response = client.post(
        "/post/batches/import",
        data={
            "list-file": (io.BytesIO(GOOD.encode()), "today.csv"),
            "list-channel": "envelope",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "HS-002" in page and "Chứng thực bản sao" in page
    batch_url = response.headers["Location"]
    client.post("/logout")
    sign_in(client, "hcm")
    assert client.get(batch_url).status_code == 403
    assert "#" not in client.get("/post/").get_data(as_text=True).split("<tbody>")[1][:200]
    client.post("/logout")
    sign_in(client, "officer")
    assert client.get("/post/").status_code == 403


def test_bad_upload_shows_every_line_and_creates_nothing(survey_app, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    sign_in(client, "clerk")
    bad = HEADER + "HS-1,C00001-T,1,x,hôm qua\nHS-2,C26734-T,1,x,\n"
    response = client.post(
        "/post/batches/import",
        data={
            "list-file": (io.BytesIO(bad.encode()), "bad.csv"),
            "list-channel": "envelope",
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "dòng 2, cột result_date" in page and "dòng 3, cột service_point" in page
    assert _count(survey_app) == 0
    response = client.post(
        "/post/batches/create",
        data={"stack-service_point": "C00001-T", "stack-count": "0", "stack-channel": "desk"},
    )
    assert response.status_code == 422 and _count(survey_app) == 0
