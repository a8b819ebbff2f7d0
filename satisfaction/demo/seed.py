"""A realistic picture of answers for a demonstration: units, elements, quarters differ."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.extensions import db
from satisfaction.paper.codes import new_code
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.survey.answering import questionnaire_of
from satisfaction.survey.models import Channel, Invitation, InvitationStatus, Mode, Response
from satisfaction.units.models import AdminUnit, ServicePoint, UnitLevel
from satisfaction.units.queries import get_dataset

CHUNK = 10_000
QUARTERS = 6
EPOCH = date(2024, 1, 1)  # the trend's first quarter
BASE = 1.65  # with the spread between people, about 84% satisfied: near the national figures
ELEMENT_EFFECT = {"access": 0.1, "procedure": 0.05, "staff": 0.2, "result": 0.15, "feedback": -0.35}
OFFICE_EFFECT = {UnitLevel.PROVINCE: 0.35, UnitLevel.DISTRICT: 0.0, UnitLevel.COMMUNE: -0.1}
OFFICE_SHARE = {UnitLevel.PROVINCE: 0.15, UnitLevel.DISTRICT: 0.3, UnitLevel.COMMUNE: 0.55}
# (channel, is_poster, mode, share, effect): how answers arrive, and who tends to answer that way.
ARRIVALS = (
    (Channel.ENVELOPE, False, Mode.ONLINE, 0.28, 0.0),
    (Channel.ENVELOPE, False, Mode.KEYED, 0.17, 0.0),
    (Channel.ENVELOPE, False, Mode.SCANNED, 0.10, 0.0),
    (Channel.ENUMERATOR, False, Mode.KEYED, 0.15, 0.1),
    (Channel.ENUMERATOR, False, Mode.SCANNED, 0.10, 0.1),
    (Channel.DESK, False, Mode.ONLINE, 0.08, 0.05),
    (Channel.DESK, True, Mode.ONLINE, 0.12, -0.3),
)
# (field of the procedures, share, effect): what people came for. The poster asks no field, and
# some dossiers name a procedure the catalogue lacks: their field is unknown ("").
FIELD_MIX = (
    ("ho-tich", 0.30, 0.1),
    ("chung-thuc", 0.24, 0.2),
    ("dat-dai", 0.20, -0.35),
    ("ho-kinh-doanh", 0.07, 0.0),
    ("bao-tro-xa-hoi", 0.06, 0.05),
    ("hoat-dong-xay-dung", 0.05, -0.2),
    ("", 0.08, 0.0),
)
RETURN_RATE = {Channel.ENVELOPE: 0.35, Channel.ENUMERATOR: 0.85, Channel.DESK: 0.5}
COMMENTS = (
    "Cán bộ hướng dẫn tận tình.",
    "Phải chờ lâu, cần thêm ghế ngồi.",
    "Nên cho nộp hồ sơ trực tuyến nhiều hơn.",
    "Trả kết quả đúng hẹn, rất hài lòng.",
    "Biển chỉ dẫn khó thấy.",
)


@dataclass(frozen=True)
class Place:
    """A service point with its units and its own effect on satisfaction."""

    id: int
    province_id: int | None
    district_id: int | None
    commune_id: int | None
    level: UnitLevel
    effect: float


def _places(dataset_name: str | None, rng: np.random.Generator) -> dict[UnitLevel, list[Place]]:
    """Return the service points of a dataset by office level, each with its drawn effect."""
    dataset = get_dataset(dataset_name)
    units = {u.id: u for u in db.session.scalars(
        select(AdminUnit).where(AdminUnit.dataset_id == dataset.id))}  # fmt: skip
    effect = {uid: rng.normal(0, 0.35 if u.level is UnitLevel.PROVINCE else 0.2)
              for uid, u in units.items()}  # fmt: skip
    found: dict[UnitLevel, list[Place]] = {level: [] for level in OFFICE_SHARE}
    for point in db.session.scalars(select(ServicePoint).where(ServicePoint.unit_id.in_(units))):
        chain, unit = {}, units[point.unit_id]
        while unit is not None:
            chain[unit.level] = unit.id
            unit = units.get(unit.parent_id) if unit.parent_id else None
        total = sum(effect[i] for i in chain.values()) + OFFICE_EFFECT[point.level]
        ids = (chain.get(UnitLevel.PROVINCE), chain.get(UnitLevel.DISTRICT),
               chain.get(UnitLevel.COMMUNE))  # fmt: skip
        found[point.level].append(Place(point.id, *ids, point.level, total))
    if not any(found.values()):
        raise InputError(Problem("dataset", _("the unit dataset %(name)s has no service points",
                                              name=dataset.name)))  # fmt: skip
    return found


def _period(dataset_name: str | None, today: date) -> tuple[date, int]:
    """Return the first day of the demo's quarters and how many days they span."""
    dataset = get_dataset(dataset_name)
    end = min(today, dataset.valid_to) if dataset.valid_to else today
    start_quarter = (end.month - 1) // 3 - (QUARTERS - 1)
    year = end.year + math.floor(start_quarter / 4)
    start = date(year, (start_quarter % 4) * 3 + 1, 1)
    if dataset.valid_from is not None:  # answers are recorded on the list in force on their day
        start = max(start, dataset.valid_from)
    return start, (end - start).days + 1


