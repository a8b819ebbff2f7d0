"""Aggregates of the responses, kept current in the transaction that records each response."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satisfaction.core.columns import value_enum
from satisfaction.extensions import db
from satisfaction.scoring.periods import Span
from satisfaction.survey.models import Channel, Mode
from satisfaction.units.models import UnitLevel


class Source(StrEnum):
    """Where an answer came from, as scores tell them apart: a channel, or the desk poster."""

    ENVELOPE = "envelope"
    ENUMERATOR = "enumerator"
    DESK = "desk"  # a coded form handed out at the desk
    POSTER = "poster"  # the desk poster's link: no code, anyone can answer

    @classmethod
    def of(cls, channel: Channel, is_poster: bool) -> "Source":
        """Return the source of a response."""
        return cls.POSTER if is_poster else cls(channel.value)


OFFICIAL = (Source.ENVELOPE, Source.ENUMERATOR, Source.DESK)
# The aggregates' pages keep room for a changed row beside the old one: the mixer's updates
# (tally and count, no indexed column) then write no index entry (PostgreSQL's HOT updates;
# migrations c4e6a8b0d2f3 and f7c9e1a3b5d8 set it on existing tables).
ROOM = {"postgresql_with": {"fillfactor": 70}}


class ScoreLayout(db.Model):
    """The slots of a questionnaire version's packed tallies (satisfaction.scoring.layout).

    Stored when the version is first counted and never changed: the packed tallies of its cells
    and rollups are read by it.
    """

    __tablename__ = "score_layouts"

    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_versions.id"), primary_key=True
    )
    answers: Mapped[list] = mapped_column(JSON)  # [question, answer] of each count, in order
    pairs: Mapped[list] = mapped_column(JSON)  # [element, element] of each four sums, in order


class ScoreCell(db.Model):
    """The responses of one questionnaire version, service point, month, source, mode and field.

    Monthly, not daily: a day cell holds about one response, so a national picture in day cells
    is as large as the raw answers. The days of a period outside its whole months are read from
    the raw answers (satisfaction.scoring.queries).
    """

    __tablename__ = "score_cells"
    __table_args__ = (
        UniqueConstraint(
            "questionnaire_version_id",
            "service_point_id",
            "month",
            "source",
            "mode",
            "field_code",
            name="uq_score_cells_key",  # the conventional name is too long for PostgreSQL
        ),
        # A unit's cells over some months, at one index each (not a unit's and a month's, combined).
        Index("ix_score_cells_province_month", "province_id", "month"),
        Index("ix_score_cells_district_month", "district_id", "month"),
        Index("ix_score_cells_commune_month", "commune_id", "month"),
        ROOM,
    )

    # No foreign keys here nor in the rollups: derived rows, checked where they come from (the
    # responses keep theirs), and each new row's checks cost as much as writing it (run 6 of the
    # mixer, docs/benchmarks.md). No index on the service point alone: no page reads by it.
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column()
    service_point_id: Mapped[int] = mapped_column()
    # The units of the service point, as on its responses: a roll-up is one indexed filter.
    province_id: Mapped[int | None] = mapped_column()
    district_id: Mapped[int | None] = mapped_column()
    commune_id: Mapped[int | None] = mapped_column()
    month: Mapped[date] = mapped_column(index=True)  # the first day of the month
    source: Mapped[Source] = mapped_column(value_enum(Source))
    mode: Mapped[Mode] = mapped_column(value_enum(Mode))
    # The field of the procedures (satisfaction.procedures.fields; "" unknown).
    field_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    responses: Mapped[int] = mapped_column(default=0)
    # Counts of each answer and sums over pairs of elements, packed by the version's layout.
    tally: Mapped[bytes] = mapped_column(LargeBinary)


class ScoreRollup(db.Model):
    """The responses of one questionnaire version, unit, span, source and office level.

    A coarse copy of the cells for provinces and districts (a response is counted in its
    province and, in three-tier datasets, its district), over its month, its quarter, its year
    and all dates: national and provincial pages read it, a period in as few spans as cover it.
    """

    __tablename__ = "score_rollups"
    __table_args__ = (
        UniqueConstraint(
            "questionnaire_version_id",
            "unit_id",
            "span",
            "month",
            "source",
            "office_level",
            name="uq_score_rollups_key",
        ),
        # The national page's rollups: every province's, in the spans of a period.
        Index("ix_score_rollups_level_span", "unit_level", "span", "month"),
        ROOM,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column()  # no foreign keys: see ScoreCell
    unit_id: Mapped[int] = mapped_column(index=True)
    unit_level: Mapped[UnitLevel] = mapped_column(value_enum(UnitLevel))
    # The province of the unit (itself for a province): a province's districts are one filter.
    province_id: Mapped[int] = mapped_column(index=True)
    span: Mapped[Span] = mapped_column(value_enum(Span))
    month: Mapped[date] = mapped_column()  # the first day of the span
    source: Mapped[Source] = mapped_column(value_enum(Source))
    office_level: Mapped[UnitLevel] = mapped_column(value_enum(UnitLevel))
    responses: Mapped[int] = mapped_column(default=0)
    # Counts of each answer and sums over pairs of elements, packed by the version's layout.
    tally: Mapped[bytes] = mapped_column(LargeBinary)


class ScorePointRollup(db.Model):
    """The responses of one questionnaire version, service point, span and source.

    The cells of a service point summed over its modes and fields, by month, quarter, year and
    over all dates: a unit's desks ranked, and its communes (the sums of their desks), read a
    few rows per desk for any period, where the cells hold one per month, mode and field.

    No foreign keys: derived rows, each written as answers are mixed in and all rewritten by a
    rebuild from the responses (which keep theirs); a key's checks would cost every new row.
    """

    __tablename__ = "score_point_rollups"
    __table_args__ = (
        UniqueConstraint(
            "questionnaire_version_id",
            "service_point_id",
            "span",
            "month",
            "source",
            name="uq_score_point_rollups_key",
        ),
        # A unit's desks in the spans of a period: one index per level of unit.
        Index("ix_score_point_rollups_province", "province_id", "span", "month"),
        Index("ix_score_point_rollups_district", "district_id", "span", "month"),
        Index("ix_score_point_rollups_commune", "commune_id", "span", "month"),
        ROOM,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column()
    service_point_id: Mapped[int] = mapped_column()
    # The units of the service point, as on its responses and cells.
    province_id: Mapped[int | None] = mapped_column()
    district_id: Mapped[int | None] = mapped_column()
    commune_id: Mapped[int | None] = mapped_column()
    span: Mapped[Span] = mapped_column(value_enum(Span))
    month: Mapped[date] = mapped_column()  # the first day of the span
    source: Mapped[Source] = mapped_column(value_enum(Source))
    responses: Mapped[int] = mapped_column(default=0)
    # Counts of each answer and sums over pairs of elements, packed by the version's layout.
    tally: Mapped[bytes] = mapped_column(LargeBinary)


class ScoreFieldRollup(db.Model):
    """The responses of one questionnaire version, province, span, source and field.

    A province's fields of procedures ranked, for any period, in a few rows per field (the cells
    hold the field too, by service point and month: tens of thousands in a large province).
    No foreign keys, as the points' rollups.
    """

    __tablename__ = "score_field_rollups"
    __table_args__ = (
        UniqueConstraint(
            "questionnaire_version_id",
            "province_id",
            "span",
            "month",
            "source",
            "field_code",
            name="uq_score_field_rollups_key",
        ),
        Index("ix_score_field_rollups_province", "province_id", "span", "month"),
        ROOM,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column()
    province_id: Mapped[int] = mapped_column()
    span: Mapped[Span] = mapped_column(value_enum(Span))
    month: Mapped[date] = mapped_column()  # the first day of the span
    source: Mapped[Source] = mapped_column(value_enum(Source))
    field_code: Mapped[str] = mapped_column(String(32))  # "" unknown
    responses: Mapped[int] = mapped_column(default=0)
    # Counts of each answer and sums over pairs of elements, packed by the version's layout.
    tally: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class Grain:
    """A table of aggregates: the cells, or the rollups, and the columns naming one."""

    cells: type[db.Model]
    key: tuple[str, ...]


CELLS = Grain(
    ScoreCell,
    ("questionnaire_version_id", "service_point_id", "month", "source", "mode", "field_code"),
)
ROLLUPS = Grain(
    ScoreRollup, ("questionnaire_version_id", "unit_id", "span", "month", "source", "office_level")
)
POINT_ROLLUPS = Grain(
    ScorePointRollup, ("questionnaire_version_id", "service_point_id", "span", "month", "source")
)
FIELD_ROLLUPS = Grain(
    ScoreFieldRollup,
    ("questionnaire_version_id", "province_id", "span", "month", "source", "field_code"),
)
AGGREGATE_GRAINS = (CELLS, ROLLUPS, POINT_ROLLUPS, FIELD_ROLLUPS)  # in the order counted


class ScoreGeneration(db.Model):
    """How many times the aggregates of a month were written (satisfaction.scoring.generations).

    Every writer of the aggregates adds one to the months it wrote, in its own transaction: a
    figure computed from a period's aggregates stays true while the sum over the period's
    months (and EVERY_MONTH, which a rebuild or a change of the units counts) is unchanged.
    """

    __tablename__ = "score_generations"

    month: Mapped[date] = mapped_column(primary_key=True)  # a month's first day, or EVERY_MONTH
    generation: Mapped[int] = mapped_column(BigInteger)


class RolledMonths(db.Model):
    """Which months the rollups hold (satisfaction.scoring.rolling): one row.

    The three rollup tables hold exactly the answers of the months up to `through`; the cells
    hold every month. Readers add the later months from the cells, in the same statement.
    """

    __tablename__ = "score_rolled_months"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: one row
    through: Mapped[date | None] = mapped_column()  # a month's first day; None: none rolled
