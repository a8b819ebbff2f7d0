"""Officers' pages: the nation, a unit and its parts, within the officer's scope."""

import io

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user

from satisfaction.audit.services import record
from satisfaction.auth.access import require_unit, staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import NotFound
from satisfaction.core.time import local_today
from satisfaction.dashboard import commune_map, downloads, filters, pages, points
from satisfaction.dashboard.cells import cells
from satisfaction.dashboard.charts import axis_scale, fit_axis, interval_bar, trend_chart
from satisfaction.dashboard.links import unit_links
from satisfaction.dashboard.naming import day_name, period_name, signed, source_label
from satisfaction.dashboard.province_map import province_map
from satisfaction.dashboard.report import national_report, unit_report
from satisfaction.extensions import db
from satisfaction.scoring import breakdowns, comments
from satisfaction.scoring.models import OFFICIAL, Source
from satisfaction.scoring.services import level_scores, unit_scores
from satisfaction.units.models import UnitLevel
from satisfaction.units.queries import get_dataset, get_unit

scores_bp = Blueprint("scores", __name__, url_prefix="/scores")


@scores_bp.app_context_processor
def _charts():
    return {"interval_bar": interval_bar, "trend_chart": trend_chart, "all_sources": list(Source),
            "official_sources": OFFICIAL, "source_label": source_label, "signed": signed,
            "period_name": period_name, "day_name": day_name, "fit_axis": fit_axis,
            "axis_scale": axis_scale, "commune_legend": commune_map.legend, "cells": cells,
            "unit_links": unit_links}  # fmt: skip


def _asked() -> filters.Asked:
    return filters.parse(request.args, request.args.getlist("source"))


def _openable() -> frozenset[str] | None:
    """Return the units the reader may open from the nation (None: every one)."""
    scope = current_user.scope_unit
    if scope is not None and current_user.role is not Role.ADMIN:
        return frozenset({scope.code})
    return None


@scores_bp.get("/")
@staff_required(Role.OFFICER)
def index():
    """Show the nation's scores: every officer reads them; links open the units in scope."""
    openable = _openable()
    asked = _asked()
    page = pages.national_page(get_dataset(asked.dataset), asked.query, openable)
    drawn = province_map(page.nation.provinces, request.args.to_dict(flat=False),
                         page.dataset.name, openable=openable)  # fmt: skip
    status = 422 if asked.problems else 200
    return render_template("dashboard/national.html", page=page, asked=asked, map=drawn), status


@scores_bp.get("/map.svg")
@staff_required(Role.OFFICER)
def map_download():
    """Download the provinces' map as an SVG file (aggregates: every officer)."""
    asked = _asked()
    dataset = get_dataset(asked.dataset)
    figures = level_scores(dataset, UnitLevel.PROVINCE, asked.query)
    drawn = province_map(figures, request.args.to_dict(flat=False), dataset.name,
                         standalone=True, openable=_openable())  # fmt: skip
    record("export.map", f"provinces {dataset.name}", current_user,
           period=asked.query.period.label)  # fmt: skip
    name = f"satisfaction-map-{dataset.name}-{asked.query.period.label or 'all'}.svg"
    return _send(downloads.Download(str(drawn).encode("utf-8"), "image/svg+xml", name))


@scores_bp.get("/report.pdf")
@staff_required(Role.OFFICER)
def national_report_download():
    """Download the nation's report as a PDF (aggregates: every officer)."""
    asked = _asked()
    page = pages.national_page(get_dataset(asked.dataset), asked.query, _openable())
    if asked.problems:
        return index()
    config = current_app.config
    pdf = national_report(page, local_today(), config["MIN_N"], config["REPORT_ISSUER"])
    record("export.report", f"nation {page.dataset.name}", current_user,
           period=asked.query.period.label)  # fmt: skip
    name = f"satisfaction-{page.dataset.name}-{asked.query.period.label or 'all'}.pdf"
    return _send(downloads.Download(pdf, "application/pdf", name))


