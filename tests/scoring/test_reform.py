"""Across a reform: a unit of the new list counts the answers of the old units that formed it."""

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.questionnaires.services import get_version
from satisfaction.scoring import services
from satisfaction.scoring.aggregates import scheme_of
from satisfaction.scoring.indices import compute
from satisfaction.scoring.periods import parse_period
from satisfaction.scoring.services import Query
from satisfaction.scoring.tally import Tally
from satisfaction.units.models import (
    AdminUnit,
    ServicePoint,
    UnitDataset,
    UnitLevel,
    UnitSuccession,
)
from satisfaction.units.successions import province_of
from tests.auth.helpers import make_user, sign_in
from tests.scoring.helpers import KEY, record
from tests.scoring.test_aggregates import _answers_strategy

P, D, C = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE
# (code, level, parent) of the old list: three provinces, a district each, six communes.
OLD = [("01", P, None), ("001", D, "01"), ("00001", C, "001"), ("00002", C, "001"),
       ("02", P, None), ("002", D, "02"), ("00011", C, "002"), ("00012", C, "002"),
       ("00013", C, "002"), ("03", P, None), ("003", D, "03"), ("00021", C, "003")]  # fmt: skip
# The new list: 01 = old 01 + 02, 03 = old 03; communes without districts.
NEW = [("01", P, None), ("00001", C, "01"), ("00011", C, "01"), ("00013", C, "01"),
       ("00099", C, "01"), ("03", P, None), ("00021", C, "03")]  # fmt: skip
# Old unit -> new unit (split: 00012 was divided; its seat went to 00011, a part to 00099).
SUCCESSIONS = {"01": "01", "02": "01", "03": "03", "00001": "00001", "00002": "00001",
               "00011": "00011", "00012": "00011", "00013": "00013", "00021": "00021"}  # fmt: skip
SPLIT = {"00012"}
OLD_DAYS = (date(2024, 1, 10), date(2024, 3, 31), date(2024, 4, 1), date(2024, 8, 15),
            date(2025, 6, 30))  # fmt: skip
NEW_DAYS = (date(2025, 7, 1), date(2025, 11, 3), date(2026, 2, 1))
PERIODS = ("", "2024", "2024-Q2", "2024-03", "2025", "2024-03-05..2024-08-20",
           "2025-06-15..2025-07-10")  # fmt: skip


def _units(name: str, tag: str, rows: list, **dates) -> dict[str, AdminUnit]:
    dataset = UnitDataset(name=name, tag=tag, title=name, source="tests", **dates)
    db.session.add(dataset)
    found: dict[str, AdminUnit] = {}
    for code, level, parent in rows:
        unit = AdminUnit(dataset=dataset, code=code, name=f"{name} {code}", level=level,
                         parent=found.get(parent))  # fmt: skip
        db.session.add(unit)
        db.session.flush()
        unit.path = (found[parent].path if parent else "/") + f"{unit.id}/"
        found[code] = unit
        db.session.add(ServicePoint(code=f"{tag}-{code}", name=f"Office {code}", level=level,
                                    unit=unit, is_generated=True))  # fmt: skip
    return found


@pytest.fixture
def reformed(survey_app):
    """Two lists linked by a correspondence; the app's MIN_N is 1 (nothing blanked)."""
    with survey_app.app_context():
        old = _units("old", "O", OLD, valid_to=date(2025, 6, 30))
        new = _units("new", "N", NEW, valid_from=date(2025, 7, 1))
        for code, into in SUCCESSIONS.items():
            was, now = old[code], new[into]
            db.session.add(UnitSuccession(
                old_unit_id=was.id, new_unit_id=now.id, level=was.level,
                new_dataset_id=now.dataset_id, old_province_id=province_of(was.path),
                new_province_id=province_of(now.path), is_split=code in SPLIT))  # fmt: skip
        db.session.commit()
    survey_app.config["MIN_N"] = 1
    return survey_app


