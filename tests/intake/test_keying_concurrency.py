"""Two clerks key the same form at the same moment: one wins, the other is told; counted once."""

import threading
from datetime import date

from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.questionnaires.services import sync_all
from satisfaction.survey.invitations import create_invitations
from satisfaction.survey.models import Invitation, Response
from tests.auth.helpers import make_user
from tests.conftest import mix_now

DIGITS = "54444 4444 44444 444 999 332211"
CLERKS = ["anh", "binh", "chi", "dung"]


def _prepare(app) -> str:
    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        code = create_invitations("C00001-T", 1)[0].code
        db.session.commit()
    for name in CLERKS:
        make_user(app, name, Role.POSTAL, "001")
    return code


def _race(app, code) -> list[str]:
    """Let every clerk key the form at once; return what each was told."""
    barrier, told = threading.Barrier(len(CLERKS)), []

    def clerk(name: str) -> None:
        with app.app_context():
            invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
            answers = keying.parse_digits(keying.questionnaire_for(invitation), DIGITS)
            user = get_user(name)
            barrier.wait(timeout=10)
            try:
                result = keying.key_form(code, answers, user, date(2026, 11, 20))
                db.session.commit()
                told.append(result.outcome.value)
            except InputError as error:
                db.session.rollback()
                told.append("refused: " + str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clerk, args=(name,)) for name in CLERKS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return told


def _count(app, model) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_single_entry_race_counts_once(make_app, small_units):
    app = make_app(DOUBLE_ENTRY_SHARE=0)
    told = _race(app, _prepare(app))
    assert sorted(told) == ["counted", "duplicate", "duplicate", "duplicate"], told
    assert _count(app, Response) == 1


def test_first_entry_race_keeps_one(make_app, small_units):
    app = make_app(DOUBLE_ENTRY_SHARE=1)
    told = _race(app, _prepare(app))
    kinds = [t if not t.startswith("refused") else "refused" for t in told]
    # One first entry wins; a clerk arriving after it keys the second (counted, verified);
    # later ones are duplicates; one racing for the first entry at the same instant is told.
    assert kinds.count("first-entry") == 1 and kinds.count("counted") <= 1, told
    assert set(kinds) <= {"first-entry", "counted", "duplicate", "refused"}, told
    assert _count(app, Response) == kinds.count("counted")
