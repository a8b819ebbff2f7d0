"""Rollups: the cells summed by province or district, span, source and office level.

count_response() adds each response to its rollups (its month's, its quarter's and its year's)
as it adds it to its cell; a rebuild sums the rebuilt cells into month rollups, and those into
quarter and year rollups (satisfaction.scoring.rebuild).
"""

from typing import Any

from satisfaction.extensions import db
from satisfaction.scoring.models import Source
from satisfaction.scoring.periods import Span, span_start
from satisfaction.survey.models import Response
from satisfaction.units.models import ServicePoint, UnitLevel


def rollups_of(response: Response, office_level: UnitLevel | None = None) -> list[dict[str, Any]]:
    """Return the rollups a response is counted in: its province's and district's, each span.

    In one order for every response, so that two transactions lock shared rows in one order.
    office_level is its service point's, when the caller has read it already.
    """
    if office_level is None:
        point = db.session.get(ServicePoint, response.service_point_id)
        office_level = point.level if point is not None else None
    if office_level is None or response.province_id is None:
        return []
    month = response.answered_on.replace(day=1)
    common = {
        "questionnaire_version_id": response.questionnaire_version_id,
        "province_id": response.province_id,
        "source": Source.of(response.channel, response.is_poster),
        "office_level": office_level,
    }
    units = ((UnitLevel.PROVINCE, response.province_id), (UnitLevel.DISTRICT, response.district_id))
    return [
        {**common, "unit_id": unit_id, "unit_level": level, "span": span,
         "month": span_start(span, month)}
        for level, unit_id in units
        if unit_id is not None
        for span in Span
    ]  # fmt: skip
