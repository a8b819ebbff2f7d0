"""The job pages: how far a job is (refreshed while it runs), what it gave, what went wrong."""

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import NotFound
from satisfaction.jobs import services, tasks
from satisfaction.jobs.forms import ExportForm, RebuildForm
from satisfaction.jobs.models import JobStatus
from satisfaction.jobs.queue import start

jobs_bp = Blueprint("jobs", __name__, url_prefix="/jobs")
REFRESH_SECONDS = 2
KINDS = {"scans": _l("Reading a scan file"), "dossiers": _l("Importing a dossier list"),
         "print": _l("Drawing a batch's PDF"), "rebuild": _l("Rebuilding the scores"),
         "export": _l("Exporting the microdata")}  # fmt: skip
STATUSES = {JobStatus.QUEUED: _l("Waiting to start"), JobStatus.RUNNING: _l("Running"),
            JobStatus.DONE: _l("Done"), JobStatus.FAILED: _l("Stopped")}  # fmt: skip


@jobs_bp.context_processor
def _labels() -> dict:
    return {"job_label": lambda kind: KINDS.get(kind, kind),
            "job_status_label": lambda status: STATUSES[status]}  # fmt: skip


@jobs_bp.get("/")
@staff_required()
def index():
    """List the newest jobs the staff member started (administrators: every job, and starts)."""
    return render_template("jobs/index.html", jobs=services.recent_jobs(current_user),
                           export_form=ExportForm(), rebuild_form=RebuildForm())  # fmt: skip


@jobs_bp.post("/export")
@staff_required(Role.ADMIN)
def export():
    """Start an export of the anonymous microdata; follow it on its page."""
    form = ExportForm()
    if not form.validate_on_submit():  # the CSRF check has passed already: nothing else fails
        return redirect(url_for("jobs.index"))
    job = start("export", current_user, _("the anonymous microdata"),
                {"with_comments": bool(form.with_comments.data)})  # fmt: skip
    return redirect(url_for("jobs.job", job_id=job.id))


@jobs_bp.post("/rebuild")
@staff_required(Role.ADMIN)
def rebuild():
    """Start a rebuild of the score aggregates; follow it on its page."""
    if not RebuildForm().validate_on_submit():
        return redirect(url_for("jobs.index"))
    job = start("rebuild", current_user, _("the score aggregates"))
    return redirect(url_for("jobs.job", job_id=job.id))


@jobs_bp.get("/<int:job_id>")
@staff_required()
def job(job_id: int):
    """Show a job: its progress while it runs (the page refreshes itself), then its outcome."""
    try:
        found = services.get_job(job_id, current_user)
    except NotFound:
        abort(404)
    output = services.file_of(found, "output") if found.is_over else None
    refresh = None if found.is_over else REFRESH_SECONDS
    return render_template("jobs/job.html", job=found, summary=tasks.describe(found),
                           output=output, refresh=refresh)  # fmt: skip


@jobs_bp.get("/<int:job_id>/file")
@staff_required()
def download(job_id: int):
    """Send the file a job made (a batch's PDF, an export)."""
    try:
        found = services.get_job(job_id, current_user)
    except NotFound:
        abort(404)
    output = services.file_of(found, "output")
    if output is None:
        abort(404)
    response = Response(output.data, mimetype=output.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{output.name}"'
    return response
