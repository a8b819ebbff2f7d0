"""The tables of the officers' pages as CSV and XLSX downloads, each saying what it covers."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from satisfaction.audit.services import record
from satisfaction.auth.models import User
from satisfaction.core.time import utcnow
from satisfaction.dashboard.exports import (
    ATTENTION_COLUMNS,
    NUMERIC_COLUMNS,
    about_rows,
    attention_table,
    field_table,
    for_people,
    people_rows,
    point_table,
    rule_text,
    score_table,
    titles,
    to_xlsx,
)
from satisfaction.dashboard.naming import period_name, source_label
from satisfaction.dashboard.pages import Labels
from satisfaction.questionnaires.services import get_questionnaire
from satisfaction.scoring.attention import Concern
from satisfaction.scoring.indices import Estimate, Scores
from satisfaction.scoring.services import Figure, Query, min_n, scheme_and_versions
from satisfaction.units.models import AdminUnit, UnitDataset

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
DETAIL_COLUMNS = ["kind", "key", "label", "n", "value", "ci_low", "ci_high"]


@dataclass(frozen=True)
class Download:
    """A file to send: its bytes, its type and its name."""

    data: bytes
    mimetype: str
    name: str


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _encode(header: Sequence[str], rows: list[list[str]], fmt: str, query: Query,
            dataset: UnitDataset, labels: Labels) -> bytes:  # fmt: skip
    """Return a table as a file for people: titles in their language, CSV that Excel opens."""
    shown, rows = titles(header, labels.elements), people_rows(header, rows)
    if fmt == "csv":
        return for_people(shown, rows)
    scheme, _versions = scheme_and_versions(query)
    questionnaire = get_questionnaire(current_app.config["DEFAULT_QUESTIONNAIRE"])
    about = about_rows(period_name(query.period), rule_text(scheme, questionnaire), min_n(),
                       [source_label(s.value) for s in query.sources], dataset.title,
                       f"{questionnaire.key} v{questionnaire.version}", utcnow())  # fmt: skip
    numeric = [i for i, name in enumerate(header)
               if name in NUMERIC_COLUMNS or name in scheme.element_keys]  # fmt: skip
    return to_xlsx(shown, rows, about, numeric)


def ranked(figures: Sequence[Figure], query: Query, dataset: UnitDataset, fmt: str,
           name: str, actor: User, labels: Labels) -> Download:  # fmt: skip
    """Return a ranked table of units (the Score CSV contract) as a download."""
    scheme, _versions = scheme_and_versions(query)
    header, rows = score_table(figures, period_name(query.period), scheme.element_keys)
    record("scores.download", name, actor, format=fmt, period=query.period.label,
           sources=[s.value for s in query.sources])  # fmt: skip
    return Download(_encode(header, rows, fmt, query, dataset, labels), FORMATS[fmt],
                    f"{name}-{query.period.label or 'all'}.{fmt}")  # fmt: skip


def fields(figures: Sequence[Figure], query: Query, dataset: UnitDataset, fmt: str, name: str,
           actor: User, labels: Labels) -> Download:  # fmt: skip
    """Return a unit's table by field of the procedures as a download."""
    scheme, _versions = scheme_and_versions(query)
    header, rows = field_table(figures, query.period.label, scheme.element_keys)
    record("scores.download", name, actor, format=fmt, period=query.period.label,
           sources=[s.value for s in query.sources])  # fmt: skip
    return Download(_encode(header, rows, fmt, query, dataset, labels), FORMATS[fmt],
                    f"{name}-{query.period.label or 'all'}.{fmt}")  # fmt: skip


def _detail_rows(scores: Scores, labels: Labels, enough: bool) -> list[list[str]]:
    def row(kind: str, key: str, label: str, e: Estimate) -> list[str]:
        shown = enough and e.value is not None
        return [kind, key, label, str(e.n), _number(e.value if shown else None),
                _number(e.low if shown else None), _number(e.high if shown else None)]  # fmt: skip

    rows = [row("index", "index", _("Satisfaction index"), scores.index)]
    for key, title in labels.elements.items():
        if key in scores.elements:
            rows.append(row("element", key, title, scores.elements[key]))
        rows += [row("item", item, labels.items[item], scores.items[item])
                 for item in labels.element_items[key] if item in scores.items]  # fmt: skip
    wanted = scores.expectations
    rows += [row("expectation", key, text, wanted[key])
             for key, text in labels.expectations.items() if key in wanted]  # fmt: skip
    return rows


def detail(figure: Figure, labels: Labels, query: Query, dataset: UnitDataset, fmt: str,
           actor: User) -> Download:  # fmt: skip
    """Return a unit's index, elements, items and expectations as a download."""
    rows = _detail_rows(figure.scores, labels, figure.enough)
    record("scores.download", f"unit {figure.code}", actor, format=fmt,
           period=query.period.label)  # fmt: skip
    return Download(_encode(DETAIL_COLUMNS, rows, fmt, query, dataset, labels), FORMATS[fmt],
                    f"{figure.code}-detail-{query.period.label or 'all'}.{fmt}")  # fmt: skip


def attention(found: Sequence[Concern], query: Query, dataset: UnitDataset, fmt: str, name: str,
              actor: User, labels: Labels) -> Download:  # fmt: skip
    """Return the attention list (units below the nation or fallen) as a download."""
    rows = attention_table(found, period_name(query.period))
    record("scores.download", name, actor, format=fmt, period=query.period.label,
           sources=[s.value for s in query.sources])  # fmt: skip
    return Download(_encode(ATTENTION_COLUMNS, rows, fmt, query, dataset, labels), FORMATS[fmt],
                    f"{name}-{query.period.label or 'all'}.{fmt}")  # fmt: skip


def service_points(lines: Sequence, query: Query, unit: AdminUnit, fmt: str, actor: User,
                   labels: Labels) -> Download:  # fmt: skip
    """Return every service point inside a unit, ranked, with the unit each serves."""
    scheme, _versions = scheme_and_versions(query)
    header, rows = point_table(lines, period_name(query.period), scheme.element_keys)
    record("scores.download", f"{unit.code}-points", actor, format=fmt,
           period=query.period.label, sources=[s.value for s in query.sources])  # fmt: skip
    return Download(_encode(header, rows, fmt, query, unit.dataset, labels), FORMATS[fmt],
                    f"{unit.code}-points-{query.period.label or 'all'}.{fmt}")  # fmt: skip
