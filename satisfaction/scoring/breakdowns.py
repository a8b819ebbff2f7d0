"""Breakdowns of a unit's scores (by office level, by source) and its comments, when allowed."""

from flask_babel import gettext as _
from sqlalchemy import and_, literal, or_, select

from satisfaction.extensions import db
from satisfaction.scoring import queries
from satisfaction.scoring.models import DAYS, MONTHS, ScoreCell, ScoreRollup, Source
from satisfaction.scoring.services import (
    DEFAULT_QUERY,
    Figure,
    Query,
    figure_of,
    grain_for,
    scheme_and_versions,
    unit_condition,
)
from satisfaction.survey.models import Response
from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel

BREAKDOWN_MIN = 5  # a breakdown or comments are never shown on fewer answers
OFFICE_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


def _office_label(level: UnitLevel) -> str:
    return {
        UnitLevel.PROVINCE: _("Provincial service centres"),
        UnitLevel.DISTRICT: _("District one-stop desks"),
        UnitLevel.COMMUNE: _("Commune one-stop desks"),
    }[level]


def _where(unit: AdminUnit | None, dataset: UnitDataset | None, query: Query):
    scheme, versions = scheme_and_versions(query)
    grain = DAYS
    if unit is not None or dataset is not None:
        grain = grain_for(query, unit.level if unit is not None else UnitLevel.PROVINCE)
    conditions = queries.cell_filter(versions, query.period, query.sources, grain)
    if unit is not None:
        conditions.append(unit_condition(unit, grain))
    elif dataset is not None:
        ids = select(AdminUnit.id).where(AdminUnit.dataset_id == dataset.id,
                                         AdminUnit.level == UnitLevel.PROVINCE)  # fmt: skip
        # The rollups of the provinces hold every answer once (districts hold them again).
        column = ScoreRollup.unit_id if grain is MONTHS else ScoreCell.province_id
        conditions.append(column.in_(ids))
    return scheme, conditions, grain


def by_office_level(
    unit: AdminUnit | None, query: Query = DEFAULT_QUERY, dataset: UnitDataset | None = None
) -> list[Figure]:
    """Return the scores by the level of the serving office, within a unit (or a dataset)."""
    scheme, conditions, grain = _where(unit, dataset, query)
    group = ScoreRollup.office_level if grain is MONTHS else ServicePoint.level
    found = queries.tallies(conditions, group, grain)
    return [
        figure_of(scheme, found[level], level.value, _office_label(level), "office")
        for level in OFFICE_LEVELS
        if level in found and found[level].responses >= BREAKDOWN_MIN
    ]


def by_source(unit: AdminUnit | None, query: Query = DEFAULT_QUERY,
              dataset: UnitDataset | None = None) -> list[Figure]:  # fmt: skip
    """Return the scores of each source (channel, or the desk poster), within a unit."""
    scheme, conditions, grain = _where(unit, dataset, query)
    found = queries.tallies(conditions, grain.cells.source, grain)
    return [
        figure_of(scheme, found[source], source.value, source.value, "source")
        for source in Source
        if source in found and found[source].responses >= BREAKDOWN_MIN
    ]


def comments(unit: AdminUnit, query: Query = DEFAULT_QUERY) -> list[str]:
    """Return the comments about a unit, or none at all when fewer than 5 people commented."""
    _scheme, versions = scheme_and_versions(query)
    poster = Source.POSTER in query.sources
    channels = [s.value for s in query.sources if s != Source.POSTER]
    column = {UnitLevel.PROVINCE: Response.province_id, UnitLevel.DISTRICT: Response.district_id,
              UnitLevel.COMMUNE: Response.commune_id}[unit.level]  # fmt: skip
    select_ = select(Response.comment).where(
        column == unit.id,
        Response.comment != "",
        Response.questionnaire_version_id.in_(versions),
        or_(
            and_(Response.is_poster.is_(False), Response.channel.in_(channels)),
            and_(Response.is_poster.is_(True), literal(poster)),
        ),
    )
    if query.period.start is not None:
        select_ = select_.where(Response.answered_on >= query.period.start)
    if query.period.end is not None:
        select_ = select_.where(Response.answered_on <= query.period.end)
    # Ordered by the random response id: no order of arrival to link a comment to a person.
    found = list(db.session.scalars(select_.order_by(Response.id)))
    return found if len(found) >= BREAKDOWN_MIN else []
