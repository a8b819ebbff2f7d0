"""The ballot box: answers wait, are counted together in batches, once, whatever goes wrong."""

import ast
import json
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.scoring import rebuild as rebuilding
from satisfaction.survey import ballot_box
from satisfaction.survey.models import Ballot, Response
from tests.conftest import mix_now
from tests.scoring.helpers import rollup_snapshot, same, snapshot
from tests.survey.conftest import full_answers

PACKAGE = Path(__file__).resolve().parents[2] / "satisfaction"


@pytest.fixture
def box_app(make_app, survey_app):
    """Return a factory of apps on the survey database that mix at MIX_MIN (default 5)."""

    def factory(**config):
        return make_app(**{"MIX_MIN": 5, **config})

    return factory


def _stats(app) -> dict:
    result = app.test_cli_runner().invoke(args=["responses", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _counted(app) -> int:
    return sum(_stats(app)["responses"].values())


def _aggregates_equal_a_rebuild(app) -> None:
    with app.app_context():
        cells, rollups = snapshot(), rollup_snapshot()
        rebuilding.rebuild()
        db.session.commit()
        assert same(snapshot(), cells) and same(rollup_snapshot(), rollups)


def test_answers_wait_for_enough_others_then_count_together(box_app, issue):
    app = box_app()
    client = app.test_client()
    codes = issue(5)
    for code in codes[:4]:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    assert _stats(app)["waiting"] == 4 and _counted(app) == 0
    assert client.post(f"/s/{codes[4]}", data=full_answers()).status_code == 302
    assert _stats(app)["waiting"] == 0 and _counted(app) == 5
    _aggregates_equal_a_rebuild(app)


def test_a_code_whose_answer_waits_is_still_refused(box_app, issue):
    app = box_app()
    client = app.test_client()
    (code,) = issue()
    assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    again = client.post(f"/s/{code}", data=full_answers())
    assert again.status_code == 409
    assert _stats(app)["waiting"] == 1 and _counted(app) == 0


def test_an_answer_waiting_too_long_goes_with_a_smaller_batch(box_app, issue):
    app = box_app(MIX_MAX_WAIT=3600)
    client = app.test_client()
    codes = issue(2)
    client.post(f"/s/{codes[0]}", data=full_answers())
    with app.app_context():
        db.session.execute(update(Ballot).values(dropped_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    client.post(f"/s/{codes[1]}", data=full_answers())
    assert _stats(app)["waiting"] == 0 and _counted(app) == 2


def test_the_mix_command_counts_everything_waiting(box_app, issue):
    app = box_app(MIX_MIN=50)
    client = app.test_client()
    for code in issue(3):
        client.post(f"/s/{code}", data=full_answers())
    client.post("/d/C00001-T", data=full_answers())
    assert _stats(app)["waiting"] == 4
    result = app.test_cli_runner().invoke(args=["responses", "mix"])
    assert result.exit_code == 0 and "4" in result.output, result.output
    stats = _stats(app)
    assert stats["waiting"] == 0 and stats["responses"] == {"desk": 1, "envelope": 3}
    _aggregates_equal_a_rebuild(app)
    with app.app_context():  # each response a new random id, as uuid4() makes them
        ids = db.session.scalars(select(Response.id)).all()
    assert len(set(ids)) == 4 and {found.version for found in ids} == {4}


def test_a_thread_of_the_process_mixes_once_the_response_is_sent(box_app, issue):
    app = box_app(MIX_MIN=3, MIX_IN_THREAD=True)
    client = app.test_client()
    codes = issue(4)
    for code in codes[:3]:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    deadline = time.monotonic() + 30
    while _stats(app)["waiting"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stats(app)["waiting"] == 0 and _counted(app) == 3
    assert client.post(f"/s/{codes[3]}", data=full_answers()).status_code == 302
    time.sleep(0.5)  # the thread, woken again, finds one answer: not due, it stays in the box
    assert _stats(app)["waiting"] == 1 and _counted(app) == 3
    _aggregates_equal_a_rebuild(app)


def test_the_mixer_thread_lives_on_when_a_mix_fails_beyond_its_own_rollback(
    box_app, issue, monkeypatch
):
    app = box_app(MIX_MIN=2, MIX_IN_THREAD=True)
    client = app.test_client()
    real, calls = ballot_box.mix_if_due, []

    def failing_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real()

    monkeypatch.setattr(ballot_box, "mix_if_due", failing_once)
    codes = issue(3)
    for code in codes[:2]:  # the second answer wakes the thread: its mix fails
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    deadline = time.monotonic() + 30
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert _stats(app)["waiting"] >= 1  # nothing lost, nothing counted yet by the failed try
    assert client.post(f"/s/{codes[2]}", data=full_answers()).status_code == 302
    while _stats(app)["waiting"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stats(app)["waiting"] == 0 and _counted(app) == 3  # the same thread mixed them
    _aggregates_equal_a_rebuild(app)


def test_without_mixing_after_answers_nothing_moves_until_the_command(box_app, issue):
    app = box_app(MIX_MIN=1, MIX_AFTER_ANSWER=False)
    client = app.test_client()
    for code in issue(2):
        client.post(f"/s/{code}", data=full_answers())
    assert _stats(app)["waiting"] == 2
    app.test_cli_runner().invoke(args=["responses", "mix"])
    assert _counted(app) == 2


def test_with_jobs_on_rq_the_web_workers_leave_the_mixing_to_the_worker(box_app, issue):
    on_rq, in_threads = box_app(MIX_MIN=1, JOBS_BACKEND="rq"), box_app(MIX_MIN=1)
    assert on_rq.config["MIX_AFTER_ANSWER"] is None  # unset: decided by where jobs run
    codes = issue(2)
    assert on_rq.test_client().post(f"/s/{codes[0]}", data=full_answers()).status_code == 302
    assert _stats(on_rq)["waiting"] == 1  # the worker's tick will mix it
    assert in_threads.test_client().post(f"/s/{codes[1]}", data=full_answers()).status_code == 302
    assert _stats(in_threads)["waiting"] == 0 and _counted(in_threads) == 2
    assert ballot_box.mixes_after_answers(box_app(JOBS_BACKEND="rq", MIX_AFTER_ANSWER=True))


def test_mix_every_mixes_when_due_until_stopped(box_app, issue, monkeypatch):
    app = box_app(MIX_MIN=3, MIX_AFTER_ANSWER=False)
    client = app.test_client()
    codes = issue(4)
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:  # between two looks, a third answer arrives
            assert client.post(f"/s/{codes[2]}", data=full_answers()).status_code == 302
        if len(naps) == 3:
            raise KeyboardInterrupt  # Ctrl-C, or the service manager's stop

    for code in codes[:2]:
        assert client.post(f"/s/{code}", data=full_answers()).status_code == 302
    monkeypatch.setattr("satisfaction.survey.cli.time.sleep", nap)
    result = app.test_cli_runner().invoke(args=["responses", "mix", "--every", "5"])
    assert result.exit_code == 0, result.output
    assert naps == [5.0, 5.0, 5.0]
    assert result.output.splitlines() == ["Đã tính 3 câu trả lời từ hòm phiếu."]  # not 2 at first
    assert _stats(app)["waiting"] == 0 and _counted(app) == 3
    refused = app.test_cli_runner().invoke(args=["responses", "mix", "--every", "0"])
    assert refused.exit_code == 2 and "--every" in refused.output


def test_batches_are_as_equal_as_can_be():
    rule = ballot_box.MixRule(minimum=20, max_wait=timedelta(hours=24), batch_max=5000)
    assert rule.batches(20) == [20]
    assert rule.batches(5000) == [5000]
    assert rule.batches(5001) == [2501, 2500]
    assert rule.batches(12001) == [4001, 4000, 4000]
    assert not rule.is_due(19, utcnow()) and rule.is_due(20, utcnow())
    assert rule.is_due(1, utcnow() - timedelta(hours=25)) and not rule.is_due(0, None)


def test_a_batch_is_shuffled_uniformly():
    assert ballot_box.shuffled([]) == []
    assert sorted(ballot_box.shuffled(list(range(500)))) == list(range(500))
    seen = Counter(tuple(ballot_box.shuffled(["a", "b", "c"])) for _ in range(6000))
    assert len(seen) == 6  # each order about 1,000 times (standard deviation 29)
    assert all(850 < times < 1150 for times in seen.values()), seen
    firsts = Counter(ballot_box.shuffled(list(range(10)))[0] for _ in range(5000))
    assert all(400 < times < 600 for times in firsts.values()), firsts  # 500 each, sd 21


def test_new_response_ids_are_random_uuids():
    ids = [uuid.UUID(bytes=found) for found in ballot_box.new_ids(2000)]
    assert len(set(ids)) == 2000 and ballot_box.new_ids(0) == []
    assert {found.version for found in ids} == {4}
    assert {found.variant for found in ids} == {uuid.RFC_4122}


def test_a_failed_mix_loses_nothing(box_app, issue, monkeypatch):
    app = box_app(MIX_MIN=50)
    client = app.test_client()
    for code in issue(3):
        client.post(f"/s/{code}", data=full_answers())

    def crash(*rows):
        raise RuntimeError("the process died while counting")

    monkeypatch.setattr(ballot_box, "add_counted", crash)
    with app.app_context():
        with pytest.raises(RuntimeError):
            ballot_box.mix(force=True)
        db.session.rollback()
        assert ballot_box.mix_if_due() == 0  # not due, and nothing lost either way
    assert _stats(app)["waiting"] == 3 and _counted(app) == 0
    monkeypatch.undo()
    assert mix_now(app) == 3
    assert _stats(app)["waiting"] == 0 and _counted(app) == 3
    _aggregates_equal_a_rebuild(app)


def test_mixers_at_once_count_each_answer_once(box_app, issue):
    """Submits and mixers in threads, at once: every answer counted once, aggregates exact."""
    app = box_app(MIX_MIN=3)
    codes = issue(24)
    errors: list[BaseException] = []

    def answer(part: list[str]) -> None:
        client = app.test_client()
        for code in part:
            if client.post(f"/s/{code}", data=full_answers()).status_code != 302:
                errors.append(AssertionError(code))

    def mixer() -> None:
        try:
            with app.app_context():
                for _ in range(5):
                    ballot_box.mix(force=True, wait=True)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(codes[i::3],)) for i in range(3)]
    threads += [threading.Thread(target=mixer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    mix_now(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 24
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    _aggregates_equal_a_rebuild(app)


def test_officers_see_how_many_answers_wait(box_app, issue):
    from satisfaction.auth.models import Role
    from satisfaction.auth.services import create_user
    from satisfaction.auth.tokens import issue_token

    app = box_app(MIX_MIN=50)
    client = app.test_client()
    for code in issue(2):
        client.post(f"/s/{code}", data=full_answers())
    with app.app_context():
        create_user("admin", "a-long-password-1", Role.ADMIN)
        _row, token = issue_token("admin", "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units/00001", headers=headers).get_json()["waiting"] == 2
    assert client.get("/api/v1/units/79", headers=headers).get_json()["waiting"] == 0
    assert client.get("/api/v1/nation", headers=headers).get_json()["waiting"] == 2
    client.post("/login", data={"username": "admin", "password": "a-long-password-1"})
    page = client.get("/scores/u/001?lang=vi").get_data(as_text=True)
    assert "Đang chờ trong hòm phiếu, chưa được tính: 2 câu trả lời" in page


def test_only_the_ballot_box_and_past_rounds_add_responses():
    """Every recording of an answer to a code goes through the box: no other code adds one."""
    allowed = {"survey/ballot_box.py", "survey/answering.py", "demo/seed.py"}
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _imports(tree, "satisfaction.survey.models", "Response"):
            continue  # another Response (the web's)
        for node in ast.walk(tree):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", "")
            if called == "Response" or (called == "insert" and _names_response(node)):
                found.add(str(path.relative_to(PACKAGE)))
    assert found <= allowed, found - allowed
    answering = (PACKAGE / "survey/answering.py").read_text(encoding="utf-8")
    callers = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if any(_imports(ast.parse(p.read_text(encoding="utf-8")),
                               "satisfaction.survey.answering", name)
                      for name in ("add_response", "add_responses"))}  # fmt: skip
    assert callers == {"survey/microdata.py"}, callers  # past rounds: linked to no code
    assert "def record_invited" in answering and "drop(" in answering


def _imports(tree: ast.Module, module: str, name: str) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == module
               and any(alias.name == name for alias in node.names)
               for node in ast.walk(tree))  # fmt: skip


def _names_response(node: ast.Call) -> bool:
    return any(isinstance(arg, ast.Name | ast.Attribute) and "Response" in ast.unparse(arg)
               for arg in node.args)  # fmt: skip


def test_an_office_s_units_are_read_from_its_path_as_from_the_database(survey_app):
    from satisfaction.units.models import ServicePoint, UnitLevel
    from satisfaction.units.services import ancestors

    with survey_app.app_context():
        points = db.session.scalars(select(ServicePoint)).all()
        assert len(points) == 9
        for point in points:
            units = {u.level: u.id for u in [*ancestors(point.unit), point.unit]}
            assert ballot_box.unit_columns(point) == {
                "province_id": units.get(UnitLevel.PROVINCE),
                "district_id": units.get(UnitLevel.DISTRICT),
                "commune_id": units.get(UnitLevel.COMMUNE),
            }, point.code


def test_a_two_tier_office_has_no_district(survey_app):
    from satisfaction.units.models import AdminUnit, ServicePoint, UnitDataset, UnitLevel

    with survey_app.app_context():
        dataset = UnitDataset(name="two", tag="2", title="Two tiers", source="tests")
        province = AdminUnit(dataset=dataset, code="91", name="Tỉnh", level=UnitLevel.PROVINCE,
                             kind="Tỉnh")  # fmt: skip
        commune = AdminUnit(dataset=dataset, code="91001", name="Xã", level=UnitLevel.COMMUNE,
                            kind="Xã", parent=province)  # fmt: skip
        db.session.add_all([dataset, province, commune])
        db.session.flush()
        province.path, commune.path = f"/{province.id}/", f"/{province.id}/{commune.id}/"
        point = ServicePoint(code="C91001-T", name="Một cửa", level=UnitLevel.COMMUNE, unit=commune)
        db.session.add(point)
        db.session.flush()
        assert ballot_box.unit_columns(point) == {
            "province_id": province.id, "district_id": None, "commune_id": commune.id,
        }  # fmt: skip
        db.session.rollback()
