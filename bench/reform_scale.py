"""Scores across the 2025 reform at national scale (PostgreSQL): the national page and its map.

    .venv/bin/python bench/reform_scale.py [--responses 10000000] [--generate 1000000]
                                           [--runs 20] [--reuse] [--json FILE]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024 and
vn-2025 (and so their correspondence) and syncs the questionnaires through the `satisfaction`
command; then draws half of --generate answers on each list with the demo generator (before
1 July 2025 on vn-2024 units, since on vn-2025 units). Up to --responses, copies of those
answers are added in SQL, each moved to a service point of the same office level and the same
list, drawn by a hash. Then a full rebuild of the aggregates, timed (--reuse keeps the last
run's answers and aggregates and only measures). Then, each --runs times, as the dashboard
assembles them (satisfaction.dashboard.pages and the map, without the HTML), then whole pages:

  national 2025    national_page on vn-2025 and its map of 34 provinces: each new province
                   counts its own answers and those of the old provinces that formed it
  national 2024    the same on vn-2024, 63 provinces, its own answers only: the baseline
  province 2025    unit_page of the new Tuyên Quang (08: the old Hà Giang and Tuyên Quang)
  province 2024    unit_page of the old Tuyên Quang on vn-2024: the baseline
  Hà Nội 2025      unit_page of Hà Nội on vn-2025 (the largest province: the old Hà Nội, its
                   communes merged), with every part of the page: beside the nation (the
                   national index, rank and rank range, a year before), communes and service
                   points ranked, the attention list, the trend across the reform
  Hà Nội 2024      unit_page of Hà Nội on vn-2024: the baseline
  commune 2025     unit_page of the new Phường Ba Đình (00004: old communes of Ba Đình)
  commune 2024     unit_page of the old Phường Trúc Bạch (00004 on vn-2024): the baseline
  map              the 34 provinces' map drawn from figures already read
  page: ...        the whole HTML page on vn-2025 as an administrator gets it (view, template,
                   maps; Flask's test client): the nation, Hà Nội, the new Tuyên Quang, the
                   new Phường Ba Đình
  ..., cold        the same call as the first after a write of the aggregates: what the
                   process keeps between pages (the nation, the months with answers:
                   satisfaction.scoring.generations) dropped before each call. The other lines
                   are warm (called once just before, nothing written meanwhile)

each over all dates, over 2024 (the year before the reform, read on the new map) and over the
quarter of the latest answer (a quarter compares with the quarter before and a year before).
The lines of a period are taken in turns (harness.time_calls: a timed call of each a round, each
made once untimed just before), so that a slow minute of the machine falls on all of them alike.
Beside each line, the p50 of the yardstick (harness.yardstick: a fixed amount of plain Python
work) timed just before each call: how fast the machine ran while that line was measured.

Then, once (--busy-rounds, 0 for none), a busy worker: every province's whole page on vn-2025
over six periods, round after round, more pages than a process keeps the figures of
(generations.KEPT), so that each page is cold when it comes round again and the store stays
full, as in a worker serving many officers; the p50, p95, p99 and longest page, the garbage
collected after each page (untimed, as the worker does once a page is sent) and the
collections meanwhile by generation (the cold lines above start each call from an empty store).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import harness

DEFAULT_URL = "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench"
PAGE_USER, PAGE_PASSWORD = "bench.pages", "bench-pages-password-2026"  # made by the bench
POINTS = """
CREATE TABLE bench_points AS
SELECT row_number() OVER (PARTITION BY s.level, u.dataset_id ORDER BY s.id) AS n, s.id, s.level,
    u.dataset_id, min(r.province_id) AS province_id, min(r.district_id) AS district_id,
    min(r.commune_id) AS commune_id
FROM service_points s JOIN admin_units u ON u.id = s.unit_id
JOIN responses r ON r.service_point_id = s.id
GROUP BY s.id, s.level, u.dataset_id;
CREATE TABLE bench_levels AS
SELECT level, dataset_id, count(*) AS total FROM bench_points GROUP BY level, dataset_id
"""
COPIES = """
INSERT INTO responses (id, questionnaire_version_id, service_point_id, province_id, district_id,
    commune_id, channel, mode, answered_on, answers, is_poster, comment)
SELECT gen_random_uuid(), r.questionnaire_version_id, p.id, p.province_id, p.district_id,
    p.commune_id, r.channel, r.mode, r.answered_on, r.answers, r.is_poster, r.comment
FROM (SELECT * FROM bench_originals LIMIT :limit) r
JOIN bench_points o ON o.id = r.service_point_id
JOIN bench_levels l ON l.level = o.level AND l.dataset_id = o.dataset_id
JOIN bench_points p ON p.level = o.level AND p.dataset_id = o.dataset_id
    AND p.n = 1 + abs(hashtext(r.id::text || :copy)) % l.total
