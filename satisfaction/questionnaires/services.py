"""Questionnaire versions: check the files, record them in the database, read them back.

Services flush only; the command or view that calls them commits.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.memo import in_transaction
from satisfaction.extensions import db
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.loader import (
    LoadedForm,
    display_name,
    find_file,
    load_dir,
    load_file,
)
from satisfaction.questionnaires.models import QuestionnaireVersion


@dataclass(frozen=True)
class SyncOutcome:
    """What sync_all did with one file."""

    key: str
    version: int
    source_file: str
    status: Literal["recorded", "unchanged"]


@dataclass(frozen=True)
class Lookup:
    """A questionnaire found for showing, and where it came from."""

    questionnaire: Questionnaire
    source: str  # the file's display name, or "" when read from the database
    is_recorded: bool


def check_all(forms_dir: str | Path) -> list[LoadedForm]:
    """Read and check every questionnaire file; InputError lists every problem of every file."""
    return load_dir(forms_dir)


def sync_all(forms_dir: str | Path) -> list[SyncOutcome]:
    """Record new versions; refuse all if a recorded version's content changed."""
    loaded = load_dir(forms_dir)
    recorded = _recorded_versions({form.questionnaire.key for form in loaded})
    outcomes: list[SyncOutcome] = []
    new_rows: list[QuestionnaireVersion] = []
    problems: list[Problem] = []
    for form in loaded:
        questionnaire, digest = form.questionnaire, form.questionnaire.content_hash()
        row = recorded.get((questionnaire.key, questionnaire.version))
        if row is not None and row.content_hash != digest:
            where = display_name(Path(forms_dir) / form.source_file)
            problems.append(Problem(where, _changed_message(questionnaire, recorded, loaded)))
            continue
        status: Literal["recorded", "unchanged"] = "unchanged" if row else "recorded"
        if row is None:
            new_rows.append(_new_row(form, digest))
        outcomes.append(
            SyncOutcome(questionnaire.key, questionnaire.version, form.source_file, status)
        )
    if problems:
        raise InputError(problems)
    db.session.add_all(new_rows)
    db.session.flush()
    return outcomes


def get_version(key: str, version: int | None = None) -> QuestionnaireVersion:
    """Return a recorded version of key (the latest when version is None); else NotFound."""
    stmt = select(QuestionnaireVersion).where(QuestionnaireVersion.key == key)
    if version is not None:
        stmt = stmt.where(QuestionnaireVersion.version == version)
    row = db.session.scalar(stmt.order_by(QuestionnaireVersion.version.desc()).limit(1))
    if row is None:
        raise NotFound(key if version is None else f"{key} v{version}")
    return row


def latest_version(key: str) -> QuestionnaireVersion:
    """Return the latest recorded version of key, read once per transaction; else NotFound."""
    return in_transaction(("latest_version", key), lambda: get_version(key))


def get_questionnaire(key: str, version: int | None = None) -> Questionnaire:
    """Return a recorded questionnaire (the latest version when version is None); else NotFound."""
    return Questionnaire.from_dict(get_version(key, version).definition)


def latest_versions() -> list[QuestionnaireVersion]:
    """Return the latest recorded version of each questionnaire, by key."""
    latest = (
        select(QuestionnaireVersion.key, func.max(QuestionnaireVersion.version).label("version"))
        .group_by(QuestionnaireVersion.key)
        .subquery()
    )
    stmt = (
        select(QuestionnaireVersion)
        .join(
            latest,
            and_(
                QuestionnaireVersion.key == latest.c.key,
                QuestionnaireVersion.version == latest.c.version,
            ),
        )
        .order_by(QuestionnaireVersion.key)
    )
    return list(db.session.scalars(stmt))


def find_questionnaire(key: str, version: int | None, forms_dir: str | Path) -> Lookup:
    """Return a questionnaire from the database if recorded, else from its file; else NotFound."""
    try:
        return Lookup(get_questionnaire(key, version), "", True)
    except NotFound:
        path = find_file(forms_dir, key, version)
    return Lookup(load_file(path), display_name(path), False)


def _recorded_versions(keys: set[str]) -> dict[tuple[str, int], QuestionnaireVersion]:
    """Return the recorded versions of the given keys by (key, version)."""
    if not keys:
        return {}
    rows = db.session.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.key.in_(sorted(keys)))
    )
    return {(row.key, row.version): row for row in rows}


def _new_row(form: LoadedForm, digest: str) -> QuestionnaireVersion:
    """Return the database row recording a loaded questionnaire."""
    questionnaire = form.questionnaire
    return QuestionnaireVersion(
        key=questionnaire.key,
        version=questionnaire.version,
        content_hash=digest,
        definition=questionnaire.to_dict(),
        source_file=form.source_file,
    )


def _changed_message(
    questionnaire: Questionnaire,
    recorded: dict[tuple[str, int], QuestionnaireVersion],
    loaded: list[LoadedForm],
) -> str:
    """Return why an edited, already recorded version is refused and what to do instead."""
    key = questionnaire.key
    known = [v for k, v in recorded if k == key]
    known += [f.questionnaire.version for f in loaded if f.questionnaire.key == key]
    following = max(known) + 1
    return _(
        "%(key)s version %(version)d is already recorded with different content, and answers "
        "may refer to it. Undo the edit, or save the changed questionnaire as %(file)s with "
        "version = %(next)d.",
        key=key,
        version=questionnaire.version,
        file=f"{key}.v{following}.toml",
        next=following,
    )
