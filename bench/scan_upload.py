"""Benchmark: a scan file of 1,000 pages uploaded through gunicorn and read by one RQ worker.

    .venv/bin/python bench/scan_upload.py --redis-url redis://127.0.0.1:6379/0 [--pages 1000]

Creates (drops first) the database named by --database-url (default `satisfaction_bench_scan` on
loopback, or SATISFACTION_BENCH_DATABASE_URL), loads vn-2024 and the questionnaires, issues one
code a form and writes their forms, marked and spoiled like an office scan (200 dpi, greyscale
JPEG in a PDF, as tests/intake/test_scans.py makes them), into one file. Then, on that database:
gunicorn (2 sync workers, 60 s timeout) and `satisfaction jobs worker` on Redis; a clerk signs in
and posts the file; timed are the upload request (until its redirect to the job's page) and the
time until the job's page says it is over. The baseline, in the same run, reads the same file
with `satisfaction scans ingest` on a copy of the database made before the upload.
"""

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import harness  # noqa: E402

DEFAULT_URL = (
    "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench_scan"
)
CHUNK = 25  # forms rendered at a time: 50 pages of 1654 x 2339 grey pixels are 200 MB
PASSWORD = "bench password 1"
ISSUE = """
import sys
from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.survey.invitations import create_invitations
with create_app().app_context():
    print(" ".join(i.code for i in create_invitations(sys.argv[1], int(sys.argv[2]))))
    db.session.commit()
"""
PROGRESS = re.compile(r'<progress value="(\d+)"')


