"""The mixer on PostgreSQL: waiting answers moved into responses and counted, per second.

    .venv/bin/python bench/mixer.py [--ballots 30000] [--runs 2] [--spread month|quarters]
        [--profile FILE] [--revision REV]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024 and
syncs the questionnaires through the `satisfaction` command (--revision: migrated to that
revision, not the latest, to time the mixer on an earlier schema; c1f3e5a7b9d2 is the one whose
aggregates had foreign keys). Then, in this process, each run puts --ballots waiting answers
in the ballot box (drawn as the demo seed draws them: every office level, channel and mode, all
provinces; inserted in bulk) and times the steps below.
--spread says over which days the answers fall: "month" (the default), this month so far, as
the mixer sees answers in service (they are dated the day they are given or keyed), so that
from the second run on most cells and rollups exist already; "quarters", the demo's six
quarters, so that nearly every answer makes a cell of its own (the hardest case for the
aggregates: about three new rows an answer).

  baseline   the unavoidable work alone, in one transaction: INSERT INTO responses SELECT ...
             FROM ballots in a random order, DELETE FROM ballots, COMMIT (no aggregates)
  mix        ballot_box.mix(force=True): batches of MIX_BATCH_MAX, each moved, counted into
             the cells and rollups and committed
  rows       the aggregates' own floor, after the first mix: the cells and rollups it left,
             written once more in one transaction (TRUNCATE, INSERT ... SELECT, COMMIT):
             what any mixer must write, with no Python and each row written once

The baseline's responses are deleted and the same ballots put back before the mix is timed.
"""

import argparse
import cProfile
import os
import sys
import tempfile
import time
from pathlib import Path

import harness
import numpy as np

DEFAULT_URL = (
    "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench_mixer"
)
TARGET = 5000.0  # answers a second into the aggregates
CARRIED = (
    "questionnaire_version_id, service_point_id, province_id, district_id, commune_id, "
    "channel, mode, answered_on, answers, comment, is_poster, field_code"
)


def main() -> None:
    """Prepare the database, then time the baseline and the mixer on the same ballots."""
    args = _arguments()
    load = harness.load_average()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        env = harness.app_env(args.database_url, Path(scratch) / "instance", "http://127.0.0.1")
        harness.recreate_postgres_database(args.database_url)
        for command in (["db", "upgrade", args.revision], ["units", "load", "vn-2024"],
                        ["questionnaires", "sync"]):  # fmt: skip
            harness.satisfaction(command, env)
        os.environ.update(env)
        from satisfaction import create_app

        app = create_app()
        with app.app_context():
            rows = [_run(args, 0)]
            floor = _rows_floor()
            rows += [_run(args, i) for i in range(1, args.runs)]
            batch = app.config["MIX_BATCH_MAX"]
    print()
    print(f"mixer, {harness.today()}: {harness.machine()}")
    print(
        f"PostgreSQL, {args.ballots} waiting answers a run over {args.spread!r}, "
        f"batches of at most {batch}"
    )
    print(load)
    print()
    print(
        f"{'run':<5}{'baseline s':>12}{'answers/s':>12}{'mix s':>9}{'answers/s':>12}"
        f"{'mix/base':>10}"
    )
    for i, (base, mixed) in enumerate(rows, 1):
        print(
            f"{i:<5}{base:>12.2f}{args.ballots / base:>12,.0f}{mixed:>9.2f}"
            f"{args.ballots / mixed:>12,.0f}{base / mixed:>10.2f}"
        )
    print(
        f"\nthe aggregates of run 1 ({_counted(floor[1])}) written once: "
        f"{floor[0]:.2f} s, {args.ballots / floor[0]:,.0f} answers/s"
    )
    best = max(args.ballots / mixed for _, mixed in rows)
    verdict = "met" if best >= TARGET else "NOT MET"
    print(f"\ntarget: the mixer moves >= {TARGET:,.0f} answers/s: best {best:,.0f}   {verdict}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ballots", type=int, default=30_000, help="waiting answers a run")
    parser.add_argument("--runs", type=int, default=2, help="runs, each on fresh ballots")
    parser.add_argument(
        "--spread", choices=["month", "quarters"], default="month",
        help="the days the answers fall on: this month so far, or the demo's six quarters",
    )  # fmt: skip
    parser.add_argument("--profile", type=Path, help="write a cProfile of the last mix here")
    parser.add_argument(
        "--revision", default="head",
        help="migrate the database to this revision (an earlier schema, to compare with)",
    )  # fmt: skip
    harness.database_argument(parser, DEFAULT_URL, "SATISFACTION_BENCH_MIXER_URL")
    args = parser.parse_args()
    return args


