"""Writes for rating criteria: record one response or many at once, with optimistic locking; confirm
carried-forward ratings in one action, and undo that."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audits import scoring
from audits.levels import audit_levels_refresh
from audits.models import (
    Audit,
    AuditEvent,
    Rating,
)
from audits.services._shared import _event, _require_editable
from audits.services.errors import (
    InvalidResponse,
    NothingToConfirm,
    RatingsNotSaved,
    StaleResponse,
)
from sendplan import policy
from sendplan.models import Membership
from standards.models import FrameworkVersion, ScaleLevel, Section

# --- rating criteria ---------------------------------------------------------------------------------


def scale_values(version: FrameworkVersion) -> list[int]:
    return list(ScaleLevel.objects.filter(scale_id=version.scale_id).values_list("value", flat=True))


def _level_label(levels: dict[int, str], value: int | None, na: bool) -> str:
    if na:
        return "Not applicable"
    return levels.get(value, "Not rated") if value is not None else "Not rated"


@dataclass(frozen=True)
class Answer:
    """What a person gave for one criterion, and the version of the rating they started from."""

    rating: Rating
    level: int | None
    not_applicable: bool
    na_reason: str
    rationale: str
    expected_version: int


def _checked(audit: Audit, answer: Answer, scale: dict[int, str]) -> dict:
    """Return the fields to store for an answer, or raise InvalidResponse saying what is wrong."""
    if answer.rating.audit_id != audit.pk:
        raise InvalidResponse("That criterion is not part of this audit.")
    version = audit.framework_version
    level, na_reason, rationale = answer.level, answer.na_reason.strip(), answer.rationale.strip()
    if answer.not_applicable:
        if answer.rating.criterion.statutory:
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
    return {
        "level": level,
        "not_applicable": answer.not_applicable,
        "na_reason": na_reason,
        "rationale": rationale,
    }


def _write(audit: Audit, response: Rating, new: dict, expected_version: int, by, scale) -> Rating:
    """Store checked fields unless the rating moved on from ``expected_version``; record what changed."""
    if response.version != expected_version:
        raise StaleResponse(response)
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
            "old": _level_label(
                scale, changes.get("level", {}).get("old", new["level"]), response.not_applicable
            ),
            "new": _level_label(scale, new["level"], new["not_applicable"]),
        }
    if response.to_confirm:
        changes["confirmed"] = {"old": "to confirm", "new": "confirmed"}
    for field, value in new.items():
        setattr(response, field, value)
    response.to_confirm, response.version = False, expected_version + 1
    response.updated_by, response.updated_at = by.user, now
    _event(audit, by, AuditEvent.Kind.RESPONSE_CHANGED, criterion=response.criterion, detail=changes)
    return response


def _scale(audit: Audit, scale: dict[int, str] | None) -> dict[int, str]:
    if scale is not None:
        return scale
    return {lv.value: lv.label for lv in ScaleLevel.objects.filter(scale_id=audit.framework_version.scale_id)}


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

    A level saves with or without a rationale (scoring.needs_rationale marks the gap for submission).
    ``scale`` maps the version's level values to labels, if the caller already has them.
    """
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    scale = _scale(audit, scale)
    answer = Answer(response, level, not_applicable, na_reason, rationale, expected_version)
    saved = _write(audit, response, _checked(audit, answer, scale), expected_version, by, scale)
    if saved.version != expected_version:  # written (an autosave of what is already saved writes nothing)
        audit_levels_refresh(audit)
    return saved


@transaction.atomic
def ratings_record(
    *, audit: Audit, answers: Sequence[Answer], by: Membership, scale: dict[int, str] | None = None
) -> list[Rating]:
    """Save many ratings at once, all or none; raise RatingsNotSaved with every problem and conflict."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    scale = _scale(audit, scale)
    errors: dict[str, str] = {}
    conflicts: dict[str, Rating] = {}
    checked = []
    for answer in answers:
        ref = answer.rating.criterion.ref
        try:
            checked.append((answer, _checked(audit, answer, scale)))
        except InvalidResponse as exc:
            errors[ref] = str(exc)
            continue
        if answer.rating.version != answer.expected_version:
            conflicts[ref] = answer.rating
    if errors or conflicts:
        raise RatingsNotSaved(errors=errors, conflicts=conflicts)
    saved = []
    for answer, new in checked:
        try:
            saved.append(_write(audit, answer.rating, new, answer.expected_version, by, scale))
        except StaleResponse as exc:  # saved by someone else a moment ago: roll every row back
            raise RatingsNotSaved(errors={}, conflicts={answer.rating.criterion.ref: exc.current}) from exc
    if any(
        rating.version != answer.expected_version for rating, (answer, _) in zip(saved, checked, strict=True)
    ):
        audit_levels_refresh(audit)
    return saved


# --- confirming carried-forward ratings --------------------------------------------------------------


@transaction.atomic
def ratings_confirm(*, audit: Audit, section: Section | None, by: Membership) -> AuditEvent:
    """Confirm every carried-forward rating of the audit, or of one section; return the event to undo it."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    rows = Rating.objects.filter(audit=audit, to_confirm=True)
    if section is not None:
        if section.version_id != audit.framework_version_id:
            raise InvalidResponse("That section is not part of this audit.")
        rows = rows.filter(criterion__section=section)
    found = list(
        rows.select_for_update(of=("self",))
        .order_by("criterion__position")
        .values_list("pk", "criterion__ref", "version")
    )
    if not found:
        where = " in this section" if section is not None else ""
        raise NothingToConfirm(f"There are no carried-forward ratings to confirm{where}.")
    Rating.objects.filter(pk__in=[pk for pk, _, _ in found]).update(to_confirm=False)
    audit_levels_refresh(audit)
    # The versions say which rows the undo may put back: a rating saved since has been looked at again.
    detail = {
        "section": section.title if section is not None else "",
        "ratings": [ref for _, ref, _ in found],
        "_versions": {ref: version for _, ref, version in found},
    }
    return _event(audit, by, AuditEvent.Kind.RATINGS_CONFIRMED, detail=detail)


@transaction.atomic
def ratings_confirm_undo(*, audit: Audit, event: AuditEvent, by: Membership) -> AuditEvent:
    """Mark "to confirm" again exactly the ratings a confirmation changed, unless saved since."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if event.audit_id != audit.pk or event.kind != AuditEvent.Kind.RATINGS_CONFIRMED:
        raise InvalidResponse("That is not a confirmation of this audit.")
    versions: dict[str, int] = event.detail.get("_versions", {})
    rows = list(
        Rating.objects.filter(audit=audit, criterion__ref__in=list(versions), to_confirm=False)
        .select_for_update(of=("self",))
        .order_by("criterion__position")
        .values_list("pk", "criterion__ref", "version")
    )
    restore = [(pk, ref) for pk, ref, version in rows if versions.get(ref) == version]
    if not restore:
        raise NothingToConfirm("Nothing to undo: those ratings have been saved or put back since.")
    Rating.objects.filter(pk__in=[pk for pk, _ in restore]).update(to_confirm=True)
    audit_levels_refresh(audit)
    detail = {
        "section": event.detail.get("section", ""),
        "ratings": [ref for _, ref in restore],
        "_undoes": str(event.public_id),
    }
    return _event(audit, by, AuditEvent.Kind.CONFIRM_UNDONE, detail=detail)
