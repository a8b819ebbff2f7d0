"""Citizens' submits while `satisfaction scores rebuild` runs, next to the same submits without it.

    .venv/bin/python bench/rebuild_load.py [--responses 250000] [--clients 8] [--duration 30]
        [--reuse]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024, syncs the
questionnaires and seeds --responses answers with `satisfaction demo seed` (--reuse keeps the
database of the last run when it holds as many). Codes are issued for the service points of one
district (bench/survey_load.py's "district" placement). One gunicorn (2 sync workers by default,
the production settings: MIX_MIN 20) serves loopback; --clients clients post the answers to fresh
codes in a closed loop, only the POST timed (as survey_load.py's "submit" run):

  baseline   --duration seconds, nothing else running
  rebuild    for as long as `satisfaction scores rebuild` runs (started with the run, in its
             own process, timed)
  after      --duration seconds right after it: the answers that waited in the ballot box
             during the rebuild are mixed by the workers then

Then everything waiting is mixed and the aggregates are checked: they hold every response once.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness
import loadgen
import survey_load

DEFAULT_URL = (
    "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench_rebuild"
)
SUBMIT_RATE = 250  # codes issued per second of measuring (enough for 2 workers here)
SLICE = 5.0  # seconds of each load run while the rebuild runs (it ends between two)
P99_TARGET_MS = 500.0


def main() -> None:
    """Prepare the database, then measure the submits without and with a rebuild."""
    args = _arguments()
    args.load = harness.load_average()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        work = Path(scratch)
        env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1")
        started = time.monotonic()
        codes = _prepare(args, env)
        print(f"prepared {len(codes)} codes in {time.monotonic() - started:.0f} s", flush=True)
        rows, rebuild_s, log = _measure(args, env, work, codes)
        check = _check(env)
    _report(args, rows, rebuild_s, log, check)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--responses", type=int, default=250_000, help="answers seeded")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--duration",
        type=float,
        default=30.0,
        help="seconds of the baseline and of the run after the rebuild",
    )
    parser.add_argument(
        "--expected-rebuild",
        type=float,
        default=120.0,
        help="seconds the rebuild may take (codes are issued for it)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync)")
    parser.add_argument(
        "--worker-timeout",
        type=int,
        default=60,
        help="gunicorn's timeout: a worker silent for longer is killed",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the last run's database if it holds --responses answers",
    )
    harness.database_argument(parser, DEFAULT_URL)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    return args


def _prepare(args: argparse.Namespace, env: dict) -> list[str]:
    """Create and seed the database (unless reused); issue the codes; return them."""
    if not (args.reuse and _counted(env) >= args.responses):
        harness.recreate_postgres_database(args.database_url)
        harness.satisfaction(["db", "upgrade"], env)
        harness.satisfaction(["units", "load", "vn-2024"], env)
        harness.satisfaction(["questionnaires", "sync"], env)
        started = time.monotonic()
        harness.satisfaction(["demo", "seed", "--responses", str(args.responses),
                              "--dataset", "vn-2024"], env)  # fmt: skip
        print(f"seeded {args.responses:,} answers in {time.monotonic() - started:.0f} s")
    harness.satisfaction(["db", "upgrade"], env)
    points = survey_load._points(env)["district"]
    seconds = 2 * args.duration + args.expected_rebuild + 4 * min(2.0, args.duration)
    count = int(SUBMIT_RATE * seconds)
    per_point = survey_load._issue(env, {point: count // len(points) + 1 for point in points})
    # Interleaved: consecutive citizens answer for different service points; taken from the end.
    return list(reversed([code for group in zip(*per_point, strict=False) for code in group]))


def _counted(env: dict) -> int:
    """Return the responses of the database (0 if it cannot be read)."""
    done = subprocess.run([str(harness.BIN / "satisfaction"), "responses", "stats", "--format",
                           "json"], env=env, cwd=harness.ROOT, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    if done.returncode != 0:
        return 0
    return sum(json.loads(done.stdout)["responses"].values())


def _measure(args, env: dict, work: Path, codes: list[str]) -> tuple[list[dict], float, list]:
    """Run the baseline, the submits during a rebuild and after it; return the rows."""
    options = harness.gunicorn_args("sync", args.workers, 1)
    answers = survey_load._answers(env)
    scenario = survey_load._post_scenario(codes, answers)
    rows = []
    with harness.gunicorn("app", "satisfaction:create_app()", env, options, work,
                          health_path="/", timeout=args.worker_timeout) as app:  # fmt: skip
        loadgen.run(harness.HOST, app.port, args.clients, min(2.0, args.duration), scenario)
        rows.append(_row("baseline", [_run(args, app, args.duration, scenario)]))
        started = time.monotonic()
        rebuild = subprocess.Popen(
            [str(harness.BIN / "satisfaction"), "scores", "rebuild"], env=env, cwd=harness.ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        during = []
        while rebuild.poll() is None:
            during.append(_run(args, app, SLICE, scenario))
        rebuild_s = time.monotonic() - started
        output = rebuild.stdout.read().strip()
        if rebuild.returncode != 0:
            sys.exit(f"satisfaction scores rebuild failed:\n{output}")
        print(output)
        rows.append(_row("rebuild", during))
        rows.append(_row("after", [_run(args, app, args.duration, scenario)]))
        problems = app.log_problems() + _timeouts(app)
    return rows, rebuild_s, problems


def _timeouts(app: harness.Server) -> list[str]:
    """Return the lines of gunicorn's log that tell of a worker killed for its silence."""
    lines = app.log.read_text(errors="replace").splitlines()
    return [line for line in lines if "WORKER TIMEOUT" in line]


