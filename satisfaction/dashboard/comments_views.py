"""Comments to read: a unit's comments with their unit and month, searched, and as CSV."""

import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from satisfaction.audit.services import record
from satisfaction.auth.access import require_unit, staff_required
from satisfaction.auth.models import Role
from satisfaction.dashboard import filters, pages
from satisfaction.dashboard.exports import for_people
from satisfaction.extensions import db
from satisfaction.scoring import comments
from satisfaction.units.models import AdminUnit
from satisfaction.units.queries import get_unit

comments_bp = Blueprint("comments", __name__, url_prefix="/scores/u/<code>")


def _asked() -> filters.Asked:
    return filters.parse(request.args, request.args.getlist("source"))


def _parts(unit: AdminUnit) -> list[AdminUnit]:
    stmt = select(AdminUnit).where(AdminUnit.parent_id == unit.id).order_by(AdminUnit.name)
    return list(db.session.scalars(stmt))


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() else 1


@comments_bp.get("/comments")
@staff_required(Role.OFFICER)
def index(code: str):
    """Show a unit's comments in a period, a page at a time, those with a word if asked."""
    found = require_unit(current_user, get_unit(code, request.args.get("dataset") or None))
    part = request.args.get("part", "").strip()
    if part and part != found.code:  # "only about": the same page for a unit inside
        args = request.args.to_dict(flat=False)
        args.pop("part", None)
        args.pop("page", None)
        return redirect(url_for("comments.index", code=part, **args))
    asked, word = _asked(), request.args.get("q", "")
    page = comments.find(found, asked.query, word, _page_number())
    periods = pages.periods_of(found.dataset, asked.query.period)
    status = 422 if asked.problems else 200
    return render_template("dashboard/comments.html", unit=found, asked=asked, word=word,
                           page=page, parts=_parts(found), periods=periods), status  # fmt: skip


@comments_bp.get("/comments.csv")
@staff_required(Role.OFFICER)
def download(code: str):
    """Download a unit's comments in a period (those with a word if asked) as CSV for Excel."""
    found = require_unit(current_user, get_unit(code, request.args.get("dataset") or None))
    asked, word = _asked(), request.args.get("q", "")
    rows = [[c.unit, format_date(c.month, "MM/yyyy"), c.text]
            for c in comments.every(found, asked.query, word)]  # fmt: skip
    record("comments.download", f"unit {found.code}", current_user,
           period=asked.query.period.label, word=word[: comments.WORD_MAX])  # fmt: skip
    db.session.commit()
    data = for_people([_("Unit"), _("Month"), _("Comment")], rows)
    name = f"comments-{found.code}-{asked.query.period.label or 'all'}.csv"
    return send_file(io.BytesIO(data), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name=name)  # fmt: skip
