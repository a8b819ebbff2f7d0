"""Jobs: long work run off the request, its progress, result and errors, and its files."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satisfaction.auth.models import User
from satisfaction.core.columns import value_enum
from satisfaction.core.time import utcnow
from satisfaction.extensions import db


class JobStatus(StrEnum):
    """Where a job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work: what it is, who started it, how far it went, what it gave."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # a key of satisfaction.jobs.tasks.TASKS
    title: Mapped[str] = mapped_column(String(255), default="")  # a file's name, a batch
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(value_enum(JobStatus), default=JobStatus.QUEUED,
                                              index=True)  # fmt: skip
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)  # 0: not known
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    errors: Mapped[list[Any] | None] = mapped_column(JSON)  # [[where, message], ...]
    attempts: Mapped[int] = mapped_column(default=0)
    # The process at work on it ("host:pid"): a dead one's job is run again.
    worker: Mapped[str] = mapped_column(String(128), default="")
    locale: Mapped[str] = mapped_column(String(8), default="vi")  # messages in the starter's
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    started_by: Mapped[User | None] = relationship()

    @property
    def is_over(self) -> bool:
        """Tell whether the job has ended, well or not."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class JobFile(db.Model):
    """A file a job reads (the upload, kept until the job ends) or writes (a PDF to fetch)."""

    __tablename__ = "job_files"
    __table_args__ = (UniqueConstraint("job_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    role: Mapped[str] = mapped_column(String(8))  # input | output
    name: Mapped[str] = mapped_column(String(255), default="")
    mimetype: Mapped[str] = mapped_column(String(64), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)
