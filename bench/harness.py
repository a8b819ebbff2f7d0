"""What the benchmarks share: the app's commands, gunicorn servers on loopback, the machine."""

import datetime
import json
import math
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BIN = Path(sys.executable).parent  # the virtualenv's scripts: satisfaction, gunicorn
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def today() -> str:
    """Return today's date, for the record."""
    return datetime.date.today().isoformat()


def machine() -> str:
    """Describe the machine in one line: CPUs, memory, Python."""
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = " (" + line.split(":", 1)[1].strip() + ")"
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs{cpu}{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    """Describe how busy the machine was (other work skews the figures)."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average before the run {one:.2f} (1 min), {five:.2f} (5 min)"


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_env(database_url: str, instance: Path, public_base_url: str, **extra: str) -> dict:
    """Return the environment of a production app on database_url, without rate limits."""
    env = dict(os.environ)
    env.update(
        SATISFACTION_ENVIRONMENT="production",
        SATISFACTION_SECRET_KEY=secrets.token_hex(32),
        SATISFACTION_DATABASE_URL=database_url,
        SATISFACTION_RATELIMIT_ENABLED="false",
        SATISFACTION_PUBLIC_BASE_URL=public_base_url,
        # A private instance folder: no local instance/config.py changes what is measured.
        SATISFACTION_INSTANCE_PATH=str(instance),
        # The commands and servers run the code of this checkout, whatever is installed.
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    )
    env.update(extra)
    return env


def satisfaction(args: Sequence[str], env: dict) -> str:
    """Run a `satisfaction` command; return its output, or stop with its error."""
    done = subprocess.run(
        [str(BIN / "satisfaction"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        sys.exit(f"satisfaction {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in a postgresql+psycopg URL (the role needs CREATEDB)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    admin = parsed.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for attempt in range(60):
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.errors.InsufficientPrivilege:
                # An autovacuum worker is in it, which only a superuser may end: it soon ends.
                if attempt == 59:
                    raise
                time.sleep(1)
        conn.execute(f'CREATE DATABASE "{name}"')


class Server:
    """A gunicorn master and its workers, started in their own process group."""

    def __init__(self, name: str, port: int, process: subprocess.Popen, log: Path):
        self.name = name
        self.port = port
        self.process = process
        self.log = log

    @property
    def base(self) -> str:
        """Return the base URL."""
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        """Return the ids of the workers (children of the master)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def cpu_seconds(self) -> float:
        """Return the CPU time used so far by the master and its workers."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        return total

    def log_problems(self) -> list[str]:
        """Return the lines of the error log that report a traceback or an error."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if "Traceback" in line or "ERROR" in line]


def gunicorn_args(worker_class: str, workers: int, threads: int) -> list[str]:
    """Return the worker options shared by the app and the baseline."""
    args = ["--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        args += ["--threads", str(threads)]
    return args


@contextmanager
def gunicorn(
    name: str,
    app_spec: str,
    env: dict,
    options: Sequence[str],
    logs: Path,
    health_path: str = "/",
    timeout: int = 60,
) -> Iterator[Server]:
    """Start gunicorn on a free loopback port, wait until it answers, stop it on exit.

    timeout is gunicorn's: a worker silent for longer is killed (the production setting's 60 s).
    """
    port = free_port()
    log = logs / f"{name}.log"
    command = [
        str(BIN / "gunicorn"),
        *options,
        "--bind",
        f"{HOST}:{port}",
        "--backlog",
        "2048",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
        "--pythonpath",
        str(BENCH_DIR),
        app_spec,
    ]
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=sink, stderr=sink, start_new_session=True
        )
    server = Server(name, port, process, log)
    try:
        _wait_ready(server, health_path)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, path: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            sys.exit(f"{server.name}: gunicorn exited; see its log:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.base + path, timeout=5) as reply:
                if reply.status < 500:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)  # polling a starting process, not synchronising a measurement
    sys.exit(f"{server.name}: gunicorn did not answer within {READY_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop a gunicorn master we started (SIGTERM, then SIGKILL to its own group)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this script created for it
            process.wait(STOP_TIMEOUT)


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile of already sorted values (nan when empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def dump(path: Path | None, data: dict) -> None:
    """Write the figures as JSON when a path was given."""
    if path is not None:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def database_argument(parser, default: str, variable: str = "SATISFACTION_BENCH_DATABASE_URL"):
    """Add --database-url: the PostgreSQL database a benchmark drops and recreates."""
    parser.add_argument("--database-url", default=os.environ.get(variable, default),
                        type=_postgres_url(parser))  # fmt: skip


def _postgres_url(parser):
    def check(url: str) -> str:
        if not url.startswith("postgresql"):
            parser.error("--database-url must be a PostgreSQL URL (it is dropped and recreated)")
        return url

    return check


def copy_responses(db, count: int, points_sql: str, copies_sql: str) -> None:
    """Add copies of the drawn answers up to count responses, at other service points.

    points_sql makes the tables bench_points and bench_levels (which point each copy goes to);
    copies_sql inserts a copy of up to :limit original answers, numbered :copy.
    """
    have = db.session.scalar(db.text("SELECT count(*) FROM responses"))
    if have >= count:
        return
    db.session.execute(db.text(points_sql))
    db.session.execute(db.text("CREATE TABLE bench_originals AS SELECT * FROM responses"))
    # Without an index and statistics the planner took the fresh tables for tiny ones and
    # joined the points by a nested loop: some 700 copies a second, hours for nine million.
    db.session.execute(db.text("CREATE INDEX ON bench_points (level, n)"))
    db.session.execute(db.text("ANALYZE bench_points, bench_levels, bench_originals"))
    generated, copy = have, 0
    while have < count:
        copy += 1
        limit = min(generated, count - have)
        db.session.execute(db.text(copies_sql), {"limit": limit, "copy": str(copy)})
        db.session.commit()
        have += limit
        print(f"  {have:,} responses", flush=True)
    db.session.execute(db.text("DROP TABLE bench_points, bench_levels, bench_originals"))
    db.session.commit()


def time_calls(calls: dict, runs, turns: bool = False) -> dict:
    """Return the p50 and p95 (ms) of each call, after one warming call (the heap settled first),
    and the p50 of the yardstick timed just before each of its calls (yardstick()).

    runs: how many timed calls, or a function of a call's name giving it.
    turns: the calls taken in turns, a timed call of each a round, so that a slow minute of the
    machine falls on every line alike rather than on the few measured meanwhile; each call is
    then made once more, untimed, just before its timed call (a cold line drops what the
    process keeps, and a warm line is measured warm).
    After each call the garbage is collected untimed (ops.heap.between_requests), as a worker
    does once a response is sent.
    """
    from satisfaction.ops import heap

    heap.settle()  # as a worker's start-up leaves it (deploy/gunicorn.conf.py)
    counts = {name: runs(name) if callable(runs) else runs for name in calls}
    times: dict = {name: [] for name in calls}
    yards: dict = {name: [] for name in calls}
    for call in calls.values():
        call()  # warm: schemes and outlines cached, plans made
    if turns:
        for round_ in range(max(counts.values(), default=0)):
            for name, call in calls.items():
                if round_ < counts[name]:
                    _in_own_transaction(call)
                    _time_one(call, times[name], yards[name])
    else:
        for name, call in calls.items():
            for _ in range(counts[name]):
                _time_one(call, times[name], yards[name])
    figures = {}
    for name in calls:
        found, yard = sorted(times[name]), sorted(yards[name])
        figures[name] = (percentile(found, 0.5), percentile(found, 0.95), percentile(yard, 0.5))
    return figures


def _in_own_transaction(call) -> None:
    """Call in a transaction of its own, as each request has: nothing read by the call before is
    kept for it (core/memo.py keeps values for one transaction)."""
    from satisfaction.extensions import db
    from satisfaction.ops import heap

    db.session.rollback()
    call()
    heap.between_requests()  # as a worker does once a response is sent (gunicorn.conf.py)


def _time_one(call, times: list, yards: list) -> None:
    """Time the yardstick, then call in a transaction of its own; add both to their lists. The
    garbage is collected after the call, untimed, as a worker does once a response is sent."""
    from satisfaction.extensions import db
    from satisfaction.ops import heap

    db.session.rollback()
    yards.append(_timed(yardstick))
    times.append(_timed(call))
    heap.between_requests()


def yardstick() -> int:
    """Do a fixed amount of plain Python arithmetic, as much each time: timed beside each call,
    it tells how fast the machine ran meanwhile (a shared machine's speed moves by half within
    minutes). It makes no container object: the garbage collector's count is left as the calls
    before left it, so no collection is moved out of the call timed after it."""
    total = 0
    for i in range(600_000):
        total += i * 7919 % 104_729
    return total


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def print_figures(period: str, figures: dict) -> None:
    """Print a period's p50 and p95 (ms) of each call, and the yardstick's p50 beside it."""
    print(f"\nperiod {period or 'all dates'}          p50 ms    p95 ms   yardstick p50 ms")
    for name, (p50, p95, yard) in figures.items():
        print(f"  {name:16s} {p50:9.0f} {p95:9.0f} {yard:12.1f}")


def latest_quarter(app) -> str:
    """Return the quarter of the latest answer in the app's database, as "2026-Q3"."""
    from satisfaction.extensions import db

    with app.app_context():
        latest = db.session.scalar(db.text("SELECT max(answered_on) FROM responses"))
    return f"{latest.year}-Q{(latest.month - 1) // 3 + 1}"


def measure_periods(periods, measure, data: dict) -> None:
    """Measure each period (measure(period) gives its figures), print them and keep them in data."""
    for period in periods:
        figures = measure(period)
        data[period or "all"] = figures
        print_figures(period, figures)
