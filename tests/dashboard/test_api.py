"""The JSON API: tokens, scope, periods, errors, and the OpenAPI document."""

from satisfaction.extensions import db
from tests.auth.helpers import sign_in


def _token(app, username: str) -> str:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", username, "--name", "reader"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[-1]


def _get(client, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def test_a_token_reads_the_nation_and_a_unit(scored_app, client):
    token = _token(scored_app, "nation")
    nation = _get(client, "/api/v1/nation?period=2026-Q3", token)
    assert nation.status_code == 200
    body = nation.get_json()
    assert [p["code"] for p in body["provinces"] if p["rank"] == 1] == ["79"]
    assert body["pooled"]["n"] == 102
    unit = _get(client, "/api/v1/units/001?period=2026-Q3", token).get_json()
    assert unit["index"]["value"] == 85.71 and unit["index"]["ci_low"] < 85.71
    assert {c["code"] for c in unit["children"]} == {"00001", "00004"}
    assert set(unit["items"]) and set(unit["expectations"])
    level = _get(client, "/api/v1/levels/district?parent=01", token).get_json()
    assert [u["code"] for u in level["units"]] == ["001", "002"]


def test_few_answers_are_blank_in_json(scored_app, client):
    token = _token(scored_app, "nation")
    commune = _get(client, "/api/v1/units/00037?period=2026-Q3", token).get_json()
    assert commune["n"] == 32 and commune["enough"] and commune["index"]["value"] == 37.5
    small = _get(client, "/api/v1/units/00004", token).get_json()
    assert small["n"] == 0 and small["enough"] is False and small["index"]["value"] is None


def test_tokens_are_checked_and_kept_to_their_scope(scored_app, client):
    assert _get(client, "/api/v1/nation").status_code == 401
    assert _get(client, "/api/v1/nation", "sat_not-a-token").status_code == 401
    token = _token(scored_app, "hanoi")
    assert _get(client, "/api/v1/units/01", token).status_code == 200
    assert _get(client, "/api/v1/units/79", token).status_code == 403
    nation = _get(client, "/api/v1/nation", token)  # aggregates: every officer reads them
    assert nation.status_code == 200 and {"01", "79"} <= {
        f["code"] for f in nation.get_json()["provinces"]
    }
    districts = _get(client, "/api/v1/levels/district", token).get_json()
    assert {u["code"] for u in districts["units"]} == {"001", "002"}  # within Hà Nội by default
    refused = scored_app.test_cli_runner().invoke(args=["users", "token", "postal", "--name", "x"])
    assert refused.exit_code == 1 and "username" in refused.output


def test_a_revoked_token_stops_working(scored_app, client):
    token = _token(scored_app, "nation")
    assert _get(client, "/api/v1/nation", token).status_code == 200
    runner = scored_app.test_cli_runner()
    listed = runner.invoke(args=["users", "tokens", "--format", "csv"])
    assert "reader" in listed.output and "active" in listed.output and token not in listed.output
    token_id = listed.output.splitlines()[1].split(",")[0]
    assert runner.invoke(args=["users", "revoke-token", token_id]).exit_code == 0
    assert _get(client, "/api/v1/nation", token).status_code == 401
    with scored_app.app_context():
        db.session.remove()


def test_bad_parameters_are_named(scored_app, client):
    token = _token(scored_app, "nation")
    bad = _get(client, "/api/v1/levels/village?period=2026-Q5&source=fax", token)
    assert bad.status_code == 400
    assert {e["field"] for e in bad.get_json()["errors"]} == {"level"}
    bad = _get(client, "/api/v1/units/01?period=2026-Q5&source=fax", token)
    assert {e["field"] for e in bad.get_json()["errors"]} == {"period", "source"}
    missing = _get(client, "/api/v1/units/99999", token)
    assert missing.status_code == 404 and missing.get_json()["errors"][0]["message"]


def test_the_openapi_document_lists_every_route(scored_app, client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    document = spec.get_json()
    assert document["openapi"].startswith("3.1")
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        for rule in scored_app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.spec"
    }
    assert routes == set(document["paths"])


def test_an_unknown_list_parent_or_parameter_is_a_named_400(scored_app, client):
    token = _token(scored_app, "nation")
    bad = _get(client, "/api/v1/nation?dataset=vn-1990", token)
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["field"] == "dataset"
    bad = _get(client, "/api/v1/levels/commune?parent=99", token)
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "parent"
    typo = _get(client, "/api/v1/units/01?perod=2026-Q3", token)  # not read as "all dates"
    assert typo.status_code == 400
    [error] = typo.get_json()["errors"]
    assert error["field"] == "perod" and "period" in error["message"]
    assert _get(client, "/api/v1/levels/commune?parent=01&period=2026", token).status_code == 200


def test_a_nul_character_is_a_named_400_on_every_database(scored_app, client):
    """PostgreSQL's text holds no NUL: a lookup of such a code failed there (a 500)."""
    token = _token(scored_app, "nation")
    for path, field in (("/api/v1/units/a%00b", "code"),
                        ("/api/v1/nation?dataset=a%00b", "dataset"),
                        ("/api/v1/levels/commune?parent=a%00b", "parent")):  # fmt: skip
        refused = _get(client, path, token)
        assert refused.status_code == 400, path
        assert [e["field"] for e in refused.get_json()["errors"]] == [field]
    sign_in(client, "nation")
    page = client.get("/scores/u/a%00b")
    assert page.status_code == 400 and "NUL" in page.get_data(as_text=True)