def _in_new(point: str, new_code: str, level: UnitLevel) -> bool:
    """Tell whether an answer at a point counts in a new unit, by the correspondence."""
    tag, code = point.split("-")
    if tag == "N":
        return code == new_code or (level == P and dict(NEW_PARENTS).get(code) == new_code)
    if level == P:  # an old unit's province: the first two digits of its province chain
        return SUCCESSIONS[OLD_PROVINCE[code]] == new_code
    return code in SUCCESSIONS and len(code) == 5 and SUCCESSIONS[code] == new_code


NEW_PARENTS = [(code, parent) for code, _level, parent in NEW if parent]
OLD_PROVINCE = {"01": "01", "001": "01", "00001": "01", "00002": "01", "02": "02", "002": "02",
                "00011": "02", "00012": "02", "00013": "02", "03": "03", "003": "03",
                "00021": "03"}  # fmt: skip


def _expected(answers: list, period: str, new_code: str, level: UnitLevel) -> tuple[int, float]:
    """Return n and the index computed from the raw answers mapped by the correspondence."""
    scheme = scheme_of(get_version(KEY))
    chosen = parse_period(period)
    tally = Tally()
    for point, day, given_answers in answers:
        inside = (chosen.start is None or day >= chosen.start) and (
            chosen.end is None or day <= chosen.end)  # fmt: skip
        if inside and _in_new(point, new_code, level):
            tally.add_response(scheme, given_answers)
    scores = compute(scheme, tally)
    return scores.n, scores.index.value


def _same(figure, expected: tuple[int, float | None]) -> bool:
    n, index = expected
    value = figure.scores.index.value
    if figure.n != n or (value is None) != (index is None):
        return False
    return value is None or math.isclose(value, index, abs_tol=1e-9)


def _check(answers: list, period: str) -> None:
    query = Query(parse_period(period))
    new = db.session.scalar(select(UnitDataset).where(UnitDataset.name == "new"))
    units = {(u.code, u.level): u for u in db.session.scalars(
        select(AdminUnit).where(AdminUnit.dataset_id == new.id))}  # fmt: skip
    for (code, level), unit in units.items():
        expected = _expected(answers, period, code, level)
        assert _same(services.unit_scores(unit, query), expected), (code, period)
    for figure in services.level_scores(new, P, query):
        assert _same(figure, _expected(answers, period, figure.code, P)), (figure.code, period)
    for figure in services.level_scores(new, C, query, parent=units[("01", P)]):
        assert _same(figure, _expected(answers, period, figure.code, C)), (figure.code, period)
    pooled = services.nation_scores(new, query).pooled
    assert pooled.n == sum(_expected(answers, period, code, P)[0] for code in ("01", "03"))


def test_new_units_count_their_old_units_answers(reformed):
    """Property: on the new list, n and index equal the old units' answers mapped by hand."""
    with reformed.app_context():
        given_answers = _answers_strategy()
    old_points = [f"O-{code}" for code, _level, _parent in OLD]
    new_points = [f"N-{code}" for code, _level, _parent in NEW]
    answer = st.one_of(
        st.tuples(st.sampled_from(old_points), st.sampled_from(OLD_DAYS), given_answers),
        st.tuples(st.sampled_from(new_points), st.sampled_from(NEW_DAYS), given_answers),
    )

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(answer, max_size=16), st.sampled_from(PERIODS))
    def check(answers, period):
        with reformed.app_context():
            try:
                for point, day, values in answers:
                    record(point, values, day)
                _check(answers, period)
            finally:
                db.session.rollback()

    check()


def test_the_old_list_reads_only_its_own_answers(reformed):
    with reformed.app_context():
        values = dict.fromkeys(scheme_of(get_version(KEY)).item_keys, 5)
        record("O-00012", values, date(2024, 5, 2))
        record("N-00011", values, date(2025, 8, 2))
        old = db.session.scalar(select(UnitDataset).where(UnitDataset.name == "old"))
        by_code = {f.code: f.n for f in services.level_scores(old, C, Query())}
        assert by_code["00012"] == 1 and by_code["00011"] == 0
        new = db.session.scalar(select(UnitDataset).where(UnitDataset.name == "new"))
        by_code = {f.code: f.n for f in services.level_scores(new, C, Query())}
        assert by_code["00011"] == 2 and by_code["00099"] == 0  # the seat took the split one
        db.session.rollback()


