"""SQL constructs that differ by database but mean the same on SQLite and PostgreSQL."""

from sqlalchemy import Column, Enum
from sqlalchemy.dialects import postgresql, sqlite


def insert_of(dialect: str):
    """Return the INSERT construct of a database (by dialect name): it knows ON CONFLICT."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def copy_type(column: Column) -> str:
    """Return the PostgreSQL name of a column's type for a binary COPY (enums: their text)."""
    if isinstance(column.type, Enum):
        return "varchar"
    return column.type.compile(dialect=postgresql.dialect()).split("(")[0].lower()
