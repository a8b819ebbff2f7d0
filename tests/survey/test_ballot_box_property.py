"""Property: whatever the interleaving of recordings and mixes, and wherever a process dies,
every acknowledged answer is counted exactly once and the aggregates equal a rebuild."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.survey import answering, ballot_box
from satisfaction.survey.invitations import create_invitations
from satisfaction.survey.models import Ballot, Invitation, Mode, Response
from satisfaction.units.models import ServicePoint
from tests.auth.helpers import make_user
from tests.scoring.helpers import rollup_snapshot, same, snapshot

DAY = date(2026, 11, 20)
FIELDS = ("", "dat-dai", "ho-tich")  # the fields of the forms' procedures ("" unknown)
CODES = 6
ANSWERS = ({"access.info": 5, "staff.courtesy": 4, "comment": "Tốt"},
           {"access.info": 2, "result.on_time": 1}, {"procedure.fee": 3})  # fmt: skip


class Died(Exception):
    """The process died here."""


STEP = st.one_of(
    st.tuples(st.sampled_from(["online", "keyed", "crash-record"]), st.integers(0, CODES - 1),
              st.integers(0, len(ANSWERS) - 1)),
    st.tuples(st.just("desk"), st.just(0), st.integers(0, len(ANSWERS) - 1)),
    st.tuples(st.sampled_from(["mix", "crash-mix-insert", "crash-mix-count"]), st.just(0),
              st.just(0)),
)  # fmt: skip


def test_every_acknowledged_answer_is_counted_once(make_app, survey_app, monkeypatch):
    app = make_app(MIX_MIN=3, DOUBLE_ENTRY_SHARE=0)
    make_user(app, "anh", Role.POSTAL, "001")
    acknowledged = {"n": 0}

    def record(kind: str, code: str, answers: dict) -> None:
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        try:
            if kind == "keyed":
                outcome = keying.key_form(code, answers, get_user("anh"), DAY).outcome
                if outcome is not keying.Keyed.COUNTED:
                    raise answering.AlreadyAnswered(code)
            else:
                answering.record_invited(invitation, answers, Mode.ONLINE, DAY)
            if kind == "crash-record":
                raise Died
        except (answering.AlreadyAnswered, Died):
            db.session.rollback()
            return
        db.session.commit()
        acknowledged["n"] += 1

    def mix(kind: str) -> None:
        if kind == "mix":
            ballot_box.mix()
            return
        postgres = db.session.get_bind().dialect.name == "postgresql"
        storing = "_store_postgres" if postgres else "insert"  # how a batch becomes responses
        target = storing if kind == "crash-mix-insert" else "add_counted"
        original = getattr(ballot_box, target)

        def dies(*args, **kwargs):
            if target == storing:
                raise Died
            original(*args, **kwargs)
            raise Died  # after the responses were inserted, the ballots deleted and counted

        monkeypatch.setattr(ballot_box, target, dies)
        try:
            ballot_box.mix(force=True)
        except Died:
            db.session.rollback()
        finally:
            monkeypatch.setattr(ballot_box, target, original)

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(STEP, max_size=14))
    def check(steps):
        with app.app_context():
            made = create_invitations("C00001-T", CODES // 2)
            made += create_invitations("C00004-T", CODES - len(made))
            for n, invitation in enumerate(made):  # their answers carry the forms' fields
                invitation.field_code = FIELDS[n % len(FIELDS)]
            codes = [i.code for i in made]
            db.session.commit()
            point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "D001-T"))
            version = get_version("sipas-services")
            for kind, which, answer in steps:
                if kind == "desk":
                    answering.record_desk(point, version, dict(ANSWERS[answer]), DAY)
                    db.session.commit()
                    acknowledged["n"] += 1
                elif kind.startswith(("mix", "crash-mix")):
                    mix(kind)
                else:
                    record(kind, codes[which], dict(ANSWERS[answer]))
            ballot_box.mix(force=True)
            counted = db.session.scalar(select(func.count()).select_from(Response))
            assert counted == acknowledged["n"]
            assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
            cells, rollups = snapshot(), rollup_snapshot()
            assert sum(cell["responses"] for cell in cells.values()) == counted
            rebuilding.rebuild()
            assert same(snapshot(), cells) and same(rollup_snapshot(), rollups)
            db.session.commit()

    check()
