"""Helpers every audit write uses: record an AuditEvent, lock the audit row, refuse a locked audit."""

from audits.models import (
    Audit,
    AuditEvent,
)
from audits.services.errors import AuditLocked
from sendplan.models import Membership
from standards.models import Criterion


def _event(
    audit: Audit,
    by: Membership | None,
    kind: str,
    *,
    criterion: Criterion | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        school_id=audit.school_id,
        audit=audit,
        actor=by.user if by else None,
        kind=kind,
        criterion=criterion,
        detail=detail or {},
    )


def _lock(audit: Audit) -> Audit:
    """Return the audit row locked for this transaction (the status may have changed since it was read)."""
    return Audit.objects.select_for_update().get(pk=audit.pk)


def _require_editable(audit: Audit) -> Audit:
    locked = _lock(audit)
    if not locked.is_editable:
        raise AuditLocked(locked)
    audit.status = locked.status
    return locked
