"""What the officers' pages show: a unit (or the nation), its parts, its trend, its breakdowns."""

from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select

from satisfaction.auth.models import User
from satisfaction.core import overlap
from satisfaction.core.time import local_today
from satisfaction.dashboard.charts import Point
from satisfaction.dashboard.naming import period_name
from satisfaction.dashboard.periods import (
    a_year_before,
    choices,
    covered_until,
    pooled_year,
    previous,
    quarters_until,
)
from satisfaction.extensions import db
from satisfaction.intake.figures import FormFigures, form_figures
from satisfaction.questionnaires.services import latest_version
from satisfaction.scoring import breakdowns
from satisfaction.scoring.attention import Concern, concerns
from satisfaction.scoring.beside import Beside, beside_nation
from satisfaction.scoring.beside import change as difference_of
from satisfaction.scoring.compare import Difference
from satisfaction.scoring.indices import Estimate
from satisfaction.scoring.models import Source
from satisfaction.scoring.months import answered_months
from satisfaction.scoring.periods import ALL_DATES, Period
from satisfaction.scoring.services import (
    Figure,
    Nation,
    Query,
    nation_scores,
    quarter_scores,
    unit_scores,
)
from satisfaction.survey import ballot_box
from satisfaction.survey.answering import questionnaire_of
from satisfaction.units import successions
from satisfaction.units.models import AdminUnit, UnitDataset, UnitLevel
from satisfaction.units.queries import ancestors


@dataclass(frozen=True)
class Row:
    """A unit in a ranked table, with the change of its index since the previous period."""

    figure: Figure
    change: Difference | None = None


@dataclass(frozen=True)
class Labels:
    """The questionnaire's words for its elements, items and expectations, in one language."""

    elements: dict[str, str]
    items: dict[str, str]
    expectations: dict[str, str]
    element_items: dict[str, list[str]]


@dataclass(frozen=True)
class Periods:
    """The period asked for, in words, what it is compared with, and the periods to pick from."""

    name: str
    choices: list[Period]
    before: Period | None  # the period a change is measured from
    last_year: Period | None  # the same period a year before
    until: date | None  # a period in progress: answers only up to this day

    @property
    def before_name(self) -> str | None:
        """Return the name of the period a change is measured from."""
        return period_name(self.before) if self.before is not None else None

    @property
    def last_year_name(self) -> str | None:
        """Return the name of the same period a year before."""
        return period_name(self.last_year) if self.last_year is not None else None


def periods_of(dataset: UnitDataset, period: Period) -> Periods:
    """Return the periods around one: its name, comparisons and the answered periods."""
    months = answered_months(dataset)
    until = covered_until(period, months[-1] if months else None)
    return Periods(period_name(period), choices(months), previous(period, until),
                   a_year_before(period, until), until)  # fmt: skip


@dataclass(frozen=True)
class NationalPage:
    """The nation: both national figures and the provinces, ranked."""

    dataset: UnitDataset
    query: Query
    nation: Nation
    rows: list[Row]
    offices: list[Figure]
    periods: Periods
    labels: Labels
    waiting: int = 0  # answers in the ballot box, not counted yet
    datasets: tuple[UnitDataset, ...] = ()  # every unit list loaded, the newest first
    openable: frozenset[str] | None = None  # the provinces the reader may open (None: all)
    attention: tuple[Concern, ...] = ()  # provinces below the nation, or fallen


@dataclass(frozen=True)
class UnitPage:
    """A unit: its figure, its parts, its trend, its breakdowns and what people wrote."""

    unit: AdminUnit
    trail: list[AdminUnit]
    query: Query
    figure: Figure
    change: Difference | None
    beside: Beside
    rows: list[Row]
    child_level: UnitLevel | None
    trend: list[Point]
    sources: list[Figure]
    offices: list[Figure]
    points: list[Row]
    funnel: FormFigures
    comments: breakdowns.Comments
    periods: Periods
    labels: Labels
    waiting: int = 0  # answers in the ballot box, not counted yet
    formed_of: tuple[AdminUnit, ...] = ()  # old units counted in this one (a reform)
    went_into: tuple[tuple[AdminUnit, bool], ...] = ()  # where this old unit went; split?
    pooled: Period | None = None  # the last four quarters, offered when the figure is too small
    attention: tuple[Concern, ...] = ()  # parts below the nation, or fallen
    fields: tuple[Row, ...] = ()  # by field of the procedures, ranked; "field unknown" last


def labels(query: Query) -> Labels:
    """Return the questionnaire's words in the page's language."""
    version = latest_version(query.questionnaire or current_app.config["DEFAULT_QUESTIONNAIRE"])
    locale = get_locale()
    # A recorded version never changes: its words in a language are found once per process.
    key = (version.content_hash, str(locale))
    found = _LABELS.get(key)
    if found is None:
        questionnaire = questionnaire_of(version)
        found = _LABELS[key] = Labels(
            {e.key: e.title.text(locale) for e in questionnaire.elements},
            {i.key: i.text.text(locale) for e in questionnaire.elements for i in e.items},
            {x.key: x.text.text(locale) for x in questionnaire.expectations},
            {e.key: [i.key for i in e.items] for e in questionnaire.elements},
        )
    return found


_LABELS: dict[tuple[str, str], Labels] = {}


def by_rank(figures: list[Figure]) -> list[Figure]:
    """Return figures best first; those not ranked (too few answers) last, by code."""
    return sorted(figures, key=lambda f: (f.rank is None, f.rank or 0, f.code))


