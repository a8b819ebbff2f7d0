"""Scores for units and periods: roll-ups, the nation, office levels, what may be published.

One service for the pages, the exports and the API: each takes typed arguments and reads only
the aggregates (comments excepted).
"""

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple, TypeVar

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.memo import in_transaction
from satisfaction.extensions import db
from satisfaction.questionnaires.services import latest_version
from satisfaction.scoring import generations, queries
from satisfaction.scoring.aggregates import scheme_of
from satisfaction.scoring.batch import compute_many
from satisfaction.scoring.indices import Estimate, Scores, mean_of
from satisfaction.scoring.layout import AnyTally, add_to
from satisfaction.scoring.models import OFFICIAL, Source
from satisfaction.scoring.periods import ALL_DATES, Period, parse_period
from satisfaction.scoring.queries import Place, Scope
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Tally
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel
from satisfaction.units.queries import province_id


@dataclass(frozen=True)
class Query:
    """What a figure covers besides the place: period, sources and questionnaire."""

    period: Period = ALL_DATES
    sources: tuple[Source, ...] = OFFICIAL
    questionnaire: str | None = None


@dataclass(frozen=True)
class Figure:
    """The published scores of a unit (or a group): figures under MIN_N answers are blanked."""

    code: str
    name: str
    level: str
    scores: Scores
    enough: bool
    rank: int | None = None

    @property
    def n(self) -> int:
        """Return the number of responses."""
        return self.scores.n


def figure(code: str, name: str, level: str, scores: Scores, enough: bool,
           rank: int | None = None) -> Figure:  # fmt: skip
    """Return Figure(code, name, level, scores, enough, rank), made without the frozen
    dataclass's __init__ (as indices.estimate()): a province's page makes thousands."""
    made = _new(Figure)
    fields = made.__dict__
    fields["code"], fields["name"], fields["level"] = code, name, level
    fields["scores"], fields["enough"], fields["rank"] = scores, enough, rank
    return made


_new = object.__new__
T = TypeVar("T")
DEFAULT_QUERY = Query()


def period_of(text: str | None) -> Period:
    """Return the period named by text; InputError naming the field if it is not one."""
    try:
        return parse_period(text)
    except ValueError:
        message = _("%(value)r is not a period: use 2026, 2026-H1, 2026-Q3, 2026-07 or "
                    "2026-01-01..2026-06-30", value=text)  # fmt: skip
        raise InputError(Problem("period", message)) from None


def min_n() -> int:
    """Return the fewest answers a published figure may rest on (setting MIN_N)."""
    return int(current_app.config["MIN_N"])


def scheme_and_versions(query: Query) -> tuple[Scheme, list[int]]:
    """Return the scheme of the questionnaire's latest version and the ids of all versions."""
    key = query.questionnaire or current_app.config["DEFAULT_QUESTIONNAIRE"]
    return in_transaction(("scheme_and_versions", key), lambda: _scheme_and_versions(key))


def _scheme_and_versions(key: str) -> tuple[Scheme, list[int]]:
    try:
        latest = latest_version(key)
    except NotFound:
        raise InputError(Problem("questionnaire", _("no questionnaire %(key)s", key=key))) from None
    return scheme_of(latest), queries.version_ids(key)


def published(scores: Scores, least: int) -> Scores:
    """Return scores with every figure on fewer than `least` answers blanked (all, if n is)."""
    floor = least if scores.n >= least else math.inf

    def keep(estimate: Estimate) -> Estimate:
        return estimate if estimate.n >= floor else Estimate(estimate.n)

    return Scores(
        scores.n,
        keep(scores.index),
        {k: keep(e) for k, e in scores.elements.items()},
        {k: keep(e) for k, e in scores.items.items()},
        {k: keep(e) for k, e in scores.expectations.items()},
    )


def figure_of(scheme: Scheme, tally: AnyTally | None, code: str, name: str, level: str
              ) -> Figure:  # fmt: skip
    """Return the published figure of a tally."""
    return figures_of(scheme, [(tally, code, name, level)])[0]


