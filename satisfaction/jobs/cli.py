"""The jobs commands: run the worker, list jobs, start one from the command line."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import print_rows
from satisfaction.extensions import db
from satisfaction.jobs import queue, services, worker
from satisfaction.jobs.models import Job

jobs_cli = AppGroup("jobs", help="Long work run off the request: the worker and the jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool):
    """Run jobs from the Redis queue (REDIS_URL), with the scheduler of retries and the tick."""
    if queue.backend() != "rq":
        raise click.ClickException(_("No Redis is configured (SATISFACTION_REDIS_URL): the app "
                                     "runs its jobs itself, no worker is needed."))  # fmt: skip
    worker.work(burst=burst)


@jobs_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table")
def list_command(fmt: str):
    """List the newest jobs: id, kind, status, progress, title."""
    stmt = db.select(Job).order_by(Job.id.desc()).limit(50)
    rows = [(str(j.id), j.kind, j.status.value, f"{j.done}/{j.total}", j.title)
            for j in db.session.scalars(stmt)]  # fmt: skip
    print_rows(["id", "kind", "status", "progress", "title"], rows, fmt)


@jobs_cli.command("rebuild")
def rebuild_command():
    """Start `scores rebuild` as a job (on the worker with Redis, else here); print its id."""
    job = services.submit("rebuild", None, _("the score aggregates"))
    db.session.commit()
    if queue.backend() == "thread":  # nothing would outlive this command: run it here
        queue.run_here(job)
    else:
        queue.launch(job)
    click.echo(job.id)
