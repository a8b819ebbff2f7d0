"""Print a batch: the PDF, its layout JSON and the manifest, and mark the forms printed."""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import update

from satisfaction.audit.services import record
from satisfaction.auth.models import User
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.intake.models import Batch
from satisfaction.intake.queries import batch_forms
from satisfaction.paper.codes import group
from satisfaction.paper.layout import Layout, layout_for
from satisfaction.paper.render import FormCopy, RenderResult, render_pdf
from satisfaction.survey.answering import questionnaire_of
from satisfaction.survey.models import Invitation, InvitationStatus

MANIFEST_HEADER = ["code", "dossier_ref", "file", "page"]


@dataclass(frozen=True)
class PrintedFiles:
    """The three files a print run writes side by side."""

    pdf: Path
    layout: Path
    manifest: Path


def render_batch(
    batch: Batch, out: BinaryIO, progress: Callable[[int], None] | None = None
) -> RenderResult:
    """Draw every form of a batch into out, in print order."""
    forms = batch_forms(batch)
    copies = [
        FormCopy(code=f.code, service_point=f.service_point.name, procedure=f.procedure_name)
        for f in forms
    ]
    questionnaire = questionnaire_of(batch.questionnaire_version)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    return render_pdf(questionnaire, copies, out, base_url, progress=_steps(progress))


def _steps(advance: Callable[[int], None] | None) -> Callable[[int, int], None] | None:
    """Adapt the renderer's (done, total) reports to a progress bar that takes increments."""
    if advance is None:
        return None
    reached = [0]

    def report(done: int, total: int) -> None:
        advance(done - reached[0])
        reached[0] = done

    return report


def batch_layout(batch: Batch) -> Layout:
    """Return the layout every form of a batch is drawn with (without drawing them)."""
    return layout_for(questionnaire_of(batch.questionnaire_version))


def manifest_rows(batch: Batch, file_name: str) -> list[list[str]]:
    """Return one manifest row per form, in print order: code, dossier, file and first page."""
    pages = len(batch_layout(batch).pages)
    return [
        [group(f.code), f.dossier_ref or "", file_name, str(index * pages + 1)]
        for index, f in enumerate(batch_forms(batch))
    ]


def print_batch(
    batch: Batch, pdf_path: Path, actor: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> PrintedFiles:  # fmt: skip
    """Write FILE.pdf, FILE.layout.json and FILE.manifest.csv, and mark the forms printed."""
    pdf_path = Path(pdf_path)
    stem = pdf_path.with_suffix("")
    files = PrintedFiles(pdf_path, Path(f"{stem}.layout.json"), Path(f"{stem}.manifest.csv"))
    with files.pdf.open("wb") as out:
        result = render_batch(batch, out, progress)
    files.layout.write_text(
        json.dumps(result.layout.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with files.manifest.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(MANIFEST_HEADER)
        writer.writerows(manifest_rows(batch, files.pdf.name))
    mark_printed(batch, actor)
    return files


def mark_printed(batch: Batch, actor: User | None) -> None:
    """Record that a batch was printed: forms still only issued become printed."""
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.batch_id == batch.id, Invitation.status == InvitationStatus.ISSUED)
        .values(status=InvitationStatus.PRINTED, printed_at=now)
        .execution_options(synchronize_session=False)
    )
    batch.printed_at = now
    batch.print_count += 1
    record("batch.print", f"batch {batch.id}", actor, forms=batch.form_count)
