"""Scanned returns on the web: upload scan files, and review what the reader doubted."""

from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError, NotFound
from satisfaction.extensions import db
from satisfaction.intake import review, scans
from satisfaction.intake.forms import ReviewForm, ScanUploadForm
from satisfaction.intake.scan_models import ReviewKind
from satisfaction.jobs.queue import start as start_job

review_bp = Blueprint("review", __name__, url_prefix="/post")


@review_bp.route("/scans", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def upload():
    """Take a scan file and read it as a job: every page, clean forms counted, the rest queued."""
    form = ScanUploadForm()
    if form.validate_on_submit():
        name = Path(form.file.data.filename or "scan").name
        data = form.file.data.read()
        try:
            scans.check_upload(data, name)
        except InputError as error:
            for problem in error.problems:
                flash(str(problem), "error")
            return redirect(url_for("review.upload"))
        job = start_job("scans", current_user, name, upload=(name, data))
        return redirect(url_for("jobs.job", job_id=job.id))
    counts = review.counts(current_user)
    return render_template("intake/scans_upload.html", form=form, counts=counts,
                           labels=review.KIND_LABELS)  # fmt: skip


def _kind() -> ReviewKind | None:
    value = request.args.get("kind", "")
    return ReviewKind(value) if value in {k.value for k in ReviewKind} else None


@review_bp.route("/review")
@staff_required(Role.POSTAL)
def queue():
    """Go to the first open item of a queue, or say that none is left."""
    kind = _kind()
    item = review.next_item(current_user, kind, after=request.args.get("after", 0, type=int))
    if item is None:
        flash(_("Nothing left to review."), "success")
        return redirect(url_for("review.upload"))
    return redirect(url_for("review.item", item_id=item.id, kind=kind and kind.value))


@review_bp.route("/review/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def item(item_id: int):
    """Show one item; a digit and Enter decide it, then the next one opens."""
    try:
        found = review.get_item(item_id, current_user)
    except NotFound:
        abort(404)
    form, kind = ReviewForm(), _kind()
    if form.validate_on_submit() and found.is_open:
        try:
            _apply(found, form)
        except InputError as error:
            db.session.rollback()
            form.value.errors = [p.message for p in error.problems]
        else:
            db.session.commit()
            following = review.next_item(current_user, kind, after=found.id)
            if following is None:
                flash(_("Nothing left to review."), "success")
                return redirect(url_for("review.upload"))
            return redirect(url_for("review.item", item_id=following.id, kind=kind and kind.value))
    back = review.previous_item(current_user, found.id, kind)
    return render_template("intake/review_item.html", item=found, form=form, back=back, kind=kind,
                           question=review.question_of(found),
                           choices=review.labelled_choices(found, str(get_locale())),
                           labels=review.KIND_LABELS, reasons=review.REASON_LABELS)  # fmt: skip


def _apply(found, form: ReviewForm) -> None:
    """Hand a person's decision to the service: a typed or skipped comment, or a key."""
    if found.kind is ReviewKind.COMMENT:
        text = None if form.skip.data else (form.comment.data or "")
        review.type_comment(found.id, text, current_user)
    else:
        review.decide(found.id, (form.value.data or "").strip(), current_user)


@review_bp.route("/review/<int:item_id>/image.png")
@staff_required(Role.POSTAL)
def image(item_id: int):
    """Send an item's picture: the question with its marks drawn, or the whole page."""
    try:
        found = review.get_item(item_id, current_user)
    except NotFound:
        abort(404)
    data = found.crop or (found.scan_page.image if found.scan_page else None)
    if not data:
        abort(404)
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return Response(data, mimetype=kind, headers={"Cache-Control": "private, max-age=300"})
