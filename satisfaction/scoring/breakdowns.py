"""Breakdowns of a unit's scores (by office level, source, service point, field of the
procedures) and its comments.

A unit's breakdowns and comments are kept by the process until the aggregates of their period
are written again (satisfaction.scoring.generations), as the nation is: a page read again, its
downloads and its report read them once.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from satisfaction.core import overlap
from satisfaction.core.sql import among_ids
from satisfaction.extensions import db
from satisfaction.procedures.fields import UNKNOWN, all_fields, field_name
from satisfaction.scoring import queries
from satisfaction.scoring.layout import AnyTally
from satisfaction.scoring.models import Source
from satisfaction.scoring.queries import FIELD, OFFICE, POINT, SOURCE, Scope
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.services import (
    DEFAULT_QUERY,
    Figure,
    Query,
    figure_of,
    figures_of,
    is_kept,
    kept,
    level_scope,
    rank,
    ranked_units,
    scheme_and_versions,
    scope_of,
)
from satisfaction.survey.models import Response
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel

T = TypeVar("T")
BREAKDOWN_MIN = 5  # a breakdown or comments are never shown on fewer answers
COMMENTS_SHOWN = 50  # a unit page shows at most this many comments
OFFICE_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


def _office_label(level: UnitLevel) -> str:
    return {
        UnitLevel.PROVINCE: _("Provincial service centres"),
        UnitLevel.DISTRICT: _("District one-stop desks"),
        UnitLevel.COMMUNE: _("Commune one-stop desks"),
    }[level]


def _tallies(unit: AdminUnit | None, dataset: UnitDataset | None, query: Query, group: str):
    scheme, versions = scheme_and_versions(query)
    scope = scope_of(query, versions, unit)
    if unit is None and dataset is not None:
        ids = select(AdminUnit.id).where(AdminUnit.dataset_id == dataset.id,
                                         AdminUnit.level == UnitLevel.PROVINCE)  # fmt: skip
        # With the old provinces counted in the dataset's (a list in force since a reform).
        old = successions.into(dataset, UnitLevel.PROVINCE)
        scope = Scope(scope.versions, scope.period, scope.sources,
                      provinces=(*db.session.scalars(ids), *old))  # fmt: skip
    return scheme, queries.tallies(scope, group)


def _kept(what: str, unit: AdminUnit | None, dataset: UnitDataset | None, query: Query,
          compute: Callable[[], T], *more: Hashable) -> T:  # fmt: skip
    """Return compute() for a unit (or a list), kept as services.kept() keeps figures."""
    place = unit.id if unit is not None else ("list", dataset.id if dataset else None)
    return kept(what, place, query, compute, *more)


def _shown(found: dict, key) -> AnyTally | None:
    tally = found.get(key)
    return tally if tally is not None and tally.responses >= BREAKDOWN_MIN else None


def by_office_level(
    unit: AdminUnit | None, query: Query = DEFAULT_QUERY, dataset: UnitDataset | None = None
) -> list[Figure]:
    """Return the scores by the level of the serving office, within a unit (or a dataset)."""
    return _kept("offices", unit, dataset, query, lambda: _by_office_level(unit, query, dataset))


def _by_office_level(unit: AdminUnit | None, query: Query, dataset: UnitDataset | None
                     ) -> list[Figure]:  # fmt: skip
    scheme, found = _tallies(unit, dataset, query, OFFICE)
    return figures_of(scheme, [(found[level], level.value, _office_label(level), "office")
                               for level in OFFICE_LEVELS if _shown(found, level)])  # fmt: skip


def by_source(unit: AdminUnit | None, query: Query = DEFAULT_QUERY,
              dataset: UnitDataset | None = None) -> list[Figure]:  # fmt: skip
    """Return the scores of each source (channel, or the desk poster), within a unit."""
    return _kept("sources", unit, dataset, query, lambda: _by_source(unit, query, dataset))


def _by_source(unit: AdminUnit | None, query: Query, dataset: UnitDataset | None
               ) -> list[Figure]:  # fmt: skip
    scheme, found = _tallies(unit, dataset, query, SOURCE)
    return figures_of(scheme, [(found[source], source.value, source.value, "source")
                               for source in Source if _shown(found, source)])  # fmt: skip


def by_service_point(unit: AdminUnit, query: Query = DEFAULT_QUERY) -> list[Figure]:
    """Return the scores of each service point inside a unit, ranked (MIN_N holds for each).

    Index and elements only, as in every list of units.
    """
    scheme, found = _tallies(unit, None, query, POINT)
    return _ranked_points(scheme, found)


def parts_and_points(unit: AdminUnit, level: UnitLevel | None, query: Query = DEFAULT_QUERY
                     ) -> tuple[list[Figure], list[Figure]]:  # fmt: skip
    """Return the units of a level inside a unit, and its service points, each ranked.

    As level_scores() and by_service_point(), in one read where one table holds both (a
    province's communes are the sums of its desks: the same rows of the points' rollups); the
    service points with their index alone where there are units too (a page's table of desks).
    """
    return _kept("parts", unit, None, query, lambda: _parts_and_points(unit, level, query), level)


def _parts_and_points(unit: AdminUnit, level: UnitLevel | None, query: Query
                      ) -> tuple[list[Figure], list[Figure]]:  # fmt: skip
    if level is None:
        return [], by_service_point(unit, query)
    scheme, units, scope = level_scope(unit.dataset, level, query, unit)
    by_unit, by_point = queries.tallies_each(scope, (level, POINT))
    # The page's table of desks shows their index (and its interval) alone.
    return ranked_units(scheme, units, by_unit), _ranked_points(scheme, by_point, elements=False)


def _ranked_points(scheme: Scheme, found: dict[int, AnyTally], elements: bool = True
                   ) -> list[Figure]:  # fmt: skip
    """Return the figures of the service points with enough answers for a breakdown, ranked
    (index and elements; without elements, the index alone)."""
    # The names of those shown only, as rows: a province has hundreds of desks.
    shown = [point_id for point_id in found if _shown(found, point_id)]
    dialect = db.session.get_bind().dialect.name
    points = select(ServicePoint.id, ServicePoint.code, ServicePoint.name).where(
        among_ids(ServicePoint.id, shown, dialect))  # fmt: skip
    return rank(figures_of(scheme, [(found[point_id], code, name, "point")
                                    for point_id, code, name in db.session.execute(points)],
                           detail=False, elements=elements))  # fmt: skip


def by_field(unit: AdminUnit, query: Query = DEFAULT_QUERY) -> list[Figure]:
    """Return the scores of each field of procedures inside a unit, ranked (MIN_N holds for each).

    Best first, then the fields without enough answers (in the list's order), then the answers
    whose field is unknown: a row of their own, never ranked (they are no field). Read from the
    cells, whose key holds the field.
    """
    return _kept("fields", unit, None, query, lambda: _by_field(unit, query))


def _by_field(unit: AdminUnit, query: Query) -> list[Figure]:
    scheme, found = _tallies(unit, None, query, FIELD)
    order = {one.code: n for n, one in enumerate(all_fields())}
    locale = str(get_locale() or "")
    known = sorted(rank(figures_of(scheme, [
        (found[code], code, field_name(code, locale), "field")
        for code in sorted(found, key=lambda code: (order.get(code, len(order)), code))
        if code != UNKNOWN and _shown(found, code)
    ])), key=lambda f: (f.rank is None, f.rank or 0))  # fmt: skip
    unknown = _shown(found, UNKNOWN)
    if unknown is None:
        return known
    return [*known, figure_of(scheme, unknown, UNKNOWN, _("Field unknown"), "field")]


@dataclass(frozen=True)
class Comments:
    """The comments shown about a unit: at most COMMENTS_SHOWN of them, and how many there are."""

    total: int = 0
    shown: tuple[str, ...] = ()


def comments(unit: AdminUnit, query: Query = DEFAULT_QUERY,
             started: Callable[[], Comments] | None = None) -> Comments:  # fmt: skip
    """Return some comments about a unit, or none at all when fewer than 5 people commented.

    A province has thousands: the page shows a sample and the microdata export holds them all.
    Kept as the breakdowns are: the answers are written with their months' aggregates.
    started: their read begun beforehand (start_comments), taken if nothing is kept.
    """
    return _kept("comments", unit, None, query, started or (lambda: _comments(unit, query)))


def start_comments(unit: AdminUnit, query: Query) -> Callable[[], Comments] | None:
    """Begin reading a unit's comments beside the caller's work (core.overlap: counting a
    province's thousands only waits for PostgreSQL), unless the process keeps them: give what
    this returns to comments()."""
    if is_kept("comments", unit.id, query):
        return None
    return overlap.started(_comments_of, unit.id, query)


def _comments_of(unit_id: int, query: Query) -> Comments:
    """Return _comments() of a unit by its id (read in the reader's own session)."""
    return _comments(db.session.get_one(AdminUnit, unit_id), query)


def _comments(unit: AdminUnit, query: Query) -> Comments:
    _scheme, versions = scheme_and_versions(query)
    scope = scope_of(query, versions, unit)
    written = (Response.comment != "", *queries.raw_filter(scope, query.period))
    # Ordered by the random response id: no order of arrival to link a comment to a person. One
    # pass over the index (on PostgreSQL it holds all the filter needs) counts them all and
    # keeps the first ids, with their number beside each; then only the chosen answers are read.
    ids = (select(func.count().over().label("total"), Response.id.label("id")).where(*written)
           .order_by(Response.id).limit(COMMENTS_SHOWN).subquery())  # fmt: skip
    chosen = select(ids.c.total, Response.comment).join(Response, Response.id == ids.c.id)
    rows = db.session.execute(chosen.order_by(Response.id)).all()
    total = rows[0].total if rows else 0
    if total < BREAKDOWN_MIN:
        return Comments()
    return Comments(total, tuple(row.comment for row in rows))