def figures_of(scheme: Scheme, parts: list[tuple[AnyTally | None, str, str, str]],
               detail: bool = True, elements: bool = True) -> list[Figure]:  # fmt: skip
    """Return the published figures of (tally, code, name, level) parts, computed at once.

    detail=False: index and elements only, for lists (units, desks, fields ranked); and
    elements=False as well: the index alone.
    """
    least = min_n()
    tallies = [tally or Tally() for tally, *_names in parts]
    found = compute_many(scheme, tallies, detail, least, elements)
    return [figure(code, name, level, scores, scores.n >= least)
            for scores, (_tally, code, name, level) in zip(found, parts, strict=True)]  # fmt: skip


def scope_of(query: Query, versions: list[int], unit: AdminUnit | None = None) -> Scope:
    """Return the scope of a query's answers (inside a unit and the old units counted in it)."""
    place = None
    if unit is not None:
        old = successions.before(unit)
        place = Place(unit.level, unit.id, province_id(unit), old.ids, old.provinces)
    return Scope(tuple(versions), query.period, tuple(query.sources), place)


def kept(what: str, place: Hashable, query: Query, compute: Callable[[], T], *more: Hashable
         ) -> T:  # fmt: skip
    """Return compute(), kept by the process until the aggregates of the query's period, or the
    units, are written again (satisfaction.scoring.generations).

    Keyed by all a figure depends on: what it is, its place (a unit's or a list's id), the
    query and its questionnaire versions, the language of its labels, and more.
    """
    return generations.kept(_key(what, place, query, *more), query.period, compute)


def is_kept(what: str, place: Hashable, query: Query, *more: Hashable) -> bool:
    """Return whether kept() would give what the process keeps for these, computing nothing."""
    return generations.held(_key(what, place, query, *more), query.period)


def _key(what: str, place: Hashable, query: Query, *more: Hashable) -> tuple:
    _scheme, versions = scheme_and_versions(query)
    return (what, place, query, tuple(versions), str(get_locale() or ""), *more)


def unit_scores(unit: AdminUnit, query: Query = DEFAULT_QUERY) -> Figure:
    """Return the scores of a unit: every answer about service points inside it, pooled."""
    return kept("unit", unit.id, query, lambda: _unit_scores(unit, query))


def _unit_scores(unit: AdminUnit, query: Query) -> Figure:
    scheme, versions = scheme_and_versions(query)
    tally = queries.tallies(scope_of(query, versions, unit)).get(None)
    return figure_of(scheme, tally, unit.code, unit.name, unit.level.value)


def quarter_scores(unit: AdminUnit, query: Query) -> dict[date, Figure]:
    """Return the scores of a unit in each quarter of a query's period, by the quarter's first day.

    One read for all the quarters; a quarter without answers is absent.
    """
    return kept("quarters", unit.id, query, lambda: _quarter_scores(unit, query))


def _quarter_scores(unit: AdminUnit, query: Query) -> dict[date, Figure]:
    scheme, versions = scheme_and_versions(query)
    found = queries.tallies(scope_of(query, versions, unit), queries.QUARTER)
    figures = figures_of(scheme, [(tally, unit.code, unit.name, unit.level.value)
                                  for tally in found.values()])  # fmt: skip
    return dict(zip(found, figures, strict=True))


def rank(figures: list[Figure]) -> list[Figure]:
    """Return figures ranked by index (1 = best); those without enough answers are not ranked."""
    ranked = sorted((f for f in figures if f.enough and f.scores.index.value is not None),
                    key=lambda f: -f.scores.index.value)  # type: ignore[operator]  # fmt: skip
    places = {id(f): place for place, f in enumerate(ranked, start=1)}
    # Made directly: dataclasses.replace() reads every field by name again (a province's desks).
    return [figure(f.code, f.name, f.level, f.scores, f.enough, places.get(id(f)))
            for f in figures]  # fmt: skip


def level_scores(
    dataset: UnitDataset,
    level: UnitLevel,
    query: Query = DEFAULT_QUERY,
    parent: AdminUnit | None = None,
) -> list[Figure]:
    """Return the scores of every unit of a level (within parent, if given), ranked.

    Each figure holds the index and the elements, not the items (a list shows no more).
    """
    scheme, found, by_unit = level_tallies(dataset, level, query, parent)
    return ranked_units(scheme, found, by_unit)


