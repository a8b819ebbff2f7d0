"""The kinds of job: each calls the service its page or command calls, and says what it gave."""

import io
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from satisfaction.audit import services as audit
from satisfaction.core.errors import InputError, Problem
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.intake import batches, printing, scans
from satisfaction.intake.models import Batch
from satisfaction.intake.scan_cli import summary
from satisfaction.jobs import services
from satisfaction.jobs.models import Job
from satisfaction.omr.sources import page_count
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.survey import ballot_box, microdata
from satisfaction.survey.models import Channel, Response


@dataclass(frozen=True)
class Task:
    """A kind of job: the work, and one line on its result in the reader's language."""

    work: Callable[[Job], dict[str, Any]]
    describe: Callable[[Job], str]


def perform(job: Job) -> dict[str, Any]:
    """Run a job's work; return its result summary."""
    return TASKS[job.kind].work(job)


def describe(job: Job) -> str:
    """Say what a finished job gave, in the reader's language."""
    task = TASKS.get(job.kind)
    return task.describe(job) if task is not None and job.result is not None else ""


def _input(job: Job) -> bytes:
    upload = services.file_of(job, "input")
    if upload is None:
        raise InputError(Problem(job.title, _("the file is no longer kept: send it again")))
    return upload.data


def report(job_id: int, done: int, total: int | None = None) -> None:
    """Record a job's progress at once, beside the work's own transaction (readers only)."""
    values: dict[str, int] = {"done": done}
    if total is not None:
        values["total"] = total
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(**values))


def ingest_scans(job: Job) -> dict[str, Any]:
    """Read an uploaded scan file page by page, from where an earlier try stopped."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan"
        path.write_bytes(_input(job))
        job.total, job.done = page_count(path), 0
        db.session.commit()

        def advance(steps: int) -> None:
            job.done += steps  # committed with each page

        tally = scans.run_file(path, job.title, job.started_by, db.session.commit, advance)
    ballot_box.mix_after_answers()
    return dict(tally)


def import_dossiers(job: Job) -> dict[str, Any]:
    """Issue one form per dossier of an uploaded list (all or nothing)."""
    channel = Channel(job.params.get("channel", Channel.ENVELOPE.value))
    try:
        outcome = batches.import_dossier_list(io.BytesIO(_input(job)), channel, job.started_by,
                                              job.title, job.params.get("valid_days"))  # fmt: skip
    except batches.ListTakenBefore as refusal:
        refusal.result = {"batch_id": refusal.batch_id}
        raise
    db.session.commit()
    return {"batch_id": outcome.batch.id if outcome.batch else outcome.earlier_batch_id,
            "created": outcome.created, "existing": outcome.existing,
            "unknown_fields": outcome.unknown_fields}  # fmt: skip


def print_batch(job: Job) -> dict[str, Any]:
    """Draw a batch's PDF, keep it for its page, and mark the forms printed."""
    batch = db.session.get(Batch, job.params["batch_id"])
    if batch is None:
        raise InputError(Problem(job.title, _("There is no such batch.")))
    report(job.id, 0, batch.form_count)
    out, drawn = io.BytesIO(), [0]

    def advance(steps: int) -> None:
        drawn[0] += steps
        report(job.id, drawn[0])

    printing.render_batch(batch, out, advance)
    services.keep_output(job, f"batch-{batch.id}.pdf", "application/pdf", out.getvalue())
    printing.mark_printed(batch, job.started_by)
    job.done = job.total = batch.form_count
    db.session.commit()
    return {"batch_id": batch.id, "forms": batch.form_count}


def rebuild_scores(job: Job) -> dict[str, Any]:
    """Recompute the score aggregates from every recorded answer."""
    job.total = db.session.scalar(select(func.count()).select_from(Response)) or 0
    db.session.commit()
    responses, cells = rebuilding.rebuild()
    job.done = responses
    db.session.commit()
    return {"responses": responses, "cells": cells}


def export_responses(job: Job) -> dict[str, Any]:
    """Write the anonymous microdata and its codebook into a zip the job's page offers."""
    key = job.params.get("questionnaire") or None
    with_comments = bool(job.params.get("with_comments"))
    report(job.id, 0, microdata.count_rows(key))
    done = [0]

    def advance(steps: int) -> None:
        done[0] += steps
        report(job.id, done[0])

    out = io.BytesIO()
    rows = microdata.write_archive(out, key, with_comments, advance)
    stamp = local_today().isoformat()
    services.keep_output(job, f"microdata-{stamp}.zip", "application/zip", out.getvalue())
    audit.record(microdata.EXPORT_ACTION, "", job.started_by, comments=with_comments)
    job.done = job.total = rows
    db.session.commit()
    return {"responses": rows, "comments": with_comments}


def _describe_scans(job: Job) -> str:
    return summary(job.title, Counter(job.result))


def _describe_dossiers(job: Job) -> str:
    said = _("%(n)d forms issued; %(old)d dossiers already had one.",
             n=job.result.get("created", 0), old=job.result.get("existing", 0))  # fmt: skip
    unknown = job.result.get("unknown_fields", 0)
    if unknown:
        said += " " + _("%(n)d forms are for procedures not in the catalogue: their field is "
                        "unknown.", n=unknown)  # fmt: skip
    return said


def _describe_print(job: Job) -> str:
    return _("The PDF of %(n)d forms is ready.", n=job.result.get("forms", 0))


def _describe_export(job: Job) -> str:
    if job.result.get("comments"):
        return _("%(n)d responses exported, with their comments.", n=job.result.get("responses", 0))
    return _("%(n)d responses exported, without comments.", n=job.result.get("responses", 0))


def _describe_rebuild(job: Job) -> str:
    result = job.result
    return _("Aggregates rebuilt from %(responses)d responses (%(cells)d cells).",
             responses=result.get("responses", 0), cells=result.get("cells", 0))  # fmt: skip


TASKS: dict[str, Task] = {
    "scans": Task(ingest_scans, _describe_scans),
    "dossiers": Task(import_dossiers, _describe_dossiers),
    "print": Task(print_batch, _describe_print),
    "rebuild": Task(rebuild_scores, _describe_rebuild),
    "export": Task(export_responses, _describe_export),
}
