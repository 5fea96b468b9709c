"""Writes for the action plan: add and change actions."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audits.models import (
    Action,
    Audit,
    AuditEvent,
)
from audits.services._shared import _event, _require_editable
from audits.services.errors import (
    ActionInvalid,
)
from sendplan import policy
from sendplan.models import Membership
from standards.models import Criterion

# --- the action plan ---------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Criterion):
        return value.ref
    return value


@transaction.atomic
def action_create(
    *,
    audit: Audit,
    criterion: Criterion | None,
    what: str,
    owner: str,
    due: date,
    success_measure: str = "",
    estimated_cost: Decimal | None = None,
    by: Membership,
) -> Action:
    """Add an action to the audit's plan; the due date must not be in the past."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if due < timezone.localdate():
        raise ActionInvalid("Due date must be today or in the future")
    if criterion is not None and criterion.version_id != audit.framework_version_id:
        raise ActionInvalid("Select a criterion of this audit")
    action = Action.objects.create(
        school_id=audit.school_id,
        audit=audit,
        criterion=criterion,
        what=what.strip(),
        owner=owner.strip(),
        due=due,
        success_measure=success_measure.strip(),
        estimated_cost=estimated_cost,
        created_by=by.user,
    )
    _event(
        audit,
        by,
        AuditEvent.Kind.ACTION_CHANGED,
        criterion=criterion,
        detail={"added": action.what, "owner": action.owner, "due": due.isoformat()},
    )
    return action


@transaction.atomic
def action_update(*, audit: Audit, action: Action, by: Membership, **fields) -> Action:
    """Change an action (what, owner, due, success measure, cost, status), recording what changed."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if action.audit_id != audit.pk:
        raise ActionInvalid("That action is not part of this audit.")
    if "due" in fields and fields["due"] != action.due and fields["due"] < timezone.localdate():
        raise ActionInvalid("Due date must be today or in the future")
    changes = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(action, name) != value:
            changes[name] = {"old": _jsonable(getattr(action, name)), "new": _jsonable(value)}
            setattr(action, name, value)
    if changes:
        action.updated_at = timezone.now()
        action.save()
        _event(
            audit,
            by,
            AuditEvent.Kind.ACTION_CHANGED,
            criterion=action.criterion,
            detail={"action": action.what[:80], **changes},
        )
    return action


@transaction.atomic
def action_remove(*, audit: Audit, action: Action, by: Membership) -> None:
    """Remove an action from the audit's plan, recording what it was."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if action.audit_id != audit.pk:
        raise ActionInvalid("That action is not part of this audit.")
    detail = {"removed": action.what[:200], "owner": action.owner, "due": action.due.isoformat()}
    criterion = action.criterion
    action.delete()
    _event(audit, by, AuditEvent.Kind.ACTION_CHANGED, criterion=criterion, detail=detail)
