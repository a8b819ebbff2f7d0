"""The citizen's submit in process: CPU a POST costs, beside the minimal submit's, and a profile.

    .venv/bin/python bench/submit_profile.py [--submits 600] [--rounds 1] [--profile FILE]
        [--top 40] [--mix-min 20] [--database-url URL]

Creates (drops first) the database named by --database-url, migrates it, loads vn-2024, syncs
the questionnaires and issues codes (over 60 provinces' communes, as bench/survey_load.py's
"provinces" placement) through the `satisfaction` command. Then, in this process, with Flask's
test client on the production settings (JSON logs, a random secret key, CSRF on):

  minimal   POST /m/<n> of bench/minimal_submit_app.py: one UPDATE, one INSERT, a commit
  submit    POST /s/<code> of the app with the session cookie and form token of one page
            fetched first, as a browser keeps them; the mixer runs after every MIX_MIN answers,
            as in a worker (the test client calls the response's close hooks)

Each is timed over --submits POSTs after a warm-up of 50: CPU seconds of this process (the
database's own work is PostgreSQL's) and wall time, per POST; with --rounds N in N turns each,
minimal and submit alternating, so that other work on a shared machine falls on both alike.
--profile writes the cProfile of a further run of submits (and prints its --top functions by
their own time).
"""

import argparse
import cProfile
import io
import itertools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import harness
import minimal_submit_app
import survey_load
from sqlalchemy import event

DEFAULT_URL = (
    "postgresql+psycopg://satisfaction:satisfaction@127.0.0.1:5432/satisfaction_bench_submit"
)
WARM_UP = 50


def main() -> None:
    """Prepare the database, time both submits in process, optionally profile the real one."""
    args = _arguments()
    load = harness.load_average()
    needed = WARM_UP * 2 + args.submits * (2 + bool(args.profile) + bool(args.statements))
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        env = harness.app_env(args.database_url, Path(scratch) / "instance", "http://127.0.0.1",
                              SATISFACTION_MIX_MIN=str(args.mix_min))  # fmt: skip
        harness.recreate_postgres_database(args.database_url)
        for command in (["db", "upgrade"], ["units", "load", "vn-2024"],
                        ["questionnaires", "sync"]):  # fmt: skip
            harness.satisfaction(command, env)
        minimal_submit_app.prepare(args.database_url, needed)
        points = survey_load._points(env)["provinces"]
        per_point = survey_load._issue(env, {p: needed // len(points) + 1 for p in points})
        codes = [code for group in zip(*per_point, strict=False) for code in group]
        answers = survey_load._answers(env)
        os.environ.update(env)
        app, submit = _submit_post(codes, answers)
        figures = _timed_in_turns({"minimal": _minimal_post(answers), "submit": submit},
                                  args.submits, args.rounds)  # fmt: skip
        _inspect(app, submit, args)
    print(f"\nsubmit_profile, {harness.today()}: {harness.machine()}")
    print(f"{load}; after: {harness.load_average().split('run ', 1)[1]}")
    print(
        f"{args.submits} POSTs each after {WARM_UP} of warm-up, in {args.rounds} turns, "
        "Flask test client, PostgreSQL"
    )
    print(f"\n{'':10}{'CPU ms':>8}{'wall ms':>9}  statuses")
    for name, (cpu, wall, statuses) in figures.items():
        print(f"{name:10}{cpu:8.2f}{wall:9.2f}  {statuses}")
    ratio = figures["minimal"][0] / figures["submit"][0]
    print(f"\nminimal CPU / submit CPU = {ratio:.3f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--submits", type=int, default=600, help="timed POSTs of each")
    parser.add_argument("--rounds", type=int, default=1,
                        help="turns of the timed POSTs, minimal and submit in turn")  # fmt: skip
    parser.add_argument("--mix-min", type=int, default=20, help="MIX_MIN of the app")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the submits here")
    parser.add_argument("--top", type=int, default=40, help="functions printed from the profile")
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="what the profile measures: this process's CPU, or wall time",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="also list the SQL statements of the submits, with their wall time",
    )
    harness.database_argument(parser, DEFAULT_URL)
    return parser.parse_args()


def _minimal_post(answers: dict[str, str]):
    """Return a function posting one answer to the minimal submit (a new code each call)."""
    app = minimal_submit_app.create_app()
    client = app.test_client()
    body = urlencode(answers)
    numbers = itertools.count(1)

    def post():
        return client.post(f"/m/{next(numbers)}", data=body,
                           content_type="application/x-www-form-urlencoded")  # fmt: skip

    return post


def _submit_post(codes: list[str], answers: dict[str, str]):
    """Return the app and a function posting one answer to it (a fresh code each call)."""
    from satisfaction import create_app

    app = create_app()
    client = app.test_client()
    fresh = list(reversed(codes))
    page = client.get(f"/s/{fresh[-1]}")
    token = survey_load.TOKEN.search(page.data)
    if page.status_code != 200 or token is None:
        sys.exit(f"the page of a code gave {page.status_code}" + ("" if token else ", no token"))
    body = urlencode({**answers, "csrf_token": token.group(1).decode()})

    def post():
        reply = client.post(f"/s/{fresh.pop()}", data=body,
                            content_type="application/x-www-form-urlencoded")  # fmt: skip
        reply.close()  # runs call_on_close (the mixer), as a server does after sending
        return reply

    return app, post


def _inspect(app, post, args) -> None:
    """List the submits' statements and write their profile, as the arguments ask."""
    if args.statements:
        with app.app_context():
            _list_statements(db_engine(), post, args.submits)
    if args.profile:
        profile = cProfile.Profile(time.process_time if args.clock == "cpu" else time.perf_counter)
        profile.enable()
        for _ in range(args.submits):
            post()
        profile.disable()
        profile.dump_stats(args.profile)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


def db_engine():
    """Return the app's engine (in its app context)."""
    from satisfaction.extensions import db

    return db.engine


def _list_statements(engine, post, count: int) -> None:
    """Run count more submits and print each kind of statement: how often and its wall time."""
    seen: dict[str, list[float]] = {}
    started: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        started.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        key = " ".join(statement.split())[:70]
        seen.setdefault(key, []).append(time.perf_counter() - started.pop())

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(count):
            post()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    print(f"\nstatements of {count} submits (the mixer's included): per submit, ms each")
    for key, times in sorted(seen.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {len(times) / count:6.2f} x {1000 * sum(times) / len(times):6.2f} ms  {key}")


def _timed_in_turns(posts: dict, count: int, rounds: int) -> dict[str, tuple[float, float, dict]]:
    """Return CPU ms and wall ms per POST of each, and the statuses seen, timed in turns.

    After a warm-up of each, each posts count // rounds times in its turn, rounds times: what
    else the machine runs meanwhile falls on all of them alike.
    """
    for post in posts.values():
        for _ in range(WARM_UP):
            post()
    sums = {name: [0.0, 0.0, {}] for name in posts}
    per_round = count // rounds
    for _ in range(rounds):
        for name, post in posts.items():
            statuses = sums[name][2]
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(per_round):
                status = post().status_code
                statuses[status] = statuses.get(status, 0) + 1
            sums[name][0] += time.process_time() - cpu
            sums[name][1] += time.perf_counter() - wall
    done = per_round * rounds
    return {name: (1000 * cpu / done, 1000 * wall / done, statuses)
            for name, (cpu, wall, statuses) in sums.items()}  # fmt: skip


if __name__ == "__main__":
    main()
