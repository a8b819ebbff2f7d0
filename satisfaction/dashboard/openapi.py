"""The OpenAPI 3.1 document of the scores API, written by hand to match dashboard/api.py."""

from typing import Any

PERIOD = {
    "name": "period",
    "in": "query",
    "required": False,
    "description": "2026, 2026-H1 (a half), 2026-Q3, 2026-07 or 2026-01-01..2026-06-30; omitted "
    "(or empty) for all dates. A value of this form that is no period (2026-13) is a 400 too.",
    "schema": {
        "type": "string",
        "pattern": r"^(\d{4}(-([Qq][1-4]|[Hh][12]|\d{2}))?"
        r"|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})?$",
    },
    "examples": {"quarter": {"value": "2026-Q3"}, "year": {"value": "2026"}},
}
DATASET = {
    "name": "dataset",
    "in": "query",
    "required": False,
    "description": "Unit list read, e.g. vn-2025 or vn-2024; default the one in force. On vn-2025 "
    "a unit also counts the answers recorded on the vn-2024 units that formed it.",
    "schema": {"type": "string"},
}
SOURCE = {
    "name": "source",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": True,
    "description": "Sources counted (repeatable); default the official ones: envelope, "
    "enumerator, desk. `poster` adds the desk poster's uncoded answers.",
    "schema": {"type": "array", "items": {"enum": ["envelope", "enumerator", "desk", "poster"]}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def _ok(schema: dict, text: str, no_list: bool = False) -> dict[str, Any]:
    found = {
        "200": _json(schema, text),
        "400": _json(
            _ref("Errors"),
            "A parameter is wrong (a period, a source, a unit list or "
            "a parent that does not exist); each error names it in `field`.",
        ),
        "401": _json(_ref("Errors"), "No valid token."),
        "403": _json(
            _ref("Errors"), "Outside the token's scope, or an account that does not read scores."
        ),
    }
    if no_list:
        found["404"] = _json(_ref("Errors"), "No unit list is loaded on this server.")
    return found


WAITING = {
    "type": "integer",
    "minimum": 0,
    "description": "Answers received in the unit (or the nation) and waiting in the ballot box: "
    "not counted in these figures yet (they are counted in batches, in random order).",
}
SCHEMAS: dict[str, Any] = {
    "Estimate": {
        "type": "object",
        "description": "A figure in percent with its 95% interval; null where answers are fewer "
        "than MIN_N (or 5 for breakdowns).",
        "properties": {
            "n": {"type": "integer"},
            "value": {"type": ["number", "null"]},
            "ci_low": {"type": ["number", "null"]},
            "ci_high": {"type": ["number", "null"]},
        },
    },
    "Figure": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "level": {"type": "string"},
            "n": {"type": "integer"},
            "enough": {"type": "boolean"},
            "rank": {"type": ["integer", "null"]},
            "index": _ref("Estimate"),
            "elements": {"type": "object", "additionalProperties": _ref("Estimate")},
        },
    },
    "Concern": {
        "type": "object",
        "description": "A unit (a province in /nation, a part of the unit in /units/{code}) "
        "significantly below the national index, or fallen since the previous period (the 95% "
        "interval of the difference excludes 0). Units under MIN_N answers are never listed.",
        "properties": {
            "unit": _ref("Figure"),
            "below_nation": _ref("Difference"),
            "fallen": _ref("Difference"),
        },
    },
    "Difference": {
        "type": ["object", "null"],
        "description": "A difference in points with its 95% interval; significant when the "
        "interval excludes 0. Null when either figure is not published.",
        "properties": {
            "value": {"type": "number"},
            "ci_low": {"type": ["number", "null"]},
            "ci_high": {"type": ["number", "null"]},
            "significant": {"type": "boolean"},
        },
    },
    "Beside": {
        "type": "object",
        "description": "The unit beside the nation (aggregates every officer may read).",
        "properties": {
            "nation": {
                "type": "object",
                "properties": {
                    "mean_of_provinces": _ref("Estimate"),
                    "pooled": _ref("Estimate"),
                    "provinces_counted": {"type": "integer"},
                },
            },
            "versus_nation": _ref("Difference"),
            "rank": {
                "type": ["object", "null"],
                "description": "A province's rank among the provinces, and the best and worst "
                "ranks its 95% interval allows; null below the province level or unranked.",
                "properties": {
                    "rank": {"type": "integer"},
                    "best": {"type": "integer"},
                    "worst": {"type": "integer"},
                    "of": {"type": "integer"},
                },
            },
            "last_year": {
                "type": ["object", "null"],
                "description": "The same period a year before (for a year or half in progress, "
                "the same months: partial_until is then the last day with answers).",
                "properties": {
                    "period": {"type": "string"},
                    "partial_until": {"type": ["string", "null"], "format": "date"},
                    "index": {"oneOf": [_ref("Estimate"), {"type": "null"}]},
                    "nation": {"oneOf": [_ref("Estimate"), {"type": "null"}]},
                    "change": _ref("Difference"),
                    "nation_change": _ref("Difference"),
                },
            },
        },
    },
    "UnitDetail": {
        "allOf": [
            _ref("Figure"),
            {
                "type": "object",
                "properties": {
                    "period": {"type": "string"},
                    "items": {"type": "object", "additionalProperties": _ref("Estimate")},
                    "expectations": {"type": "object", "additionalProperties": _ref("Estimate")},
                    "children": {"type": "array", "items": _ref("Figure")},
                    "fields": {
                        "type": "array",
                        "items": _ref("Figure"),
                        "description": "The unit's answers by field of the procedures (lĩnh "
                        "vực): code a field code of the bundled list (`satisfaction procedures "
                        "fields`), name in the request's language, level `field`; ranked best "
                        "first. Fields with fewer than 5 answers are left out; index null under "
                        'MIN_N. The answers whose field is unknown come last with code "" '
                        "and are never ranked.",
                    },
                    "attention": {
                        "type": "array",
                        "items": _ref("Concern"),
                        "description": "The unit's parts (children) that need attention, "
                        "furthest below first; empty for a unit without parts.",
                    },
                    "beside": _ref("Beside"),
                    "waiting": WAITING,
                },
            },
        ],
    },
    "Errors": {
        "type": "object",
        "properties": {
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            }
        },
    },
}


