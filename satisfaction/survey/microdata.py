"""Anonymous microdata: responses out as CSV with a codebook, and past rounds in, all or nothing."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from satisfaction.audit import services as audit
from satisfaction.core.errors import InputError, NotFound, Problem, at_line
from satisfaction.core.imports import FileKind, claim_file
from satisfaction.core.tables import Source, named, read_table
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.procedures.fields import UNKNOWN, by_code, by_name
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.questionnaires.services import get_version
from satisfaction.questionnaires.types import parse_answers
from satisfaction.survey.answering import add_responses, questionnaire_of
from satisfaction.survey.ballot_box import answer_columns
from satisfaction.survey.models import Channel, Mode, Response
from satisfaction.units.models import ServicePoint

FIXED = ("service_point", "date", "channel", "questionnaire")
CHANNELS = (*(c.value for c in Channel), "poster")
IMPORT_ACTION = "responses.import"
EXPORT_ACTION = "responses.export"
ARCHIVE_STEP = 5000  # rows between two reports of progress


def _columns(questionnaire: Questionnaire) -> list[str]:
    return [*FIXED, "mode", *questionnaire.item_keys, *questionnaire.expectation_keys, "comment"]


def export_rows(questionnaire_key: str | None = None, with_comments: bool = False
                ) -> Iterator[list[str]]:  # fmt: skip
    """Yield the header, then one row per response (no code, no invitation, the day only)."""
    key = questionnaire_key or current_app.config["DEFAULT_QUESTIONNAIRE"]
    questionnaire = questionnaire_of(get_version(key))
    header = _columns(questionnaire)
    yield header
    query = (
        select(Response, ServicePoint.code)
        .join(ServicePoint, ServicePoint.id == Response.service_point_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
        .where(QuestionnaireVersion.key == key)
        .order_by(Response.id)  # random ids: the order says nothing about arrival
        .execution_options(yield_per=2000)
    )
    answer_keys = header[len(FIXED) + 1 : -1]
    for response, point in db.session.execute(query):
        channel = "poster" if response.is_poster else response.channel.value
        fixed = [point, response.answered_on.isoformat(), channel, key, response.mode.value]
        answers = [_cell(response.answers.get(k)) for k in answer_keys]
        yield [*fixed, *answers, response.comment if with_comments else ""]


def _cell(value: object) -> str:
    """Return an answer as the import reads it: the value, NA, or empty."""
    if value is None:
        return ""
    return "NA" if value == "na" else str(value)


def codebook_rows(questionnaire_key: str | None = None) -> list[list[str]]:
    """Return the codebook of the microdata: each column, what it holds, its values."""
    key = questionnaire_key or current_app.config["DEFAULT_QUESTIONNAIRE"]
    questionnaire = questionnaire_of(get_version(key))
    scale = ", ".join(f"{c.value} = {c.label.en}" for c in questionnaire.satisfaction_scale.choices)
    rows = [
        ["column", "meaning", "values"],
        ["service_point", "Office evaluated (service point code)", "see service-points list"],
        ["date", "Day the answer was given", "YYYY-MM-DD"],
        ["channel", "How the form reached the citizen", ", ".join(CHANNELS)],
        ["questionnaire", "Questionnaire key", key],
        ["mode", "How the answer was captured", ", ".join(m.value for m in Mode)],
    ]
    for element in questionnaire.elements:
        for item in element.items:
            values = scale + ("; NA = not applicable" if item.allow_na else "") + "; empty = none"
            rows.append([item.key, f"{element.title.en}: {item.text.en}", values])
    if questionnaire.expectation_scale:
        wants = ", ".join(f"{c.value} = {c.label.en}"
                          for c in questionnaire.expectation_scale.choices)  # fmt: skip
        rows += [[e.key, f"Wants improved: {e.text.en}", wants + "; empty = none"]
                 for e in questionnaire.expectations]  # fmt: skip
    rows.append(["comment", "Free comment (only with --with-comments)", "text"])
    return rows


def count_rows(questionnaire_key: str | None = None) -> int:
    """Return how many responses the export of a questionnaire holds."""
    key = questionnaire_key or current_app.config["DEFAULT_QUESTIONNAIRE"]
    stmt = (
        select(func.count())
        .select_from(Response)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
        .where(QuestionnaireVersion.key == key)
    )
    return db.session.scalar(stmt) or 0


def write_archive(out: IO[bytes], questionnaire_key: str | None, with_comments: bool,
                  advance: Callable[[int], None]) -> int:  # fmt: skip
    """Write the microdata and its codebook as a zip of two CSV files; return the rows written.

    The files carry a UTF-8 byte order mark so that Excel shows Vietnamese letters; the import
    reads them as they are.
    """
    book = codebook_rows(questionnaire_key)
    written = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with (
            archive.open("microdata.csv", "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            writer = csv.writer(text, lineterminator="\n")
            rows = export_rows(questionnaire_key, with_comments)
            writer.writerow(next(rows))  # the header
            for row in rows:
                writer.writerow(row)
                written += 1
                if written % ARCHIVE_STEP == 0:
                    advance(ARCHIVE_STEP)
        archive.writestr("codebook.csv", "\ufeff" + to_csv(book))
    advance(written % ARCHIVE_STEP)
    return written


def to_csv(rows) -> str:
    """Return rows as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def import_responses(source: Source, again: bool = False, actor=None, name: str = "") -> int:
    """Check every row of a microdata file, then record them all (or nothing); return the count.

    The same file imported twice is refused (unless again), also when both run at once: a
    retried import counts nothing twice.
    """
    table = read_table(source, name)
    claim_file(FileKind.RESPONSES, table.fingerprint, name, actor, again=again)
    header = [name.strip() for name in table.header]
    default = get_version(current_app.config["DEFAULT_QUESTIONNAIRE"])
    problems = _check_header(header, questionnaire_of(default))
    if problems:
        raise InputError(problems)
    rows, points, versions = [], {}, {}
    for line, cells in table.rows:
        value = named(header, cells)
        row = _check_row(line, value, points, versions, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise InputError(problems)
    add_responses([
        answer_columns(point, version.id, channel, Mode.IMPORTED, answers, day, is_poster, field)
        for point, version, channel, is_poster, day, answers, field in rows
    ])  # fmt: skip
    audit.record(IMPORT_ACTION, "", actor, sha256=table.fingerprint, responses=len(rows))
    db.session.flush()
    return len(rows)


def _check_header(header: list[str], questionnaire: Questionnaire) -> list[Problem]:
    problems = [Problem(at_line(1), _("column %(name)s is missing", name=name))
                for name in ("service_point", "date") if name not in header]  # fmt: skip
    known = set(questionnaire.answer_keys) | set(FIXED) | {"mode", "field"}
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(at_line(1, name), _("the column appears twice")))
        elif name and name not in known:
            problems.append(Problem(at_line(1, name), _("unknown column")))
        seen.add(name)
    return problems


