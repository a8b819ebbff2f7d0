"""Ingesting scanned returns through the real path: counted once, doubts and gaps queued."""

import random
from datetime import date

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.intake import keying
from satisfaction.intake.models import DuplicateAnswer
from satisfaction.intake.scan_models import (
    FormState,
    PageState,
    Provenance,
    ReviewItem,
    ReviewKind,
    ScanFile,
    ScannedForm,
    ScanPage,
)
from satisfaction.survey.models import Invitation, InvitationStatus, Mode, Response
from tests.conftest import mix_now
from tests.omr.synth import (
    Degradation,
    degrade,
    form_spec,
    handwrite,
    mark_page,
    rasterise,
    render_forms,
)

DPI = 200


def scans_of(codes, kinds=("tick", "cross"), seed=1, written=()):
    """Return each code's marked, lightly spoiled pages and what was painted on them (with a
    handwritten comment on the forms of the codes written)."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    pages, truths = [], []
    for index, image in enumerate(rasterise(render_forms(codes), DPI)):
        code, number = codes[index // 2], index % 2 + 1
        truths.append(mark_page(image, code, number, DPI, rng, kinds))
        if code in written and number == form_spec().comment[0]:
            handwrite(image, DPI, rng)
        spoil = Degradation(rotation=rng.uniform(-1.5, 1.5), noise=3, jpeg=80)
        pages.append(Image.fromarray(degrade(image, spoil, noise)))
    return pages, truths


def save(path, pages):
    """Write pages as one multi-page file (TIFF or PDF by the suffix)."""
    fmt = "PDF" if path.suffix == ".pdf" else "TIFF"
    pages[0].save(path, format=fmt, save_all=True, append_images=pages[1:], resolution=DPI)
    return path


def count(app, model, *where) -> int:
    mix_now(app)
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def answers_of(truths, code):
    meant = {}
    for truth in truths:
        if truth.code == code:
            meant.update(truth.answers)
    return meant


def test_shuffled_turned_and_duplicated_pages_count_each_form_once(survey_app, issue, tmp_path):
    """Pages in any order and either way up; a sheet scanned twice is kept, not counted."""
    codes = issue(3)
    pages, truths = scans_of(codes)
    pages[1] = pages[1].rotate(180)
    order = [3, 0, 5, 1, 2, 4, 3]  # page 3 (the second form's page 2) twice
    path = save(tmp_path / "batch.tif", [pages[i] for i in order])
    result = survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert "tính 3 phiếu" in result.output and "1 trang trùng" in result.output
    assert count(survey_app, Response, Response.mode == Mode.SCANNED) == 3
    assert count(survey_app, ScanPage, ScanPage.state == PageState.DUPLICATE) == 1
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.DUPLICATE) == 1
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.DOUBTFUL) == 0
    with survey_app.app_context():
        stored = db.session.scalars(select(Response)).all()
        meant = [answers_of(truths, code) for code in codes]
        got = [{k: v for k, v in r.answers.items() if k in meant[0]} for r in stored]
        assert sorted(map(str, got)) == sorted(map(str, meant))
        forms = db.session.scalars(select(ScannedForm)).all()
        assert {(f.state, f.provenance) for f in forms} == {(FormState.COUNTED, Provenance.AUTO)}
        assert all(p.answers is None for p in db.session.scalars(select(ScanPage)))
    again = survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)])
    assert again.exit_code == 1 and "đã được nhận trước đây" in again.output
    assert count(survey_app, Response) == 3


def test_missing_page_waits_then_counts(survey_app, issue, tmp_path):
    """A form lacking a page is queued; when the page arrives in another file it counts."""
    (code,) = issue(1)
    pages, _ = scans_of([code])
    runner = survey_app.test_cli_runner()
    assert (
        runner.invoke(args=["scans", "ingest", str(save(tmp_path / "a.pdf", pages[:1]))]).exit_code
        == 0
    )
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.MISSING_PAGE,
                 ReviewItem.is_open.is_(True)) == 1  # fmt: skip
    assert count(survey_app, Response) == 0
    assert (
        runner.invoke(args=["scans", "ingest", str(save(tmp_path / "b.tif", pages[1:]))]).exit_code
        == 0
    )
    assert count(survey_app, Response) == 1
    assert count(survey_app, ReviewItem, ReviewItem.is_open.is_(True)) == 0


def test_a_form_keyed_first_becomes_a_duplicate(survey_app, issue, tmp_path):
    """A code answered by keying before its scan arrives is kept as a duplicate, not counted."""
    (code,) = issue(1)
    with survey_app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
        keying.record_invited(invitation, {}, Mode.KEYED, date(2026, 11, 20),
                              InvitationStatus.KEYED)  # fmt: skip
        db.session.commit()
    pages, _ = scans_of([code])
    path = save(tmp_path / "a.tif", pages)
    assert survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)]).exit_code == 0
    assert count(survey_app, Response) == 1
    assert count(survey_app, DuplicateAnswer, DuplicateAnswer.mode == Mode.SCANNED) == 1


def test_doubts_and_unreadable_pages_are_queued(survey_app, issue, tmp_path):
    """Two marks in a question, a blank sheet: queued for a person, nothing counted."""
    (code,) = issue(1)
    pages, _ = scans_of([code], kinds=("tick", "two"), seed=4)
    blank = Image.new("L", pages[0].size, 250)
    path = save(tmp_path / "a.tif", [*pages, blank])
    result = survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert count(survey_app, Response) == 0
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.DOUBTFUL) > 0
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.UNIDENTIFIED) == 1
    with survey_app.app_context():
        item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == ReviewKind.DOUBTFUL))
        assert item.crop.startswith(b"\x89PNG") and item.reason == "several"


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"hello", "không phải tệp PDF"), (b"%PDF-1.4 broken", "không mở được")],
)
def test_bad_files_are_refused_by_name(survey_app, tmp_path, content, words):
    """A file that is not a scan is refused with its name and the reason; nothing is kept."""
    path = tmp_path / "thu.pdf"
    path.write_bytes(content)
    result = survey_app.test_cli_runner().invoke(args=["scans", "ingest", str(path)])
    assert result.exit_code == 1
    assert "thu.pdf" in result.output and words in result.output
    assert count(survey_app, ScanPage) == 0
    assert count(survey_app, ScanFile, ScanFile.error == "") <= 1
