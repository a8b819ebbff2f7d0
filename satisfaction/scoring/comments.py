"""Comments to read: each with its unit and month, filtered by unit, period and a word.

A unit's comments are shown only when at least BREAKDOWN_MIN people wrote one in the period
(as on its page). Each comment is given with the smallest unit known and its month, never its
day; within a month they come in the order of the random response ids, which says nothing of
who answered when.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Date, Select, cast, func, select

from satisfaction.extensions import db
from satisfaction.scoring import queries
from satisfaction.scoring.breakdowns import BREAKDOWN_MIN
from satisfaction.scoring.services import Query, scheme_and_versions, scope_of
from satisfaction.survey.models import Response
from satisfaction.units.models import AdminUnit

PER_PAGE = 50
SAMPLE = 8  # comments in a report
WORD_MAX = 100  # characters of a searched word or phrase


@dataclass(frozen=True)
class Comment:
    """A comment as an officer reads it: where, which month, what."""

    unit: str
    month: date  # its first day
    text: str


@dataclass(frozen=True)
class CommentPage:
    """One page of a unit's comments, and how many there are in all and with the word."""

    total: int
    matched: int
    page: int
    pages: int
    items: tuple[Comment, ...]

    @property
    def shown(self) -> bool:
        """Tell whether enough people commented for any comment to be shown."""
        return self.total >= BREAKDOWN_MIN


def _written(unit: AdminUnit, query: Query) -> list[ColumnElement[bool]]:
    _scheme, versions = scheme_and_versions(query)
    scope = scope_of(query, versions, unit)
    return [Response.comment != "", *queries.raw_filter(scope, query.period)]


def _with_word(conditions: list, word: str) -> list:
    word = word.strip()[:WORD_MAX].lower()
    if not word:
        return conditions
    # lower() knows Vietnamese letters on PostgreSQL; on SQLite the app gives it Python's.
    return [*conditions, func.lower(Response.comment).contains(word, autoescape=True)]


def _month(column) -> ColumnElement:
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.strftime("%Y-%m-01", column)


def _listed(conditions: list) -> Select:
    unit_id = func.coalesce(Response.commune_id, Response.district_id, Response.province_id)
    month = _month(Response.answered_on)
    return (
        select(AdminUnit.name, month.label("month"), Response.comment)
        .join(AdminUnit, AdminUnit.id == unit_id)
        .where(*conditions)
        .order_by(month.desc(), Response.id)
    )


def _comment(row) -> Comment:
    month = date.fromisoformat(row.month) if isinstance(row.month, str) else row.month
    return Comment(row.name, month, row.comment)


def _count(conditions: list) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(*conditions)) or 0


def find(unit: AdminUnit, query: Query, word: str = "", page: int = 1) -> CommentPage:
    """Return one page of a unit's comments in a period, those with the word if one is given."""
    written = _written(unit, query)
    total = _count(written)
    if total < BREAKDOWN_MIN:
        return CommentPage(total, 0, 1, 1, ())
    matching = _with_word(written, word)
    matched = _count(matching) if word.strip() else total
    pages = max(1, -(-matched // PER_PAGE))
    page = min(max(1, page), pages)
    listed = _listed(matching).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    return CommentPage(total, matched, page, pages,
                       tuple(_comment(row) for row in db.session.execute(listed)))  # fmt: skip


def every(unit: AdminUnit, query: Query, word: str = "") -> Iterator[Comment]:
    """Yield every comment of a unit in a period (with the word), or none under the minimum."""
    written = _written(unit, query)
    if _count(written) < BREAKDOWN_MIN:
        return
    listed = _listed(_with_word(written, word)).execution_options(yield_per=2000)
    for row in db.session.execute(listed):
        yield _comment(row)


def sample(unit: AdminUnit, query: Query, count: int | None = None
           ) -> tuple[int, tuple[Comment, ...]]:  # fmt: skip
    """Return how many comments a unit has in a period, and a fair sample of them.

    None are given when fewer than BREAKDOWN_MIN people commented. The sample is the first
    comments in the order of the random response ids (a random choice that says nothing of who
    answered when), listed latest month first.
    """
    written = _written(unit, query)
    total = _count(written)
    if total < BREAKDOWN_MIN:
        return total, ()
    count = SAMPLE if count is None else count
    chosen = select(Response.id).where(*written).order_by(Response.id).limit(count)
    listed = _listed([Response.id.in_(chosen.scalar_subquery())])
    return total, tuple(_comment(row) for row in db.session.execute(listed))
