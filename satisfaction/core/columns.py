"""Column types shared by the models of every domain."""

from enum import StrEnum

from sqlalchemy import Enum


def value_enum(enum_class: type[StrEnum]) -> Enum:
    """Return a column type storing a StrEnum as its value, the same on SQLite and PostgreSQL."""
    return Enum(
        enum_class,
        native_enum=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=False,
    )