def _run(args, app: harness.Server, seconds: float, scenario) -> loadgen.Result:
    return loadgen.run(harness.HOST, app.port, args.clients, seconds, scenario)


def _row(name: str, results: list[loadgen.Result]) -> dict:
    """Return the figures of one or more consecutive load runs, taken together."""
    latencies = sorted(x for result in results for x in result.latencies)
    elapsed = sum(result.elapsed for result in results)
    statuses: dict[str, int] = {}
    for result in results:
        for status, n in result.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + n
    return {
        "run": name,
        "seconds": elapsed,
        "rate": statuses.get("302", 0) / elapsed if elapsed else 0.0,
        "p50_ms": harness.percentile(latencies, 0.50) * 1000,
        "p99_ms": harness.percentile(latencies, 0.99) * 1000,
        "max_ms": (latencies[-1] if latencies else float("nan")) * 1000,
        "statuses": statuses,
        "errors": sum(sum(result.errors.values()) for result in results),
        "exhausted": any(result.exhausted for result in results),
    }


CHECK = """
from sqlalchemy import func, select
from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.scoring.models import ScoreCell
from satisfaction.survey import ballot_box
from satisfaction.survey.models import Response
with create_app().app_context():
    ballot_box.mix(force=True)
    responses = db.session.scalar(select(func.count()).select_from(Response))
    counted = db.session.scalar(select(func.sum(ScoreCell.responses)))
    print(responses, counted)
"""


def _check(env: dict) -> tuple[int, int]:
    """Mix what waits; return the responses and the responses the aggregates count."""
    done = subprocess.run([sys.executable, "-c", CHECK], env=env, cwd=harness.ROOT,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"checking the aggregates failed:\n{done.stderr}")
    responses, counted = (int(n) for n in done.stdout.split())
    return responses, counted


def _report(args, rows: list[dict], rebuild_s: float, problems: list, check) -> None:
    print()
    print(f"# {harness.today()}: {harness.machine()}; {args.load}")
    print(f"# {args.responses:,} answers seeded; gunicorn {args.workers} sync workers "
          f"(timeout {args.worker_timeout} s); "
          f"{args.clients} clients posting answers to fresh codes")  # fmt: skip
    print(f"# `satisfaction scores rebuild` took {rebuild_s:.0f} s under this load")
    print(f"{'run':9} {'seconds':>8} {'submits/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
          "  statuses")  # fmt: skip
    for row in rows:
        print(f"{row['run']:9} {row['seconds']:8.0f} {row['rate']:10.1f} {row['p50_ms']:8.1f} "
              f"{row['p99_ms']:8.1f} {row['max_ms']:8.1f}  {row['statuses']}"
              + (f", {row['errors']} errors" if row["errors"] else "")
              + (" (codes ran out)" if row["exhausted"] else ""))  # fmt: skip
    during = next(row for row in rows if row["run"] == "rebuild")
    met = "met" if during["p99_ms"] < P99_TARGET_MS else "NOT met"
    print(f"p99 during the rebuild {during['p99_ms']:.0f} ms: target < {P99_TARGET_MS:.0f} ms "
          f"{met}")  # fmt: skip
    responses, counted = check
    print(f"after mixing: {responses:,} responses, the aggregates count {counted:,}: "
          + ("each once" if responses == counted else "MISMATCH"))  # fmt: skip
    if problems:
        print(f"gunicorn: {len(problems)} error lines in its log, e.g. {problems[0]}")
    harness.dump(args.json, {
        "responses_seeded": args.responses, "clients": args.clients, "workers": args.workers,
        "rebuild_s": rebuild_s, "rows": rows, "responses": responses, "counted": counted,
        "load": args.load, "machine": harness.machine(), "log_problems": problems[:5],
    })  # fmt: skip


if __name__ == "__main__":
    main()
