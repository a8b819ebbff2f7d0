"""The API against its own OpenAPI document (schemathesis, in process): no 5xx, every response
as documented (status, content type, body), and a wrong parameter refused with a 400 naming it."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.dashboard.test_api import _token

# Periods and units that have answers in the scored picture (tests/dashboard/conftest.py), beside
# what the generator invents: without them nearly every case would stop at a 400 or a 404.
PERIODS = ("2026-Q3", "2026-Q2", "2026", "2026-H2", "2026-08", "2026-08-01..2026-08-31", "")
# The last two: no such unit, and a code PostgreSQL cannot even look up (a NUL in it).
CODES = ("01", "001", "00001", "00037", "79", "26734", "00004", "99999", "0\x001")
LEVELS = ("province", "district", "commune")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip
# Each operation's cases: enough to meet every branch of the views, well under a minute in all.
EXAMPLES = 40


def _errors_name_a_parameter(case, response) -> None:
    """A 400 says, for each error, which parameter is wrong (a documented one, or one sent that
    no operation knows), and in words."""
    if response.status_code != 400:
        return
    body = response.json()
    known = {p["name"] for p in case.operation.definition.raw.get("parameters", [])}
    known |= set(case.query or {})
    for error in body["errors"]:
        assert error["field"] in known, (case.path, case.query, error)
        assert error["message"].strip(), (case.path, case.query, error)


def _schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _seeded(operation, mode: GenerationMode):
    """Return the operation's cases: generated ones, and ones on the seeded periods and units."""
    plain = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.NEGATIVE:
        return plain
    path = operation.path
    seeded = []
    for period in PERIODS:
        query = {"period": period} if period else {}
        if path == "/units/{code}":
            seeded += [operation.as_strategy(path_parameters={"code": c}, query=query)
                       for c in CODES]  # fmt: skip
        elif path == "/levels/{level}":
            seeded += [operation.as_strategy(path_parameters={"level": lv}, query=query)
                       for lv in LEVELS]  # fmt: skip
        else:
            seeded.append(operation.as_strategy(query=query))
    return st.one_of(plain, st.one_of(*seeded))  # half invented, half on the seeded data


def _run(app, token: str, mode: GenerationMode) -> dict[str, set[int]]:
    """Run every operation's cases through the app; return the statuses each one answered."""
    checks = CHECKS + [negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    seen: dict[str, set[int]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    for result in _schema(app).get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=_seeded(operation, mode))
        def check(case) -> None:
            response = case.call_and_validate(headers=headers, checks=checks)
            _errors_name_a_parameter(case, response)
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        check()
    return seen


def test_the_document_is_served_and_names_every_operation(scored_app, client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and spec.mimetype == "application/json"
    labels = sorted(r.ok().label for r in _schema(scored_app).get_all_operations())
    assert labels == ["GET /levels/{level}", "GET /nation", "GET /units/{code}"]


def test_the_api_keeps_to_its_document_for_an_officer_of_the_nation(scored_app):
    seen = _run(scored_app, _token(scored_app, "nation"), GenerationMode.POSITIVE)
    assert all(200 in statuses for statuses in seen.values()) and len(seen) == 3
    assert 404 in seen["GET /units/{code}"] and 400 in seen["GET /nation"]


def test_the_api_keeps_to_its_document_within_a_provinces_scope(scored_app):
    """A provincial officer meets the 403s of the document on the other province's units."""
    seen = _run(scored_app, _token(scored_app, "hanoi"), GenerationMode.POSITIVE)
    assert {200, 403} <= seen["GET /units/{code}"] and 200 in seen["GET /nation"]


def test_wrong_parameters_are_refused_with_their_names(scored_app):
    seen = _run(scored_app, _token(scored_app, "nation"), GenerationMode.NEGATIVE)
    assert {400} <= seen["GET /levels/{level}"] and 400 in seen["GET /nation"], seen