def document(server: str) -> dict[str, Any]:
    """Return the OpenAPI document, with the server it is served from."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "satisfaction scores API",
            "version": "1",
            "description": "Read-only satisfaction indices by unit and period. Send a token "
            "issued with `satisfaction users token USERNAME --name NAME`.",
        },
        "servers": [{"url": server + "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/nation": {
                "get": {
                    "summary": "The nation and its provinces, ranked",
                    "parameters": [PERIOD, SOURCE, DATASET],
                    "responses": _ok(
                        {
                            "type": "object",
                            "properties": {
                                "mean_of_provinces": _ref("Figure"),
                                "pooled": _ref("Figure"),
                                "provinces": {"type": "array", "items": _ref("Figure")},
                                "attention": {"type": "array", "items": _ref("Concern")},
                                "waiting": WAITING,
                            },
                        },
                        "National figures: aggregates, for every officer's token.",
                        no_list=True,
                    ),
                }
            },
            "/levels/{level}": {
                "get": {
                    "summary": "Every unit of a level within a parent (default: the token's scope)",
                    "parameters": [
                        {
                            "name": "level",
                            "in": "path",
                            "required": True,
                            "schema": {"enum": ["province", "district", "commune"]},
                        },
                        {
                            "name": "parent",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                        },
                        PERIOD,
                        DATASET,
                        SOURCE,
                    ],
                    "responses": _ok(
                        {
                            "type": "object",
                            "properties": {
                                "level": {"type": "string"},
                                "units": {"type": "array", "items": _ref("Figure")},
                            },
                        },
                        "Units, ranked.",
                        no_list=True,
                    ),
                }
            },
            "/units/{code}": {
                "get": {
                    "summary": "A unit in detail, with its parts ranked",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        PERIOD,
                        DATASET,
                        SOURCE,
                    ],
                    "responses": {
                        **_ok(_ref("UnitDetail"), "The unit."),
                        "404": _json(_ref("Errors"), "No such unit."),
                    },
                }
            },
        },
    }
