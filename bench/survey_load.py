"""Load on the citizen's pages under gunicorn and PostgreSQL, next to a minimal Flask baseline.

    .venv/bin/python bench/survey_load.py [--duration 15] [--clients 32] [--worker-class sync]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024, syncs the
questionnaires and issues codes, all through the `satisfaction` command. Then two gunicorns with
the same settings (the app, and bench/baseline_app.py) serve loopback, and each run drives one of
them with a closed loop of clients for a fixed duration:

  baseline   GET /                      wrk, then the Python client (its ceiling)
  page       GET /s/<code>              wrk (cycling over open codes), then the Python client
  submit     GET /s/<fresh code>, then POST the answers: only the POST is timed (Python client)

Needs wrk (Debian package `wrk`) for the wrk rows; without it those rows are skipped.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import harness
import loadgen

DEFAULT_URL = "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench"
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
POINTS = 4  # codes are spread over this many commune service points
PAGE_CODES = 1000  # open codes that the page runs cycle over (never answered)
TARGETS = {"page": 1 / 4, "submit": 1 / 10}
P99_TARGET_MS = 100.0
WRK_SCRIPT = """
local paths = {}
local file = os.getenv("BENCH_PATHS")
if file and file ~= "" then for line in io.lines(file) do paths[#paths + 1] = line end end
local i = 0
function init(args) i = math.random(1, math.max(#paths, 1)) end
if #paths > 0 then
  function request()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def main() -> None:
    """Prepare the database, start both servers, run every scenario and print the figures."""
    args = _arguments()
    args.load = harness.load_average()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        work = Path(scratch)
        started = time.monotonic()
        codes = _prepare(args, work)
        print(f"prepared {len(codes)} codes in {time.monotonic() - started:.0f} s", flush=True)
        rows = _measure(args, work, codes)
    _report(args, rows)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--codes", type=int, default=0, help="codes to issue (default: enough for the submit run)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("SATISFACTION_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL (it is dropped and recreated)")
    args.codes = args.codes or PAGE_CODES + int(600 * args.duration)
    return args


def _prepare(args: argparse.Namespace, work: Path) -> list[str]:
    """Create and fill the database through the app's own commands; return the codes."""
    harness.recreate_postgres_database(args.database_url)
    env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1")
    harness.satisfaction(["db", "upgrade"], env)
    harness.satisfaction(["units", "load", "vn-2024"], env)
    harness.satisfaction(["questionnaires", "sync"], env)
    listing = harness.satisfaction(["service-points", "list", "--format", "csv"], env)
    communes = [row.split(",")[0] for row in listing.splitlines()[1:] if ",commune," in row]
    points = communes[:: max(1, len(communes) // POINTS)][:POINTS]
    codes: list[str] = []
    for i, point in enumerate(points):
        count = args.codes // len(points) + (1 if i < args.codes % len(points) else 0)
        made = harness.satisfaction(
            ["invitations", "create", "--service-point", point, "--count", str(count)], env
        )
        codes += made.split()
    return codes


def _measure(args: argparse.Namespace, work: Path, codes: list[str]) -> list[dict]:
    """Start the app and the baseline under gunicorn and run every scenario against them."""
    page_codes, fresh = codes[:PAGE_CODES], codes[PAGE_CODES:]
    paths = work / "paths.txt"
    paths.write_text("".join(f"/s/{code}\n" for code in page_codes))
    options = harness.gunicorn_args(args.worker_class, args.workers, args.threads)
    env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1")
    answers = _answers(env)
    rows: list[dict] = []
    with (
        harness.gunicorn("baseline", "baseline_app:app", env, options, work) as baseline,
        harness.gunicorn(
            "app",
            "satisfaction:create_app()",
            env,
            options,
            work,
            health_path="/s/" + page_codes[0],
        ) as app,
    ):
        rows.append(_wrk(args, work, baseline, "baseline", "GET /", None))
        rows.append(_python(args, baseline, "baseline", "GET /", _get_scenario(["/"])))
        page_paths = [f"/s/{code}" for code in page_codes]
        rows.append(_wrk(args, work, app, "page", "GET /s/<code>", paths))
        rows.append(_python(args, app, "page", "GET /s/<code>", _get_scenario(page_paths)))
        submit = _submit_scenario(fresh, answers)
        before: list[int] = []
        rows.append(
            _python(
                args,
                app,
                "submit",
                "POST /s/<code>",
                submit,
                after_warmup=lambda: before.append(_responses(env)),
            )
        )
        rows[-1]["recorded"] = _responses(env) - before[0]
        for server in (baseline, app):
            problems = server.log_problems()
            if problems:
                print(
                    f"{server.name}: {len(problems)} error lines in its log, e.g. {problems[0]}",
                    file=sys.stderr,
                )
    return [row for row in rows if row]


def _responses(env: dict) -> int:
    """Return how many responses the database holds (through `satisfaction responses stats`)."""
    stats = json.loads(harness.satisfaction(["responses", "stats", "--format", "json"], env))
    return sum(stats["responses"].values())


def _answers(env: dict) -> dict[str, str]:
    """Return a full, valid set of answers, read from the recorded questionnaire."""
    shown = harness.satisfaction(
        ["questionnaires", "show", "sipas-services", "--format", "json"], env
    )
    definition = json.loads(shown)
    answers = {item["key"]: "4" for element in definition["elements"] for item in element["items"]}
    answers.update({e["key"]: "2" for e in definition["expectations"]})
    answers["comment"] = "Cán bộ nhiệt tình, nhưng phải chờ lâu."
    return answers


def _get_scenario(paths: list[str]) -> loadgen.Scenario:
    position = {"next": 0}

    async def get(conn: loadgen.Connection, record: loadgen.Record) -> None:
        path = paths[position["next"] % len(paths)]
        position["next"] += 1
        started = time.perf_counter()
        reply = await conn.request("GET", path)
        record(reply.status, time.perf_counter() - started)

    return get


def _submit_scenario(codes: list[str], answers: dict[str, str]) -> loadgen.Scenario:
    """Each iteration is a new citizen: fetch the page (untimed), then post the answers."""
    fresh = list(reversed(codes))
    form = urlencode(answers)

    async def submit(conn: loadgen.Connection, record: loadgen.Record) -> None:
        if not fresh:
            raise loadgen.Exhausted
        path = f"/s/{fresh.pop()}"
        page = await conn.request("GET", path)
        found = TOKEN.search(page.body)
        if page.status != 200 or not found or "session" not in page.cookies:
            raise loadgen.Failed(f"page {page.status}" + ("" if found else " without a token"))
        body = (form + "&" + urlencode({"csrf_token": found.group(1).decode()})).encode()
        headers = {
            "Cookie": f"session={page.cookies['session']}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        started = time.perf_counter()
        reply = await conn.request("POST", path, headers, body)
        record(reply.status, time.perf_counter() - started)

    return submit


def _python(
    args,
    server: harness.Server,
    name: str,
    what: str,
    scenario: loadgen.Scenario,
    after_warmup=None,
) -> dict:
    loadgen.run(harness.HOST, server.port, args.clients, min(2.0, args.duration), scenario)
    if after_warmup is not None:
        after_warmup()
    cpu = server.cpu_seconds()
    result = loadgen.run(harness.HOST, server.port, args.clients, args.duration, scenario)
    server_cpu = (server.cpu_seconds() - cpu) / result.elapsed
    expected = 302 if name == "submit" else 200
    good = result.statuses.get(expected, 0)
    return {
        "run": name,
        "request": what,
        "client": "python",
        "rate": good / result.elapsed,
        "p50_ms": harness.percentile(result.latencies, 0.50) * 1000,
        "p99_ms": harness.percentile(result.latencies, 0.99) * 1000,
        "requests": sum(result.statuses.values()),
        "ok": good,
        "other_statuses": {str(k): v for k, v in result.statuses.items() if k != expected},
        "errors": dict(result.errors),
        "exhausted": result.exhausted,
        "client_cpu": result.cpu / result.elapsed,
        "server_cpu": server_cpu,
    }


def _wrk(
    args, work: Path, server: harness.Server, name: str, what: str, paths: Path | None
) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install wrk): wrk rows skipped", file=sys.stderr)
        return {}
    script = work / "bench.lua"
    script.write_text(WRK_SCRIPT)
    env = dict(os.environ, BENCH_PATHS=str(paths) if paths else "")
    threads = min(2, args.clients)

    def call(seconds: float) -> dict:
        command = [
            wrk,
            "-t",
            str(threads),
            "-c",
            str(args.clients),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            server.base + "/",
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60
        )
        line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            sys.exit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(line[len("BENCH ") :])

    call(min(2.0, args.duration))
    cpu = server.cpu_seconds()
    figures = call(args.duration)
    seconds = figures["duration_us"] / 1e6
    return {
        "run": name,
        "request": what,
        "client": "wrk",
        "rate": (figures["requests"] - figures["status"]) / seconds,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "requests": figures["requests"],
        "ok": figures["requests"] - figures["status"],
        "other_statuses": {"non-2xx/3xx": figures["status"]} if figures["status"] else {},
        "errors": {k: figures[k] for k in ("connect", "read", "write", "timeout") if figures[k]},
        "client_cpu": None,
        "server_cpu": (server.cpu_seconds() - cpu) / seconds,
    }


def _report(args: argparse.Namespace, rows: list[dict]) -> None:
    print()
    print(f"survey_load, {harness.today()}: {harness.machine()}")
    print(
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", {args.clients} clients, {args.duration:g} s per run, PostgreSQL, loopback"
    )
    print(args.load)
    print()
    header = f"{'run':<9}{'request':<16}{'client':<8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(header + f"{'server CPU':>12}{'client CPU':>12}  problems")
    for row in rows:
        client_cpu = "" if row["client_cpu"] is None else f"{row['client_cpu']:.0%}"
        problems = {**row["other_statuses"], **row["errors"]}
        if row.get("exhausted"):
            problems["ran out of codes"] = 1
        print(
            f"{row['run']:<9}{row['request']:<16}{row['client']:<8}{row['rate']:>9.0f}"
            f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['server_cpu']:>12.0%}"
            f"{client_cpu:>12}  {problems or ''}"
        )
    submit = next((r for r in rows if r["run"] == "submit"), None)
    if submit:
        same = "the same" if submit["recorded"] == submit["ok"] else "NOT the same"
        print(
            f"\nsubmit: {submit['ok']} answers acknowledged (302) during the run; the database "
            f"gained {submit['recorded']} responses: {same}"
        )
    base = _best(rows, "baseline")
    print(
        f"\ntargets (against the best baseline rate, {base['rate']:.0f} req/s by "
        f"{base['client']}; each run by its fastest client):"
    )
    for run, share in TARGETS.items():
        row = _best(rows, run)
        if row is None:
            continue
        ratio = row["rate"] / base["rate"]
        print(
            f"  {run}/baseline = {row['rate']:.0f}/{base['rate']:.0f} = {ratio:.3f}   "
            f"target >= {share:.3f} (1/{1 / share:.0f})   {_verdict(ratio >= share)}"
        )
        print(
            f"  {run} p99 ({row['client']}) = {row['p99_ms']:.1f} ms   "
            f"target < {P99_TARGET_MS:.0f} ms   {_verdict(row['p99_ms'] < P99_TARGET_MS)}"
        )
    harness.dump(
        args.json,
        {
            "date": harness.today(),
            "machine": harness.machine(),
            "args": {k: str(v) for k, v in vars(args).items()},
            "rows": rows,
        },
    )


def _best(rows: list[dict], run: str) -> dict | None:
    """Return the row of run measured by the client that got the most out of the server."""
    return max((r for r in rows if r["run"] == run), key=lambda r: r["rate"], default=None)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


if __name__ == "__main__":
    main()