def _check_row(line, value, points, versions, problems):
    """Return (point, version, channel, is_poster, day, answers, field), or None with problems
    added."""
    before = len(problems)
    point = _point(line, value["service_point"], points, problems)
    version = _version(line, value.get("questionnaire", ""), versions, problems)
    channel_text = value.get("channel", "") or Channel.ENVELOPE.value
    if channel_text not in CHANNELS:
        problems.append(Problem(at_line(line, "channel"), _(
            "%(value)s is not a channel (one of: %(choices)s)", value=channel_text,
            choices=", ".join(CHANNELS))))  # fmt: skip
    day = _day(line, value["date"], problems)
    field = _field(line, value.get("field", ""), problems)
    answers = {}
    if version is not None:
        answers = _answers(line, questionnaire_of(version), value, problems)
    if len(problems) > before:
        return None
    is_poster = channel_text == "poster"
    channel = Channel.DESK if is_poster else Channel(channel_text)
    return point, version, channel, is_poster, day, answers, field


def _field(line: int, text: str, problems: list[Problem]) -> str:
    """Return the code of the field a cell names (its code or its name), "" for none."""
    if not text:
        return UNKNOWN
    found = by_code(text) or by_name(text)
    if found is None:
        problems.append(Problem(at_line(line, "field"), _(
            "the field “%(field)s” is not in the list of fields", field=text)))  # fmt: skip
        return UNKNOWN
    return found.code


def _point(line: int, code: str, points: dict, problems: list[Problem]) -> ServicePoint | None:
    if code not in points:
        query = select(ServicePoint).where(ServicePoint.code == code)
        points[code] = db.session.scalar(query)
    if points[code] is None:
        message = _("no service point has the code %(code)s", code=code)
        problems.append(Problem(at_line(line, "service_point"), message))
    return points[code]


def _version(line: int, key: str, versions: dict, problems: list[Problem]):
    key = key or current_app.config["DEFAULT_QUESTIONNAIRE"]
    if key not in versions:
        try:
            versions[key] = get_version(key)
        except NotFound:
            versions[key] = None
    if versions[key] is None:
        problems.append(Problem(at_line(line, "questionnaire"),
                                _("no questionnaire %(key)s", key=key)))  # fmt: skip
    return versions[key]


def _day(line: int, text: str, problems: list[Problem]) -> date | None:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        problems.append(Problem(at_line(line, "date"),
                                _("%(value)s is not a date (YYYY-MM-DD)", value=text)))  # fmt: skip
        return None
    if day > local_today():
        problems.append(Problem(at_line(line, "date"), _("the date is in the future")))
    return day


def _answers(line: int, questionnaire: Questionnaire, value: dict, problems) -> dict:
    raw = {k: v for k, v in value.items() if k in questionnaire.answer_keys and v != ""}
    try:
        answers = parse_answers(questionnaire, raw)
    except InputError as error:
        problems.extend(Problem(at_line(line, p.where), p.message) for p in error.problems)
        return {}
    if all(v is None for k, v in answers.items() if k != "comment"):
        problems.append(Problem(at_line(line), _("the row has no answer")))
    return answers
