"""Handwritten comments on scanned forms: a crop to type from, deleted once typed or skipped."""

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
    ScanPage,
)
from satisfaction.survey.models import Response
from tests.auth.helpers import make_user, sign_in
from tests.intake.test_review import _upload
from tests.intake.test_scans import count, save, scans_of


@pytest.fixture
def clerk(survey_app, client):
    """A post office clerk of Ba Đình, signed in."""
    make_user(survey_app, "lan", Role.POSTAL, "001")
    sign_in(client, "lan")
    return client


def _comment_item(app) -> tuple[int, bytes | None]:
    with app.app_context():
        item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == ReviewKind.COMMENT))
        return item.id, item.crop


def _upload_written(app, issue, clerk, tmp_path, written=True) -> str:
    (code,) = issue(1)
    pages, _ = scans_of([code], seed=3, written={code} if written else set())
    assert _upload(clerk, save(tmp_path / "comment.tif", pages)).status_code == 200
    return code


def test_a_handwritten_comment_waits_for_a_clerk_then_counts_as_typed(
    survey_app,
    issue,
    clerk,
    tmp_path,
):
    """The form waits; the crop is shown; typed words become the answer's comment."""
    _upload_written(survey_app, issue, clerk, tmp_path)
    item_id, crop = _comment_item(survey_app)
    assert crop and crop.startswith(b"\x89PNG") and count(survey_app, Response) == 0
    screen = clerk.get(f"/post/review/{item_id}?kind=comment")
    html = screen.get_data(as_text=True)
    assert screen.status_code == 200 and "<textarea" in html and "Bỏ qua" in html
    assert clerk.get(f"/post/review/{item_id}/image.png").data == crop
    empty = clerk.post(f"/post/review/{item_id}", data={"comment": "  "})
    assert empty.status_code == 200 and count(survey_app, Response) == 0
    typed = "Cán bộ rất tận tình, nhưng phải chờ lâu."
    assert clerk.post(f"/post/review/{item_id}", data={"comment": typed}).status_code == 302
    assert count(survey_app, Response) == 1
    with survey_app.app_context():
        assert db.session.scalar(select(Response)).comment == typed
        item = db.session.get(ReviewItem, item_id)
        assert (item.crop, item.resolution, item.is_open) == (None, "typed", False)
        assert typed not in repr(item.resolution)
        assert all(p.answers is None for p in db.session.scalars(select(ScanPage)))
        form = db.session.scalar(select(ScannedForm))
        assert (form.state, form.provenance) == (FormState.COUNTED, Provenance.AUTO)
    assert clerk.get(f"/post/review/{item_id}/image.png").status_code == 404


def test_a_skipped_comment_deletes_its_crop_and_counts_the_answers(
    survey_app,
    issue,
    clerk,
    tmp_path,
):
    _upload_written(survey_app, issue, clerk, tmp_path)
    item_id, _ = _comment_item(survey_app)
    assert clerk.post(f"/post/review/{item_id}", data={"skip": "1"}).status_code == 302
    assert count(survey_app, Response) == 1
    with survey_app.app_context():
        assert not db.session.scalar(select(Response)).comment
        item = db.session.get(ReviewItem, item_id)
        assert (item.crop, item.resolution) == (None, "skipped")


def test_an_empty_comment_frame_opens_nothing(survey_app, issue, clerk, tmp_path):
    _upload_written(survey_app, issue, clerk, tmp_path, written=False)
    assert count(survey_app, ReviewItem, ReviewItem.kind == ReviewKind.COMMENT) == 0
    assert count(survey_app, Response) == 1
