"""Helpers for the scoring tests: record responses, read the aggregates back by cell."""

import math
from datetime import date

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring.layout import layout_of
from satisfaction.scoring.models import ScoreCell, ScoreFieldRollup, ScorePointRollup, ScoreRollup
from satisfaction.survey.answering import add_response
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import ServicePoint

KEY = "sipas-services"
SUMS = ("id", "responses", "tally")  # the columns of an aggregate that are not its key


def record(point_code: str, answers: dict, day: date = date(2026, 7, 15),
           channel: Channel = Channel.ENVELOPE, mode: Mode = Mode.ONLINE,
           is_poster: bool = False, field_code: str = "") -> None:  # fmt: skip
    """Record one response through the common function every recording path uses."""
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == point_code))
    version = get_version(KEY)
    add_response(point, version.id, channel, mode, answers, day, is_poster=is_poster,
                 field_code=field_code)  # fmt: skip


def snapshot() -> dict:
    """Return every aggregate keyed by its cell's key (not its id), for comparisons."""
    return {_key(cell): _unpacked(cell) for cell in db.session.scalars(select(ScoreCell))}


def rollup_snapshot() -> dict:
    """Return every rollup (by unit, by service point, by field) keyed by its table and every
    column but its id and sums, for comparisons."""
    found: dict = {}
    for model in (ScoreRollup, ScorePointRollup, ScoreFieldRollup):
        columns = [c.name for c in model.__table__.columns if c.name not in SUMS]
        for r in db.session.scalars(select(model)):
            found[(model.__tablename__, *(getattr(r, name) for name in columns))] = _unpacked(r)
    return found


def _unpacked(row) -> dict:
    """Return a cell's or rollup's packed tally as its responses, answer counts and pair sums."""
    tally = layout_of(row.questionnaire_version_id).tally(row.responses, [row.tally])
    sums = {key: (m.n, m.ab, m.a, m.b) for key, m in tally.moments.items()}
    return {"responses": tally.responses, "answers": tally.answers, "sums": sums}


def answer_count(question: str, answer: str) -> int:
    """Return how many responses gave an answer to a question, over every cell."""
    return sum(cell["answers"].get((question, answer), 0) for cell in snapshot().values())


def pair_respondents(a: str, b: str) -> int:
    """Return how many respondents answered both elements, over every cell."""
    return sum(cell["sums"].get((a, b), (0,))[0] for cell in snapshot().values())


def _key(cell: ScoreCell) -> tuple:
    places = (cell.province_id, cell.district_id, cell.commune_id)
    return (cell.questionnaire_version_id, cell.service_point_id, *places, cell.month,
            cell.source, cell.mode, cell.field_code)  # fmt: skip


def same(left: dict, right: dict) -> bool:
    """Return whether two snapshots agree (sums of fractions to within rounding)."""
    if left.keys() != right.keys():
        return False
    for key, a in left.items():
        b = right[key]
        if a["responses"] != b["responses"] or a["answers"] != b["answers"]:
            return False
        if a["sums"].keys() != b["sums"].keys():
            return False
        for pair, (n, *sums) in a["sums"].items():
            m, *others = b["sums"][pair]
            close = all(math.isclose(x, y, abs_tol=1e-9) for x, y in zip(sums, others, strict=True))
            if n != m or not close:
                return False
    return True
