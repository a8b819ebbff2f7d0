"""Staff pages to browse the administrative units and service points within one's scope."""

import io

from flask import Blueprint, abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user

from satisfaction.auth.access import can_see_unit, require_unit, staff_required
from satisfaction.core.errors import NotFound
from satisfaction.paper.poster import SIZES
from satisfaction.survey.posters import get_service_point, poster_of, poster_pdf
from satisfaction.units import services

units_bp = Blueprint("units", __name__, url_prefix="/units")


@units_bp.get("/")
@staff_required()
def index():
    """Show the units at the top of the user's scope."""
    scope = current_user.scope_unit
    if scope is not None:
        return redirect(url_for("units.unit", dataset=scope.dataset.name, code=scope.code))
    dataset = services.current_dataset()
    provinces = services.list_units(dataset=dataset.name, level="province") if dataset else []
    return render_template("units/index.html", dataset=dataset, units=provinces)


@units_bp.get("/<dataset>/<code>")
@staff_required()
def unit(dataset: str, code: str):
    """Show a unit: where it sits, what lies under it, and its service points."""
    found = services.find_unit(code, dataset)
    if found is None:
        abort(404)
    require_unit(current_user, found)
    return render_template(
        "units/unit.html",
        unit=found,
        ancestors=[u for u in services.ancestors(found) if can_see_unit(current_user, u)],
        children=services.list_units(dataset=dataset, parent_code=code),
        service_points=services.own_service_points(found),
    )


@units_bp.get("/points/<code>")
@staff_required()
def service_point(code: str):
    """Show a service point: its unit, its desk poster's address, the poster to print."""
    point = get_service_point(code)
    require_unit(current_user, point.unit)
    return render_template("units/point.html", point=point, poster=poster_of(point),
                           sizes=list(SIZES))  # fmt: skip


@units_bp.get("/points/<code>/poster-<size>.pdf")
@staff_required()
def poster(code: str, size: str):
    """Download the desk poster of a service point, on A4 or A3, to print."""
    point = get_service_point(code)
    if size not in SIZES:
        raise NotFound(size)
    require_unit(current_user, point.unit)
    pdf = poster_pdf(point, size, current_app.config["BABEL_DEFAULT_LOCALE"])
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"poster-{point.code}-{size}.pdf")  # fmt: skip
