"""Load on the citizen's pages under gunicorn and PostgreSQL, next to a minimal Flask baseline.

    .venv/bin/python bench/survey_load.py [--duration 15] [--clients 8,32] [--worker-class sync]
        [--placement district,provinces] [--only-submit]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024, syncs the
questionnaires through the `satisfaction` command and issues codes through the app's service, for
each placement: "district" (every service point of one district, Quận Ba Đình) or "provinces"
(one commune's service point in each of 60 provinces). Then three gunicorns with the same
settings (the app, bench/baseline_app.py and bench/minimal_submit_app.py) serve loopback, and for
each number of clients each run drives one of them with a closed loop for a fixed duration:

  baseline   GET /                      wrk, then the Python client (its ceiling)
  page       GET /s/<code>              wrk (cycling over open codes), then the Python client
  minimal    POST /m/<n> the same answers: one UPDATE, one INSERT, a commit (the physical limit)
  submit     POST the answers to a fresh code: only the POST is sent and timed (each client
             fetches one page first, untimed, for its session and form token, as a browser
             keeps them, and posts every code with them)
  citizen    GET /s/<fresh code>, then POST the answers: only the POST is timed, but the page
             is served by the same workers (what a citizen costs the server in all)

minimal, submit and citizen take turns, five times each per placement and number of clients
(a fifth of the duration each turn, after one warm-up each), so that the work of the rest of
the machine falls on the three alike and their ratios hold even when their rates move.

--mixing says who counts the answers out of the ballot box:
  answer   the web workers, after the responses (the embedded default: MIX_AFTER_ANSWER)
  tick     not the web workers (MIX_AFTER_ANSWER=false, as with jobs on RQ): after each submit
           or citizen turn this process mixes what the turn left, as the jobs worker's tick
           would, and the turn is charged the mix's time and CPU (no request is served
           meanwhile, which overstates the cost: a worker's tick runs beside the requests)

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
import minimal_submit_app

DEFAULT_URL = "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench"
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
DISTRICT = "001"  # Quận Ba Đình: its own service point and its 14 communes'
PROVINCES = 60  # the "provinces" placement: one commune's service point in each of this many
PAGE_CODES = 1000  # open codes that the page runs cycle over (never answered)
SUBMIT_RATE = 700  # codes issued per placement, per second of submit and citizen runs, per clients
MINIMAL_RATE = 2500  # the same for the minimal endpoint's codes
TARGETS = {"page": 1 / 4}
ROUNDS = 5  # minimal, submit and citizen take turns this many times in each run
SUBMIT_TARGET = 1 / 2  # submit rate against the minimal submit's, same placement and clients
P99_TARGET_MS = 100.0
P99_CLIENTS = 8  # the p99 target holds at this many clients
ISSUE = """
import json, sys
from satisfaction import create_app
from satisfaction.extensions import db
from satisfaction.survey.invitations import create_invitations
with create_app().app_context():
    for point, count in json.load(sys.stdin).items():
        print(" ".join(i.code for i in create_invitations(point, count)))
        db.session.commit()
