"""Helpers for questionnaire tests: the small valid form and edited copies of it."""

from pathlib import Path

from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.loader import load_file

TESTS_DIR = Path(__file__).resolve().parents[1]
MINI_PATH = TESTS_DIR / "data" / "forms-small" / "mini.v1.toml"
MINI = MINI_PATH.read_text(encoding="utf-8")
REAL_FORM = TESTS_DIR.parent / "forms" / "sipas-services.v1.toml"


def edited(old: str, new: str, text: str = MINI) -> str:
    """Return text with old replaced by new; fail if old is absent, so no edit goes unnoticed."""
    assert old in text, old
    return text.replace(old, new)


def write_form(folder: Path, text: str = MINI, name: str = "mini.v1.toml") -> Path:
    """Write a questionnaire file into folder (created if needed) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def mini() -> Questionnaire:
    """Return the small valid questionnaire."""
    return load_file(MINI_PATH)


def real() -> Questionnaire:
    """Return the SIPAS questionnaire of forms/."""
    return load_file(REAL_FORM)
