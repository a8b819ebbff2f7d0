"""What a code's look-up reads for the citizen's pages: plain rows of one Core statement.

The survey page and its answer only read the invitation, its office and its questionnaire
version: they get immutable rows, not ORM objects (a quarter of a submit's CPU went to loading
five of those). Callers that change an invitation or link rows to it (the intake's tracking,
keying and imports) load the ORM object instead (invitations.lookup_invitation).
"""

import functools
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select

from satisfaction.core import driver
from satisfaction.extensions import db
from satisfaction.intake.models import Batch
from satisfaction.questionnaires.models import QuestionnaireVersion
from satisfaction.survey.models import Channel, Invitation, InvitationStatus
from satisfaction.units.models import AdminUnit, ServicePoint, UnitLevel


class UnitRow(NamedTuple):
    """The unit an office serves, as far as recording an answer needs it."""

    id: int
    level: UnitLevel
    path: str


class PointRow(NamedTuple):
    """A service point (office), as the survey page shows it and an answer records it."""

    id: int
    code: str
    name: str
    unit: UnitRow


class VersionRow(NamedTuple):
    """A recorded questionnaire version, without its definition (parsed once per process)."""

    id: int
    content_hash: str

    @property
    def definition(self) -> dict[str, Any]:
        """Read the version's definition (answering.questionnaire_of asks once per process)."""
        table = QuestionnaireVersion.__table__
        stmt = select(table.c.definition).where(table.c.id == self.id)
        return db.session.connection().execute(stmt).scalar_one()


class InvitationRow(NamedTuple):
    """An invitation as read for its citizen: what the page, the expiry and the answer use.

    It has the attributes of an Invitation that answering.record_invited and survey/expiry.py
    read, so that both take either.
    """

    id: int
    code: str
    status: InvitationStatus
    channel: Channel
    issued_at: datetime
    returned_at: datetime | None
    procedure_name: str
    field_code: str
    batch_valid_days: int | None
    questionnaire_version: VersionRow
    service_point: PointRow

    @property
    def questionnaire_version_id(self) -> int:
        """Return the id of the invitation's questionnaire version."""
        return self.questionnaire_version.id


def by_code(code: str) -> InvitationRow | None:
    """Return the invitation with this (normalised) code as plain rows, or None."""
    row = driver.first(db.session.connection(), _statement(), {"code": code})
    if row is None:
        return None
    # In _statement()'s order: the invitation's columns, the version's, the office's, the unit's
    # (the driver gives an enum's value, SQLAlchemy its member: either makes the member).
    unit = UnitRow(row[14], UnitLevel(row[15]), row[16])
    return InvitationRow(row[0], row[1], InvitationStatus(row[2]), Channel(row[3]), *row[4:9],
                         VersionRow(*row[9:11]), PointRow(*row[11:14], unit))  # fmt: skip


@functools.cache
def _statement():
    """Return the statement reading a code's invitation, office, unit and version (built once)."""
    invitation, point, unit = Invitation.__table__, ServicePoint.__table__, AdminUnit.__table__
    version, batch = QuestionnaireVersion.__table__, Batch.__table__
    columns = (
        invitation.c.id, invitation.c.code, invitation.c.status, invitation.c.channel,
        invitation.c.issued_at, invitation.c.returned_at, invitation.c.procedure_name,
        invitation.c.field_code, batch.c.valid_days, version.c.id, version.c.content_hash,
        point.c.id, point.c.code, point.c.name, unit.c.id, unit.c.level, unit.c.path,
    )  # fmt: skip
    return (
        select(*columns)
        .select_from(invitation)
        .join(point, point.c.id == invitation.c.service_point_id)
        .join(unit, unit.c.id == point.c.unit_id)
        .join(version, version.c.id == invitation.c.questionnaire_version_id)
        .outerjoin(batch, batch.c.id == invitation.c.batch_id)
        .where(invitation.c.code == bindparam("code"))
    )
