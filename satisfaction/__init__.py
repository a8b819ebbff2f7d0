"""The satisfaction platform: citizen surveys on paper and online, scored per unit."""

import os
import re
from pathlib import Path

# numpy's BLAS on one thread, set before numpy loads (its threads start with it). The figures
# multiply small matrices (hundreds of desks by a hundred answers): a few microseconds on one
# thread, but 2-5 ms each when BLAS wakes threads on cores the other workers and PostgreSQL
# are using. Parallel work here is the server's workers', not one request's.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from flask import Flask

from satisfaction.config import DEFAULT_SECRET_KEY, DEFAULTS
from satisfaction.core.uploads import AppRequest

PACKAGE_DIR = Path(__file__).resolve().parent
WORK_MEM = re.compile(r"[1-9][0-9]*(kB|MB|GB)")  # a PostgreSQL memory size


class ConfigurationError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def _postgres_settings(config) -> str:
    """Return the settings of each PostgreSQL session, as connection options.

    Every plan is made for its own values (plan_cache_mode): the driver prepares a statement
    run five times, and PostgreSQL's generic plan of it ignores how unequal units are. A
    commune's cells read by the plan made for any unit took 25 ms instead of 1 ms.
    """
    settings = ["-c plan_cache_mode=force_custom_plan"]
    if config.get("POSTGRES_WORK_MEM"):
        work_mem = str(config["POSTGRES_WORK_MEM"])
        if not WORK_MEM.fullmatch(work_mem):
            raise ConfigurationError(
                f"POSTGRES_WORK_MEM must be a size such as 32MB or 65536kB, not {work_mem!r}."
            )
        settings.append(f"-c work_mem={work_mem}")
    return " ".join(settings)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("SATISFACTION_INSTANCE_PATH") or None,
    )
    app.request_class = AppRequest
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SATISFACTION")
    else:
        app.config.from_mapping(test_config)
    _finish_config(app)

    from satisfaction import wiring

    wiring.init_app(app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive settings from the ones given and refuse unsafe combinations."""
    config = app.config
    env = str(config["ENVIRONMENT"]).lower()
    if env not in {"development", "testing", "production"}:
        raise ConfigurationError(
            f"ENVIRONMENT must be development, testing or production, not {env!r}."
        )
    config["ENVIRONMENT"] = env
    relaxed = env in {"development", "testing"} or app.debug or config.get("TESTING")
    if not relaxed and config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigurationError(
            "Refusing to start: SECRET_KEY is the built-in development key, which anyone can "
            "read in the source. Set SECRET_KEY in instance/config.py or SATISFACTION_SECRET_KEY "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or set SATISFACTION_ENVIRONMENT=development on a developer's machine."
        )
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not relaxed
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    url = config.get("DATABASE_URL") or config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "satisfaction.sqlite")
    config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
    elif url.startswith("postgresql"):
        options["connect_args"] = {"options": _postgres_settings(config),
                                   **options.get("connect_args", {})}  # fmt: skip
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    _shared_limits(config)
    if not config.get("FORMS_DIR"):
        config["FORMS_DIR"] = str(PACKAGE_DIR.parent / "forms")


def _shared_limits(config) -> None:
    """Count rate limits in the shared Redis when one is configured and no other store is."""
    redis_url = config.get("REDIS_URL")
    if redis_url and str(config.get("RATELIMIT_STORAGE_URI") or "memory://") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = str(redis_url)
    is_redis = str(config["RATELIMIT_STORAGE_URI"]).startswith("redis")
    if is_redis and not config.get("RATELIMIT_STORAGE_OPTIONS"):
        # A Redis that went away must not hold every request for the system's TCP timeout.
        config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_connect_timeout": 2, "socket_timeout": 2}
