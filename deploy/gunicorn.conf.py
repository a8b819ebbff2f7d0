"""gunicorn settings for the platform.

Run: gunicorn -c deploy/gunicorn.conf.py 'satisfaction:create_app()'

Every value can be changed without editing this file: GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT. The README's "Production" section explains the choices.
"""

import glob
import os
import tempfile

# Listen on loopback only: the reverse proxy in front terminates HTTPS and forwards here.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers a core: a request mostly waits for PostgreSQL. Threads stay at one: the scoring
# pages are CPU-bound, and one thread a process keeps a slow page from stalling others.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A score page of the nation or a batch's PDF takes seconds; beyond this a worker is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows (the jitter spreads restarts).
max_requests = 2000
max_requests_jitter = 200
# The app writes its own request log lines (JSON, with the request id, without the path of a
# citizen's code); gunicorn's access log would repeat them with the full path.
accesslog = None
errorlog = "-"

# prometheus_client's multiprocess mode: each worker writes its counts in this folder and
# /metrics adds them up. Set PROMETHEUS_MULTIPROC_DIR to choose the folder; else one is made.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="satisfaction-metrics-")


def on_starting(server) -> None:
    """Empty the metrics folder: counts of a previous run must not add up with this one's."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(folder, "*.db")):
        os.remove(path)


def post_worker_init(worker) -> None:
    """Keep the app as loaded out of the garbage collector's walks (satisfaction.ops.heap)."""
    from satisfaction.ops import heap

    heap.settle()


def post_request(worker, req, environ, resp) -> None:
    """Collect garbage once the response is sent, not in the next page (satisfaction.ops.heap)."""
    from satisfaction.ops import heap

    heap.between_requests()


def child_exit(server, worker) -> None:
    """Let the metrics of a worker that ended stop counting as a live process."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
