"""Four clerks scan the same form at the same moment: one event, the others told it is done."""

import threading

from sqlalchemy import func, select

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import tracking
from satisfaction.survey.models import InvitationEvent, InvitationStatus
from tests.auth.helpers import make_user

CLERKS = ["anh", "binh", "chi", "dung"]


def test_the_same_form_scanned_at_once_is_one_event(survey_app, issue):
    (code,) = issue()
    for name in CLERKS:
        make_user(survey_app, name, Role.POSTAL, "001")
    barrier, told = threading.Barrier(len(CLERKS)), []

    def clerk(name: str) -> None:
        with survey_app.app_context():
            user = get_user(name)
            barrier.wait(timeout=10)
            try:
                moved = tracking.move(code, InvitationStatus.DISPATCHED, user)
                db.session.commit()
                told.append("repeat" if moved.is_repeat else "done")
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
    assert sorted(told) == ["done", "repeat", "repeat", "repeat"], told
    with survey_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InvitationEvent)) == 1
