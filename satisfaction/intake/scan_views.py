"""Scan screens: dispatch forms with their results, receive returned forms, withdraw forms."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError
from satisfaction.extensions import db
from satisfaction.intake import figures as intake_figures
from satisfaction.intake import tracking
from satisfaction.intake.forms import FiguresFilter, ScanForm, WithdrawForm
from satisfaction.paper.codes import group
from satisfaction.survey.models import InvitationEvent, InvitationStatus
from satisfaction.units.services import find_unit

scan_bp = Blueprint("scan", __name__, url_prefix="/post")

STEPS = {
    "dispatch": (InvitationStatus.DISPATCHED, _l("Dispatch forms"),
                 _l("Scan each form as it goes into an envelope with its result.")),
    "receive": (InvitationStatus.RETURNED, _l("Receive returned forms"),
                _l("Scan each paper form that comes back to the post office.")),
}  # fmt: skip


def _recent(status: InvitationStatus, limit: int = 15) -> list[InvitationEvent]:
    stmt = (
        select(InvitationEvent)
        .where(InvitationEvent.actor_id == current_user.id, InvitationEvent.status == status)
        .order_by(InvitationEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


@scan_bp.route("/scan/<step>", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def scan(step: str):
    """Take scan after scan; confirm each at once, say plainly what is wrong."""
    if step not in STEPS:
        abort(404)
    status, title, hint = STEPS[step]
    form = ScanForm()
    if form.validate_on_submit():
        try:
            moved = tracking.move(form.code.data, status, current_user)
        except InputError as error:
            db.session.rollback()
            flash(error.problems[0].message, "error")
        else:
            db.session.commit()
            flash(_("%(code)s: done.", code=group(moved.invitation.code)), "success")
        return redirect(url_for("scan.scan", step=step))
    return render_template("intake/scan.html", form=form, step=step, title=title, hint=hint,
                           recent=_recent(status))  # fmt: skip


@scan_bp.route("/withdraw", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def withdraw():
    """Withdraw a spoiled or lost form so that its code can no longer be answered."""
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            moved = tracking.move(form.code.data, InvitationStatus.WITHDRAWN, current_user,
                                  form.note.data)  # fmt: skip
        except InputError as error:
            db.session.rollback()
            flash(error.problems[0].message, "error")
        else:
            db.session.commit()
            flash(_("%(code)s withdrawn.", code=group(moved.invitation.code)), "success")
            return redirect(url_for("scan.withdraw"))
    return render_template("intake/withdraw.html", form=form,
                           recent=_recent(InvitationStatus.WITHDRAWN))  # fmt: skip


@scan_bp.get("/figures")
@staff_required(Role.POSTAL)
def figures():
    """Show how many forms reached each step, the response rate, and the clerks' keying."""
    form = FiguresFilter(request.args)
    unit = None
    if form.validate() and form.unit.data:
        unit = find_unit(form.unit.data.strip())
        if unit is None:
            form.unit.errors = [_("no unit has the code %(code)s", code=form.unit.data)]
    valid = not form.errors
    counts = intake_figures.form_figures(
        current_user, unit, form.batch.data if valid else None,
        form.start.data if valid else None, form.end.data if valid else None,
    )  # fmt: skip
    return render_template(
        "intake/figures.html", form=form, figures=counts,
        clerks=intake_figures.clerk_figures(current_user),
        duplicates=intake_figures.duplicates(current_user),
    ), 200 if valid else 422  # fmt: skip
