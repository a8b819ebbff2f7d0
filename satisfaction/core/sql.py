"""SQL constructs that differ by database but mean the same on SQLite and PostgreSQL."""

from sqlalchemy.dialects import postgresql, sqlite


def insert_of(dialect: str):
    """Return the INSERT construct of a database (by dialect name): it knows ON CONFLICT."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
