"""Record each imported file in the database, which refuses one taken before, even at once."""

from enum import StrEnum

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from satisfaction.auth.models import User
from satisfaction.core.errors import Conflict, Problem
from satisfaction.core.models import ImportedFile
from satisfaction.extensions import db


class FileKind(StrEnum):
    """What a file imported holds."""

    DOSSIERS = "dossiers"
    RETURNS = "returns"
    RESPONSES = "responses"
    UNITS = "units"


def claim_file(kind: FileKind, sha256: str, name: str, actor: User | None = None,
               again: bool = False) -> ImportedFile:  # fmt: skip
    """Record that a file is being imported; refuse one taken before (or taken at this moment).

    Call it before the import writes anything: a second import of the file waits here for the
    first to end, then is refused, and its session is rolled back (there is nothing else in it).
    With again, the file is taken once more (the next repeat).
    """
    repeat = 0
    if again:
        last = db.session.scalar(select(func.max(ImportedFile.repeat)).where(
            ImportedFile.kind == kind.value, ImportedFile.sha256 == sha256))  # fmt: skip
        repeat = 0 if last is None else last + 1
    taken = ImportedFile(kind=kind.value, sha256=sha256, repeat=repeat, name=name[:255],
                         actor_id=actor.id if actor is not None else None)  # fmt: skip
    # No savepoint: on SQLite one opened outside a transaction commits when released, and the
    # claim must go with the import's own rows (a refused file leaves no claim behind).
    db.session.add(taken)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _refusal(kind, sha256, name, again) from None
    return taken


def _refusal(kind: FileKind, sha256: str, name: str, again: bool) -> Conflict:
    """Say which earlier import took the file, or that another one took it at the same time."""
    where = name or _("the file")
    if again:
        return Conflict(Problem(where, _(
            "another import of this file ran at the same moment: nothing was recorded "
            "twice; run it again if it is still needed")))  # fmt: skip
    first = db.session.scalar(select(ImportedFile).where(
        ImportedFile.kind == kind.value, ImportedFile.sha256 == sha256,
        ImportedFile.repeat == 0))  # fmt: skip
    if first is None:  # the other import failed after all: trying again may work
        return Conflict(
            Problem(
                where, _("another import of this file was running: nothing was recorded; try again")
            )
        )
    who = first.actor.username if first.actor is not None else _("a command on the server")
    return Conflict(Problem(where, _(
        "this file was taken before (%(name)s, %(when)s, by %(who)s): nothing was recorded "
        "again", name=first.name or "-", when=format_datetime(first.imported_at, "short"),
        who=who)))  # fmt: skip
