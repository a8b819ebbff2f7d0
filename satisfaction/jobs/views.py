"""The job pages: how far a job is (refreshed while it runs), what it gave, what went wrong."""

from flask import Blueprint, Response, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from satisfaction.auth.access import staff_required
from satisfaction.core.errors import NotFound
from satisfaction.jobs import services, tasks
from satisfaction.jobs.models import JobStatus

jobs_bp = Blueprint("jobs", __name__, url_prefix="/jobs")
REFRESH_SECONDS = 2
KINDS = {"scans": _l("Reading a scan file"), "dossiers": _l("Importing a dossier list"),
         "print": _l("Drawing a batch's PDF"), "rebuild": _l("Rebuilding the scores")}  # fmt: skip
STATUSES = {JobStatus.QUEUED: _l("Waiting to start"), JobStatus.RUNNING: _l("Running"),
            JobStatus.DONE: _l("Done"), JobStatus.FAILED: _l("Stopped")}  # fmt: skip


@jobs_bp.context_processor
def _labels() -> dict:
    return {"job_label": lambda kind: KINDS.get(kind, kind),
            "job_status_label": lambda status: STATUSES[status]}  # fmt: skip


@jobs_bp.get("/")
@staff_required()
def index():
    """List the newest jobs the staff member started."""
    return render_template("jobs/index.html", jobs=services.recent_jobs(current_user))


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
    """Send the file a job made (a batch's PDF)."""
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
