"""Writes for rating criteria: record a response, with optimistic locking."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audits import scoring
from audits.models import (
    Audit,
    AuditEvent,
    Rating,
)
from audits.services._shared import _event, _require_editable
from audits.services.errors import (
    InvalidResponse,
    StaleResponse,
)
from sendplan import policy
from sendplan.models import Membership
from standards.models import FrameworkVersion, ScaleLevel

# --- rating criteria ---------------------------------------------------------------------------------


def scale_values(version: FrameworkVersion) -> list[int]:
    return list(ScaleLevel.objects.filter(scale_id=version.scale_id).values_list("value", flat=True))


def _level_label(levels: dict[int, str], value: int | None, na: bool) -> str:
    if na:
        return "Not applicable"
    return levels.get(value, "Not rated") if value is not None else "Not rated"


@transaction.atomic
def rating_record(
    *,
    audit: Audit,
    response: Rating,
    level: int | None,
    not_applicable: bool,
    na_reason: str,
    rationale: str,
    expected_version: int,
    by: Membership,
    scale: dict[int, str] | None = None,
) -> Rating:
    """Save a rating unless someone else saved it since ``expected_version``; raise StaleResponse if so.

    ``scale`` maps the version's level values to labels, if the caller already has them.
    """
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if response.audit_id != audit.pk:
        raise InvalidResponse("That criterion is not part of this audit.")
    version = audit.framework_version
    if scale is None:
        scale = {lv.value: lv.label for lv in ScaleLevel.objects.filter(scale_id=version.scale_id)}
    na_reason, rationale = na_reason.strip(), rationale.strip()
    if not_applicable:
        if response.criterion.statutory:
            raise InvalidResponse(
                "This is a statutory duty, so it cannot be not applicable: select how well it is in place"
            )
        if not scoring.may_be_not_applicable(
            statutory=False, scale_allows=version.scale.allow_not_applicable
        ):
            raise InvalidResponse("This framework does not allow criteria to be marked not applicable.")
        if not na_reason:
            raise InvalidResponse("Enter why this criterion does not apply to your school")
        level = None
    else:
        na_reason = ""
        if level is None:
            raise InvalidResponse("Select a level, or say the criterion does not apply")
        if level not in scale:
            raise InvalidResponse("Select one of the levels shown")
    if response.version != expected_version:
        raise StaleResponse(response)

    new = {"level": level, "not_applicable": not_applicable, "na_reason": na_reason, "rationale": rationale}
    changes = {
        field: {"old": getattr(response, field), "new": value}
        for field, value in new.items()
        if getattr(response, field) != value
    }
    if not changes and not response.to_confirm:
        return response  # an autosave of what is already saved: nothing to record
    now = timezone.now()
    updated = Rating.objects.filter(pk=response.pk, version=expected_version).update(
        **new, to_confirm=False, version=F("version") + 1, updated_by=by.user, updated_at=now
    )
    if updated == 0:
        response.refresh_from_db()
        raise StaleResponse(response)
    if "level" in changes or "not_applicable" in changes:
        changes["rating"] = {
            "old": _level_label(scale, changes.get("level", {}).get("old", level), response.not_applicable),
            "new": _level_label(scale, level, not_applicable),
        }
    if response.to_confirm:
        changes["confirmed"] = {"old": "to confirm", "new": "confirmed"}
    for field, value in new.items():
        setattr(response, field, value)
    response.to_confirm, response.version = False, expected_version + 1
    response.updated_by, response.updated_at = by.user, now
    _event(audit, by, AuditEvent.Kind.RESPONSE_CHANGED, criterion=response.criterion, detail=changes)
    return response
