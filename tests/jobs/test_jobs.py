"""Jobs through their front ends: the upload pages, the job page, the commands."""

import io
import time

import pytest
from sqlalchemy import func, select

from satisfaction.auth.models import Role, User
from satisfaction.extensions import db
from satisfaction.intake import batches
from satisfaction.intake.models import Batch
from satisfaction.jobs import services
from satisfaction.jobs.models import Job, JobFile, JobStatus
from satisfaction.survey.models import Channel, Invitation
from tests.auth.helpers import make_user, sign_in
from tests.intake.test_batches import GOOD
from tests.intake.test_scans import save, scans_of


def _signed_in(app, name="anh"):
    make_user(app, name, Role.POSTAL, "001")
    client = app.test_client()
    sign_in(client, name)
    return client


def _upload_scan(client, path, follow_redirects=False):
    data = {"file": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post("/post/scans", data=data, content_type="multipart/form-data",
                       follow_redirects=follow_redirects)  # fmt: skip


def test_a_scan_upload_runs_in_a_thread_and_its_page_follows_it(make_app, issue, tmp_path):
    """Without Redis the job runs in a thread of the app; the page refreshes until it ends."""
    app = make_app(JOBS_BACKEND="thread")
    codes = issue(2)
    pages, _ = scans_of(codes)
    client = _signed_in(app)
    response = _upload_scan(client, save(tmp_path / "tra-ve.pdf", pages), follow_redirects=True)
    job_url = response.request.path
    assert response.status_code == 200 and job_url.startswith("/jobs/")
    deadline = time.monotonic() + 60
    page = client.get(job_url).text
    while 'http-equiv="refresh"' in page and time.monotonic() < deadline:
        time.sleep(0.2)
        page = client.get(job_url).text
    assert "Xong" in page and "đã đọc 4 trang, tính 2 phiếu" in page, page
    assert "4 / 4" in client.get("/jobs/").text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobFile)) == 0  # upload gone
    english = client.get(job_url + "?lang=en").text
    assert "Done" in english and "4 pages read, 2 forms counted" in english


def test_a_waiting_job_refreshes_and_others_cannot_see_it(survey_app):
    """A job not over yet asks the browser to come back; another clerk gets a 404."""
    client = _signed_in(survey_app)
    with survey_app.app_context():
        clerk = db.session.scalar(select(User).where(User.username == "anh"))
        job = services.submit("scans", clerk, "a.pdf")
        db.session.commit()
        job_id = job.id
    page = client.get(f"/jobs/{job_id}").text
    assert 'http-equiv="refresh"' in page and "Đang chờ bắt đầu" in page
    other = _signed_in(survey_app, "binh")
    assert other.get(f"/jobs/{job_id}").status_code == 404


def test_a_damaged_scan_file_ends_the_job_with_the_file_and_page_named(survey_app, tmp_path):
    client = _signed_in(survey_app)
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00" * 200)
    page = client.get(_upload_scan(client, broken).headers["Location"]).text
    assert "Đã dừng" in page and "hong.pdf" in page and "không mở được" in page, page
    refused = client.post("/post/scans", data={"file": (io.BytesIO(b"hello"), "x.txt")},
                          content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
    assert refused.status_code == 200 and "x.txt" in refused.text


def test_a_large_dossier_list_becomes_a_job_and_a_batch(make_app, small_units):
    app = make_app(JOBS_DOSSIER_ROWS=2)
    from satisfaction.questionnaires.services import sync_all

    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        db.session.commit()
    client = _signed_in(app)
    data = {"list-file": (io.BytesIO(GOOD.encode()), "hom-nay.csv"), "list-channel": "envelope"}
    response = client.post("/post/batches/import", data=data, content_type="multipart/form-data")
    assert "/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).text
    assert "Đã phát hành 3 phiếu" in page and "Mở đợt in" in page, page
    again = {"list-file": (io.BytesIO(GOOD.encode()), "hom-nay.csv"), "list-channel": "envelope"}
    response = client.post("/post/batches/import", data=again, content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).text
    assert "Đã dừng" in page and "hom-nay.csv" in page and "trước đây" in page, page


def test_a_large_batch_pdf_is_drawn_by_a_job_and_fetched_from_its_page(make_app, small_units):
    app = make_app(JOBS_PRINT_FORMS=1)
    from satisfaction.questionnaires.services import sync_all

    with app.app_context():
        sync_all(app.config["FORMS_DIR"])
        batch_id = batches.create_batch("C00001-T", 2, Channel.ENUMERATOR).id
        db.session.commit()
    client = _signed_in(app)
    response = client.post(f"/post/batches/{batch_id}/forms.pdf")
    job_url = response.headers["Location"]
    assert "PDF của 2 phiếu đã sẵn sàng" in client.get(job_url).text
    pdf = client.get(job_url + "/file")
    assert pdf.data.startswith(b"%PDF") and f"batch-{batch_id}.pdf" in pdf.headers[
        "Content-Disposition"]  # fmt: skip
    with app.app_context():
        assert db.session.get(Batch, batch_id).print_count == 1
        statuses = db.session.scalars(select(Invitation.status)).all()
        assert {s.value for s in statuses} == {"printed"}


def test_commands_rebuild_as_a_job_and_say_no_worker_is_needed_without_redis(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["jobs", "rebuild"])
    assert result.exit_code == 0, result.output
    job_id = int(result.output.splitlines()[-1])
    with survey_app.app_context():
        assert db.session.get(Job, job_id).status is JobStatus.DONE
    listed = runner.invoke(args=["jobs", "list", "--format", "csv"])
    assert f"{job_id},rebuild,done" in listed.output
    worker = runner.invoke(args=["jobs", "worker"])
    assert worker.exit_code == 1 and "Redis" in worker.output, worker.output


@pytest.mark.parametrize("path", ["/jobs/99", "/jobs/99/file", "/jobs/x"])
def test_unknown_jobs_are_404(survey_app, path):
    assert _signed_in(survey_app).get(path).status_code == 404


def test_a_job_whose_process_died_on_its_last_try_ends_with_a_message(survey_app):
    with survey_app.app_context():
        job = services.submit("scans", None, "a.pdf")
        job.status, job.attempts = JobStatus.RUNNING, services.MAX_ATTEMPTS
        job.worker = services.this_process().split(":")[0] + ":999999999"
        db.session.commit()
        from satisfaction.jobs import queue

        assert queue.requeue_abandoned() == []
        ended = db.session.get(Job, job.id)
        assert ended.status is JobStatus.FAILED and "3 lần" in ended.errors[0][1]
