"""The desk poster of a service point, for the staff page and the command line alike."""

import io

from flask import current_app
from flask_babel import gettext as _

from satisfaction.core.errors import NotFound
from satisfaction.paper.poster import Poster, render_poster
from satisfaction.paper.qr import desk_url
from satisfaction.paper.render import site_of
from satisfaction.survey.invitations import find_service_point
from satisfaction.units.models import ServicePoint


def poster_of(point: ServicePoint) -> Poster:
    """Return what a service point's poster shows: its name, its address under PUBLIC_BASE_URL."""
    base = str(current_app.config["PUBLIC_BASE_URL"])
    url = desk_url(base, point.code)
    return Poster(url=url, address=desk_url(site_of(base), point.code),
                  service_point=point.name, point_code=point.code)  # fmt: skip


def poster_pdf(point: ServicePoint, size: str = "A4", locale: str = "vi") -> bytes:
    """Return the poster of a service point as a one-page PDF on A4 or A3."""
    out = io.BytesIO()
    render_poster(poster_of(point), out, size, locale)
    return out.getvalue()


def get_service_point(code: str) -> ServicePoint:
    """Return the service point with this code; NotFound, saying so, when there is none."""
    point = find_service_point(code)
    if point is None:
        raise NotFound(_("There is no service point %(code)s.", code=code))
    return point
