"""The ballot box: answers wait here, then a mixer counts them in a random order, in batches.

Closing a code and dropping its answer in happen in one transaction (exactly once). Moving the
answer into responses happens later, in another transaction, with at least MIX_MIN others, in a
random order: the transaction, the storage order and the time of a code's closing then tell
only in which batch its answer went, never which of the batch's answers it is (design,
section 5; docs/methodology.md says what this protects and what not).
"""

import functools
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, select, text

from satisfaction.core import driver
from satisfaction.core.sql import copy_type
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.jobs import queue
from satisfaction.scoring.aggregates import Counting, add_counted
from satisfaction.survey.found import PointRow
from satisfaction.survey.models import Ballot, Channel, Mode, Response
from satisfaction.units.models import AdminUnit, ServicePoint, UnitLevel
from satisfaction.units.services import ancestors

# The columns a ballot hands to its response, unchanged.
CARRIED = (
    "questionnaire_version_id", "service_point_id", "province_id", "district_id", "commune_id",
    "channel", "mode", "answered_on", "answers", "comment", "is_poster", "field_code",
)  # fmt: skip
DROPPED = "ballot-box:dropped"  # in the session's info: answers went in during this request
CHANNELS = "ballot-box:channels"  # in the session's info: the channel of each answer dropped
MIXER_LOCK = 0x5A715F4D  # PostgreSQL advisory lock key of the mixer (any constant of ours)


def unit_columns(point: ServicePoint | PointRow) -> dict[str, int | None]:
    """Return the province, district and commune ids of a service point, as answers keep them.

    Read from the unit's path (the ids from its province down to itself), not from the
    database: an answer is recorded without reading the units above its office.
    """
    unit = point.unit
    ids = [int(part) for part in (unit.path or "").strip("/").split("/") if part]
    if not ids or ids[-1] != unit.id:  # no path yet: ask the database
        if not isinstance(unit, AdminUnit):  # a plain row (survey/found.py): its object
            unit = db.session.get(AdminUnit, unit.id)
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


def answer_columns(point: ServicePoint | PointRow, version_id: int, channel: Channel, mode: Mode,
                   answers: dict, day: date, is_poster: bool = False, field_code: str = ""
                   ) -> dict[str, Any]:  # fmt: skip
    """Return the columns of an answer as a ballot and a response keep it (the comment apart).

    field_code: the field of the procedure (satisfaction.procedures.fields), "" unknown.
    """
    answers = dict(answers)
    comment = answers.pop("comment", None) or ""
    return {
        "questionnaire_version_id": version_id, "service_point_id": point.id, "channel": channel,
        "mode": mode, "answered_on": day, "answers": answers, "comment": comment,
        "is_poster": is_poster, "field_code": field_code, **unit_columns(point),
    }  # fmt: skip


def drop(point: ServicePoint | PointRow, version_id: int, channel: Channel, mode: Mode,
         answers: dict, day: date, *, is_poster: bool = False, claim: tuple | None = None,
         field_code: str = "",
         ) -> bool:  # fmt: skip
    """Put an answer in the ballot box, in the caller's transaction; the mixer counts it later.

    One INSERT, not an object of the session (nothing reads the ballot again), which also tells
    how full the box looks (up to MIX_MIN) and since when: whether mixing after the response
    is worth trying costs no other statement. A claim (a data-modifying CTE and its
    parameters) runs in the same statement: the answer goes in only if the claim returned a
    row. Return whether the answer went in.
    """
    columns = answer_columns(point, version_id, channel, mode, answers, day, is_poster, field_code)
    ballot = uuid.uuid4()
    params = {**columns, "id": ballot, "ballot": ballot, "dropped_at": utcnow(),
              "look_at": max(1, int(current_app.config["MIX_MIN"]))}  # fmt: skip
    if claim is not None:
        # Named apart: a key named as a column of the claim's table would join its SET clause.
        params = {**{f"ballot_{key}": value for key, value in params.items()}, **claim[1],
                  "ballot": ballot, "look_at": params["look_at"]}  # fmt: skip
    statement = _dropping(None if claim is None else claim[0])
    session = db.session()  # the request's session, found once (each db.session.x finds it)
    found = driver.first(session.connection(), statement, params)
    if found is None:  # the claim changed nothing: no answer went in
        return False
    waiting_before, oldest = found
    session.info[DROPPED] = (waiting_before + 1, oldest)
    session.info.setdefault(CHANNELS, []).append(channel)
    return True


@functools.cache
def _dropping(claim=None):
    """Return the INSERT of a ballot and what it tells of the box (built once, cache key too).

    After a claim (a CTE returning a row or none), the ballot's values are selected from it.
    """
    table = Ballot.__table__
    others = select(table.c.id).where(table.c.id != bindparam("ballot"))
    counted = others.limit(bindparam("look_at")).subquery()
    oldest = select(func.min(table.c.dropped_at)).where(table.c.id != bindparam("ballot"))
    told = (select(func.count()).select_from(counted).scalar_subquery(), oldest.scalar_subquery())
    if claim is None:
        return insert(table).returning(*told)
    names = ["id", *CARRIED, "dropped_at"]
    values = select(*(bindparam(f"ballot_{name}", type_=table.c[name].type) for name in names))
    return (
        insert(table).add_cte(claim).from_select(names, values.select_from(claim)).returning(*told)
    )


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
        # The mix's commit need not wait for the disk: lost in a crash, the whole transaction
        # is (PostgreSQL keeps it atomic), and its answers are back in the box, committed
        # durably by their submits, for the next mixer. Nothing else is in this transaction.
        conn.exec_driver_sql("SET LOCAL synchronous_commit TO off")
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
    if db.session.get_bind().dialect.name != "postgresql":
        rows = _move_sqlite(size)
        add_counted(Counting.of(rows).rows(rows))
        return len(rows)
    rows, levels = _take_postgres(size)
    counting = Counting.of(rows, levels)
    # numpy and Python count the batch while PostgreSQL stores it (the driver waits for the
    # server without holding Python's lock): on two cores the two overlap.
    with ThreadPoolExecutor(max_workers=1) as pool:
        counted = pool.submit(lambda: counting.rows([_Taken.of(row) for row in rows]))
        _store_postgres(rows)
        add_counted(counted.result())
    return len(rows)