"""


def _setup(url: str, count: int, generate: int, reuse: bool) -> tuple[object, float | None]:
    """Create and fill the database; return the app and the rebuild's seconds."""
    if not reuse:
        harness.recreate_postgres_database(url)
    instance = Path(tempfile.mkdtemp(prefix="reform-bench-"))
    env = harness.app_env(url, instance, "http://127.0.0.1")
    steps = [["db", "upgrade"]] + (
        []
        if reuse
        else [
            ["units", "load", "vn-2024"],
            ["units", "load", "vn-2025"],
            ["questionnaires", "sync"],
        ]
    )
    for args in steps:
        harness.satisfaction(args, env)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SATISFACTION_")})
    sys.path.insert(0, str(harness.ROOT))
    from satisfaction import create_app
    from satisfaction.demo import seed as seeding
    from satisfaction.extensions import db
    from satisfaction.scoring.rebuild import rebuild

    app = create_app()
    if reuse:
        return app, None
    with app.app_context():
        for name in ("vn-2024", "vn-2025"):
            seeding.seed(generate // 2, name)
            db.session.commit()
            print(f"  {generate // 2:,} answers drawn on {name}", flush=True)
        _copy(db, count)
        started = time.perf_counter()
        rebuild()
        db.session.commit()
        rebuilt = time.perf_counter() - started
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return app, rebuilt


def _copy(db, count: int) -> None:
    """Add copies of the drawn answers, at other service points of their list, up to count."""
    harness.copy_responses(db, count, POINTS, COPIES)


def _calls(period: str) -> dict:
    """Return the timed callables: what each page asks of the services, and the map."""
    from satisfaction.dashboard import pages
    from satisfaction.dashboard.province_map import province_map
    from satisfaction.scoring.services import Query, period_of
    from satisfaction.units.queries import get_dataset, get_unit

    new, old = get_dataset("vn-2025"), get_dataset("vn-2024")
    query = Query(period_of(period))
    province, commune = get_unit("08", new.name), get_unit("00004", new.name)
    old_province, old_commune = get_unit("08", old.name), get_unit("00004", old.name)
    capital, old_capital = get_unit("01", new.name), get_unit("01", old.name)
    figures = pages.national_page(new, query).nation.provinces

    def national(dataset):
        page = pages.national_page(dataset, query)
        return str(province_map(page.nation.provinces, {}, dataset.name))

    return {
        "national 2025": lambda: national(new),
        "national 2024": lambda: national(old),
        "province 2025": lambda: pages.unit_page(province, query, None),
        "province 2024": lambda: pages.unit_page(old_province, query, None),
        "Hà Nội 2025": lambda: pages.unit_page(capital, query, None),
        "Hà Nội 2024": lambda: pages.unit_page(old_capital, query, None),
        "commune 2025": lambda: pages.unit_page(commune, query, None),
        "commune 2024": lambda: pages.unit_page(old_commune, query, None),
        "map": lambda: str(province_map(figures, {}, new.name)),
    }


def _measure(app, runs: int, period: str) -> dict:
    """Return the p50 and p95 (ms) of each call, then of each whole page (_pages)."""
    with app.test_request_context("/"):
        calls = _calls(period)
        figures = harness.time_calls({**calls, **_cold(calls)}, runs, turns=True)
    return {**figures, **_pages(app, runs, period)}


def _pages(app, runs: int, period: str) -> dict:
    """Return the p50 and p95 (ms) of whole pages as an administrator's browser gets them: the
    view, its template and the maps, through Flask's test client (no network, no server)."""
    client = _signed_in(app)
    asked = f"?dataset=vn-2025&period={period}" if period else "?dataset=vn-2025"

    def page(path: str):
        def get() -> None:
            response = client.get(path + asked)
            assert response.status_code == 200, (path, response.status_code)

        return get

    calls = {"page: national": page("/scores/"), "page: Hà Nội": page("/scores/u/01"),
             "page: province": page("/scores/u/08"),
             "page: commune": page("/scores/u/00004")}  # fmt: skip
    with app.app_context():
        return harness.time_calls({**calls, **_cold(calls)}, runs, turns=True)


def _signed_in(app):
    """Return a test client signed in as the bench's administrator (made if need be)."""
    import logging

    from satisfaction.auth import services
    from satisfaction.auth.models import Role, User
    from satisfaction.extensions import db

    app.config["WTF_CSRF_ENABLED"] = False  # the bench posts the sign-in form without a page
    logging.getLogger("satisfaction.requests").disabled = True  # a JSON line per request
    with app.app_context():
        if db.session.scalar(db.select(User.id).where(User.username == PAGE_USER)) is None:
            services.create_user(PAGE_USER, PAGE_PASSWORD, Role.ADMIN)
            db.session.commit()
    client = app.test_client()
    signed = client.post("/login", data={"username": PAGE_USER, "password": PAGE_PASSWORD})
    assert signed.status_code == 302, signed.status_code
    return client


def _cold(calls: dict) -> dict:
    """Return the calls each made as the first after a write: nothing kept by the process
    (satisfaction.scoring.generations: the nation and the months with answers read again)."""
    from satisfaction.scoring import generations

    def first(call):
        def made():
            generations.forget()
            return call()

        return made

    return {
        f"{name}, cold": first(call)
        for name, call in calls.items()
        if name.startswith(("page: Hà Nội", "page: province", "Hà Nội", "province 2025"))
    }


def _busy_worker(app, rounds: int) -> dict:
    """Return what one worker's pages take when its store of kept figures is full: every
    province's page of vn-2025 over six periods, in order, rounds times (204 pages a round, more
    than the store holds, so each page finds its figures dropped for others', as in a busy
    worker), after one round untimed; and its garbage collections, by generation."""
    import gc

    from satisfaction.extensions import db
    from satisfaction.ops import heap
    from satisfaction.units.models import AdminUnit, UnitLevel
    from satisfaction.units.queries import get_dataset

    client = _signed_in(app)
    with app.app_context():
        dataset = get_dataset("vn-2025")
        codes = db.session.scalars(db.select(AdminUnit.code).where(
            AdminUnit.dataset_id == dataset.id, AdminUnit.level == UnitLevel.PROVINCE
        ).order_by(AdminUnit.code)).all()  # fmt: skip
    latest = harness.latest_quarter(app)
    year = int(latest[:4])
    periods = ("", str(year - 2), str(year - 1), latest, f"{year}-H1", f"{year - 1}-H2")
    paths = [f"/scores/u/{code}?dataset=vn-2025" + (f"&period={period}" if period else "")
             for period in periods for code in codes]  # fmt: skip
    collections: dict = {0: [], 1: [], 2: []}
    began: list = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            began.append(time.perf_counter())
        elif began:
            collections[info["generation"]].append(1000 * (time.perf_counter() - began.pop()))

    with app.app_context():
        heap.settle()  # as a worker's start-up leaves it
        times, between = [], []
        for round_ in range(rounds + 1):
            if round_ == 1:
                gc.callbacks.append(watch)
            for path in paths:
                started = time.perf_counter()
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                ended = time.perf_counter()
                heap.between_requests()  # as the worker does once the page is sent
                if round_:
                    times.append(1000 * (ended - started))
                    between.append(1000 * (time.perf_counter() - ended))
        gc.callbacks.remove(watch)
    times.sort()
    found = {"pages": len(times), "p50": harness.percentile(times, 0.5),
             "p95": harness.percentile(times, 0.95), "p99": harness.percentile(times, 0.99),
             "max": times[-1]}  # fmt: skip
    between.sort()
    found["between"] = (harness.percentile(between, 0.5), harness.percentile(between, 0.95),
                        between[-1])  # fmt: skip
    for generation, spent in collections.items():
        spent.sort()
        found[f"gen{generation}"] = (len(spent), harness.percentile(spent, 0.5),
                                     spent[-1] if spent else float("nan"))  # fmt: skip
    _print_busy(found, f"{len(codes)} provinces x {len(periods)} periods, {rounds} round(s)")
    return found


def _print_busy(found: dict, what: str) -> None:
    """Print what _busy_worker found."""
    print(f"\na busy worker: {what}, every page's figures dropped for others' before it comes"
          " round again")  # fmt: skip
    print(
        f"  whole pages     p50 {found['p50']:.0f}  p95 {found['p95']:.0f}  p99 "
        f"{found['p99']:.0f}  max {found['max']:.0f} ms ({found['pages']} pages)"
    )
    median, high, most = found["between"]
    print(f"  after each page, untimed (ops.heap.between_requests): p50 {median:.0f}  p95 "
          f"{high:.0f}  max {most:.0f} ms")  # fmt: skip
    for generation in (0, 1, 2):
        count, median, most = found[f"gen{generation}"]
        print(f"  collections of generation {generation} (in pages or after them): {count},"
              f" p50 {median:.0f} ms, max {most:.0f} ms")  # fmt: skip


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.database_argument(parser, DEFAULT_URL)
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--generate", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure the last run's data")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--busy-rounds", type=int, default=2, help="rounds of the busy worker's pages (0: none)"
    )
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    print(f"{harness.machine()}; {harness.load_average()}; {harness.today()}")
    app, rebuilt = _setup(options.database_url, options.responses, options.generate,
                          options.reuse)  # fmt: skip
    with app.app_context():
        from satisfaction.extensions import db

        total = db.session.scalar(db.text("SELECT count(*) FROM responses"))
    rebuild = "not run (--reuse)" if rebuilt is None else f"{rebuilt:.0f} s"
    print(f"{total:,} responses; full rebuild of the aggregates {rebuild}")
    data = {"responses": total, "rebuild_s": rebuilt}
    periods = ("", "2024", harness.latest_quarter(app))
    harness.measure_periods(periods, lambda period: _measure(app, options.runs, period), data)
    if options.busy_rounds:
        data["busy worker"] = _busy_worker(app, options.busy_rounds)
    harness.dump(options.json, data)


if __name__ == "__main__":
    main()
