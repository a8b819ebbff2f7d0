"""A day's scan file fits the scan upload; every other page keeps the smaller limit."""

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user, sign_in

MIB = 1024 * 1024


def _clerk(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1 * MIB, SCAN_UPLOAD_MAX_LENGTH=4 * MIB)
    make_user(app, "anh", Role.POSTAL, "001")
    client = app.test_client()
    sign_in(client, "anh")
    return client


def _post(client, url: str, size: int, name: str):
    """Send a file of size bytes as a form's "file" field, built in memory.

    (The test client would spool a large file to a temporary file that a refused request
    leaves unclosed.)
    """
    boundary = "satisfaction-test-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n")  # fmt: skip
    body = head.encode() + b"%PDF-1.4\n" + b"\x00" * size + f"\r\n--{boundary}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_scan_file_above_the_general_limit_is_taken(make_app, small_units):
    client = _clerk(make_app)
    response = _post(client, "/post/scans", 2 * MIB, "ca-ngay.pdf")
    assert response.status_code == 302  # read as a job (this one is damaged: the job says so)
    assert response.headers["Location"].startswith("/jobs/")


def test_a_scan_file_above_its_own_limit_is_refused_with_the_limit_named(make_app, small_units):
    client = _clerk(make_app)
    response = _post(client, "/post/scans", 5 * MIB, "ca-tuan.pdf")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.text and "4 MB" in response.text


def test_other_pages_keep_the_general_limit(make_app, small_units):
    client = _clerk(make_app)
    response = _post(client, "/post/batches/import", 2 * MIB, "ho-so.csv")
    assert response.status_code == 413 and "1 MB" in response.text
    english = _post(client, "/post/batches/import?lang=en", 2 * MIB, "ho-so.csv")
    assert "larger than the 1 MB this page accepts" in english.text