def ranked_units(scheme: Scheme, units: list["Listed"], by_unit: dict[int, AnyTally]
                 ) -> list[Figure]:  # fmt: skip
    """Return the figures of units from their tallies by unit id, ranked (index and elements)."""
    return rank(figures_of(scheme, [(by_unit.get(u.id), u.code, u.name, u.level.value)
                                    for u in units], detail=False))  # fmt: skip


def level_tallies(
    dataset: UnitDataset, level: UnitLevel, query: Query, parent: AdminUnit | None = None
) -> tuple[Scheme, list["Listed"], dict[int, AnyTally]]:
    """Return the scheme, the units of a level (within parent) and their tallies by unit id."""
    scheme, found, scope = level_scope(dataset, level, query, parent)
    return scheme, found, queries.tallies(scope, level)


def _level_units(dataset: UnitDataset, level: UnitLevel, parent: AdminUnit | None
                 ) -> list["Listed"]:  # fmt: skip
    units = select(AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.level).where(
        AdminUnit.dataset_id == dataset.id, AdminUnit.level == level)  # fmt: skip
    if parent is not None:
        units = units.where(AdminUnit.path.startswith(parent.path, autoescape=True))
    return [Listed(*row) for row in db.session.execute(units.order_by(AdminUnit.code))]


class Listed(NamedTuple):
    """A unit in a list of units: what a ranked table shows of it (no ORM object each)."""

    id: int
    code: str
    name: str
    level: UnitLevel


def level_scope(
    dataset: UnitDataset, level: UnitLevel, query: Query, parent: AdminUnit | None = None
) -> tuple[Scheme, list[Listed], Scope]:
    """Return the scheme, the units of a level (within parent) and the scope that reads them
    (with the old units that count in them since a reform)."""
    key = ("level_units", dataset.id, level, None if parent is None else parent.id)
    found = in_transaction(key, lambda: _level_units(dataset, level, parent))
    scheme, versions = scheme_and_versions(query)
    carried = successions.into(dataset, level, parent)
    return scheme, found, replace(scope_of(query, versions, parent), into=carried)


@dataclass(frozen=True)
class Nation:
    """The nation two ways: the mean of the provinces (each weighs the same), and pooled."""

    mean_of_provinces: Figure
    pooled: Figure
    provinces: list[Figure]


def nation_scores(dataset: UnitDataset, query: Query = DEFAULT_QUERY, detail: bool = True
                  ) -> Nation:  # fmt: skip
    """Return the national figures of a unit dataset and its provinces' figures.

    Without detail, every figure with its index and elements only (no items, no expectations):
    what a unit's page shows of the nation beside it. The same for every page of a period:
    kept by the process until the period's aggregates, or the units, are written again
    (satisfaction.scoring.generations).
    """
    return kept("nation", ("list", dataset.id), query,
                lambda: _nation_scores(dataset, query, detail), detail)  # fmt: skip


def _nation_scores(dataset: UnitDataset, query: Query, detail: bool) -> Nation:
    scheme, units, by_unit = level_tallies(dataset, UnitLevel.PROVINCE, query)
    # Pooled: every answer inside a province of the dataset, so the provinces' tallies added up.
    everything: dict[None, AnyTally] = {}
    for unit in units:
        if unit.id in by_unit:
            add_to(everything, None, by_unit[unit.id])
    *provinces, pooled = figures_of(scheme, [
        *((by_unit.get(u.id), u.code, u.name, u.level.value) for u in units),
        (everything.get(None), "", _("Nation (all answers pooled)"), "nation"),
    ], detail)  # fmt: skip
    provinces = rank(provinces)
    counted = [f for f in provinces if f.enough]
    mean = mean_of([f.scores.index for f in counted])
    elements = {
        key: mean_of([f.scores.elements[key] for f in counted]) for key in scheme.element_keys
    }
    scores = Scores(pooled.n, replace(mean, n=pooled.n), elements)
    label = _("Nation (mean of %(count)d provinces)", count=len(counted))
    return Nation(Figure("", label, "nation", scores, bool(counted)), pooled, provinces)
