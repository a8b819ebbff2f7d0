"""Default configuration; instance/config.py and SATISFACTION_* variables override it."""

DEFAULT_SECRET_KEY = "dev-only-not-secret"

DEFAULTS: dict[str, object] = {
    # development | testing | production. Production refuses the default secret key.
    "ENVIRONMENT": "production",
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    # Set through SATISFACTION_DATABASE_URL; None means SQLite in the instance folder.
    "DATABASE_URL": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # PostgreSQL memory per sort or hash of one query (work_mem): the score pages group about
    # 100,000 aggregate rows; PostgreSQL's default (4MB) sends that grouping to disk. None: keep it.
    "POSTGRES_WORK_MEM": "32MB",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ["vi", "en"],
    "FORMS_DIR": None,  # None means the forms/ folder beside the package
    "DEFAULT_QUESTIONNAIRE": "sipas-services",
    "MIN_N": 30,
    "REPORT_ISSUER": "Bộ Nội vụ",  # the body named at the head of every PDF report
    # The ballot box (docs/methodology.md, "Anonymity"): answers wait until MIX_MIN of them,
    # across the platform, can be counted together in a random order; one waiting longer than
    # MIX_MAX_WAIT seconds goes with a smaller batch (weaker). Batches hold at most MIX_BATCH_MAX.
    "MIX_MIN": 20,
    "MIX_MAX_WAIT": 24 * 3600,
    "MIX_BATCH_MAX": 5000,
    # Mix in the web process, after a response that recorded an answer has been sent (the
    # embedded default needs no other process). False: something else mixes, the jobs worker's
    # tick or `satisfaction responses mix --every N`. None: true unless jobs run on RQ, whose
    # worker's tick mixes (the web workers then only drop answers in the box).
    "MIX_AFTER_ANSWER": None,
    # ... in a thread of the web process, woken by that response: the worker serves the next
    # request meanwhile (survey/mixing.py). False: on the request's own thread, after sending.
    "MIX_IN_THREAD": True,
    # Days a form's code can be answered, from the day it was issued; a batch may set its own.
    # A paper form received by the post office within them still counts when keyed later.
    "CODE_VALID_DAYS": 180,
    # Share of paper forms keyed twice, blind, by two clerks (0: none, 1: every form).
    "DOUBLE_ENTRY_SHARE": 0.1,
    # Redis shared by every worker and machine (e.g. redis://10.0.0.5:6379/0): rate limits
    # count there, and /readyz checks it. None: the embedded default, which needs no Redis.
    "REDIS_URL": None,
    # Where long work runs: None chooses RQ on REDIS_URL when set (run `satisfaction jobs
    # worker`), else a thread of the app; "inline" runs a job at once, in the request (tests).
    "JOBS_BACKEND": None,
    "JOBS_QUEUE": "satisfaction",  # the RQ queue's name
    # Without RQ the app ticks itself this often (mix a due ballot box, take up the jobs of a
    # process that died); 0: never (the tests tick by hand).
    "JOBS_TICK_SECONDS": 60,
    # Larger uploads and batches become jobs; smaller ones are done within the request.
    "JOBS_DOSSIER_ROWS": 2000,
    "JOBS_PRINT_FORMS": 500,
    # memory:// counts per process; with REDIS_URL set (and this left as it is) the limits
    # count in that Redis, shared by every worker. Another URI (redis://, memcached://) wins.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_STORAGE_OPTIONS": {},  # for a Redis store: 2 s timeouts unless set here
    "RATELIMIT_KEY_PREFIX": "satisfaction",
    # Redis unreachable: count in each process's memory until it answers again (never a 500).
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Per client address: look-ups of typed or scanned codes (against guessing).
    "CODE_RATE_LIMIT": "60 per minute;600 per day",
    # Answers through a desk poster, at each service point: per browser (a random cookie), and
    # per address, generous, since a centre's citizens share its Wi-Fi (survey/desk.py).
    "DESK_RATE_LIMIT": "5 per hour;20 per day",
    "DESK_ADDRESS_RATE_LIMIT": "120 per hour;600 per day",
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none).
    "TRUSTED_PROXIES": 0,
    # Logs: one JSON object a line with the request id (None: on in production, else plain text).
    "LOG_JSON": None,
    "LOG_LEVEL": "INFO",
    # Who may read /metrics and /readyz: a client from these addresses or networks, or one
    # sending "Authorization: Bearer <METRICS_TOKEN>". /healthz is open to everyone.
    "METRICS_ALLOWED_ADDRESSES": ["127.0.0.1", "::1"],
    "METRICS_TOKEN": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,  # None: secure except in development and testing
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # A scan file of a day's returns: 1,000 pages at 200 dpi in grey are about 230 MiB.
    "SCAN_UPLOAD_MAX_LENGTH": 320 * 1024 * 1024,
}
