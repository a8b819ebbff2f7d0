"""Scan screens: dispatch forms with their results, receive returned forms, withdraw forms."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.intake import breakdowns, tracking
from satisfaction.intake.forms import FiguresFilter, ScanForm, WithdrawForm
from satisfaction.paper.codes import CodeError, group, normalize
from satisfaction.survey.models import InvitationEvent, InvitationStatus
from satisfaction.units.services import find_unit

scan_bp = Blueprint("scan", __name__, url_prefix="/post")

STEPS = {
    "dispatch": (InvitationStatus.DISPATCHED, _l("Dispatch forms"),
                 _l("Scan each form as it goes into an envelope with its result.")),
    "receive": (InvitationStatus.RETURNED, _l("Receive returned forms"),
                _l("Scan each paper form that comes back to the post office.")),
    "withdraw": (InvitationStatus.WITHDRAWN, _l("Withdraw a form"),
                 _l("For a form that is spoiled, lost or printed again: its code can no longer "
                    "be answered.")),
}  # fmt: skip
FLASH = {"done": "success", "repeat": "info", "refused": "error"}


def _recent(status: InvitationStatus, limit: int = 15) -> list[InvitationEvent]:
    stmt = (
        select(InvitationEvent)
        .where(InvitationEvent.actor_id == current_user.id, InvitationEvent.status == status)
        .order_by(InvitationEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _record(form: ScanForm | WithdrawForm, status: InvitationStatus) -> tuple[str, str, int]:
    """Move the scanned form and commit; return the outcome, what to tell, today's tally."""
    note = form.note.data if isinstance(form, WithdrawForm) else ""
    try:
        moved = tracking.move(form.code.data, status, current_user, note)
    except InputError as error:
        db.session.rollback()
        problem = error.problems[0]  # about the reason, not the code: say which code it was
        message = problem.message if problem.where == "code" else _(
            "%(code)s: %(why)s", code=_shown(form.code.data), why=problem.message)  # fmt: skip
        return "refused", message, tracking.tally_today(current_user, status)
    code = group(moved.invitation.code)
    when = getattr(moved.invitation, tracking.STAMPS[status], None)
    tally = tracking.tally_today(current_user, status)  # read before the commit expires all
    db.session.commit()
    if moved.is_repeat:
        return "repeat", _("%(code)s: already recorded (%(when)s); nothing changed.", code=code,
                           when=format_datetime(when, "short") if when else "?"), tally  # fmt: skip
    if status is InvitationStatus.WITHDRAWN:
        return "done", _("%(code)s withdrawn.", code=code), tally
    return "done", _("%(code)s: done.", code=code), tally


def _shown(typed: str) -> str:
    """Return a typed code as printed (grouped), or as typed if it is no code at all."""
    try:
        return group(normalize(typed))
    except CodeError:
        return typed.strip()[:40]


def _page(step: str, form: ScanForm | WithdrawForm):
    status, title, hint = STEPS[step]
    template = "intake/withdraw.html" if step == "withdraw" else "intake/scan.html"
    return render_template(template, form=form, step=step, title=title, hint=hint,
                           recent=_recent(status),
                           tally=tracking.tally_today(current_user, status))  # fmt: skip


@scan_bp.route("/scan/<step>", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def scan(step: str):
    """Take scan after scan; confirm each at once, say plainly what is wrong."""
    if step not in STEPS or step == "withdraw":
        abort(404)
    form = ScanForm()
    if form.validate_on_submit():
        outcome, message, _tally = _record(form, STEPS[step][0])
        flash(message, FLASH[outcome])
        return redirect(url_for("scan.scan", step=step))
    return _page(step, form)


@scan_bp.route("/withdraw", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def withdraw():
    """Withdraw a spoiled or lost form so that its code can no longer be answered."""
    form = WithdrawForm()
    if form.validate_on_submit():
        outcome, message, _tally = _record(form, InvitationStatus.WITHDRAWN)
        flash(message, FLASH[outcome])
        if outcome != "refused":  # the reason stays for the next form withdrawn alike
            return redirect(url_for("scan.withdraw", note=form.note.data))
    elif request.method == "GET":
        form.note.data = request.args.get("note", "")[:200]
    return _page("withdraw", form)


@scan_bp.post("/scan/<step>/queue")
@staff_required(Role.POSTAL)
def queue(step: str):
    """Record one code sent by the scan screen's background queue; answer in JSON."""
    if step not in STEPS:
        abort(404)
    status = STEPS[step][0]
    form = WithdrawForm() if step == "withdraw" else ScanForm()
    form.validate_on_submit()  # the service says in words what is wrong with a code or reason
    if "csrf_token" in form.errors:
        reply = {"result": "refused", "message": _("The page has expired: reload it.")}
        return jsonify(reply), 422
    form.code.data = (form.code.data or "").strip()[:40]
    outcome, message, tally = _record(form, status)
    reply = {"result": outcome, "message": message, "code": form.code.data, "tally": tally}
    return jsonify(reply), 422 if outcome == "refused" else 200


def _asked(form: FiguresFilter) -> breakdowns.Filters | None:
    """Return the filters of the figures page, or None (errors set on the form) if wrong."""
    unit = None
    if form.validate() and form.unit.data:
        unit = find_unit(form.unit.data.strip())
        if unit is None:
            form.unit.errors = [_("no unit has the code %(code)s", code=form.unit.data)]
    if form.errors:
        return None
    return breakdowns.Filters(unit, form.batch.data, form.start.data, form.end.data)


@scan_bp.get("/figures")
@staff_required(Role.POSTAL)
def figures():
    """Show the forms at each step, per batch, unit and clerk, and the forms long out."""
    form = FiguresFilter(request.args)
    asked = _asked(form)
    days = (form.days.data or breakdowns.DEFAULT_OVERDUE_DAYS) if asked else 30
    found = breakdowns.report(current_user, asked or breakdowns.Filters(), days)
    return render_template("intake/figures.html", form=form, days=days,
                           report=found), 200 if asked else 422  # fmt: skip


@scan_bp.get("/figures/overdue.csv")
@staff_required(Role.POSTAL)
def overdue_csv():
    """Download the forms dispatched more than N days ago and not back, for Excel (UTF-8 BOM)."""
    form = FiguresFilter(request.args)
    asked = _asked(form)
    if asked is None:
        return figures()
    days = form.days.data or breakdowns.DEFAULT_OVERDUE_DAYS
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(breakdowns.overdue_header())
    writer.writerows(row.cells() for row in breakdowns.overdue(current_user, asked, days))
    response = Response(text.getvalue().encode("utf-8-sig"), mimetype="text/csv")
    name = f"overdue-{days}-days-{local_today().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
