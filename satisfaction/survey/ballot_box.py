"""The ballot box: answers wait here, then a mixer counts them in a random order, in batches.

Closing a code and dropping its answer in happen in one transaction (exactly once). Moving the
answer into responses happens later, in another transaction, with at least MIX_MIN others, in a
random order: the transaction, the storage order and the time of a code's closing then tell
only in which batch its answer went, never which of the batch's answers it is (design,
section 5; docs/methodology.md says what this protects and what not).
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, insert, select, text

from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.scoring.aggregates import count_responses
from satisfaction.survey.models import Ballot, Channel, Mode, Response
from satisfaction.units.models import AdminUnit, ServicePoint, UnitLevel
from satisfaction.units.services import ancestors

# The columns a ballot hands to its response, unchanged.
CARRIED = (
    "questionnaire_version_id", "service_point_id", "province_id", "district_id", "commune_id",
    "channel", "mode", "answered_on", "answers", "comment", "is_poster",
)  # fmt: skip
DROPPED = "ballot-box:dropped"  # in the session's info: answers went in during this request
MIXER_LOCK = 0x5A715F4D  # PostgreSQL advisory lock key of the mixer (any constant of ours)


def unit_columns(point: ServicePoint) -> dict[str, int | None]:
    """Return the province, district and commune ids of a service point, as answers keep them.

    Read from the unit's path (the ids from its province down to itself), not from the
    database: an answer is recorded without reading the units above its office.
    """
    unit = point.unit
    ids = [int(part) for part in (unit.path or "").strip("/").split("/") if part]
    if not ids or ids[-1] != unit.id:  # no path yet: ask the database
        units = {above.level: above.id for above in [*ancestors(unit), unit]}
    else:
        units = {UnitLevel.PROVINCE: ids[0], unit.level: unit.id}
        if len(ids) == 3:  # province, district, commune (the three-tier map)
            units[UnitLevel.DISTRICT] = ids[1]
    return {
        "province_id": units.get(UnitLevel.PROVINCE),
        "district_id": units.get(UnitLevel.DISTRICT),
        "commune_id": units.get(UnitLevel.COMMUNE),
    }


def answer_columns(point: ServicePoint, version_id: int, channel: Channel, mode: Mode,
                   answers: dict, day: date, is_poster: bool = False
                   ) -> dict[str, Any]:  # fmt: skip
    """Return the columns of an answer as a ballot and a response keep it (the comment apart)."""
    answers = dict(answers)
    comment = answers.pop("comment", None) or ""
    return {
        "questionnaire_version_id": version_id, "service_point_id": point.id, "channel": channel,
        "mode": mode, "answered_on": day, "answers": answers, "comment": comment,
        "is_poster": is_poster, **unit_columns(point),
    }  # fmt: skip


def drop(point: ServicePoint, version_id: int, channel: Channel, mode: Mode, answers: dict,
         day: date, *, is_poster: bool = False) -> Ballot:  # fmt: skip
    """Put an answer in the ballot box, in the caller's transaction; the mixer counts it later."""
    ballot = Ballot(**answer_columns(point, version_id, channel, mode, answers, day, is_poster))
    db.session.add(ballot)
    db.session.flush()
    db.session.info[DROPPED] = True
    return ballot


def waiting(unit: AdminUnit | None = None) -> int:
    """Return how many answers wait to be counted: everywhere, or within a unit."""
    stmt = select(func.count()).select_from(Ballot)
    if unit is not None:
        column = {UnitLevel.PROVINCE: Ballot.province_id, UnitLevel.DISTRICT: Ballot.district_id,
                  UnitLevel.COMMUNE: Ballot.commune_id}[unit.level]  # fmt: skip
        stmt = stmt.where(column == unit.id)
    return db.session.scalar(stmt) or 0