@scores_bp.get("/u/<code>")
@staff_required(Role.OFFICER)
def unit(code: str):
    """Show a unit: its index and elements, its parts ranked, its trend, channels and comments."""
    asked = _asked()
    found = require_unit(current_user, get_unit(code, asked.dataset))
    page = pages.unit_page(found, asked.query, current_user)
    status = 422 if asked.problems else 200
    shown = points.of(page.points)
    communes = commune_map.for_province(found, asked.query, [r.figure for r in page.rows],
                                        page.child_level)  # fmt: skip
    return render_template("dashboard/unit.html", page=page, asked=asked, points=shown,
                           communes=communes), status  # fmt: skip


@scores_bp.get("/u/<code>/report.pdf")
@staff_required(Role.OFFICER)
def report(code: str):
    """Download a unit's report as a PDF."""
    asked = _asked()
    found = require_unit(current_user, get_unit(code, asked.dataset))
    page = pages.unit_page(found, asked.query, current_user)
    if asked.problems:
        return render_template("dashboard/unit.html", asked=asked, page=page), 422
    config = current_app.config
    pdf = unit_report(page, local_today(), config["MIN_N"], config["REPORT_ISSUER"],
                      comments.sample(found, asked.query))  # fmt: skip
    record("export.report", f"unit {found.code}", current_user, period=asked.query.period.label)
    db.session.commit()
    name = f"satisfaction-{found.code}-{asked.query.period.label or 'all'}.pdf"
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=name)  # fmt: skip


def _send(download: downloads.Download):
    db.session.commit()  # the audit event
    return send_file(io.BytesIO(download.data), mimetype=download.mimetype, as_attachment=True,
                     download_name=download.name)  # fmt: skip


def _format(fmt: str) -> str:
    if fmt not in downloads.FORMATS:
        raise NotFound(fmt)
    return fmt


@scores_bp.get("/provinces.<fmt>")
@staff_required(Role.OFFICER)
def provinces_download(fmt: str):
    """Download the provinces' table of the national page (aggregates: every officer)."""
    fmt, asked = _format(fmt), _asked()
    dataset = get_dataset(asked.dataset)
    figures = pages.by_rank(level_scores(dataset, UnitLevel.PROVINCE, asked.query))
    return _send(
        downloads.ranked(
            figures, asked.query, dataset, fmt, "provinces", current_user, pages.labels(asked.query)
        )
    )


@scores_bp.get("/attention.<fmt>")
@staff_required(Role.OFFICER)
def attention_download(fmt: str):
    """Download the provinces below the nation or fallen (aggregates: every officer)."""
    fmt, asked = _format(fmt), _asked()
    page = pages.national_page(get_dataset(asked.dataset), asked.query)
    return _send(downloads.attention(page.attention, asked.query, page.dataset, fmt,
                                     "attention", current_user, page.labels))  # fmt: skip


@scores_bp.get("/u/<code>/<table>.<fmt>")
@staff_required(Role.OFFICER)
def unit_download(code: str, table: str, fmt: str):
    """Download a unit's detail table, or the table of its parts."""
    fmt, asked = _format(fmt), _asked()
    found = require_unit(current_user, get_unit(code, asked.dataset))
    if table == "detail":
        made = downloads.detail(unit_scores(found, asked.query), pages.labels(asked.query),
                                asked.query, found.dataset, fmt, current_user)  # fmt: skip
    elif table == "attention":
        page = pages.unit_page(found, asked.query, current_user)
        made = downloads.attention(page.attention, asked.query, found.dataset, fmt,
                                   f"{found.code}-attention", current_user,
                                   page.labels)  # fmt: skip
    elif table == "parts":
        level = pages.child_level(found)
        parts = level_scores(found.dataset, level, asked.query, parent=found) if level else []
        made = downloads.ranked(pages.by_rank(parts), asked.query, found.dataset, fmt,
                                f"{found.code}-parts", current_user,
                                pages.labels(asked.query))  # fmt: skip
    elif table == "fields":
        figures = breakdowns.by_field(found, asked.query)  # ranked; "field unknown" last
        made = downloads.fields(figures, asked.query, found.dataset, fmt, f"{found.code}-fields",
                                current_user, pages.labels(asked.query))  # fmt: skip
    elif table == "points":
        made = downloads.service_points(points.lines(points.ranked_rows(found, asked.query)),
                                        asked.query, found, fmt, current_user,
                                        pages.labels(asked.query))  # fmt: skip
    else:
        raise NotFound(table)
    return _send(made)
