"""Staff pages to browse the administrative units and service points within one's scope."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from satisfaction.auth.access import can_see_unit, require_unit, staff_required
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