def _run(args: argparse.Namespace, number: int) -> tuple[float, float]:
    """Time the baseline, then the mixer, on the same waiting answers; return both times."""
    from sqlalchemy import text

    from satisfaction.extensions import db
    from satisfaction.survey import ballot_box

    _fill(args.ballots, seed=2026 + number, spread=args.spread)
    db.session.execute(text("DROP TABLE IF EXISTS bench_kept"))
    db.session.execute(text("CREATE TABLE bench_kept AS TABLE ballots"))
    db.session.commit()
    _settle()
    started = time.perf_counter()
    db.session.execute(text(
        f"INSERT INTO responses (id, {CARRIED}) "
        f"SELECT gen_random_uuid(), {CARRIED} FROM ballots ORDER BY random()"
    ))  # fmt: skip
    db.session.execute(text("DELETE FROM ballots"))
    db.session.commit()
    base = time.perf_counter() - started
    db.session.execute(text("DELETE FROM responses"))
    db.session.execute(text("INSERT INTO ballots SELECT * FROM bench_kept"))
    db.session.commit()
    _settle()
    profile = cProfile.Profile() if args.profile and number == args.runs - 1 else None
    started = time.perf_counter()
    if profile:
        profile.enable()
    moved = ballot_box.mix(force=True)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    mixed = time.perf_counter() - started
    if moved != args.ballots:
        sys.exit(f"the mixer moved {moved} answers, not {args.ballots}")
    return base, mixed


def _tables() -> tuple[str, ...]:
    """Return the aggregate tables a mix writes that the schema has (--revision: maybe fewer)."""
    from sqlalchemy import inspect

    from satisfaction.extensions import db
    from satisfaction.scoring.models import AGGREGATE_GRAINS

    there = set(inspect(db.engine).get_table_names())
    return tuple(name for grain in AGGREGATE_GRAINS
                 if (name := grain.cells.__tablename__) in there)  # fmt: skip


def _counted(rows: dict[str, int]) -> str:
    """Return '12,345 cells, 678 rollups, ...': the rows of each aggregate table."""
    return ", ".join(f"{n:,} {table.removeprefix('score_').replace('_', ' ')}"
                     for table, n in rows.items())  # fmt: skip


def _rows_floor() -> tuple[float, dict[str, int]]:
    """Time writing the aggregates left by a mix once more, in SQL alone; return (s, rows)."""
    from sqlalchemy import text

    from satisfaction.extensions import db

    tables = _tables()
    for table in tables:
        db.session.execute(text(f"DROP TABLE IF EXISTS bench_{table}"))
        db.session.execute(text(f"CREATE TABLE bench_{table} AS TABLE {table}"))
    db.session.commit()
    rows = {table: db.session.execute(text(f"SELECT count(*) FROM bench_{table}")).scalar()
            for table in tables}  # fmt: skip
    _settle()
    started = time.perf_counter()
    db.session.execute(text(f"TRUNCATE {', '.join(tables)}"))
    for table in tables:
        db.session.execute(text(f"INSERT INTO {table} SELECT * FROM bench_{table}"))
    db.session.commit()  # the same rows as before, written anew
    return time.perf_counter() - started, rows


def _settle() -> None:
    """Vacuum and analyse the tables the runs write, so that each run starts alike."""
    from satisfaction.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE ballots, responses, {', '.join(_tables())}")


def _fill(count: int, seed: int, spread: str) -> None:
    """Put count waiting answers in the ballot box, drawn as the demo seed draws answers."""
    from datetime import date

    from sqlalchemy import insert

    from satisfaction.demo import seed as demo
    from satisfaction.extensions import db
    from satisfaction.questionnaires.services import get_version
    from satisfaction.survey.models import Ballot

    rng = np.random.default_rng(seed)
    field_rng = np.random.default_rng([seed, 1])  # as the demo seed draws the fields
    places = demo._places(None, rng)
    version = get_version("sipas-services")
    if spread == "quarters":
        start, days = demo._period(None, date.today())
    else:
        today = date.today()
        start, days = today.replace(day=1), today.day
    items = demo.questionnaire_of(version).elements
    effect = {item.key: rng.normal(0, 0.15) for element in items for item in element.items}
    left = count
    while left:
        size = min(left, demo.CHUNK)
        answers, _invitations = demo._chunk(size, places, version, start, days, effect, rng,
                                            field_rng)  # fmt: skip
        db.session.execute(insert(Ballot), answers)
        left -= size
    db.session.commit()


if __name__ == "__main__":
    main()