def recorded_on(dataset_name: str | None) -> int:
    """Return how many responses are recorded on the units of a dataset."""
    dataset = get_dataset(dataset_name)
    inside = select(AdminUnit.id).where(AdminUnit.dataset_id == dataset.id)
    count = select(func.count()).select_from(Response).where(Response.province_id.in_(inside))
    return db.session.scalar(count) or 0


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _draw_answers(questionnaire, mood: np.ndarray, item_effect: dict, rng) -> list[dict]:
    """Return one answer dict per respondent: items correlated through each one's mood."""
    n = len(mood)
    columns: dict[str, list] = {}
    for element in questionnaire.elements:
        shift = ELEMENT_EFFECT.get(element.key, 0.0)
        no_feedback = rng.random(n) < 0.65  # most people never complained: "not applicable"
        for item in element.items:
            positive = rng.random(n) < _sigmoid(mood + shift + item_effect[item.key])
            high = rng.choice([4, 5], n, p=[0.6, 0.4])
            low = rng.choice([1, 2, 3], n, p=[0.15, 0.35, 0.5])
            value = np.where(positive, high, low).astype(object)
            if item.allow_na:
                value[no_feedback] = "na"
            value[rng.random(n) < 0.02] = None
            columns[item.key] = value.tolist()
    wants = _sigmoid(-mood + 0.6)
    for expectation in questionnaire.expectations:
        draw = rng.random(n)
        value = np.where(draw < wants * 0.45, 3, np.where(draw < wants, 2, 1)).astype(object)
        value[rng.random(n) < 0.05] = None
        columns[expectation.key] = value.tolist()
    keys = list(columns)
    return [{k: columns[k][i] for k in keys} for i in range(n)]


def _chunk(size: int, places, version, start: date, days: int, item_effect, rng,
           field_rng) -> tuple:  # fmt: skip
    """Return the response rows and invitation rows of one chunk."""
    questionnaire = questionnaire_of(version)
    # Drawn apart from the rest, so that the other draws are what they were before fields.
    field_of = field_rng.choice(len(FIELD_MIX), size, p=[f[1] for f in FIELD_MIX])
    levels = list(OFFICE_SHARE)
    level_of = rng.choice(len(levels), size, p=list(OFFICE_SHARE.values()))
    arrival = rng.choice(len(ARRIVALS), size, p=[a[3] for a in ARRIVALS])
    offsets = rng.integers(0, days, size)
    chosen, moods, when = [], np.empty(size), []
    for i in range(size):
        pool = (
            places[levels[level_of[i]]] or places[UnitLevel.COMMUNE] or places[UnitLevel.PROVINCE]
        )
        place = pool[int(rng.integers(len(pool)))]
        day = start + timedelta(days=int(offsets[i]))
        if ARRIVALS[arrival[i]][2] is not Mode.ONLINE:
            day -= timedelta(days=day.weekday())  # paper is keyed in weekly batches
        # Quarters since a fixed day, not since the start: two lists seeded in turn make one trend.
        quarter = ((day.year - EPOCH.year) * 12 + day.month - EPOCH.month) // 3
        moods[i] = BASE + place.effect + 0.04 * quarter + ARRIVALS[arrival[i]][4]
        moods[i] += FIELD_MIX[field_of[i]][2]
        chosen.append(place)
        when.append(max(day, start))
    answers = _draw_answers(questionnaire, moods + rng.normal(0, 1.1, size), item_effect, rng)
    comment_draw = rng.random(size)
    responses, invitations = [], []
    for i, (place, day, given) in enumerate(zip(chosen, when, answers, strict=True)):
        channel, poster, mode, _share, _effect = ARRIVALS[arrival[i]]
        field = "" if poster else FIELD_MIX[field_of[i]][0]
        responses.append({
            "questionnaire_version_id": version.id, "service_point_id": place.id,
            "province_id": place.province_id, "district_id": place.district_id,
            "commune_id": place.commune_id, "channel": channel, "mode": mode, "answered_on": day,
            "answers": given, "is_poster": poster, "field_code": field,
            "comment": COMMENTS[i % len(COMMENTS)] if comment_draw[i] < 0.04 else "",
        })  # fmt: skip
        if not poster:
            invitations += _invitations(place, version.id, channel, mode, day, rng, field)
    return responses, invitations


