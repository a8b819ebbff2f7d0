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
from satisfaction.units.queries import find_unit

demo_cli = AppGroup("demo", help="Prepare a demonstration installation.")


# Scopes: the first code found in the list in force (Ba Đình: a district in vn-2024, a ward since).
DEMO_STAFF = (
    ("admin", Role.ADMIN, ()),
    ("buudien.badinh", Role.POSTAL, ("001", "00004")),
    ("phutrach.badinh", Role.SUPERVISOR, ("001", "00004")),
    ("caicach.hanoi", Role.OFFICER, ("01",)),
)


def _scope(codes: tuple[str, ...]) -> str | None:
    """Return the first of codes that names a unit of the list in force (else the first)."""
    return next(
        (code for code in codes if find_unit(code) is not None), codes[0] if codes else None
    )


@demo_cli.command("staff")
@click.option("--password", required=True, help="Password of every demo account (10+ characters).")
def demo_staff(password: str):
    """Create the demo accounts (an admin, a Ba Đình clerk and supervisor, a Hà Nội officer)."""
    with fail_on_input_error():
        for username, role, codes in DEMO_STAFF:
            try:
                user = accounts.get_user(username)
            except NotFound:
                user = accounts.create_user(username, password, role, _scope(codes))
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
@click.option("--if-empty", is_flag=True,
              help="Add nothing if the unit list has responses already.")  # fmt: skip
def demo_seed(count: int, dataset: str | None, random_seed: int, if_empty: bool):
    """Fill a realistic picture of answers and forms over a dataset's last six quarters in force."""
    existing = db.session.scalar(select(func.count()).select_from(Response))
    with fail_on_input_error():
        try:
            recorded = seeding.recorded_on(dataset)
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    if if_empty and recorded:
        click.echo(_("There are %(n)d responses on this unit list already; nothing added.",
                     n=recorded))  # fmt: skip
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
