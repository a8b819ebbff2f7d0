"""The field of the procedure: from the dossier list to the answer, the cells and a unit's page."""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import batches
from satisfaction.procedures import catalogue
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import breakdowns
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.models import ScoreCell
from satisfaction.scoring.services import Query, period_of
from satisfaction.survey.answering import questionnaire_of
from satisfaction.survey.models import Channel, Invitation, Response
from satisfaction.units.queries import get_unit
from tests.auth.helpers import make_user, sign_in
from tests.scoring.helpers import KEY, record, same, snapshot
from tests.survey.conftest import full_answers

CATALOGUE = (
    "Mã thủ tục,Tên thủ tục,Lĩnh vực\n"
    "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch\n"
    "2.000815,Thủ tục chứng thực bản sao từ bản chính,Chứng thực\n"
)
DOSSIERS = (
    "dossier_ref,service_point,procedure_code,procedure_name,result_date\n"
    "HS-1,C00001-T,1.001193,Đăng ký khai sinh,2026-11-20\n"
    "HS-2,C00001-T,2.000815,Chứng thực bản sao,2026-11-20\n"
    "HS-3,C00004-T,9.999999,Một thủ tục chưa có trong danh mục,2026-11-20\n"
)
# (field, answers at 5, answers at 2) at Phúc Xá's desk in 2026-Q3.
PLAN = (("ho-tich", 30, 5), ("dat-dai", 6, 6), ("chung-thuc", 2, 1), ("", 4, 2))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_dossiers_field_goes_from_the_catalogue_to_its_answer(survey_app, client):
    with survey_app.app_context():
        catalogue.load_catalogue(CATALOGUE.encode())
        outcome = batches.import_dossier_list(DOSSIERS.encode(), source_name="today.csv")
        db.session.commit()
        assert outcome.unknown_fields == 1  # said, not guessed
        forms = db.session.scalars(select(Invitation).order_by(Invitation.dossier_ref)).all()
        assert [f.field_code for f in forms] == ["ho-tich", "chung-thuc", ""]
        codes = [f.code for f in forms]
    for code in codes:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    with survey_app.app_context():
        fields = sorted(db.session.scalars(select(Response.field_code)))
        assert fields == ["", "chung-thuc", "ho-tich"]
        cells = {(c.field_code, c.responses) for c in db.session.scalars(select(ScoreCell))}
        assert cells == {("", 1), ("chung-thuc", 1), ("ho-tich", 1)}
        before = snapshot()
        rebuilding.rebuild()
        assert same(snapshot(), before)  # the rebuild counts by field as the mixer did


