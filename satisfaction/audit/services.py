"""Record audit events."""

from typing import Any

from satisfaction.audit.models import AuditEvent
from satisfaction.extensions import db


def record(action: str, target: str = "", actor=None, **detail: Any) -> AuditEvent:
    """Add an audit event to the session (the caller commits)."""
    event = AuditEvent(
        action=action,
        target=target,
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "") or "cli",
        detail=detail,
    )
    db.session.add(event)
    return event
