"""The questionnaire format: check a parsed file and return its canonical data (to_dict shape)."""

import re
from typing import Any

from flask_babel import gettext as _

from satisfaction.questionnaires.checks import Checker, join
from satisfaction.questionnaires.definition import (
    EXCLUDABLE,
    EXPECTATION,
    RULES,
    SATISFACTION,
)

QUESTIONNAIRE_KEY = re.compile(r"[a-z][a-z0-9-]*")
ANSWER_KEY = re.compile(r"[a-z][a-z0-9_.]*")
# Columns of response and return files (design.md section 4); answer keys are columns too.
RESERVED_KEYS = frozenset({"service_point", "date", "channel", "questionnaire", "code", "comment"})
TOP_REQUIRED = ("key", "version", "title", "intro", "scoring", "scales", "elements")
TOP_OPTIONAL = ("expectations", "comment")
MAX_VERSION = 1_000_000
MAX_COMMENT = 100_000
MAX_SCALE_VALUE = 10

Data = dict[str, Any]


def _read(check: Checker, table: Data | None, path: str, name: str, reader, *args) -> Any:
    """Apply reader to table[name] when present (a missing field is reported by check.table)."""
    if table is None or name not in table:
        return None
    return reader(table[name], join(path, name), *args)


def validate(raw: Data, check: Checker) -> Data | None:
    """Return the canonical definition of a parsed file, or None with problems in check."""
    top = check.table(raw, "", TOP_REQUIRED, TOP_OPTIONAL)
    scales = _scales(check, raw.get("scales"))
    elements = _elements(check, raw.get("elements", []))
    expectations = _expectations(check, raw.get("expectations", []))
    data = {
        "key": _read(check, top, "", "key", check.key, QUESTIONNAIRE_KEY),
        "version": _read(check, top, "", "version", check.integer, 1, MAX_VERSION),
        "title": _read(check, top, "", "title", check.local_text),
        "intro": _read(check, top, "", "intro", check.local_text),
        "scoring": _scoring(check, raw.get("scoring"), scales) if "scoring" in raw else None,
        "scales": scales,
        "elements": elements,
        "expectations": expectations,
        "comment": _comment(check, raw["comment"]) if "comment" in raw else None,
    }
    _check_keys(check, elements, expectations)
    _check_scales_needed(check, scales, elements, expectations)
    return None if check.problems else data


def _scales(check: Checker, value: Any) -> Data:
    """Return the scales by name (a scale with problems maps to None)."""
    if value is None:
        return {}
    table = check.table(value, "scales", (SATISFACTION,), (EXPECTATION,)) or {}
    names = [name for name in (SATISFACTION, EXPECTATION) if name in table]
    return {name: _scale(check, table[name], join("scales", name), name) for name in names}


def _scale(check: Checker, value: Any, path: str, name: str) -> Data | None:
    """Return one scale: instruction, choices, neutral value, label of "not applicable"."""
    optional = ("neutral", "not_applicable") if name == SATISFACTION else ("neutral",)
    table = check.table(value, path, ("instruction", "choices"), optional)
    if table is None:
        return None
    choices = _read(check, table, path, "choices", _choices, check)
    neutral = _read(check, table, path, "neutral", check.integer, 0, MAX_SCALE_VALUE)
    if neutral is not None and choices and neutral not in [c["value"] for c in choices]:
        check.fail(join(path, "neutral"), _("must be one of the values of the choices"))
    scale = {
        "instruction": _read(check, table, path, "instruction", check.local_text),
        "choices": choices,
        "neutral": neutral,
        "not_applicable": _read(check, table, path, "not_applicable", check.local_text),
    }
    required_ok = scale["instruction"] and choices
    optional_ok = all(scale[n] is not None for n in optional if n in table)
    return scale if required_ok and optional_ok else None


def _choices(value: Any, path: str, check: Checker) -> list[Data] | None:
    """Return the choices of a scale: unique, consecutive whole numbers with labels."""
    choices = []
    for index, raw in enumerate(check.array(value, path, 2)):
        where = join(path, index)
        table = check.table(raw, where, ("value", "label"))
        choices.append(
            {
                "value": _read(check, table, where, "value", check.integer, 0, MAX_SCALE_VALUE),
                "label": _read(check, table, where, "label", check.local_text),
            }
        )
    if len(choices) < 2 or any(None in c.values() for c in choices):
        return None
    values = check.unique([c["value"] for c in choices], path)
    if sorted(values) != list(range(min(values), max(values) + 1)):
        check.fail(path, _("the values must be consecutive whole numbers, such as 1 to 5"))
        return None
    return choices


def _scoring(check: Checker, value: Any, scales: Data) -> Data | None:
    """Return the scoring rule with its defaults filled in."""
    optional = ("positive", "exclude", "expectation_positive")
    table = check.table(value, "scoring", ("rule",), optional)
    if table is None:
        return None
    rule = _read(check, table, "scoring", "rule", check.choice, RULES)
    satisfaction, expectation = scales.get(SATISFACTION), scales.get(EXPECTATION)
    scoring = {
        "rule": rule,
        "positive": _values(check, table.get("positive", [4, 5]), "positive", satisfaction),
        "exclude": _excluded(check, table.get("exclude", ["na"])),
        "expectation_positive": _values(
            check, table.get("expectation_positive", [2, 3]), "expectation_positive", expectation
        ),
    }
    exclude = scoring["exclude"] or []
    if rule == "mean" and "na" not in exclude:
        check.fail("scoring.exclude", _('the mean rule must exclude "na": it has no score'))
    if "neutral" in exclude and satisfaction and satisfaction["neutral"] is None:
        check.fail("scoring.exclude", _('excluding "neutral" needs scales.satisfaction.neutral'))
    if "neutral" in exclude and satisfaction and satisfaction["neutral"] in scoring["positive"]:
        check.fail("scoring.positive", _("must not hold the neutral value it excludes"))
    return scoring


