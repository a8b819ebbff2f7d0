"""Scores at national scale on PostgreSQL: the officers' pages as assembled, export, rebuild.

    .venv/bin/python bench/scores_scale.py [--responses 10000000] [--generate 1000000]
                                           [--runs 20] [--reuse [--keep-aggregates]] [--json FILE]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024 and syncs
the questionnaires through the `satisfaction` command, then in this process adds --generate
responses with the demo generator (`satisfaction demo seed`: numpy draws, bulk inserts). Up to
--responses, copies of those answers are added in SQL, each moved to a service point of the same
office level drawn by a hash (so the cells fill as with as many distinct answers; the answer sets
repeat). Then a full rebuild of the aggregates from the raw answers, timed (--reuse keeps the
responses of the last run, copies them up to --responses if they are fewer, and upgrades,
rebuilds and measures; --keep-aggregates skips the rebuild too). Then, each --runs times,
everything a page reads, as the dashboard assembles it (satisfaction.dashboard.pages; only the
HTML drawing is left out):

  national    national_page: provinces ranked with the previous period's change, the nation
              two ways, the office levels
  province    unit_page of Hà Nội: its figure and change, beside the nation (the national index,
              its rank and rank range, the same period a year before), its districts ranked with
              their change, the trend over eight quarters, sources, office levels, the forms'
              funnel, comments
  beside      of which the part beside the nation alone (beside_nation, with the year before)
  district    unit_page of Quận Ba Đình, the same
  commune     unit_page of Phúc Xá, the same
  export      the XLSX of a province's communes (export_level, as `scores export --parent`)

each over all dates and over the quarter of the latest answer; and beside them the national
table's counts (answers per item, per province) by GROUP BY over the raw responses, same run.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import harness

DEFAULT_URL = "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench"
PROVINCE, DISTRICT, COMMUNE = "01", "001", "00001"  # Hà Nội; Ba Đình and Phúc Xá inside it
COPIES = """
INSERT INTO responses (id, questionnaire_version_id, service_point_id, province_id, district_id,
    commune_id, channel, mode, answered_on, answers, is_poster, comment)
SELECT gen_random_uuid(), r.questionnaire_version_id, p.id, p.province_id, p.district_id,
    p.commune_id, r.channel, r.mode, r.answered_on, r.answers, r.is_poster, r.comment
FROM (SELECT * FROM bench_originals LIMIT :limit) r
JOIN service_points o ON o.id = r.service_point_id
JOIN bench_levels l ON l.level = o.level
JOIN bench_points p ON p.level = o.level AND p.n = 1 + abs(hashtext(r.id::text || :copy)) % l.total
"""
POINTS = """
CREATE TABLE bench_points AS
SELECT row_number() OVER (PARTITION BY s.level ORDER BY s.id) AS n, s.id, s.level,
    min(r.province_id) AS province_id, min(r.district_id) AS district_id,
    min(r.commune_id) AS commune_id
