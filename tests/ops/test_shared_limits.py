"""Rate limits are shared by every process when Redis is configured, per process otherwise."""

import uuid

from tests.conftest import REDIS_URL, needs_redis
from tests.ops.servers import fetch, free_port, gunicorn, server_env


def failed_logins_let_through(env: dict[str, str], attempts: int = 30) -> int:
    """Send wrong passwords to two gunicorns in turn; return how many were not throttled."""
    with gunicorn(env) as first, gunicorn(env) as second:
        bases = [first, second] * (attempts // 2)
        wrong = {"username": "nobody", "password": "wrong password"}
        statuses = [fetch(base + "/login", wrong)[0] for base in bases]
    assert set(statuses) <= {200, 429}, statuses
    return statuses.count(200)


@needs_redis
def test_failed_logins_across_two_servers_share_one_limit(schema_url):
    env = server_env(schema_url, SATISFACTION_REDIS_URL=REDIS_URL,
                     SATISFACTION_LOGIN_RATE_LIMIT="10 per minute",
                     SATISFACTION_RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")  # fmt: skip
    assert failed_logins_let_through(env) == 10


def test_without_redis_each_process_counts_for_itself(schema_url):
    env = server_env(schema_url, SATISFACTION_LOGIN_RATE_LIMIT="10 per minute")
    assert failed_logins_let_through(env) > 10  # what Redis is for: 4 workers, 4 limits


def test_a_redis_away_never_gives_a_500_and_still_limits(make_app, small_units):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                   REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # fmt: skip
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    client = app.test_client()
    wrong = {"username": "nobody", "password": "wrong password"}
    codes = [client.post("/login", data=wrong).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # counted in this process's memory meanwhile


def test_another_store_named_for_the_limits_wins(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="memory://x")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://x"
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"  # the embedded default
