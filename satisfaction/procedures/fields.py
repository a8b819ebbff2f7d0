"""The bundled list of fields of procedures (lĩnh vực) and how a field is found by its name.

Pure code: no Flask, no database. The list is data (data/fields.csv; data/SOURCES.md says where
its names come from); a field's code is ours and never changes, its names may be corrected.
"""

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "fields.csv"
UNKNOWN = ""  # the field of an answer whose procedure is not known
# Old and new placement of the tone mark on oa, oe, uy ("hoà" and "hòa" are one word).
_MOVED = re.compile("([ou])([̣̀́̉̃])([aey])")


@dataclass(frozen=True)
class Field:
    """A field of administrative procedures: its stable code and its names."""

    code: str
    name_vi: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def name(self, locale: str | None) -> str:
        """Return the field's name in a language (Vietnamese unless English is asked)."""
        return self.name_en if str(locale or "").startswith("en") else self.name_vi


def name_key(text: str) -> str:
    """Return the form a field's name is matched by: case, spacing, punctuation and the old or
    new placement of tone marks (hoà / hòa, thuỷ / thủy) do not matter; letters and accents do."""
    plain = unicodedata.normalize("NFD", text.strip().lower())
    plain = _MOVED.sub(lambda m: m.group(1) + m.group(3) + m.group(2), plain)
    plain = unicodedata.normalize("NFC", plain)
    plain = "".join(" " if c in ",;:.-–—/()" else c for c in plain)
    return " ".join(plain.split())


@functools.cache
def all_fields() -> tuple[Field, ...]:
    """Return the bundled fields, in the list's order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Field(row["code"], row["name_vi"], row["name_en"],
                  tuple(a for a in row["aliases"].split("|") if a))
            for row in csv.DictReader(handle)
        )  # fmt: skip


@functools.cache
def _by_name() -> dict[str, Field]:
    found: dict[str, Field] = {}
    for one in all_fields():
        for name in (one.name_vi, one.name_en, *one.aliases):
            key = name_key(name)
            if found.setdefault(key, one) is not one:
                raise ValueError(f"two fields are named {name!r}")
    return found


def by_code(code: str) -> Field | None:
    """Return the field with a code, or None."""
    return next((one for one in all_fields() if one.code == code), None)


def by_name(name: str) -> Field | None:
    """Return the field a name (Vietnamese, English or a listed other name) stands for, or None."""
    return _by_name().get(name_key(name))


def field_name(code: str, locale: str | None) -> str:
    """Return a field's name in a language; the code itself for a field no longer listed."""
    found = by_code(code)
    return found.name(locale) if found is not None else code
