"""The minimal submit: one INSERT and one UPDATE through Flask-SQLAlchemy and a commit per POST.

The physical limit of recording an answer on this stack (gunicorn, Flask, SQLAlchemy,
PostgreSQL): no template, no token, no questionnaire, no aggregates. Its two tables live in the
benchmark's database beside the app's and are made by prepare() before gunicorn starts.

    POST /m/<n>   close code n (UPDATE), store the posted form as JSON (INSERT), commit, 302
"""

import os

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Integer, String, create_engine, insert, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class MinimalCode(Base):
    """A code to close: the UPDATE."""

    __tablename__ = "bench_minimal_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="issued")


class MinimalAnswer(Base):
    """An answer: the INSERT."""

    __tablename__ = "bench_minimal_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answers: Mapped[dict] = mapped_column(JSON)


def prepare(database_url: str, count: int) -> None:
    """Create the two tables (empty) and count open codes numbered 1..count."""
    engine = create_engine(database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO bench_minimal_codes (id, status) "
            f"SELECT n, 'issued' FROM generate_series(1, {int(count)}) AS n"
        )
    engine.dispose()


db = SQLAlchemy(model_class=Base)


def create_app() -> Flask:
    """Return the app on the database of SATISFACTION_DATABASE_URL, as the app's own settings."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["SATISFACTION_DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    app.get("/")(health)
    app.post("/m/<int:number>")(submit)
    return app


def health() -> str:
    """Say the server is up."""
    return "ok"


def submit(number: int):
    """Close code number and store the posted answers: one UPDATE, one INSERT, one commit."""
    closed = db.session.execute(
        update(MinimalCode)
        .where(MinimalCode.id == number, MinimalCode.status == "issued")
        .values(status="answered")
    )
    if closed.rowcount != 1:
        db.session.rollback()
        return "already answered", 409
    db.session.execute(insert(MinimalAnswer).values(answers=request.form.to_dict()))
    db.session.commit()
    return redirect("/thanks")