@dataclass(frozen=True)
class MixRule:
    """When waiting answers may be mixed: enough of them, or one waiting too long."""

    minimum: int
    max_wait: timedelta
    batch_max: int

    @classmethod
    def configured(cls) -> "MixRule":
        """Return the rule the configuration sets (MIX_MIN, MIX_MAX_WAIT, MIX_BATCH_MAX)."""
        config = current_app.config
        return cls(
            minimum=max(1, int(config["MIX_MIN"])),
            max_wait=timedelta(seconds=float(config["MIX_MAX_WAIT"])),
            batch_max=max(1, int(config["MIX_BATCH_MAX"])),
        )

    def is_due(self, count: int, oldest) -> bool:
        """Tell whether count waiting answers, the oldest dropped at oldest, should be mixed."""
        if count >= self.minimum:
            return True
        return count > 0 and oldest is not None and oldest <= utcnow() - self.max_wait

    def batches(self, count: int) -> list[int]:
        """Return the sizes of the batches count answers are mixed in: as equal as can be."""
        parts = -(-count // self.batch_max)
        return [count // parts + (1 if i < count % parts else 0) for i in range(parts)]


def mix(force: bool = False, wait: bool = True) -> int:
    """Move the waiting answers into responses, in random order, and count them; return how many.

    Without force, nothing moves unless the rule says the ballot box is due. One mixer at a
    time: the others wait for it (wait) or leave at once, moving nothing. Each batch is
    committed on its own, so the caller's session must hold no pending work.
    """
    rule = MixRule.configured()
    moved, sizes = 0, None
    while sizes is None or sizes:
        db.session.commit()  # end any transaction before taking the mixer's lock
        if not _lock(wait):
            db.session.rollback()
            break
        if sizes is None:  # what arrives while the batches are mixed waits for its own turn
            count, oldest = db.session.execute(
                select(func.count(), func.min(Ballot.dropped_at))
            ).one()
            sizes = rule.batches(count) if count and (force or rule.is_due(count, oldest)) else []
            if not sizes:
                db.session.rollback()
                break
        moved += _mix_batch(sizes.pop(0))
        db.session.commit()
    return moved


def _lock(wait: bool) -> bool:
    """Take the mixer's lock for this transaction; say whether it was taken."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        if wait:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIXER_LOCK})
            return True
        return bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                 {"key": MIXER_LOCK}).scalar())  # fmt: skip
    # SQLite: an immediate transaction holds the database's one write lock from its start.
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    return True


def _mix_batch(size: int) -> int:
    """Move one batch of waiting answers into responses, in a random order, and count them."""
    columns = [getattr(Ballot, name) for name in CARRIED]
    oldest = select(Ballot.id, *columns).order_by(Ballot.dropped_at).limit(size)
    rows = db.session.execute(oldest).all()
    if not rows:
        return 0
    secrets.SystemRandom().shuffle(rows)
    _move([row.id for row in rows], rows)
    taken = delete(Ballot).where(Ballot.id.in_([row.id for row in rows]))
    db.session.execute(taken.execution_options(synchronize_session=False))
    count_responses(rows)
    return len(rows)


def _move(ids: list[uuid.UUID], rows) -> None:
    """Insert the ballots as responses with new random ids, stored in the order of ids."""
    new_ids = [uuid.uuid4() for _ in ids]
    if db.session.get_bind().dialect.name == "postgresql":
        # The answers stay in the database; one statement, its rows inserted in the order given.
        listed = ", ".join(CARRIED)
        db.session.execute(text(
            f"INSERT INTO responses (id, {listed}) SELECT m.new_id, "
            + ", ".join(f"b.{name}" for name in CARRIED)
            + " FROM unnest(CAST(:taken AS uuid[]), CAST(:new AS uuid[])) WITH ORDINALITY"
            " AS m(ballot_id, new_id, n) JOIN ballots b ON b.id = m.ballot_id ORDER BY m.n"
        ), {"taken": ids, "new": new_ids})  # fmt: skip
        return
    values = [{"id": new_id, **{name: getattr(row, name) for name in CARRIED}}
              for new_id, row in zip(new_ids, rows, strict=True)]  # fmt: skip
    db.session.execute(insert(Response.__table__), values)


def answers_dropped() -> bool:
    """Tell (once) whether answers went in with this session and the platform mixes as it goes."""
    dropped = db.session.info.pop(DROPPED, False)
    return dropped and bool(current_app.config["MIX_AFTER_ANSWER"])


def mix_after_answers() -> int:
    """Mix if answers went in with this session and the platform mixes as it goes."""
    return mix_if_due() if answers_dropped() else 0


def mix_if_due() -> int:
    """Mix if the ballot box is due and no other mixer is at work; return how many moved."""
    try:
        return mix(force=False, wait=False)
    except Exception:
        # The answers stay in the box for the next mixer: a failed mix loses nothing.
        db.session.rollback()
        current_app.logger.exception("mixing the ballot box failed; the answers wait")
        return 0
