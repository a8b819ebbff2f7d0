"""The scan screens' queue endpoint: how many scanned codes a second one clerk's page records.

    .venv/bin/python bench/scan_queue.py [--forms 500] [--database-url URL]

A handheld scanner unloading stored codes sends one every 40 ms (25 a second); the page's
queue posts them one at a time, so the queue only grows if one request takes longer than that.
This times /post/scan/dispatch/queue in this process (Flask's test client: no network, no
browser), each code once and then each again (a repeat: "already recorded"), and checks that
every form has exactly one event. Without --database-url it uses a temporary SQLite file; a
PostgreSQL URL names a database whose tables are DROPPED and recreated.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import harness

sys.path.insert(0, str(harness.ROOT))

SCANNER_INTERVAL = 0.040  # seconds between two codes from a handheld scanner


def main() -> None:
    """Prepare an app with one batch of forms and a clerk; time the dispatch of every form."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        url = args.database_url or "sqlite:///" + str(Path(scratch) / "bench.sqlite")
        app, codes = _prepare(url, args.forms)
        client = app.test_client()
        client.post("/login", data={"username": "clerk", "password": "bench-password-1"})
        first = _time(client, codes, "done")
        again = _time(client, codes, "repeat")
        _report(app, url, args.forms, first, again)


def _prepare(url: str, forms: int):
    from sqlalchemy import MetaData, select

    from satisfaction import create_app
    from satisfaction.auth.models import Role
    from satisfaction.auth.services import create_user
    from satisfaction.extensions import db
    from satisfaction.intake.batches import create_batch
    from satisfaction.questionnaires.services import sync_all
    from satisfaction.survey.models import Channel, Invitation
    from satisfaction.units.loading import load_builtin
    from satisfaction.units.models import AdminUnit, ServicePoint

    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "ENVIRONMENT": "testing",
              "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}  # fmt: skip
    app = create_app(config)
    with app.app_context():
        found = MetaData()
        found.reflect(bind=db.engine)
        found.drop_all(bind=db.engine)
        db.create_all()
        load_builtin("vn-2024")
        sync_all(app.config["FORMS_DIR"])
        create_user("clerk", "bench-password-1", Role.POSTAL, "001", dataset="vn-2024")
        point = db.session.scalar(
            select(ServicePoint.code).join(AdminUnit).where(AdminUnit.code == "00001").limit(1)
        )  # fmt: skip (a ward of Ba Đình)
        batch = create_batch(point, forms, Channel.ENUMERATOR)
        codes = list(db.session.scalars(select(Invitation.code).where(
            Invitation.batch_id == batch.id).order_by(Invitation.id)))  # fmt: skip
        db.session.commit()
    return app, codes


def _time(client, codes: list[str], expected: str) -> list[float]:
    took = []
    for code in codes:
        start = time.perf_counter()
        reply = client.post("/post/scan/dispatch/queue", data={"code": code}).get_json()
        took.append(time.perf_counter() - start)
        if reply["result"] != expected:
            sys.exit(f"{code}: {reply}")
    return took


def _report(app, url: str, forms: int, first: list[float], again: list[float]) -> None:
    from sqlalchemy import func, select

    from satisfaction.extensions import db
    from satisfaction.survey.models import InvitationEvent

    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(InvitationEvent))
    print(f"{harness.today()} · {harness.machine()} · {url.split(':', 1)[0]}")
    for name, took in (("first scan", first), ("repeat", again)):
        p50, p95 = statistics.median(took), statistics.quantiles(took, n=20)[-1]
        print(f"{name:>10}: {forms} codes, {forms / sum(took):.0f}/s, "
              f"median {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
              f"(a scanner sends one every {SCANNER_INTERVAL * 1000:.0f} ms)")  # fmt: skip
    print(f"events: {events} for {forms} forms (expected exactly one each)")
    if events != forms:
        sys.exit(1)


if __name__ == "__main__":
    main()