"""
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
    """Prepare the database, start the servers, run every scenario and print the figures."""
    args = _arguments()
    args.load = harness.load_average()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        work = Path(scratch)
        started = time.monotonic()
        pools = _prepare(args, work)
        issued = sum(len(codes) for codes in pools.values())
        print(f"prepared {issued} codes in {time.monotonic() - started:.0f} s", flush=True)
        rows = _measure(args, work, pools)
    _report(args, rows)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument(
        "--clients", default="8,32", help="concurrent clients, one run each (comma-separated)"
    )
    parser.add_argument(
        "--placement",
        default="district,provinces",
        help="where the submits' codes were issued: district, provinces or both (comma-separated)",
    )
    parser.add_argument(
        "--only-submit", action="store_true", help="skip the baseline and page runs"
    )
    parser.add_argument("--mixing", choices=["answer", "tick"], default="answer",
                        help="who mixes the ballot box: the web workers after answers, or a "
                             "tick after each turn (see above)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    harness.database_argument(parser, DEFAULT_URL)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    args.placement = args.placement.split(",")
    if set(args.placement) - {"district", "provinces"}:
        parser.error("--placement takes district, provinces or both")
    seconds = (min(2.0, args.duration) + args.duration) * len(args.clients)
    args.codes = int(SUBMIT_RATE * seconds)
    args.minimal_codes = int(MINIMAL_RATE * seconds) * len(args.placement)
    return args


def _prepare(args: argparse.Namespace, work: Path) -> dict[str, list[str]]:
    """Create and fill the database; return the codes by pool ("page" and each placement)."""
    harness.recreate_postgres_database(args.database_url)
    env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1")
    harness.satisfaction(["db", "upgrade"], env)
    harness.satisfaction(["units", "load", "vn-2024"], env)
    harness.satisfaction(["questionnaires", "sync"], env)
    minimal_submit_app.prepare(args.database_url, args.minimal_codes)
    points = _points(env)
    pools = {"page": _issue(env, {points["district"][0]: PAGE_CODES})[0]}
    for placement in args.placement:
        chosen = points[placement]
        counts = {p: args.codes // len(chosen) + 1 for p in chosen}
        per_point = _issue(env, counts)
        # Interleaved: consecutive citizens answer for different service points.
        pools[placement] = [code for group in zip(*per_point, strict=False) for code in group]
    return pools


def _points(env: dict) -> dict[str, list[str]]:
    """Return the service points of each placement."""
    listing = harness.satisfaction(["service-points", "list", "--format", "csv"], env)
    units = harness.satisfaction(["units", "list", "--format", "csv"], env)
    parent = {row.split(",")[0]: row.split(",")[-1] for row in units.splitlines()[1:]}
    rows = [row.split(",") for row in listing.splitlines()[1:]]
    district = [r[0] for r in rows if r[-1] == DISTRICT or parent.get(r[-1]) == DISTRICT]
    by_province: dict[str, str] = {}
    for row in rows:
        if row[-2] == "commune":
            by_province.setdefault(parent[parent[row[-1]]], row[0])
    return {"district": district, "provinces": list(by_province.values())[:PROVINCES]}


def _issue(env: dict, counts: dict[str, int]) -> list[list[str]]:
    """Issue codes for service points through the app's service; return them by point."""
    done = subprocess.run(
        [sys.executable, "-c", ISSUE],
        input=json.dumps(counts),
        env=env,
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        sys.exit(f"issuing codes failed:\n{done.stderr}")
    return [line.split() for line in done.stdout.splitlines()]


def _measure(args: argparse.Namespace, work: Path, pools: dict[str, list[str]]) -> list[dict]:
    """Start the app, the baseline and the minimal submit, and run every scenario on them."""
    page_codes = pools["page"]
    paths = work / "paths.txt"
    paths.write_text("".join(f"/s/{code}\n" for code in page_codes))
    options = harness.gunicorn_args(args.worker_class, args.workers, args.threads)
    env = harness.app_env(args.database_url, work / "instance", "http://127.0.0.1")
    if args.mixing == "tick":
        env["SATISFACTION_MIX_AFTER_ANSWER"] = "false"
    tick = _Tick(env) if args.mixing == "tick" else None
    answers = _answers(env)
    fresh = {placement: list(reversed(pools[placement])) for placement in args.placement}
    numbers = iter(range(1, args.minimal_codes + 1))
    rows: list[dict] = []
    with (
        harness.gunicorn("baseline", "baseline_app:app", env, options, work) as baseline,
        harness.gunicorn(
            "minimal", "minimal_submit_app:create_app()", env, options, work
        ) as minimal,
        harness.gunicorn(
            "app",
            "satisfaction:create_app()",
            env,
            options,
            work,
            health_path="/s/" + page_codes[0],
        ) as app,
    ):
        for clients in args.clients:
            run = argparse.Namespace(**{**vars(args), "clients": clients})
            if not args.only_submit:
                rows.append(_wrk(run, work, baseline, "baseline", "GET /", None))
                rows.append(_python(run, baseline, "baseline", "GET /", _get_scenario(["/"])))
                page_paths = [f"/s/{code}" for code in page_codes]
                rows.append(_wrk(run, work, app, "page", "GET /s/<code>", paths))
                rows.append(_python(run, app, "page", "GET /s/<code>", _get_scenario(page_paths)))
            for placement in args.placement:
                turns = [
                    ("minimal", "POST /m/<n>", minimal, _minimal_scenario(numbers, answers), None),
                    ("submit", "POST /s/<code>", app, _post_scenario(fresh[placement], answers),
                     tick),
                    ("citizen", "GET+POST /s/<c>", app,
                     _submit_scenario(fresh[placement], answers), tick),
                ]  # fmt: skip
                found = _alternating(run, turns, after_warmup=lambda: _recorded(env))
                recorded = _recorded(env) - found.pop()
                for row in found:
                    row["placement"] = placement
                found[1]["recorded"] = recorded  # the submits' and the citizens' answers
                rows += found
        if tick and tick.seconds:
            print(f"the ticks mixed {tick.moved} answers in {tick.seconds:.1f} s "
                  f"({tick.moved / tick.seconds:.0f} a second)", flush=True)  # fmt: skip
        for server in (baseline, minimal, app):
            problems = server.log_problems()
            if problems:
                print(
                    f"{server.name}: {len(problems)} error lines in its log, e.g. {problems[0]}",
                    file=sys.stderr,
                )
    return [row for row in rows if row]


class _Tick:
    """The jobs worker's tick, run in this process: mix what waits in the ballot box if due."""

    def __init__(self, env: dict):
        from satisfaction import create_app

        saved = dict(os.environ)
        os.environ.update(env)
        try:
            self.app = create_app()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.moved = 0
        self.seconds = 0.0

    def __call__(self) -> None:
        from satisfaction.extensions import db
        from satisfaction.survey import ballot_box

        started = time.perf_counter()
        with self.app.app_context():
            self.moved += ballot_box.mix(force=False, wait=True)
            db.session.remove()
        self.seconds += time.perf_counter() - started


def _recorded(env: dict) -> int:
    """Return the answers the database holds: responses counted plus answers waiting."""
    stats = json.loads(harness.satisfaction(["responses", "stats", "--format", "json"], env))
    return sum(stats["responses"].values()) + stats["waiting"]


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
    """Each iteration is a new citizen: fetch the page (untimed), then post the answers.

    codes is consumed from its end, shared by the warm-up and the timed run.
    """
    fresh = codes
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


def _post_scenario(codes: list[str], answers: dict[str, str]) -> loadgen.Scenario:
    """Each iteration posts the answers to a fresh code, with its connection's session and token.

    A connection fetches one page first (untimed) for a session cookie and a form token, as a
    browser keeps them; every later iteration is the POST alone. codes is consumed from its end.
    """
    fresh = codes
    form = urlencode(answers)
    sessions: dict[int, tuple[dict[str, str], bytes]] = {}

    async def submit(conn: loadgen.Connection, record: loadgen.Record) -> None:
        if not fresh:
            raise loadgen.Exhausted
        path = f"/s/{fresh.pop()}"
        if id(conn) not in sessions:
            page = await conn.request("GET", path)
            found = TOKEN.search(page.body)
            if page.status != 200 or not found or "session" not in page.cookies:
                raise loadgen.Failed(f"page {page.status}" + ("" if found else " without a token"))
            headers = {
                "Cookie": f"session={page.cookies['session']}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            token = urlencode({"csrf_token": found.group(1).decode()})
            sessions[id(conn)] = (headers, (form + "&" + token).encode())
        headers, body = sessions[id(conn)]
        started = time.perf_counter()
        reply = await conn.request("POST", path, headers, body)
        record(reply.status, time.perf_counter() - started)

    return submit


def _minimal_scenario(numbers, answers: dict[str, str]) -> loadgen.Scenario:
    """Each iteration posts the same answers to the minimal submit, for a code never used."""
    body = urlencode(answers).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    async def submit(conn: loadgen.Connection, record: loadgen.Record) -> None:
        number = next(numbers, None)
        if number is None:
            raise loadgen.Exhausted
        started = time.perf_counter()
        reply = await conn.request("POST", f"/m/{number}", headers, body)
        record(reply.status, time.perf_counter() - started)

    return submit


def _alternating(args, turns: list, after_warmup) -> list:
    """Run the turns (name, request, server, scenario) in ROUNDS rounds of duration/ROUNDS each.

    Taking turns, each sees the same background load of the machine (other work shares its
    two CPUs): the ratios of their rates are then fair even when the rates move. Returns one
    row per turn, then what after_warmup returned (called once every turn has warmed up).
    """
    for _name, _what, server, scenario, settle in turns:
        loadgen.run(harness.HOST, server.port, args.clients, min(2.0, args.duration), scenario)
        if settle:
            settle()
    marker = after_warmup()
    totals = [(loadgen.Result(), [0.0]) for _ in turns]
    for _ in range(ROUNDS):
        for (_name, _what, server, scenario, settle), (total, cpu) in zip(
            turns, totals, strict=True
        ):
            started = server.cpu_seconds()
            part = loadgen.run(
                harness.HOST, server.port, args.clients, args.duration / ROUNDS, scenario
            )
            cpu[0] += server.cpu_seconds() - started
            if settle:  # the turn's answers counted, charged to the turn: time and CPU
                began, own = time.perf_counter(), time.process_time()
                settle()
                part.elapsed += time.perf_counter() - began
                cpu[0] += time.process_time() - own
            total.latencies += part.latencies
            total.statuses.update(part.statuses)
            total.errors.update(part.errors)
            total.elapsed += part.elapsed
            total.cpu += part.cpu
            total.exhausted = total.exhausted or part.exhausted
    rows: list = []
    for (name, what, *_server_scenario_settle), (total, cpu) in zip(turns, totals, strict=True):
        total.latencies.sort()
        rows.append(_row(args, name, what, total, cpu[0] / total.elapsed, expected=302))
    return [*rows, marker]


def _row(args, name: str, what: str, result: loadgen.Result, server_cpu: float,
         expected: int = 200) -> dict:  # fmt: skip
    """Return the figures of a run measured by the Python client."""
    good = result.statuses.get(expected, 0)
    return {
        "run": name,
        "request": what,
        "client": "python",
        "clients": args.clients,
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


def _python(args, server: harness.Server, name: str, what: str, scenario: loadgen.Scenario) -> dict:
    """Warm up, then run one scenario for the whole duration (the baseline and page runs)."""
    loadgen.run(harness.HOST, server.port, args.clients, min(2.0, args.duration), scenario)
    cpu = server.cpu_seconds()
    result = loadgen.run(harness.HOST, server.port, args.clients, args.duration, scenario)
    return _row(args, name, what, result, (server.cpu_seconds() - cpu) / result.elapsed)


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
        "clients": args.clients,
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
        + f", {args.duration:g} s per run, PostgreSQL, loopback"
    )
    print(
        "mixing: by the web workers after answers"
        if args.mixing == "answer"
        else "mixing: a tick after each submit and citizen turn, charged to the turn"
    )
    print(args.load)
    print()
    header = f"{'run':<9}{'placement':<11}{'request':<16}{'client':<8}{'clients':>8}{'req/s':>9}"
    print(header + f"{'p50 ms':>9}{'p99 ms':>9}{'server CPU':>12}{'client CPU':>12}  problems")
    for row in rows:
        client_cpu = "" if row["client_cpu"] is None else f"{row['client_cpu']:.0%}"
        problems = {**row["other_statuses"], **row["errors"]}
        if row.get("exhausted"):
            problems["ran out of codes"] = 1
        print(
            f"{row['run']:<9}{row.get('placement', ''):<11}{row['request']:<16}"
            f"{row['client']:<8}{row['clients']:>8}{row['rate']:>9.0f}"
            f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['server_cpu']:>12.0%}"
            f"{client_cpu:>12}  {problems or ''}"
        )
    print()
    for row in rows:
        if "recorded" in row:
            citizen = next(r for r in rows if r["run"] == "citizen"
                           and r["clients"] == row["clients"]
                           and r["placement"] == row["placement"])  # fmt: skip
            acknowledged = row["ok"] + citizen["ok"]
            same = "the same" if row["recorded"] == acknowledged else "NOT the same"
            print(
                f"submit and citizen, {row['placement']}, {row['clients']} clients: "
                f"{acknowledged} answers acknowledged (302); responses + waiting grew by "
                f"{row['recorded']}: {same}"
            )
    print("\ntargets:")
    for clients in args.clients:
        _targets(rows, clients)
    harness.dump(
        args.json,
        {
            "date": harness.today(),
            "machine": harness.machine(),
            "args": {k: str(v) for k, v in vars(args).items()},
            "rows": rows,
        },
    )


def _targets(rows: list[dict], clients: int) -> None:
    """Print the targets of one number of clients."""
    mine = [r for r in rows if r["clients"] == clients]
    base = _best(mine, "baseline")
    for run, share in TARGETS.items():
        row = _best(mine, run)
        if row is None or base is None:
            continue
        ratio = row["rate"] / base["rate"]
        print(
            f"  {clients} clients: {run}/baseline = {row['rate']:.0f}/{base['rate']:.0f} = "
            f"{ratio:.3f}   target >= {share:.3f}   {_verdict(ratio >= share)}"
        )
    for real in (r for r in mine if r["run"] in ("submit", "citizen")):
        limit = next(
            r for r in mine if r["run"] == "minimal" and r["placement"] == real["placement"]
        )
        ratio = real["rate"] / limit["rate"]
        if real["run"] == "citizen":  # the page and the POST against the POST alone: shown
            print(
                f"  {clients} clients, {real['placement']}: citizen/minimal = "
                f"{real['rate']:.0f}/{limit['rate']:.0f} = {ratio:.3f}   (shown)"
            )
            continue
        print(
            f"  {clients} clients, {real['placement']}: submit/minimal = {real['rate']:.0f}/"
            f"{limit['rate']:.0f} = {ratio:.3f}   target >= {SUBMIT_TARGET:.2f}   "
            f"{_verdict(ratio >= SUBMIT_TARGET)}"
        )
        verdict = _verdict(real["p99_ms"] < P99_TARGET_MS) if clients == P99_CLIENTS else "(shown)"
        print(
            f"  {clients} clients, {real['placement']}: {real['run']} p99 = "
            f"{real['p99_ms']:.1f} ms "
            f"(minimal {limit['p99_ms']:.1f} ms)   target < {P99_TARGET_MS:.0f} ms at "
            f"{P99_CLIENTS} clients   {verdict}"
        )


def _best(rows: list[dict], run: str) -> dict | None:
    """Return the row of run measured by the client that got the most out of the server."""
    return max((r for r in rows if r["run"] == run), key=lambda r: r["rate"], default=None)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


if __name__ == "__main__":
    main()