def main() -> None:
    """Prepare, upload through the web and the worker, read on the command line; print figures."""
    args = _arguments()
    work = Path(args.work or f"/tmp/scan-upload-{os.getpid()}")
    work.mkdir(parents=True, exist_ok=True)
    print(f"{harness.today()}; {harness.machine()}; {harness.load_average()}")
    env, codes = _prepare(args, work)
    started = time.perf_counter()
    path = _write_scan(codes, work / "returns.pdf", args.pages)
    size = path.stat().st_size
    print(f"file: {args.pages} pages, {size / 2**20:.0f} MiB, made in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    copy = _copy_database(args.database_url)
    web = _through_the_web(env, args, work, path)
    cli = _on_the_command_line(dict(env, SATISFACTION_DATABASE_URL=copy), path)
    pages = args.pages
    print(f"web: upload request {web['upload']:.1f} s, job done {web['done']:.1f} s after the "
          f"upload was sent, {pages / web['done']:.1f} pages/s; {web['summary']}")  # fmt: skip
    print(f"cli (baseline): {cli['seconds']:.1f} s, {pages / cli['seconds']:.1f} pages/s; "
          f"{cli['summary']}")  # fmt: skip
    print(f"counted on the web's database: {web['stats']}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages (two a form)")
    harness.database_argument(parser, DEFAULT_URL)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("SATISFACTION_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    parser.add_argument("--work", help="folder for the file and the logs (default: /tmp/...)")
    args = parser.parse_args()  # fmt: skip
    return args


def _prepare(args: argparse.Namespace, work: Path) -> tuple[dict, list[str]]:
    """Create and fill the database; return the app's environment and the forms' codes."""
    harness.recreate_postgres_database(args.database_url)
    # The upload is one big file (about 250 KB a page): the default 32 MB limit would refuse it.
    # CSRF is off and the session cookie not "Secure": this client speaks plain HTTP on loopback.
    env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1",
                          SATISFACTION_MAX_CONTENT_LENGTH=str(2**30),
                          SATISFACTION_WTF_CSRF_ENABLED="false",
                          SATISFACTION_SESSION_COOKIE_SECURE="false")  # fmt: skip
    harness.satisfaction(["db", "upgrade"], env)
    harness.satisfaction(["units", "load", "vn-2024"], env)
    harness.satisfaction(["questionnaires", "sync"], env)
    listing = harness.satisfaction(["service-points", "list", "--format", "csv"], env)
    point, unit = next((r[0], r[-1]) for r in (row.split(",") for row in listing.splitlines()[1:])
                       if r[-2] == "commune")  # fmt: skip
    harness.satisfaction(["users", "add", "clerk", "--role", "postal", "--scope", unit,
                          "--password", PASSWORD], env)  # fmt: skip
    done = subprocess.run([sys.executable, "-c", ISSUE, point, str((args.pages + 1) // 2)],
                          env=env, cwd=harness.ROOT, capture_output=True, text=True,
                          check=True)  # fmt: skip
    return env, done.stdout.split()


def _chunk(task: tuple[list[str], int, str]) -> str:
    """Write the marked pages of some forms into a PDF of their own; return its path."""
    from tests.intake.test_scans import DPI, scans_of

    codes, seed, out = task
    pages, _ = scans_of(codes, seed=seed)
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI,
                  quality=50)  # fmt: skip
    return out


def _write_scan(codes: list[str], path: Path, pages: int) -> Path:
    """Write every form's pages, in order, into one PDF (made in pieces on every core)."""
    import pypdfium2 as pdfium

    tasks = [(codes[i : i + CHUNK], i + 1, str(path.with_suffix(f".{i}.pdf")))
             for i in range(0, len(codes), CHUNK)]  # fmt: skip
    with multiprocessing.Pool(os.cpu_count()) as pool:
        pieces = pool.map(_chunk, tasks)
    whole = pdfium.PdfDocument.new()
    for piece in pieces:
        source = pdfium.PdfDocument(piece)
        whole.import_pages(source)
        source.close()
        os.remove(piece)
    if len(whole) > pages:  # an odd count: the last form's second page left out
        whole.del_page(len(whole) - 1)
    whole.save(str(path))
    whole.close()
    return path


def _copy_database(url: str) -> str:
    """Copy the database as it is now (nobody connected); return the copy's URL."""
    parsed = make_url(url)
    name = f"{parsed.database}_cli"
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def _through_the_web(env: dict, args: argparse.Namespace, work: Path, path: Path) -> dict:
    """Start gunicorn and one RQ worker, upload the file, wait for its job; return the times."""
    env = dict(env, SATISFACTION_REDIS_URL=args.redis_url,
               SATISFACTION_JOBS_QUEUE=f"bench-{uuid.uuid4().hex}")  # fmt: skip
    options = harness.gunicorn_args("sync", 2, 1)
    with open(work / "worker.log", "ab") as sink:
        worker = subprocess.Popen([str(harness.BIN / "satisfaction"), "jobs", "worker"], env=env,
                                  cwd=harness.ROOT, stdout=sink, stderr=sink,
                                  start_new_session=True)  # fmt: skip
    try:
        with harness.gunicorn("web", "satisfaction:create_app()", env, options, work,
                              health_path="/healthz") as server:  # fmt: skip
            found = _upload_and_wait(server.base, path)
            problems = server.log_problems()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    if problems:
        print("gunicorn's log:", *problems[:20], sep="\n  ")
    harness.satisfaction(["responses", "mix"], env)
    found["stats"] = json.loads(harness.satisfaction(["responses", "stats"], env))["responses"]
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 is the answer: the job's address


def _upload_and_wait(base: str, path: Path) -> dict:
    """Sign in, post the file, follow its job's page until it is over; return the times."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects)
    login = urllib.parse.urlencode({"username": "clerk", "password": PASSWORD}).encode()
    assert _send(opener, base + "/login", login)[0] == 302, "could not sign in"
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/pdf\r\n\r\n')  # fmt: skip
    body = head.encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    started = time.perf_counter()
    status, location, page = _send(opener, base + "/post/scans", body,
                                   f"multipart/form-data; boundary={boundary}")  # fmt: skip
    upload = time.perf_counter() - started
    if status != 302 or "/jobs/" not in location:
        sys.exit(f"the upload was refused: {status} {location}\n{page[:2000]}")
    job = base + urllib.parse.urlparse(location).path + "?lang=en"
    while True:
        page = _send(opener, job)[2]
        if 'http-equiv="refresh"' not in page:
            break
        time.sleep(0.5)
    done = time.perf_counter() - started
    summary = re.search(r'<p class="flash success">(.*?)</p>', page, re.S)
    return {"upload": upload, "done": done, "summary": summary.group(1) if summary else page}


def _send(opener, url: str, body: bytes | None = None, kind: str = "") -> tuple[int, str, str]:
    headers = {"Content-Type": kind} if kind else {}
    if body is not None and not kind:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with opener.open(request, timeout=600) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


def _on_the_command_line(env: dict, path: Path) -> dict:
    """Read the same file with `satisfaction scans ingest` (no web, no queue); time it."""
    started = time.perf_counter()
    out = harness.satisfaction(["scans", "ingest", str(path)], env)
    seconds = time.perf_counter() - started
    harness.satisfaction(["responses", "mix"], env)
    stats = json.loads(harness.satisfaction(["responses", "stats"], env))["responses"]
    return {"seconds": seconds, "summary": f"{out.strip().splitlines()[-1]}; counted {stats}"}


if __name__ == "__main__":
    main()