def _values(check: Checker, value: Any, name: str, scale: Data | None) -> list[int]:
    """Return sorted scale values, each one offered by scale (when the scale is valid)."""
    path = join("scoring", name)
    offered = [c["value"] for c in scale["choices"]] if scale else None
    values = []
    for index, raw in enumerate(check.array(value, path, 1)):
        number = check.integer(raw, join(path, index), 0, MAX_SCALE_VALUE)
        if number is not None and offered is not None and number not in offered:
            check.fail(join(path, index), _("%(value)d is not a value of the scale", value=number))
        values.append(number)
    return sorted(v for v in check.unique(values, path) if v is not None)


def _excluded(check: Checker, value: Any) -> list[str]:
    """Return the kinds of answer kept out of the denominator."""
    path = "scoring.exclude"
    names = [
        check.choice(raw, join(path, i), EXCLUDABLE)
        for i, raw in enumerate(check.array(value, path))
    ]
    return sorted(n for n in check.unique(names, path) if n is not None)


def _elements(check: Checker, value: Any) -> list[Data | None]:
    """Return the elements with their items, one entry (or None) per entry of the file."""
    elements: list[Data | None] = []
    for index, raw in enumerate(check.array(value, "elements", 1)):
        path = join("elements", index)
        table = check.table(raw, path, ("key", "title", "items"), ("note",))
        items_path = join(path, "items")
        items = check.array(table["items"], items_path, 1) if table and "items" in table else []
        elements.append(
            table
            and {
                "key": _read(check, table, path, "key", check.key, ANSWER_KEY),
                "title": _read(check, table, path, "title", check.local_text),
                "note": _read(check, table, path, "note", check.local_text),
                "items": [_item(check, item, join(items_path, i)) for i, item in enumerate(items)],
            }
        )
    return elements


def _item(check: Checker, value: Any, path: str) -> Data | None:
    """Return one item: key, statement, whether "not applicable" is offered."""
    table = check.table(value, path, ("key", "text"), ("allow_na",))
    if table is None:
        return None
    allow_na = _read(check, table, path, "allow_na", check.boolean)
    return {
        "key": _read(check, table, path, "key", check.key, ANSWER_KEY),
        "text": _read(check, table, path, "text", check.local_text),
        "allow_na": bool(allow_na),
    }


def _expectations(check: Checker, value: Any) -> list[Data | None]:
    """Return the expectations, one entry (or None) per entry of the file."""
    expectations: list[Data | None] = []
    for index, raw in enumerate(check.array(value, "expectations")):
        path = join("expectations", index)
        table = check.table(raw, path, ("key", "text"))
        expectations.append(
            table
            and {
                "key": _read(check, table, path, "key", check.key, ANSWER_KEY),
                "text": _read(check, table, path, "text", check.local_text),
            }
        )
    return expectations


def _comment(check: Checker, value: Any) -> Data | None:
    """Return the free-text comment question."""
    table = check.table(value, "comment", ("prompt", "max_length"))
    return table and {
        "prompt": _read(check, table, "comment", "prompt", check.local_text),
        "max_length": _read(check, table, "comment", "max_length", check.integer, 1, MAX_COMMENT),
    }


def _key_paths(elements: list[Data | None], expectations: list[Data | None]):
    """Yield (path, key) for every element, item and expectation key, in file order."""
    for i, element in enumerate(elements):
        if element:
            yield f"elements[{i}].key", element["key"]
            for j, item in enumerate(element["items"]):
                if item:
                    yield f"elements[{i}].items[{j}].key", item["key"]
    for k, expectation in enumerate(expectations):
        if expectation:
            yield f"expectations[{k}].key", expectation["key"]


def _check_keys(check: Checker, elements: list, expectations: list) -> None:
    """Report keys used twice anywhere in the questionnaire or taken by file columns."""
    seen: dict[str, str] = {}
    for path, key in _key_paths(elements, expectations):
        if key is None:
            continue
        if key in RESERVED_KEYS:
            check.fail(path, _("%(key)r is reserved for a column of response files", key=key))
        elif key in seen:
            check.fail(
                path, _("key %(key)r is already used at %(other)s", key=key, other=seen[key])
            )
        else:
            seen[key] = path


def _check_scales_needed(check: Checker, scales: Data, elements: list, expectations: list) -> None:
    """Report a scale or label that the questions need but the file lacks."""
    satisfaction = scales.get(SATISFACTION)
    items = [i for e in elements if e for i in e["items"] if i]
    na_items = [item["key"] for item in items if item["allow_na"]]
    if satisfaction and na_items and satisfaction["not_applicable"] is None:
        check.fail(
            "scales.satisfaction.not_applicable",
            _("is needed: %(keys)s allow not applicable", keys=", ".join(na_items)),
        )
    if expectations and scales and EXPECTATION not in scales:
        check.fail("scales.expectation", _("is missing: the questionnaire has expectations"))
