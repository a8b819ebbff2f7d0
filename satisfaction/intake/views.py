"""The post office's pages: batches, their forms, the PDF and the manifest."""

import csv
import io
import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import Conflict, InputError, NotFound
from satisfaction.core.forms import show_problems
from satisfaction.extensions import db
from satisfaction.intake import batches, printing, queries
from satisfaction.intake.dossiers import rough_rows
from satisfaction.intake.forms import (
    DossierListForm,
    PrintForm,
    StackForm,
    channel_choices,
    field_choices,
)
from satisfaction.jobs.queue import start as start_job
from satisfaction.survey.models import Channel

post_bp = Blueprint("post", __name__, url_prefix="/post")


def _forms() -> tuple[DossierListForm, StackForm]:
    upload, stack = DossierListForm(prefix="list"), StackForm(prefix="stack")
    upload.channel.choices = channel_choices()
    stack.channel.choices = channel_choices(envelope=False)
    stack.field.choices = field_choices(str(get_locale()))
    return upload, stack


@post_bp.get("/")
@staff_required(Role.POSTAL)
def index():
    """List the batches in the clerk's area, with the forms to make new ones."""
    upload, stack = _forms()
    return _index_page(upload, stack)


def _index_page(upload, stack, status: int = 200):
    found = queries.list_batches(current_user)
    return render_template("intake/index.html", batches=found, upload=upload, stack=stack), status


@post_bp.post("/batches/import")
@staff_required(Role.POSTAL)
def import_list():
    """Issue one form per dossier of an uploaded list; refuse the whole file on any bad row."""
    upload, stack = _forms()
    if not upload.validate_on_submit():
        return _index_page(upload, stack, 422)
    file, data = upload.file.data, upload.file.data.stream.read()
    name = file.filename or ""
    if rough_rows(data) > current_app.config["JOBS_DOSSIER_ROWS"]:
        params = {"channel": upload.channel.data, "valid_days": upload.valid_days.data}
        job = start_job("dossiers", current_user, name, params, (name, data))
        return redirect(url_for("jobs.job", job_id=job.id))
    try:
        outcome = batches.import_dossier_list(data, Channel(upload.channel.data), current_user,
                                              name, upload.valid_days.data)  # fmt: skip
        db.session.commit()
    except (InputError, NotFound) as error:
        db.session.rollback()
        show_problems(upload, error if isinstance(error, InputError) else InputError(str(error)))
        return _index_page(upload, stack, 409 if isinstance(error, Conflict) else 422)
    if outcome.batch is None:
        flash(_("All %(n)d dossiers of this list already have forms: nothing was created.",
                n=outcome.existing), "info")  # fmt: skip
        return redirect(url_for("post.batch", batch_id=outcome.earlier_batch_id))
    flash(_("%(n)d forms issued; %(old)d dossiers already had one.", n=outcome.created,
            old=outcome.existing), "success")  # fmt: skip
    if outcome.unknown_fields:
        flash(_("%(n)d forms are for procedures not in the catalogue: their field is unknown.",
                n=outcome.unknown_fields), "info")  # fmt: skip
    return redirect(url_for("post.batch", batch_id=outcome.batch.id))


@post_bp.post("/batches/create")
@staff_required(Role.POSTAL)
def create_stack():
    """Issue N forms for a service point."""
    upload, stack = _forms()
    if not stack.validate_on_submit():
        return _index_page(upload, stack, 422)
    try:
        batch = batches.create_batch(stack.service_point.data.strip(), stack.count.data,
                                     Channel(stack.channel.data), current_user,
                                     stack.valid_days.data, stack.field.data or "")  # fmt: skip
    except (InputError, NotFound) as error:
        db.session.rollback()
        show_problems(stack, error if isinstance(error, InputError) else InputError(str(error)))
        return _index_page(upload, stack, 422)
    db.session.commit()
    flash(_("%(n)d forms issued.", n=batch.form_count), "success")
    return redirect(url_for("post.batch", batch_id=batch.id))


@post_bp.get("/batches/<int:batch_id>")
@staff_required(Role.POSTAL)
def batch(batch_id: int):
    """Show a batch: its forms and their status, and the downloads."""
    found = queries.get_batch(batch_id, current_user)
    return render_template(
        "intake/batch.html", batch=found, forms=queries.batch_forms(found),
        counts=queries.status_counts(found), print_form=PrintForm(),
    )  # fmt: skip


@post_bp.post("/batches/<int:batch_id>/forms.pdf")
@staff_required(Role.POSTAL)
def batch_pdf(batch_id: int):
    """Return the PDF of a batch and record that it was printed."""
    found = queries.get_batch(batch_id, current_user)
    if not PrintForm().validate_on_submit():
        return redirect(url_for("post.batch", batch_id=batch_id))
    if found.form_count > current_app.config["JOBS_PRINT_FORMS"]:
        job = start_job("print", current_user, _("batch %(id)d", id=found.id),
                        {"batch_id": found.id})  # fmt: skip
        return redirect(url_for("jobs.job", job_id=job.id))
    out = io.BytesIO()
    printing.render_batch(found, out)
    printing.mark_printed(found, current_user)
    db.session.commit()
    return _download(out.getvalue(), "application/pdf", f"batch-{found.id}.pdf")


@post_bp.get("/batches/<int:batch_id>/manifest.csv")
@staff_required(Role.POSTAL)
def batch_manifest(batch_id: int):
    """Return the manifest: which code goes with which dossier, file and page."""
    found = queries.get_batch(batch_id, current_user)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(printing.MANIFEST_HEADER)
    writer.writerows(printing.manifest_rows(found, f"batch-{found.id}.pdf"))
    return _download(text.getvalue().encode("utf-8-sig"), "text/csv", f"batch-{found.id}.csv")


@post_bp.get("/batches/<int:batch_id>/layout.json")
@staff_required(Role.POSTAL)
def batch_layout(batch_id: int):
    """Return the layout JSON of a batch's forms (for scanning software)."""
    found = queries.get_batch(batch_id, current_user)
    layout = printing.batch_layout(found)
    body = json.dumps(layout.to_json(), ensure_ascii=False, indent=1).encode()
    return _download(body, "application/json", f"batch-{found.id}.layout.json")


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@post_bp.errorhandler(NotFound)
def _missing(error):
    return render_template("errors/error.html", code=404, title=_("Page not found"),
                           text=_("There is no such batch.")), 404  # fmt: skip