def test_the_cli_says_how_many_forms_have_no_known_field(survey_app, tmp_path):
    path = tmp_path / "dossiers.csv"
    path.write_text(DOSSIERS, encoding="utf-8")
    result = survey_app.test_cli_runner().invoke(args=["batches", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 phiếu thuộc thủ tục không có trong danh mục: chưa rõ lĩnh vực." in result.output


def test_a_stack_of_forms_carries_the_field_the_clerk_chose(survey_app, client):
    with survey_app.app_context():
        batch = batches.create_batch("C00001-T", 3, Channel.ENUMERATOR, field_code="dat-dai")
        db.session.commit()
        forms = db.session.scalars(select(Invitation).where(Invitation.batch_id == batch.id))
        assert {f.field_code for f in forms} == {"dat-dai"}
        with pytest.raises(InputError) as refused:
            batches.create_batch("C00001-T", 3, Channel.ENUMERATOR, field_code="vu-tru")
        assert [p.where for p in refused.value.problems] == ["field"]
        db.session.rollback()
    make_user(survey_app, "anh", Role.POSTAL, "001")
    sign_in(client, "anh")
    page = client.get("/post/")
    assert 'name="stack-field"' in page.text and "Đất đai" in page.text
    wrong = client.post(
        "/post/batches/create",
        data={
            "stack-service_point": "C00001-T",
            "stack-count": 2,
            "stack-channel": "desk",
            "stack-field": "vu-tru",
        },
    )
    assert wrong.status_code == 422 and "Lĩnh vực thủ tục" in _text(wrong)
    good = client.post(
        "/post/batches/create",
        data={
            "stack-service_point": "C00001-T",
            "stack-count": 2,
            "stack-channel": "desk",
            "stack-field": "ho-tich",
        },
    )
    assert good.status_code == 302
    with survey_app.app_context():
        made = db.session.scalars(select(Invitation).where(Invitation.channel == Channel.DESK))
        assert {f.field_code for f in made} == {"ho-tich"}


@pytest.fixture
def fields_app(survey_app):
    """Record the plan's answers at Phúc Xá's desk; MIN_N stays 30."""
    with survey_app.app_context():
        questionnaire = questionnaire_of(get_version(KEY))
        for field, good, bad in PLAN:
            for value, count in ((5, good), (2, bad)):
                answers = {i.key: value for e in questionnaire.elements for i in e.items}
                for _ in range(count):
                    record("C00001-T", answers, date(2026, 8, 10), field_code=field)
        db.session.commit()
    make_user(survey_app, "hanoi", Role.OFFICER, "01")
    return survey_app


def test_a_units_fields_are_read_from_the_cells_with_min_n(fields_app):
    with fields_app.test_request_context():
        found = breakdowns.by_field(get_unit("00001", None))
        shown = [(f.code, f.n, f.enough, f.rank) for f in found]
        # chung-thuc: 3 answers, fewer than 5, not shown; dat-dai: under MIN_N, not ranked;
        # the unknown field last, never ranked.
        assert shown == [
            ("ho-tich", 35, True, 1),
            ("dat-dai", 12, False, None),
            ("", 6, False, None),
        ]
        assert found[0].name == "Hộ tịch" and found[-1].name == "Chưa rõ lĩnh vực"
        assert round(found[0].scores.index.value, 2) == 85.71
        assert found[1].scores.index.value is None  # under MIN_N: no figure
        # Days inside a month are read from the raw answers, grouped by field the same way.
        days = Query(period=period_of("2026-08-05..2026-08-20"))
        raw = breakdowns.by_field(get_unit("00001", None), days)
        assert [(f.code, f.n, f.rank) for f in raw] == [(code, n, r) for code, n, _e, r in shown]
        assert raw[0].scores.index.value == found[0].scores.index.value


def test_the_unit_page_shows_the_index_by_field_in_both_languages(fields_app, client):
    sign_in(client, "hanoi")
    text = _text(client.get("/scores/u/01?period=2026-Q3"))
    table = text[text.index("Theo lĩnh vực thủ tục") :]
    table = table[: table.index("Theo kênh")]
    assert "Hộ tịch" in table and "85,7" in table and "Đất đai" in table
    assert "Chưa rõ lĩnh vực" in table and "Chứng thực" not in table
    assert table.count("chưa đủ câu trả lời") == 2  # Đất đai and the unknown field
    client.get("/lang/en")
    english = _text(client.get("/scores/u/01?period=2026-Q3"))
    table = english[english.index("By field of the procedures") :]
    assert "Civil status registration" in table and "Land" in table and "Field unknown" in table


def test_the_fields_table_downloads_with_vietnamese_titles(fields_app, client):
    sign_in(client, "hanoi")
    got = client.get("/scores/u/01/fields.csv?period=2026-Q3")
    assert got.status_code == 200 and got.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert rows[0][:8] == ["Mã lĩnh vực", "Lĩnh vực thủ tục", "Kỳ", "Số phiếu (n)", "Hạng",
                           "Chỉ số hài lòng", "Khoảng tin cậy 95%: cận dưới",
                           "Khoảng tin cậy 95%: cận trên"]  # fmt: skip
    assert rows[1][:6] == ["ho-tich", "Hộ tịch", "2026-Q3", "35", "1", "85.71"]
    assert rows[2][:6] == ["dat-dai", "Đất đai", "2026-Q3", "12", "", ""]  # under MIN_N
    assert rows[3][:2] == ["", "Chưa rõ lĩnh vực"] and len(rows) == 4
    assert client.get("/scores/u/01/fields.xlsx?period=2026-Q3").status_code == 200


def test_the_api_gives_a_units_fields(fields_app, client):
    sign_in(client, "hanoi")
    body = client.get("/api/v1/units/00001?period=2026-Q3").get_json()
    fields = [(f["code"], f["n"], f["rank"], f["index"]["value"]) for f in body["fields"]]
    assert fields == [("ho-tich", 35, 1, 85.71), ("dat-dai", 12, None, None), ("", 6, None, None)]


def test_the_desk_poster_asks_the_field_and_may_be_left_without(survey_app, client):
    page = client.get("/d/C00001-T")
    assert 'name="procedure_field"' in page.text and "Lĩnh vực thủ tục Ông/Bà vừa làm" in page.text
    assert 'name="procedure_field"' not in client.get("/").text
    chosen = {**full_answers(), "procedure_field": "dat-dai"}
    assert client.post("/d/C00001-T", data=chosen).status_code == 302
    assert client.post("/d/C00001-T", data=full_answers()).status_code == 302
    tampered = {**full_answers(), "procedure_field": "vu-tru"}
    refused = client.post("/d/C00001-T", data=tampered)
    assert (
        refused.status_code == 400 and "vu-tru không phải là một lĩnh vực thủ tục" in refused.text
    )
    with survey_app.app_context():
        assert sorted(db.session.scalars(select(Response.field_code))) == ["", "dat-dai"]
