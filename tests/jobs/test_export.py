"""The microdata export as a job an administrator starts on the web, and the file it gives."""

import csv
import io
import zipfile

from sqlalchemy import select

from satisfaction.audit.models import AuditEvent
from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.survey.models import Channel
from tests.auth.helpers import make_user, sign_in
from tests.scoring.helpers import record


def _record_two(app) -> None:
    with app.app_context():
        record("C00001-T", {"access.info": 5, "comment": "Cán bộ tận tình, hướng dẫn rõ"})
        record("D001-T", {"staff.courtesy": 2}, channel=Channel.DESK, is_poster=True)
        db.session.commit()


def _admin(app):
    make_user(app, "quantri", Role.ADMIN, None)
    client = app.test_client()
    sign_in(client, "quantri")
    return client


def _files(client, job_url: str) -> dict[str, str]:
    page = client.get(job_url).text
    assert "Xong" in page and "microdata-" in page, page
    download = client.get(job_url + "/file")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "microdata-" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_an_administrator_exports_the_microdata_as_a_job(survey_app):
    _record_two(survey_app)
    client = _admin(survey_app)
    index = client.get("/jobs/").text
    assert "Xuất dữ liệu vi mô" in index and "Tính lại điểm số" in index
    started = client.post("/jobs/export", data={})
    assert started.status_code == 302
    files = _files(client, started.headers["Location"])
    assert sorted(files) == ["codebook.csv", "microdata.csv"]
    data = files["microdata.csv"]
    assert data.startswith("\ufeff")  # Excel on Windows reads it as UTF-8
    rows = list(csv.DictReader(data.lstrip("\ufeff").splitlines()))
    assert len(rows) == 2 and "code" not in rows[0]
    assert all(row["comment"] == "" for row in rows)  # comments only when asked for
    book = list(csv.reader(files["codebook.csv"].lstrip("\ufeff").splitlines()))
    assert [line[0] for line in book[1:]] == list(rows[0].keys())
    with survey_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "responses.export"))  # fmt: skip
        assert event is not None and event.actor_name == "quantri"


def test_comments_come_only_when_asked_and_the_count_says_so(survey_app):
    _record_two(survey_app)
    client = _admin(survey_app)
    started = client.post("/jobs/export", data={"with_comments": "y"})
    job_url = started.headers["Location"]
    files = _files(client, job_url)
    rows = list(csv.DictReader(files["microdata.csv"].lstrip("\ufeff").splitlines()))
    assert {row["comment"] for row in rows} == {"", "Cán bộ tận tình, hướng dẫn rõ"}
    assert "Đã xuất 2 câu trả lời, kèm ý kiến" in client.get(job_url).text
    assert "2 / 2" in client.get("/jobs/").text


def test_only_an_administrator_may_start_an_export_or_a_rebuild(survey_app):
    make_user(survey_app, "anh", Role.POSTAL, "001")
    client = survey_app.test_client()
    sign_in(client, "anh")
    assert "Xuất dữ liệu vi mô" not in client.get("/jobs/").text
    assert client.post("/jobs/export", data={}).status_code == 403
    assert client.post("/jobs/rebuild", data={}).status_code == 403


def test_an_administrator_rebuilds_the_scores_from_the_web(survey_app):
    _record_two(survey_app)
    client = _admin(survey_app)
    started = client.post("/jobs/rebuild", data={})
    page = client.get(started.headers["Location"]).text
    assert "Xong" in page and "từ 2 phiếu trả lời" in page, page