def _record_across(app) -> None:
    """Record answers at old 01 and 02 in 2024 and at new 01 in 2025, all at 5."""
    with app.app_context():
        values = dict.fromkeys(scheme_of(get_version(KEY)).item_keys, 5)
        for point, count in (("O-00001", 3), ("O-002", 2), ("O-00012", 4), ("O-00021", 1)):
            for _ in range(count):
                record(point, values, date(2024, 5, 2))
        record("N-00011", values, date(2025, 8, 2))
        db.session.commit()


def test_the_export_and_the_api_read_either_list(reformed, runner, client):
    _record_across(reformed)
    args = ["scores", "export", "--level", "province", "--period", "2024", "--dataset"]
    new = runner.invoke(args=[*args, "new"])
    assert new.exit_code == 0, new.output
    n_by_code = {row.split(",")[0]: row.split(",")[4] for row in new.output.splitlines()[1:]}
    assert n_by_code == {"01": "9", "03": "1"}
    old = runner.invoke(args=[*args, "old"])
    n_by_code = {row.split(",")[0]: row.split(",")[4] for row in old.output.splitlines()[1:]}
    assert n_by_code == {"01": "3", "02": "6", "03": "1"}
    make_user(reformed, "nation", Role.OFFICER)
    result = runner.invoke(args=["users", "token", "nation", "--name", "reader"])
    headers = {"Authorization": f"Bearer {result.output.splitlines()[-1]}"}
    body = client.get("/api/v1/nation?dataset=new", headers=headers).get_json()
    assert {p["code"]: p["n"] for p in body["provinces"]} == {"01": 10, "03": 1}
    unit = client.get("/api/v1/units/00011?dataset=new&period=2024", headers=headers).get_json()
    assert unit["n"] == 4  # the old 00012, split, counts in the commune that took its seat
    missing = client.get("/api/v1/nation?dataset=nowhere", headers=headers)
    assert missing.status_code == 400  # a parameter naming no list: refused, and named
    assert missing.get_json()["errors"][0]["field"] == "dataset"


def test_the_pages_open_on_the_list_in_force_and_switch(reformed, client):
    _record_across(reformed)
    make_user(reformed, "nation", Role.OFFICER)
    sign_in(client, "nation")
    page = client.get("/scores/?period=2024")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<strong aria-current="page">new</strong>' in text  # in force today
    assert "dataset=old" in text and 'name="dataset"' not in text
    old = client.get("/scores/?period=2024&dataset=old").get_data(as_text=True)
    assert '<input type="hidden" name="dataset" value="old">' in old
    unit = client.get("/scores/u/02?dataset=old")
    assert unit.status_code == 200 and "old 02" in unit.get_data(as_text=True)
    assert client.get("/scores/u/02").status_code == 404  # not a unit of the list in force


def test_pages_link_old_and_new_units(reformed, client):
    _record_across(reformed)
    make_user(reformed, "nation", Role.OFFICER)
    sign_in(client, "nation")
    old = client.get("/scores/u/02?dataset=old&period=2024").get_data(as_text=True)
    assert 'href="/scores/u/01?dataset=new&amp;period=2024">new 01</a>' in old
    split = client.get("/scores/u/00012?dataset=old").get_data(as_text=True)
    assert 'href="/scores/u/00011?dataset=new">new 00011</a>' in split
    new = client.get("/scores/u/01?dataset=new").get_data(as_text=True)
    assert "old 01, old 02" in new and "<a href" in new


def test_an_officer_of_a_new_unit_sees_the_old_units_in_it(reformed, client):
    make_user(reformed, "province", Role.OFFICER, "01", dataset="new")
    make_user(reformed, "commune", Role.OFFICER, "00001", dataset="new")
    sign_in(client, "province")
    for code in ("01", "02", "002", "00012"):  # old provinces, a district, a commune in it
        assert client.get(f"/scores/u/{code}?dataset=old").status_code == 200, code
    assert client.get("/scores/u/03?dataset=old").status_code == 403
    client.post("/logout")
    sign_in(client, "commune")
    assert client.get("/scores/u/00002?dataset=old").status_code == 200
    assert client.get("/scores/u/001?dataset=old").status_code == 403
