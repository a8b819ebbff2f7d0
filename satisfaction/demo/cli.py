"""Commands that prepare a demonstration installation."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from satisfaction.auth import services as accounts
from satisfaction.auth.models import Role
from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.demo import seed as seeding
from satisfaction.extensions import db
from satisfaction.survey.models import Response

demo_cli = AppGroup("demo", help="Prepare a demonstration installation.")


DEMO_STAFF = (
    ("admin", Role.ADMIN, None),
    ("buudien.badinh", Role.POSTAL, "001"),
    ("phutrach.badinh", Role.SUPERVISOR, "001"),
    ("caicach.hanoi", Role.OFFICER, "01"),
)


@demo_cli.command("staff")
@click.option("--password", required=True, help="Password of every demo account (10+ characters).")
def demo_staff(password: str):
    """Create the demo accounts (an admin, a Ba Đình clerk and supervisor, a Hà Nội officer)."""
    with fail_on_input_error():
        for username, role, scope in DEMO_STAFF:
            try:
                user = accounts.get_user(username)
            except NotFound:
                user = accounts.create_user(username, password, role, scope)
            else:
                accounts.set_password(user, password)
            click.echo(_("Account %(name)s (%(role)s) is ready.", name=user.username,
                         role=role.value))  # fmt: skip
    db.session.commit()


@demo_cli.command("seed")
@click.option("--responses", "count", type=click.IntRange(min=1), default=200_000,
              show_default=True, help="How many responses to add.")  # fmt: skip
@click.option("--dataset", help="Unit dataset (default: the one in force).")
@click.option("--seed", "random_seed", type=int, default=2026, show_default=True,
              help="Random seed: the same seed gives the same picture.")  # fmt: skip
@click.option("--if-empty", is_flag=True, help="Add nothing if there are responses already.")
def demo_seed(count: int, dataset: str | None, random_seed: int, if_empty: bool):
    """Fill a realistic picture of answers and forms over the last six quarters of a dataset."""
    existing = db.session.scalar(select(func.count()).select_from(Response))
    if if_empty and existing:
        click.echo(_("There are %(n)d responses already; nothing added.", n=existing))
        return
    steps = 2 * count + existing  # made, then counted in the aggregates with those already there
    with fail_on_input_error(), click.progressbar(length=steps, label=_("Responses")) as bar:
        try:
            outcome = seeding.seed(count, dataset, random_seed, bar.update)
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("%(responses)d responses and %(forms)d forms added from %(day)s; "
                 "%(cells)d aggregate cells.", responses=outcome.responses,
                 forms=outcome.invitations, day=outcome.first_day.isoformat(),
                 cells=outcome.cells))  # fmt: skip
