"""`satisfaction demo seed`: a realistic picture, fast, counted in the aggregates."""

from datetime import date

from sqlalchemy import func, select

from satisfaction.extensions import db
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.scoring.models import ScoreCell, Source
from satisfaction.survey.models import Invitation, InvitationStatus, Mode, Response
from satisfaction.units.models import AdminUnit
from tests.scoring.helpers import same, snapshot


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_fills_every_channel_and_keeps_the_aggregates(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--responses", "1500", "--seed", "7"])
    assert result.exit_code == 0, result.output
    with survey_app.app_context():
        assert _count(Response) == 1500
        assert set(db.session.scalars(select(ScoreCell.source).distinct())) == set(Source)
        assert set(db.session.scalars(select(Response.mode).distinct())) == {
            Mode.ONLINE, Mode.KEYED, Mode.SCANNED}  # fmt: skip
        answered = _count(Invitation, Invitation.answered_month.is_not(None))
        waiting = _count(Invitation, Invitation.status.in_(
            [InvitationStatus.ISSUED, InvitationStatus.DISPATCHED]))  # fmt: skip
        assert answered == _count(Response, Response.is_poster.is_(False))
        assert 0.4 < answered / (answered + waiting) < 0.8  # plausible return rates
        days = db.session.execute(select(func.min(Response.answered_on),
                                         func.max(Response.answered_on))).one()  # fmt: skip
        assert days[0].isoformat() >= "2024-01-01" and days[1].isoformat() <= "2025-06-30"
        kept = snapshot()
        rebuilding.rebuild()
        assert same(snapshot(), kept)
        db.session.rollback()
    again = runner.invoke(args=["demo", "seed", "--responses", "10", "--seed", "8"])
    assert again.exit_code == 0, again.output
    with survey_app.app_context():
        assert _count(Response) == 1510
        assert sum(db.session.scalars(select(ScoreCell.responses))) == 1510


def test_units_and_elements_differ(survey_app):
    from satisfaction.scoring import services
    from satisfaction.units.models import AdminUnit

    assert survey_app.test_cli_runner().invoke(
        args=["demo", "seed", "--responses", "3000", "--seed", "3"]).exit_code == 0  # fmt: skip
    with survey_app.app_context():
        units = db.session.scalars(select(AdminUnit).where(AdminUnit.level == "province")).all()
        figures = [services.unit_scores(unit).scores for unit in units]
        assert len({round(f.index.value, 1) for f in figures}) == len(figures)
        elements = figures[0].elements
        assert elements["feedback"].value < elements["staff"].value
        assert 60 < figures[0].index.value < 95


def test_seed_needs_a_questionnaire(app, small_units):
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--responses", "5"])
    assert result.exit_code == 1
    assert "questionnaires sync" in result.output


def test_if_empty_adds_nothing_the_second_time(survey_app):
    runner = survey_app.test_cli_runner()
    args = ["demo", "seed", "--responses", "20", "--if-empty"]
    assert runner.invoke(args=args).exit_code == 0
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "20" in second.output
    with survey_app.app_context():
        assert _count(Response) == 20


def test_the_demo_crosses_the_reform(app, runner):
    for name in ("vn-2024", "vn-2025"):
        assert runner.invoke(args=["units", "load", name]).exit_code == 0
    assert runner.invoke(args=["questionnaires", "sync"]).exit_code == 0
    staff = runner.invoke(args=["demo", "staff", "--password", "demo-password-1"])
    assert staff.exit_code == 0, staff.output
    for name in ("vn-2024", "vn-2025"):
        args = ["demo", "seed", "--responses", "400", "--dataset", name, "--if-empty"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    again = runner.invoke(args=["demo", "seed", "--responses", "9", "--dataset", "vn-2025",
                                "--if-empty"])  # fmt: skip
    assert again.exit_code == 0 and _count_in(app) == 800, again.output
    listing = runner.invoke(args=["users", "list", "--format", "csv"]).output.splitlines()
    assert "buudien.badinh,postal,00004,yes" in listing  # Ba Đình is a ward since the reform
    export = ["scores", "export", "--level", "province", "--period", "2024", "--dataset"]
    rows = runner.invoke(args=[*export, "vn-2025"]).output.splitlines()[1:]
    assert len(rows) == 34 and sum(int(row.split(",")[4]) for row in rows) > 200
    with app.app_context():
        days = db.session.execute(select(Response.answered_on, AdminUnit.dataset_id).join(
            AdminUnit, AdminUnit.id == Response.province_id)).all()  # fmt: skip
        first = {d: min(day for day, i in days if i == d) for _day, d in days}
        last = {d: max(day for day, i in days if i == d) for _day, d in days}
        old, new = sorted(first)
        assert last[old] <= date(2025, 6, 30) < date(2025, 7, 1) <= first[new]


def _count_in(app) -> int:
    with app.app_context():
        return _count(Response)


def test_the_demo_draws_fields_so_a_unit_shows_its_breakdown(survey_app):
    from satisfaction.scoring import breakdowns
    from satisfaction.units.queries import get_unit

    assert survey_app.test_cli_runner().invoke(
        args=["demo", "seed", "--responses", "3000", "--seed", "3"]).exit_code == 0  # fmt: skip
    with survey_app.test_request_context():
        found = {f.code: f for f in breakdowns.by_field(get_unit("01", None))}
        assert {"ho-tich", "chung-thuc", "dat-dai", ""} <= set(found)
        assert found[""].rank is None and found["ho-tich"].rank is not None
        # Land procedures are drawn less satisfying than certifications.
        assert found["dat-dai"].scores.index.value < found["chung-thuc"].scores.index.value
        # No poster answer carries a field: the poster page asks, the demo draws none there.
        assert db.session.scalar(select(func.count()).select_from(Response).where(
            Response.is_poster.is_(True), Response.field_code != "")) == 0  # fmt: skip
