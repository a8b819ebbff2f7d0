"""The read-only JSON API: scores by level, a unit with its parts, the nation (OpenAPI 3.1)."""

from dataclasses import replace

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from satisfaction.auth import tokens
from satisfaction.auth.access import require_unit
from satisfaction.auth.models import Role
from satisfaction.core.errors import Forbidden, InputError, NotFound, Problem
from satisfaction.dashboard import filters, openapi, pages, serialize
from satisfaction.extensions import csrf, db
from satisfaction.scoring import attention, breakdowns
from satisfaction.scoring.beside import beside_nation
from satisfaction.scoring.services import level_scores, unit_scores
from satisfaction.survey import ballot_box
from satisfaction.units.models import UnitLevel
from satisfaction.units.queries import find_dataset, find_unit, get_dataset, get_unit

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)  # read-only; a token or a signed-in session, never a form


@api_bp.before_request
def _authenticate():
    if request.endpoint == "api.spec":
        return None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = tokens.token_of(header.removeprefix("Bearer ").strip())
        g.actor = token.user if token else None
        if token is not None and tokens.touch(token):
            db.session.commit()
    elif current_user.is_authenticated:
        g.actor = current_user._get_current_object()
    else:
        g.actor = None
    if g.actor is None:
        return _error(401, _("send a valid token: Authorization: Bearer <token>"))
    if g.actor.role not in (Role.OFFICER, Role.ADMIN):
        return _error(403, _("this account does not read scores"))
    return None


def _error(status: int, message: str, where: str = ""):
    response = jsonify({"errors": [{"field": where, "message": message}]})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="satisfaction"'
    return response


@api_bp.errorhandler(InputError)
def _input_error(error: InputError):
    body = {"errors": [{"field": p.where, "message": p.message} for p in error.problems]}
    return jsonify(body), 400


@api_bp.errorhandler(NotFound)
def _not_found(error: NotFound):
    return _error(404, str(error))


@api_bp.errorhandler(Forbidden)
def _forbidden(error: Forbidden):
    return _error(403, _("%(code)s is outside your scope", code=str(error)))


ASKED = ("period", "source", "dataset")


def _asked(*others: str) -> filters.Asked:
    """Read the query's parameters; a wrong one, or one no operation knows, is a 400 naming it."""
    asked = filters.parse(request.args, request.args.getlist("source"))
    known = (*ASKED, *others)
    problems = [Problem(name, _("unknown parameter: use %(known)s", known=", ".join(known)))
                for name in request.args if name not in known]  # fmt: skip
    problems += asked.problems
    if asked.dataset is not None and find_dataset(asked.dataset) is None:
        problems.append(Problem("dataset", _("there is no unit dataset %(name)s",
                                             name=asked.dataset)))  # fmt: skip
    if problems:
        raise InputError(problems)
    return asked


def _parent(code: str, dataset: str | None):
    """Return the unit a parameter names, or refuse the parameter (a 400, not a 404)."""
    found = find_unit(code, dataset)
    if found is None:
        raise InputError(Problem("parent", _("there is no unit %(code)s", code=code)))
    return found


@api_bp.get("/openapi.json")
def spec():
    """Return the OpenAPI document of this API."""
    return jsonify(openapi.document(request.host_url.rstrip("/")))


@api_bp.get("/nation")
def nation():
    """Return the nation (mean of provinces and pooled) and every province, ranked (any officer)."""
    asked = _asked()
    page = pages.national_page(get_dataset(asked.dataset), asked.query)
    found = page.nation
    return jsonify({
        "mean_of_provinces": serialize.figure(found.mean_of_provinces),
        "pooled": serialize.figure(found.pooled),
        "provinces": [serialize.figure(f) for f in found.provinces],
        "attention": [serialize.concern(c) for c in page.attention],
        "waiting": ballot_box.waiting(),
    })  # fmt: skip


@api_bp.get("/levels/<level>")
def by_level(level: str):
    """Return every unit of a level within the caller's scope (or a parent), ranked."""
    try:
        wanted = UnitLevel(level)
    except ValueError:
        raise InputError(Problem("level", _("use province, district or commune"))) from None
    asked = _asked("parent")
    parent_code = request.args.get("parent") or None
    parent = _parent(parent_code, asked.dataset) if parent_code else g.actor.scope_unit
    if parent is not None:
        require_unit(g.actor, parent)
    figures = level_scores(get_dataset(asked.dataset), wanted, asked.query, parent=parent)
    return jsonify({"level": wanted.value, "units": [serialize.figure(f) for f in figures]})


def _attention(unit, level, query, children, before, beside) -> list:
    """Return the parts of a unit below the nation, or fallen since the period before."""
    if level is None:
        return []
    earlier = None
    if before is not None:
        earlier = level_scores(unit.dataset, level, replace(query, period=before),
                               parent=unit)  # fmt: skip
    return attention.of_parts(children, earlier, beside.nation, level is UnitLevel.PROVINCE)


@api_bp.get("/units/<code>")
def unit(code: str):
    """Return a unit's scores in detail, beside the nation, and its parts ranked."""
    asked = _asked()
    found = require_unit(g.actor, get_unit(code, asked.dataset))
    query = asked.query
    level = pages.child_level(found)
    children = level_scores(found.dataset, level, query, parent=found) if level else []
    figure = unit_scores(found, query)
    body = serialize.figure(figure, detail=True)
    body["period"] = query.period.label
    periods = pages.periods_of(found.dataset, query.period)
    beside = beside_nation(found, query, figure, periods.last_year)
    body["beside"] = serialize.beside(beside, periods.until)
    body["children"] = [serialize.figure(f) for f in children]
    body["fields"] = [serialize.figure(f) for f in breakdowns.by_field(found, query)]
    body["attention"] = [
        serialize.concern(c)
        for c in _attention(found, level, query, children, periods.before, beside)
    ]
    body["waiting"] = ballot_box.waiting(found)
    return jsonify(body)
