"""Helpers for the citizen's survey tests (the fixtures live in tests/conftest.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

KEY = "sipas-services"


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:
    """Yield a list that collects every SQL statement the app sends meanwhile (spaces folded)."""
    from satisfaction.extensions import db

    with app.app_context():
        engine = db.engine
    sent: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def full_answers() -> dict[str, str]:
    """Return a complete, valid set of answers to the SIPAS questionnaire."""
    from satisfaction.questionnaires.loader import load_dir

    forms = Path(__file__).resolve().parents[2] / "forms"
    questionnaire = next(f.questionnaire for f in load_dir(forms) if f.questionnaire.key == KEY)
    answers = {item.key: "4" for item in questionnaire.items}
    answers.update({item.key: "NA" for item in questionnaire.items if item.allow_na})
    answers["access.info"] = "5"
    answers.update({e.key: "3" for e in questionnaire.expectations})
    answers["comment"] = "Cán bộ rất nhiệt tình."
    return answers
