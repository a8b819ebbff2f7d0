"""Load the catalogue of procedures from the national database's export; find a field by code.

The export lists each procedure's code (mã thủ tục), name (tên thủ tục) and field (lĩnh vực, by
name): the field is matched to the bundled list (satisfaction.procedures.fields). A file is
taken whole or not at all; loading it again changes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from satisfaction.core.errors import InputError, Problem, at_line
from satisfaction.core.sql import chunked
from satisfaction.core.tables import Source, read_table
from satisfaction.core.text import column_key
from satisfaction.extensions import db
from satisfaction.procedures.fields import UNKNOWN, Field, by_name
from satisfaction.procedures.models import Procedure

COLUMNS = ("procedure_code", "procedure_name", "field")
# Headers of the same columns (lowercase, accents off, spaces as underscores).
ALIASES = {"ma_thu_tuc": "procedure_code", "ma_tthc": "procedure_code", "code": "procedure_code",
           "ten_thu_tuc": "procedure_name", "ten_tthc": "procedure_name", "name": "procedure_name",
           "linh_vuc": "field", "ten_linh_vuc": "field"}  # fmt: skip
# The columns' titles in the national database's export, as a missing one is named.
TITLES = {"procedure_code": "Mã thủ tục", "procedure_name": "Tên thủ tục", "field": "Lĩnh vực"}
MAX_REPORTED = 200


@dataclass(frozen=True)
class LoadSummary:
    """What loading a catalogue did."""

    added: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return _("%(added)d procedures added, %(changed)d changed, %(same)d unchanged",
                 added=self.added, changed=self.changed, same=self.unchanged)  # fmt: skip


def _key(title: str) -> str:
    return column_key(title, ALIASES)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        found.setdefault(_key(title), index)
    missing = [name for name in COLUMNS if name not in found]
    if missing:
        raise InputError([Problem(at_line(1), _("column %(name)s is missing", name=TITLES[name]))
                          for name in missing])  # fmt: skip
    return {name: found[name] for name in COLUMNS}


def read_catalogue(source: Source, name: str = "") -> dict[str, tuple[str, str]]:
    """Return {procedure code: (name, field code)} of an export, or raise every bad line."""
    table = read_table(source, name)
    columns = _columns(table.header)
    if not table.rows:
        raise InputError(Problem("", _("The file has a header but no procedures.")))
    found: dict[str, tuple[str, str]] = {}
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for line, cells in table.rows:
        code, title, field = (cells[i].strip() if i < len(cells) else "" for i in columns.values())
        known = by_name(field) if field else None
        problems += [
            Problem(at_line(line), message)
            for message in _row_problems(code, title, field, known, first.get(code))
        ]
        if code and code not in first:
            first[code] = line
            if known is not None:
                found[code] = (title, known.code)
    if problems:
        extra = len(problems) - MAX_REPORTED
        kept = problems[:MAX_REPORTED]
        raise InputError(kept + ([Problem("", _("%(n)d more problems.", n=extra))] if extra > 0
                                 else []))  # fmt: skip
    return found


def _row_problems(code: str, title: str, field: str, known: Field | None,
                  before: int | None) -> list[str]:  # fmt: skip
    """Return what is wrong with one procedure of an export (before: the line of its code)."""
    found = []
    if not code:
        found.append(_("the procedure code is missing"))
    elif len(code) > 64 or len(title) > 500:
        found.append(_("the procedure is too long"))
    elif before is not None:
        found.append(_("procedure %(code)s is already on line %(line)d", code=code, line=before))
    if not field:
        found.append(_("the field is missing"))
    elif known is None:
        found.append(_("the field “%(field)s” is not in the list of fields", field=field))
    return found


def load_catalogue(source: Source, name: str = "") -> LoadSummary:
    """Add or update the procedures of an export (all of it or nothing); flush, do not commit."""
    rows = read_catalogue(source, name)
    stored = {p.code: p for p in _stored(rows)}
    added = changed = 0
    for code, (title, field) in rows.items():
        procedure = stored.get(code)
        if procedure is None:
            db.session.add(Procedure(code=code, name=title, field_code=field))
            added += 1
        elif (procedure.name, procedure.field_code) != (title, field):
            procedure.name, procedure.field_code = title, field
            changed += 1
    db.session.flush()
    return LoadSummary(added, changed, len(rows) - added - changed)


def _stored(rows: dict[str, tuple[str, str]]) -> list[Procedure]:
    codes = sorted(rows)
    found: list[Procedure] = []
    for chunk in chunked(codes, 500):
        found += db.session.scalars(select(Procedure).where(Procedure.code.in_(chunk)))
    return found


def fields_of(codes: Iterable[str]) -> dict[str, str]:
    """Return the field code of each procedure code the catalogue holds (others: absent)."""
    wanted = sorted({code for code in codes if code})
    found: dict[str, str] = {}
    for chunk in chunked(wanted, 500):
        stmt = select(Procedure.code, Procedure.field_code).where(Procedure.code.in_(chunk))
        found.update((code, field) for code, field in db.session.execute(stmt))
    return found


def field_of(code: str, known: dict[str, str]) -> str:
    """Return a procedure's field from fields_of()'s answer, UNKNOWN if not in the catalogue."""
    return known.get(code, UNKNOWN)
