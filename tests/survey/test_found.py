"""A code's look-up for the citizen reads plain rows; the intake's reads the ORM object."""

import pytest
from sqlalchemy import func, select

from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.survey import ballot_box, expiry
from satisfaction.survey.answering import AlreadyAnswered, record_invited
from satisfaction.survey.found import InvitationRow, PointRow
from satisfaction.survey.invitations import CodeState, lookup, lookup_invitation
from satisfaction.survey.models import Ballot, Invitation, InvitationStatus, Mode
from satisfaction.units.models import AdminUnit
from tests.survey.conftest import full_answers, statements_sent


def test_the_citizen_s_look_up_reads_what_the_object_holds(survey_app, issue):
    (code,) = issue(point="C00004-T")
    with survey_app.app_context():
        row, obj = lookup(code).invitation, lookup_invitation(code).invitation
        assert isinstance(row, InvitationRow) and isinstance(obj, Invitation)
        assert lookup(code).state is lookup_invitation(code).state is CodeState.OPEN
        for name in ("id", "code", "status", "channel", "issued_at", "returned_at",
                     "procedure_name", "field_code", "questionnaire_version_id"):  # fmt: skip
            assert getattr(row, name) == getattr(obj, name), name
        point, unit = obj.service_point, obj.service_point.unit
        assert row.service_point[:3] == (point.id, point.code, point.name)
        assert tuple(row.service_point.unit) == (unit.id, unit.level, unit.path)
        assert row.questionnaire_version.content_hash == obj.questionnaire_version.content_hash
        assert row.questionnaire_version.definition == obj.questionnaire_version.definition
        assert expiry.expires_on(row) == expiry.expires_on(obj)
        with pytest.raises(AttributeError):  # immutable
            row.status = InvitationStatus.ANSWERED


def test_a_batch_s_validity_is_read_with_the_row(survey_app):
    made = survey_app.test_cli_runner().invoke(args=[
        "batches", "create", "--service-point", "C00001-T", "--count", "1", "--channel", "desk",
        "--valid-days", "7"])  # fmt: skip
    assert made.exit_code == 0, made.output
    with survey_app.app_context():
        code = db.session.scalar(select(Invitation.code).where(
            Invitation.batch_id == int(made.output.split()[-1])))  # fmt: skip
        row, obj = lookup(code).invitation, lookup_invitation(code).invitation
        assert row.batch_valid_days == obj.batch_valid_days == 7
        assert expiry.expires_on(row) == expiry.expires_on(obj)
        assert (expiry.expires_on(row) - expiry.local_date(row.issued_at)).days == 7


def test_unknown_mistyped_and_answered_codes_as_before(survey_app, client, issue):
    (code,) = issue()
    assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    with survey_app.app_context():
        assert lookup("AAAA-BBBB-CCCC-D").state in (CodeState.MISTYPED, CodeState.UNKNOWN)
        assert lookup("12").state is CodeState.MISTYPED and lookup("12").message
        found = lookup(code)
        assert found.state is CodeState.ANSWERED
        assert found.invitation.status is InvitationStatus.ANSWERED


def test_a_submit_reads_its_code_with_one_statement(survey_app, client, issue):
    survey_app.config["MIX_MIN"] = 50  # no mix after this answer: the submit's statements alone
    code, warm = issue(2)
    assert client.get(f"/s/{warm}").status_code == 200  # the version's definition, parsed once
    with statements_sent(survey_app) as sent:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    reads = [s for s in sent if s.startswith("SELECT")]
    assert len(reads) == 1 and "FROM invitations" in reads[0], reads
    assert "questionnaire_versions.definition" not in reads[0]  # parsed once per process


def test_an_answer_from_a_row_whose_unit_has_no_path_asks_the_database(survey_app, issue):
    (code,) = issue(point="C00037-T")
    with survey_app.app_context():
        row = lookup(code).invitation
        unit = db.session.get(AdminUnit, row.service_point.unit.id)
        expected = ballot_box.unit_columns(unit_point := row.service_point)
        no_path = row._replace(service_point=PointRow(
            *unit_point[:3], unit_point.unit._replace(path="")))  # fmt: skip
        assert ballot_box.unit_columns(no_path.service_point) == expected
        assert expected["commune_id"] == unit.id and expected["district_id"] == unit.parent_id
        record_invited(no_path, {"access.info": 5}, Mode.ONLINE, local_today())
        db.session.commit()
        ballot = db.session.scalars(select(Ballot)).one()
        assert (ballot.province_id, ballot.district_id, ballot.commune_id) == (
            expected["province_id"], expected["district_id"], expected["commune_id"])  # fmt: skip
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
        with pytest.raises(AlreadyAnswered):  # the code is closed: a second answer is refused
            record_invited(row, {"access.info": 4}, Mode.ONLINE, local_today())
        db.session.rollback()