FROM service_points s JOIN responses r ON r.service_point_id = s.id
GROUP BY s.id, s.level;
CREATE TABLE bench_levels AS SELECT level, count(*) AS total FROM bench_points GROUP BY level
"""
RAW_GROUP_BY = """
SELECT r.province_id, a.key, a.value, count(*)
FROM responses r CROSS JOIN LATERAL json_each_text(r.answers) AS a(key, value)
WHERE r.channel IN ('envelope', 'enumerator', 'desk') AND NOT r.is_poster {period}
GROUP BY r.province_id, a.key, a.value
"""


def _setup(url: str, count: int, generate: int, reuse: bool,
           rebuilding: bool = True) -> tuple[object, float, float | None]:  # fmt: skip
    """Create and fill the database; return the app, the seed's seconds and the rebuild's."""
    if not reuse:
        harness.recreate_postgres_database(url)
    instance = Path(tempfile.mkdtemp(prefix="scores-bench-"))
    env = harness.app_env(url, instance, "http://127.0.0.1")
    steps = [["db", "upgrade"]] + ([] if reuse else [["units", "load", "vn-2024"],
                                                     ["questionnaires", "sync"]])  # fmt: skip
    for args in steps:
        harness.satisfaction(args, env)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SATISFACTION_")})
    sys.path.insert(0, str(harness.ROOT))
    from satisfaction import create_app
    from satisfaction.demo import seed as seeding
    from satisfaction.extensions import db
    from satisfaction.scoring.rebuild import rebuild

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        if not reuse:
            seeding.seed(min(generate, count), "vn-2024")
            db.session.commit()
        _copy(db, count)  # with --reuse too: a larger --responses copies the kept answers
        seconds = time.perf_counter() - started
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        rebuilt = None
        if rebuilding or not reuse:
            started = time.perf_counter()
            rebuild()
            db.session.commit()
            rebuilt = time.perf_counter() - started
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return app, seconds, rebuilt


def _copy(db, count: int) -> None:
    """Add copies of the generated answers, at other service points, up to count responses."""
    harness.copy_responses(db, count, POINTS, COPIES)


def _pages(period: str) -> dict:
    """Return the timed callables: each does what one page (or the export) asks of the services."""
    from satisfaction.dashboard import pages
    from satisfaction.dashboard.exports import export_level
    from satisfaction.extensions import db
    from satisfaction.scoring import services
    from satisfaction.scoring.beside import beside_nation
    from satisfaction.scoring.services import Query
    from satisfaction.units.queries import get_dataset, get_unit

    dataset = get_dataset("vn-2024")
    query = Query(services.period_of(period))
    province, district = get_unit(PROVINCE, dataset.name), get_unit(DISTRICT, dataset.name)
    commune = get_unit(COMMUNE, dataset.name)

    def national():
        pages.national_page(dataset, query)

    def province_page():
        pages.unit_page(province, query, None)

    def beside():
        periods = pages.periods_of(dataset, query.period)
        figure = services.unit_scores(province, query)
        beside_nation(province, query, figure, periods.last_year)

    def district_page():
        pages.unit_page(district, query, None)

    def commune_page():
        pages.unit_page(commune, query, None)

    def export():
        export_level("commune", period, "xlsx", dataset.name, parent_code=PROVINCE)
        db.session.rollback()  # the audit event

    return {
        "national": national,
        "province": province_page,
        "beside": beside,
        "district": district_page,
        "commune": commune_page,
        "export": export,
    }


def _raw(period: str) -> None:
    """Count the national table's answers by GROUP BY over the raw responses."""
    from satisfaction.extensions import db
    from satisfaction.scoring.services import period_of

    chosen, where, params = period_of(period), "", {}
    if chosen.start is not None:
        where = "AND r.answered_on BETWEEN :start AND :end"
        params = {"start": chosen.start, "end": chosen.end}
    db.session.execute(db.text(RAW_GROUP_BY.format(period=where)), params).all()


def _measure(app, runs: int, period: str) -> dict:
    """Return the p50 and p95 (ms) of each page, the export and the raw GROUP BY."""
    slow = ("raw GROUP BY", "export")
    with app.test_request_context("/"):
        calls = _pages(period)
        calls["raw GROUP BY"] = lambda: _raw(period)
        return harness.time_calls(calls, lambda name: max(3, runs // 4) if name in slow else runs)


def _sizes(app) -> str:
    """Return how many rows each aggregate table holds, and its size on disk."""
    from satisfaction.extensions import db
    from satisfaction.scoring.models import AGGREGATE_GRAINS

    found = []
    with app.app_context():
        for table in (grain.cells.__tablename__ for grain in AGGREGATE_GRAINS):
            rows = db.session.scalar(db.text(f"SELECT count(*) FROM {table}"))
            size = db.session.scalar(db.text(f"SELECT pg_total_relation_size('{table}')"))
            name = table.removeprefix("score_").replace("_", " ")
            found.append(f"{rows:,} {name} ({size / 2**20:,.0f} MiB)")
    return ", ".join(found)


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument(
        "--generate",
        type=int,
        default=1_000_000,
        help="responses drawn by the demo generator; the rest are copies",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the responses of the last run: upgrade, rebuild, measure",
    )
    parser.add_argument(
        "--keep-aggregates",
        action="store_true",
        help="with --reuse: measure the aggregates the last run rebuilt, without a rebuild",
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    print(f"{harness.machine()}; {harness.load_average()}; {harness.today()}")
    app, seed_s, rebuild_s = _setup(options.database_url, options.responses, options.generate,
                                    options.reuse, not options.keep_aggregates)  # fmt: skip
    rebuilt = "not run (--keep-aggregates)" if rebuild_s is None else f"{rebuild_s:.0f} s"
    print(f"{options.responses:,} responses: seed {seed_s:.0f} s; full rebuild of the "
          f"aggregates {rebuilt}")  # fmt: skip
    print(_sizes(app))
    data = {"responses": options.responses, "seed_s": seed_s, "rebuild_s": rebuild_s}
    periods = ("", harness.latest_quarter(app))
    harness.measure_periods(periods, lambda period: _measure(app, options.runs, period), data)
    harness.dump(options.json, data)


if __name__ == "__main__":
    main()
