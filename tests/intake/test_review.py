"""The upload page and the keyboard review screen, through the Flask client."""

import io

import pytest
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.intake.scan_models import (
    FormState,
    Provenance,
    ReviewItem,
    ReviewKind,
    ScannedForm,
)
from satisfaction.survey.models import Response
from tests.auth.helpers import make_user, sign_in
from tests.intake.test_scans import count, save, scans_of


@pytest.fixture
def clerk(survey_app, client):
    """A post office clerk of Ba Đình, signed in."""
    make_user(survey_app, "anh", Role.POSTAL, "001")
    sign_in(client, "anh")
    return client


def _upload(client, path):
    data = {"file": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post("/post/scans", data=data, content_type="multipart/form-data",
                       follow_redirects=True)  # fmt: skip


def test_upload_counts_clean_forms(survey_app, issue, clerk, tmp_path):
    """A clean scan uploaded on the page is counted; the page says so in Vietnamese."""
    codes = issue(2)
    pages, _ = scans_of(codes)
    page = _upload(clerk, save(tmp_path / "buu-dien.tif", pages))
    assert page.status_code == 200
    assert "tính 2 phiếu" in page.get_data(as_text=True)
    assert count(survey_app, Response) == 2


def test_bad_upload_is_a_message_not_an_error(survey_app, clerk, tmp_path):
    """A file that is not a scan gets a message naming it."""
    (tmp_path / "anh.png").write_bytes(b"not an image at all")
    page = _upload(clerk, tmp_path / "anh.png")
    assert page.status_code == 200
    assert "anh.png: không phải tệp PDF, TIFF, PNG hay JPEG" in page.get_data(as_text=True)


def test_review_doubts_with_digits_then_the_form_counts(survey_app, issue, clerk, tmp_path):
    """Each doubtful question is shown with its crop; a digit and Enter settle it."""
    (code,) = issue(1)
    pages, truths = scans_of([code], kinds=("tick", "two"), seed=4)
    assert _upload(clerk, save(tmp_path / "a.tif", pages)).status_code == 200
    doubts = count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.DOUBTFUL)
    assert doubts > 0 and count(survey_app, Response) == 0
    first = clerk.get("/post/review?kind=doubtful")
    assert first.status_code == 302
    screen = clerk.get(first.headers["Location"])
    html = screen.get_data(as_text=True)
    assert screen.status_code == 200 and "review.js" in html and "autofocus" in html
    item_id = int(first.headers["Location"].split("/")[-1].split("?")[0])
    image = clerk.get(f"/post/review/{item_id}/image.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    wrong = clerk.post(f"/post/review/{item_id}", data={"value": "7"})
    assert wrong.status_code == 200 and "hãy bấm một trong các phím" in wrong.get_data(as_text=True)
    for _ in range(doubts):
        with survey_app.app_context():
            item = db.session.scalar(select(ReviewItem).where(ReviewItem.is_open.is_(True)))
            item_id = item.id
        assert clerk.post(f"/post/review/{item_id}", data={"value": "2"}).status_code == 302
    assert count(survey_app, Response) == 1
    with survey_app.app_context():
        form = db.session.scalar(select(ScannedForm))
        assert (form.state, form.provenance) == (FormState.COUNTED, Provenance.REVIEWED)
        response = db.session.scalar(select(Response))
        several = [k for k, v in truths[0].answers.items() if v == "?"]
        assert several and all(response.answers[k] == 2 for k in several)


def test_review_is_refused_outside_the_area(survey_app, issue, client, tmp_path):
    """A clerk of another district cannot open the items of forms from Ba Đình."""
    (code,) = issue(1)
    pages, _ = scans_of([code])
    runner = survey_app.test_cli_runner()
    assert (
        runner.invoke(args=["scans", "ingest", str(save(tmp_path / "a.tif", pages[:1]))]).exit_code
        == 0
    )
    make_user(survey_app, "binh", Role.POSTAL, "002")
    sign_in(client, "binh")
    with survey_app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id))
    assert client.get(f"/post/review/{item_id}").status_code == 404
    assert client.get("/post/scans").status_code == 200


def test_an_unidentified_page_is_read_with_the_typed_code(survey_app, issue, clerk, tmp_path):
    """A page whose QR is spoiled is queued; typing its code reads it, and the form counts."""
    (code,) = issue(1)
    pages, truths = scans_of([code])
    pages[0] = pages[0].copy()
    pixels = pages[0].load()
    for x in range(1380, 1580):  # ink over the QR symbol (176-200 mm across, 23-47 mm down)
        for y in range(170, 380):
            pixels[x, y] = 0 if (x // 9 + y // 9) % 3 == 0 else 255
    assert _upload(clerk, save(tmp_path / "a.tif", [pages[0], pages[1]])).status_code == 200
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.UNIDENTIFIED) == 1
    with survey_app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id).where(
            ReviewItem.kind == ReviewKind.UNIDENTIFIED))  # fmt: skip
    screen = clerk.get(f"/post/review/{item_id}")
    assert screen.status_code == 200 and "Gõ mã in dưới mã QR" in screen.get_data(as_text=True)
    assert clerk.get(f"/post/review/{item_id}/image.png").mimetype == "image/jpeg"
    wrong = clerk.post(f"/post/review/{item_id}", data={"value": "7KQ2-M9XD-4TPA-6"})
    assert wrong.status_code == 200
    assert "không phải là mã phiếu hợp lệ" in wrong.get_data(as_text=True)
    assert clerk.post(f"/post/review/{item_id}", data={"value": code.lower()}).status_code == 302
    assert count(survey_app, Response) == 1
    with survey_app.app_context():
        response = db.session.scalar(select(Response))
        meant = {k: v for t in truths for k, v in t.answers.items()}
        assert {k: response.answers[k] for k in meant} == meant
