"""Check raw values parsed from a file, collecting every problem with its field path."""

import re
import unicodedata
from collections.abc import Collection
from typing import Any

from flask_babel import gettext as _

from satisfaction.core.errors import Problem

LANGUAGES = ("vi", "en")


def join(path: str, name: str | int) -> str:
    """Return the path of a field or list element inside path."""
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def clean_text(value: str) -> str:
    """Return text in NFC with outer blanks removed, so that editors and OSes hash alike."""
    return unicodedata.normalize("NFC", value).strip()


class Checker:
    """Collect problems found in one source, each placed at source: field.path."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        """Record a problem at path."""
        where = f"{self.source}: {path}" if path else self.source
        self.problems.append(Problem(where, message))

    def table(
        self, value: Any, path: str, required: Collection[str], optional: Collection[str] = ()
    ) -> dict[str, Any] | None:
        """Return value if it is a table; report missing and unknown fields."""
        if not isinstance(value, dict):
            self.fail(path, _("must be a table"))
            return None
        for name in required:
            if name not in value:
                self.fail(join(path, name), _("is missing"))
        for name in value:
            if name not in required and name not in optional:
                allowed = ", ".join([*required, *optional])
                self.fail(join(path, name), _("unknown field (allowed: %(names)s)", names=allowed))
        return value

    def array(self, value: Any, path: str, minimum: int = 0) -> list[Any]:
        """Return value if it is a list of at least minimum entries, else an empty list."""
        if not isinstance(value, list):
            self.fail(path, _("must be a list"))
            return []
        if len(value) < minimum:
            self.fail(path, _("needs at least %(n)d entries", n=minimum))
        return value

    def text(self, value: Any, path: str) -> str | None:
        """Return cleaned, non-empty text."""
        if not isinstance(value, str):
            self.fail(path, _("must be text in quotes"))
            return None
        cleaned = clean_text(value)
        if not cleaned:
            self.fail(path, _("must not be empty"))
            return None
        return cleaned

    def key(self, value: Any, path: str, pattern: re.Pattern[str], limit: int = 64) -> str | None:
        """Return value if it is a key matching pattern and at most limit characters."""
        if not isinstance(value, str):
            self.fail(path, _("must be text in quotes"))
            return None
        if not pattern.fullmatch(value) or len(value) > limit:
            self.fail(
                path,
                _(
                    "%(value)r is not a valid key: use %(pattern)s, at most %(limit)d characters",
                    value=value,
                    pattern=pattern.pattern,
                    limit=limit,
                ),
            )
            return None
        return value

    def integer(self, value: Any, path: str, low: int, high: int) -> int | None:
        """Return value if it is a whole number between low and high."""
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, _("must be a whole number"))
            return None
        if not low <= value <= high:
            self.fail(path, _("must be between %(low)d and %(high)d", low=low, high=high))
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        """Return value if it is true or false."""
        if not isinstance(value, bool):
            self.fail(path, _("must be true or false"))
            return None
        return value

    def choice(self, value: Any, path: str, allowed: Collection[str]) -> str | None:
        """Return value if it is one of allowed."""
        if not isinstance(value, str) or value not in allowed:
            names = ", ".join(f'"{name}"' for name in allowed)
            self.fail(path, _("must be one of %(names)s", names=names))
            return None
        return value

    def local_text(self, value: Any, path: str) -> dict[str, str] | None:
        """Return {"vi": ..., "en": ...} with both languages present and non-empty."""
        table = self.table(value, path, LANGUAGES)
        if table is None:
            return None
        texts = {
            lang: self.text(table[lang], join(path, lang)) for lang in LANGUAGES if lang in table
        }
        if len(texts) < len(LANGUAGES) or None in texts.values():
            return None
        return texts  # type: ignore[return-value]

    def unique(self, values: list[Any], path: str) -> list[Any]:
        """Return values, reporting any repeated one."""
        seen: set[Any] = set()
        for index, value in enumerate(values):
            if value in seen:
                self.fail(join(path, index), _("%(value)r is repeated", value=value))
            seen.add(value)
        return values
