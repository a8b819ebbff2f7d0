"""Helpers for the scoring tests: record responses, read the aggregates back by cell."""

import math
from datetime import date

from sqlalchemy import select

from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring.models import (
    ScoreAnswerCount,
    ScoreCell,
    ScoreElementSum,
    ScoreRollup,
    ScoreRollupAnswerCount,
    ScoreRollupElementSum,
)
from satisfaction.survey.answering import add_response
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import ServicePoint

KEY = "sipas-services"


def record(point_code: str, answers: dict, day: date = date(2026, 7, 15),
           channel: Channel = Channel.ENVELOPE, mode: Mode = Mode.ONLINE,
           is_poster: bool = False) -> None:  # fmt: skip
    """Record one response through the common function every recording path uses."""
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == point_code))
    version = get_version(KEY)
    add_response(point, version.id, channel, mode, answers, day, is_poster=is_poster)


def snapshot() -> dict:
    """Return every aggregate keyed by its cell's key (not its id), for comparisons."""
    cells = {c.id: c for c in db.session.scalars(select(ScoreCell))}
    found: dict = {}
    for cell in cells.values():
        found[_key(cell)] = {"responses": cell.responses, "answers": {}, "sums": {}}
    for row in db.session.scalars(select(ScoreAnswerCount)):
        cell = cells[row.cell_id]
        found[_key(cell)]["answers"][(row.question, row.answer)] = row.count
    for row in db.session.scalars(select(ScoreElementSum)):
        sums = (row.respondents, row.sum_ab, row.sum_a, row.sum_b)
        found[_key(cells[row.cell_id])]["sums"][(row.element_a, row.element_b)] = sums
    return found


def rollup_snapshot() -> dict:
    """Return every rollup keyed by its key (not its id), for comparisons."""
    rollups = {r.id: r for r in db.session.scalars(select(ScoreRollup))}
    found: dict = {}
    for r in rollups.values():
        key = (r.questionnaire_version_id, r.unit_id, r.unit_level, r.province_id, r.span,
               r.month, r.source, r.office_level)  # fmt: skip
        found[r.id] = found[key] = {"responses": r.responses, "answers": {}, "sums": {}}
    for row in db.session.scalars(select(ScoreRollupAnswerCount)):
        found[row.rollup_id]["answers"][(row.question, row.answer)] = row.count
    for row in db.session.scalars(select(ScoreRollupElementSum)):
        sums = (row.respondents, row.sum_ab, row.sum_a, row.sum_b)
        found[row.rollup_id]["sums"][(row.element_a, row.element_b)] = sums
    return {key: value for key, value in found.items() if isinstance(key, tuple)}


def _key(cell: ScoreCell) -> tuple:
    places = (cell.province_id, cell.district_id, cell.commune_id)
    return (cell.questionnaire_version_id, cell.service_point_id, *places, cell.month,
            cell.source, cell.mode)  # fmt: skip


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