def _invitations(place: Place, version_id: int, channel: Channel, mode: Mode, day: date,
                 rng, field: str) -> list[dict]:  # fmt: skip
    """Return the form that brought an answer, and the forms like it that never came back."""
    issued = datetime.combine(day - timedelta(days=int(rng.integers(3, 25))), time(9))
    returned = datetime.combine(day, time(10)) if mode is not Mode.ONLINE else None
    base = {"service_point_id": place.id, "questionnaire_version_id": version_id,
            "channel": channel, "issued_at": issued, "procedure_code": "", "procedure_name": "",
            "withdrawn_reason": "", "field_code": field}  # fmt: skip
    sent = issued + timedelta(days=1) if channel is Channel.ENVELOPE else None
    status = InvitationStatus.KEYED if mode is Mode.KEYED else InvitationStatus.ANSWERED
    rows = [{**base, "code": new_code(), "status": status, "dispatched_at": sent,
             "returned_at": returned, "answered_month": day.replace(day=1),
             "answered_via": mode}]  # fmt: skip
    waiting = InvitationStatus.DISPATCHED if sent else InvitationStatus.ISSUED
    for _unreturned in range(int(rng.poisson(1 / RETURN_RATE[channel] - 1))):
        rows.append({**base, "code": new_code(), "status": waiting, "dispatched_at": sent,
                     "returned_at": None, "answered_month": None,
                     "answered_via": None})  # fmt: skip
    return rows


@dataclass(frozen=True)
class SeedOutcome:
    """What a seeding added."""

    responses: int
    invitations: int
    cells: int
    first_day: date


def seed(count: int, dataset_name: str | None = None, random_seed: int = 2026,
         progress: Callable[[int], None] = lambda n: None, today: date | None = None
         ) -> SeedOutcome:  # fmt: skip
    """Add count responses (and their forms) over a dataset's last six quarters; flush.

    progress is told of each chunk of responses made, then of each chunk counted in the rebuilt
    aggregates (every response in the database, the new ones included).
    """
    if count < 1:
        raise InputError(Problem("responses", _("give a number of responses above 0")))
    key = current_app.config["DEFAULT_QUESTIONNAIRE"]
    try:
        version = get_version(key)
    except NotFound:
        raise InputError(
            Problem(
                "questionnaire",
                _("no questionnaire %(key)s: run satisfaction questionnaires sync", key=key),
            )
        ) from None
    rng = np.random.default_rng(random_seed)
    field_rng = np.random.default_rng([random_seed, 1])
    places = _places(dataset_name, rng)
    start, days = _period(dataset_name, today or date.today())
    item_effect = {k: float(rng.normal(0, 0.15)) for k in questionnaire_of(version).item_keys}
    invitations = 0
    for done in range(0, count, CHUNK):
        size = min(CHUNK, count - done)
        responses, forms = _chunk(size, places, version, start, days, item_effect, rng,
                                  field_rng)  # fmt: skip
        rng.shuffle(responses)  # made beside their forms: stored in another order
        db.session.execute(insert(Response.__table__), responses)
        if forms:
            db.session.execute(insert(Invitation.__table__), forms)
        invitations += len(forms)
        progress(size)
    db.session.flush()
    _total, cells = rebuilding.rebuild(progress)
    return SeedOutcome(count, invitations, cells, start)