def _rows(now: list[Figure], before: list[Figure] | None) -> list[Row]:
    earlier = {f.code: f for f in before or []}
    return [Row(f, difference_of(f, earlier.get(f.code))) for f in by_rank(now)]


def national_page(
    dataset: UnitDataset, query: Query, openable: frozenset[str] | None = None
) -> NationalPage:
    """Assemble the national page of a unit dataset (openable: the provinces one may open)."""
    nation = nation_scores(dataset, query)
    periods = periods_of(dataset, query.period)
    before = periods.before
    earlier = nation_scores(dataset, replace(query, period=before)).provinces if before else None
    offices = breakdowns.by_office_level(None, query, dataset)
    rows = _rows(nation.provinces, earlier)
    return NationalPage(dataset, query, nation, rows, offices, periods, labels(query),
                        ballot_box.waiting(), datasets(), openable,
                        _attention(rows, nation, provinces=True))  # fmt: skip


def _attention(rows: list[Row], nation: Nation, provinces: bool) -> tuple[Concern, ...]:
    return tuple(concerns([(r.figure, r.change) for r in rows], nation, provinces))


def datasets() -> tuple[UnitDataset, ...]:
    """Return every unit list loaded, the one that came into force last first."""
    order = (UnitDataset.valid_from.desc().nulls_last(), UnitDataset.id.desc())
    return tuple(db.session.scalars(select(UnitDataset).order_by(*order)))


def child_level(unit: AdminUnit) -> UnitLevel | None:
    """Return the level of the units right under unit (communes under a province in vn-2025)."""
    below = select(AdminUnit.level).where(AdminUnit.parent_id == unit.id).limit(1)
    return db.session.scalar(below)


def trend(unit: AdminUnit, query: Query) -> list[Point]:
    """Return a unit's index in the eight quarters up to the period's end, read at once.

    Over all dates, up to the unit's latest answer (a retired unit's answers end with it).
    """
    if query.period.end is not None:
        quarters = quarters_until(query.period.end)
        span = Period("", quarters[0].start, quarters[-1].end)
        found = quarter_scores(unit, replace(query, period=span))
    else:
        found = quarter_scores(unit, replace(query, period=ALL_DATES))
        quarters = quarters_until(max(found) if found else local_today())
    return [Point(period_name(q), found[q.start].scores.index if q.start in found else Estimate(0))
            for q in quarters]  # fmt: skip


def parts_and_points(unit: AdminUnit, level: UnitLevel | None, query: Query,
                     before: Period | None) -> tuple[list[Row], list[Row]]:  # fmt: skip
    """Return the units of the next level inside a unit and its service points, each ranked
    with its change since before (one read of each period for both)."""
    parts, points = breakdowns.parts_and_points(unit, level, query)
    if before is None:
        return _rows(parts, None), _rows(points, None)
    parts_before, points_before = breakdowns.parts_and_points(
        unit, level, replace(query, period=before))  # fmt: skip
    return _rows(parts, parts_before if level else None), _rows(points, points_before)


def field_rows(unit: AdminUnit, query: Query, before: Period | None) -> list[Row]:
    """Return the fields of procedures inside a unit ranked, with their change since before."""
    found = breakdowns.by_field(unit, replace(query, period=before)) if before else []
    earlier = {f.code: f for f in found}
    return [Row(f, difference_of(f, earlier.get(f.code))) for f in breakdowns.by_field(unit, query)]


def _funnel(actor_id: int | None, unit_id: int, period: Period) -> FormFigures:
    """Return the forms' funnel of a unit in a period, as an actor by id sees it."""
    actor = None if actor_id is None else db.session.get_one(User, actor_id)
    return form_figures(actor, db.session.get_one(AdminUnit, unit_id), start=period.start,
                        end=period.end)  # fmt: skip


def unit_page(unit: AdminUnit, query: Query, actor: User | None) -> UnitPage:
    """Assemble the page of a unit: beside the nation, parts ranked, trend, channels, funnel."""
    # Begun first: these reads wait for PostgreSQL while the page computes (core.overlap).
    comments = breakdowns.start_comments(unit, query)
    funnel = overlap.started(_funnel, actor.id if actor else None, unit.id, query.period)
    periods = periods_of(unit.dataset, query.period)
    before = periods.before
    figure = unit_scores(unit, query)
    level = child_level(unit)
    rows, point_rows = parts_and_points(unit, level, query, before)
    every_source = replace(query, sources=tuple(Source))
    beside = beside_nation(unit, query, figure, periods.last_year)
    if before is None or before == periods.last_year:  # a year, a half: read once
        changed = beside.unit_change
    else:
        changed = difference_of(figure, unit_scores(unit, replace(query, period=before)))
    return UnitPage(
        unit, ancestors(unit), query, figure, changed, beside, rows, level, trend(unit, query),
        breakdowns.by_source(unit, every_source),
        breakdowns.by_office_level(unit, query), point_rows,
        funnel(), breakdowns.comments(unit, query, comments), periods, labels(query),
        ballot_box.waiting(unit), tuple(successions.formed_of(unit)),
        tuple(successions.after(unit)),
        None if figure.enough else pooled_year(query.period),
        _attention(rows, beside.nation, provinces=level is UnitLevel.PROVINCE),
        tuple(field_rows(unit, query, before)),
    )  # fmt: skip