def shuffled(rows: list) -> list:
    """Return rows in a uniformly random order, drawn from the system's secure source.

    Each row gets a random 64-bit key from one read of os.urandom and the rows are sorted by
    it (two equal keys among thousands: odds below 1 in 10^11): one system call a batch, not
    one or two a row as random.SystemRandom().shuffle makes.
    """
    keys = memoryview(os.urandom(8 * len(rows))).cast("Q")
    return [rows[i] for i in sorted(range(len(rows)), key=keys.__getitem__)]


def new_ids(count: int) -> list[bytes]:
    """Return count random version 4 UUIDs, as their 16 bytes, from one read of os.urandom.

    The bits of the version and variant are set as uuid4() sets them; the rest is random.
    """
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes((byte & 0x0F) | 0x40 for byte in raw[6::16])
    raw[8::16] = bytes((byte & 0x3F) | 0x80 for byte in raw[8::16])
    return [bytes(raw[i : i + 16]) for i in range(0, 16 * count, 16)]


class _Taken(NamedTuple):
    """A waiting answer taken out of the box: the columns it hands to its response."""

    questionnaire_version_id: int
    service_point_id: int
    province_id: int | None
    district_id: int | None
    commune_id: int | None
    channel: str
    mode: str
    answered_on: date
    answers: dict
    comment: str
    is_poster: bool
    field_code: str

    @classmethod
    def of(cls, row) -> "_Taken":
        """Return a row taken out of the box (its answers as JSON text) with its answers read."""
        answers = CARRIED.index("answers")
        return cls(*row[:answers], json.loads(row[answers]), *row[answers + 1 : len(CARRIED)])


def _take_postgres(size: int) -> tuple[list, dict[int, UnitLevel]]:
    """Take the oldest waiting answers out of the box (one DELETE), shuffled; JSON as text.

    Each row ends with the level of its office, read in the same statement; the levels are
    also returned by service point.
    """
    returned = ", ".join("CAST(answers AS text) AS answers" if name == "answers" else name
                         for name in CARRIED)  # fmt: skip
    rows = (
        db.session.connection()
        .exec_driver_sql(
            "WITH taken AS (DELETE FROM ballots WHERE id IN (SELECT id FROM ballots "
            f"ORDER BY dropped_at LIMIT {int(size)}) RETURNING {returned}) "
            f"SELECT taken.*, points.level FROM taken JOIN {ServicePoint.__tablename__} points "
            "ON points.id = taken.service_point_id"
        )
        .all()
    )
    point = CARRIED.index("service_point_id")
    levels = {row[point]: UnitLevel(row[-1]) for row in rows}
    return shuffled(rows), levels


def _store_postgres(rows: list) -> None:
    """Store taken answers as responses in their order, each with a new random id: one COPY."""
    table = Response.__table__
    # The ids go as bytes: a binary COPY field holds no type, and a UUID's is its 16 bytes.
    types = ["bytea", *("text" if name == "answers" else copy_type(table.c[name])
                        for name in CARRIED)]  # fmt: skip
    statement = f"COPY responses (id, {', '.join(CARRIED)}) FROM STDIN (FORMAT BINARY)"
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types(types)
        for row_id, row in zip(new_ids(len(rows)), rows, strict=True):
            copy.write_row((row_id, *row[: len(CARRIED)]))


def _move_sqlite(size: int) -> list:
    """Take the oldest waiting answers out of the box and insert them as responses, shuffled."""
    columns = [getattr(Ballot, name) for name in CARRIED]
    rows = db.session.execute(select(Ballot.id, *columns).order_by(Ballot.dropped_at).limit(size))
    rows = shuffled(rows.all())
    values = [{"id": uuid.UUID(bytes=row_id), **{name: getattr(row, name) for name in CARRIED}}
              for row_id, row in zip(new_ids(len(rows)), rows, strict=True)]  # fmt: skip
    if values:
        db.session.execute(insert(Response.__table__), values)
    taken = delete(Ballot).where(Ballot.id.in_([row.id for row in rows]))
    db.session.execute(taken.execution_options(synchronize_session=False))
    return rows


def answers_dropped() -> bool:
    """Tell (once) whether answers went in with this session and mixing them looked due then.

    Only when the platform mixes as it goes (MIX_AFTER_ANSWER); the mixer checks again, under
    its lock, before it moves anything.
    """
    dropped = db.session.info.pop(DROPPED, None)
    if dropped is None or not mixes_after_answers(current_app):
        return False
    return MixRule.configured().is_due(*dropped)


def mixes_after_answers(app) -> bool:
    """Tell whether the web process mixes after answers (MIX_AFTER_ANSWER; unset: without RQ)."""
    chosen = app.config["MIX_AFTER_ANSWER"]
    if chosen is None:
        return queue.backend(app) != "rq"  # with RQ, the worker's tick mixes
    return bool(chosen)


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
