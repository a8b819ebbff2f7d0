"""Read questionnaire files ({key}.v{version}.toml) and refuse them with every problem found."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, NotFound, Problem, at_line
from satisfaction.questionnaires.checks import Checker
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.schema import validate

FILE_NAME = re.compile(r"(?P<key>.+)\.v(?P<version>[1-9][0-9]*)\.toml")
TOML_POSITION = re.compile(r"\s*\(at (?:line (?P<line>\d+), column \d+|end of document)\)")


@dataclass(frozen=True)
class LoadedForm:
    """A questionnaire read from a file, with the file's name inside the forms folder."""

    source_file: str
    questionnaire: Questionnaire


def display_name(path: Path) -> str:
    """Return how messages name a file: its folder's name and its own (never a full path)."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def load_file(path: str | Path) -> Questionnaire:
    """Read, check and return one questionnaire file; InputError lists every problem."""
    path = Path(path)
    check = Checker(display_name(path))
    raw = _parse(path, check)
    data = None
    if raw is not None:
        data = validate(raw, check)
        _check_file_name(path.name, raw, check)
    if check.problems or data is None:
        raise InputError(check.problems)
    return Questionnaire.from_dict(data)


def load_dir(forms_dir: str | Path) -> list[LoadedForm]:
    """Read and check every *.toml file of a folder; InputError lists the problems of all."""
    directory = Path(forms_dir)
    if not directory.is_dir():
        raise InputError(Problem(directory.name, _("the forms folder does not exist")))
    paths = sorted(p for p in directory.iterdir() if p.suffix == ".toml" and p.is_file())
    if not paths:
        raise InputError(Problem(directory.name, _("no questionnaire file (*.toml) was found")))
    loaded: list[LoadedForm] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(LoadedForm(path.name, load_file(path)))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return loaded


def find_file(forms_dir: str | Path, key: str, version: int | None = None) -> Path:
    """Return the file of a version of key (the highest when version is None); else NotFound."""
    directory = Path(forms_dir)
    found: dict[int, Path] = {}
    if directory.is_dir():
        for path in directory.iterdir():
            match = FILE_NAME.fullmatch(path.name)
            if match and match["key"] == key:
                found[int(match["version"])] = path
    chosen = max(found, default=None) if version is None else version
    if chosen not in found:
        raise NotFound(key if version is None else f"{key} v{version}")
    return found[chosen]


def _parse(path: Path, check: Checker) -> dict[str, Any] | None:
    """Return the parsed TOML of path, or None with the reason recorded in check."""
    try:
        content = path.read_bytes()
    except OSError as error:
        check.fail("", _("cannot be read: %(reason)s", reason=error.strerror))
        return None
    try:
        text = content.decode("utf-8-sig")  # a BOM, as some Windows editors write, is harmless
    except UnicodeDecodeError as error:
        check.fail("", _("is not UTF-8 text (bad byte at offset %(at)d)", at=error.start))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = TOML_POSITION.search(message)
        line = position["line"] if position else None
        where = at_line(line) if line else _("end of file")
        reason = TOML_POSITION.sub("", message)
        check.fail(where, _("TOML syntax error: %(reason)s", reason=reason))
        return None


def _check_file_name(name: str, raw: dict[str, Any], check: Checker) -> None:
    """Report a file whose name does not say the key and version it holds."""
    key, version = raw.get("key"), raw.get("version")
    if not isinstance(key, str) or not isinstance(version, int) or isinstance(version, bool):
        return  # validate() already said what is wrong with them
    expected = f"{key}.v{version}.toml"
    if name == expected:
        return
    match = FILE_NAME.fullmatch(name)
    field = "version" if match and match["key"] == key else "key"
    check.fail(
        field,
        _(
            "the file name %(name)s does not match key and version: it must be %(expected)s",
            name=name,
            expected=expected,
        ),
    )
