"""Writes for audits: start, rate, evidence, actions, submit, LA decisions, governor reviews, carry forward.

Every write records an AuditEvent here (never in signals), so the history page shows who changed what.
"""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from audits.models import (
    Action,
    Audit,
    AuditEvent,
    Evidence,
    GovernorReview,
    LAComment,
    Response,
    validate_academic_year,
)
from audits.uploads import UploadRejected, check_upload
from sendplan.models import School, User
from sendplan.services import DomainError
from standards.models import Criterion, CriterionMapping, FrameworkVersion, ScaleLevel


class AuditAlreadyOpen(DomainError):
    pass


class AuditLocked(DomainError):
    """The audit is with the local authority (or accepted), so the school cannot change it."""

    def __init__(self, audit: Audit, message: str | None = None):
        self.audit = audit
        super().__init__(
            message
            or (
                "This audit has been accepted by the local authority and can no longer be changed."
                if audit.status == Audit.Status.ACCEPTED
                else "This audit has been submitted to the local authority, so it cannot be changed now."
            )
        )


class AuditAlreadySubmitted(DomainError):
    pass


class AuditIncomplete(DomainError):
    pass


class AuditWrongState(DomainError):
    pass


class InvalidResponse(DomainError):
    pass


class StaleResponse(DomainError):
    """Someone saved the criterion since the form was loaded; ``current`` is what they saved."""

    def __init__(self, current: Response):
        self.current = current
        super().__init__(
            "Someone else changed this criterion since you opened it. Their version is shown below; "
            "your changes have not been saved. Check both, then save again."
        )


class EvidenceRejected(DomainError):
    pass


class ActionInvalid(DomainError):
    pass


class CarryForwardNotPossible(DomainError):
    pass


def _event(
    audit: Audit,
    by: User | None,
    kind: str,
    *,
    criterion: Criterion | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        school_id=audit.school_id, audit=audit, actor=by, kind=kind, criterion=criterion, detail=detail or {}
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


# --- starting an audit -------------------------------------------------------------------------------


def _audit_create(
    *, school: School, framework_version: FrameworkVersion, academic_year: str, by: User, carried_from=None
) -> Audit:
    if framework_version.status != FrameworkVersion.Status.PUBLISHED:
        raise DomainError("You can only start an audit of a published version of a framework.")
    try:
        validate_academic_year(academic_year)
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from exc
    open_audit = (
        Audit.objects.filter(school=school, framework_id=framework_version.framework_id)
        .exclude(status=Audit.Status.ACCEPTED)
        .exists()
    )
    message = (
        "Your school already has an audit of this framework that is not yet accepted. Finish that one first."
    )
    if open_audit:
        raise AuditAlreadyOpen(message)
    try:
        with transaction.atomic():  # a savepoint: a concurrent start loses here, cleanly
            audit = Audit.objects.create(
                school=school,
                framework_id=framework_version.framework_id,
                framework_version=framework_version,
                academic_year=academic_year,
                created_by=by,
                carried_from=carried_from,
            )
    except IntegrityError as exc:
        raise AuditAlreadyOpen(message) from exc
    Response.objects.bulk_create(
        [
            Response(school=school, audit=audit, criterion_id=criterion_id)
            for criterion_id in framework_version.criteria.values_list("pk", flat=True)
        ]
    )
    return audit


@transaction.atomic
def audit_start(
    *, school: School, framework_version: FrameworkVersion, academic_year: str, by: User
) -> Audit:
    """Start a blank audit of a published framework version for an academic year."""
    audit = _audit_create(
        school=school, framework_version=framework_version, academic_year=academic_year, by=by
    )
    _event(
        audit,
        by,
        AuditEvent.Kind.CREATED,
        detail={"version": str(framework_version), "academic_year": academic_year},
    )
    return audit


# --- rating criteria ---------------------------------------------------------------------------------


def scale_values(version: FrameworkVersion) -> list[int]:
    return list(ScaleLevel.objects.filter(scale_id=version.scale_id).values_list("value", flat=True))


def _level_label(levels: dict[int, str], value: int | None, na: bool) -> str:
    if na:
        return "Not applicable"
    return levels.get(value, "Not rated") if value is not None else "Not rated"


@transaction.atomic
def response_record(
    *,
    audit: Audit,
    response: Response,
    level: int | None,
    not_applicable: bool,
    na_reason: str,
    rationale: str,
    expected_version: int,
    by: User,
    scale: dict[int, str] | None = None,
) -> Response:
    """Save a rating unless someone else saved it since ``expected_version``; raise StaleResponse if so.

    ``scale`` maps the version's level values to labels, if the caller already has them.
    """
    _require_editable(audit)
    if response.audit_id != audit.pk:
        raise InvalidResponse("That criterion is not part of this audit.")
    version = audit.framework_version
    if scale is None:
        scale = {lv.value: lv.label for lv in ScaleLevel.objects.filter(scale_id=version.scale_id)}
    na_reason, rationale = na_reason.strip(), rationale.strip()
    if not_applicable:
        if not version.scale.allow_not_applicable:
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
    updated = Response.objects.filter(pk=response.pk, version=expected_version).update(
        **new, to_confirm=False, version=F("version") + 1, updated_by=by, updated_at=now
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
    response.updated_by, response.updated_at = by, now
    _event(audit, by, AuditEvent.Kind.RESPONSE_CHANGED, criterion=response.criterion, detail=changes)
    return response


# --- evidence ----------------------------------------------------------------------------------------


def _link_evidence(
    audit: Audit, evidence: Evidence, criteria: list[Criterion]
) -> tuple[list[str], list[str]]:
    wanted = {c.pk for c in criteria}
    responses = list(Response.objects.filter(audit=audit).select_related("criterion"))
    linked = set(
        Response.evidence.through.objects.filter(evidence=evidence, response__audit=audit).values_list(
            "response_id", flat=True
        )
    )
    add = [r for r in responses if r.criterion_id in wanted and r.pk not in linked]
    remove = [r for r in responses if r.criterion_id not in wanted and r.pk in linked]
    evidence.responses.add(*add)
    evidence.responses.remove(*remove)
    return [r.criterion.ref for r in add], [r.criterion.ref for r in remove]


@transaction.atomic
def evidence_add(
    *,
    audit: Audit,
    title: str,
    criteria: list[Criterion],
    by: User,
    file_name: str = "",
    data: bytes | None = None,
    url: str = "",
    shareable_with_governors: bool = False,
) -> Evidence:
    """Check and store a file (or a link) as evidence for some criteria of the audit."""
    _require_editable(audit)
    if bool(data) == bool(url):
        raise EvidenceRejected("Choose a file or enter a link")
    evidence = Evidence(
        school_id=audit.school_id,
        audit=audit,
        title=title.strip(),
        url=url,
        shareable_with_governors=shareable_with_governors,
        uploaded_by=by,
    )
    if data:
        try:
            checked = check_upload(file_name, data, max_bytes=settings.EVIDENCE_MAX_BYTES)
        except UploadRejected as exc:
            raise EvidenceRejected(str(exc)) from exc
        # A generated name: the uploader's name never reaches the file system or a URL.
        name = f"evidence/{audit.school.public_id}/{uuid.uuid4()}.{checked.extension}"
        evidence.file.name = default_storage.save(name, ContentFile(data))
        evidence.original_name = file_name[-255:]
        evidence.size, evidence.content_type = checked.size, checked.content_type
    evidence.save()
    added, _ = _link_evidence(audit, evidence, criteria)
    _event(
        audit,
        by,
        AuditEvent.Kind.EVIDENCE_ADDED,
        criterion=criteria[0] if len(criteria) == 1 else None,
        detail={"title": evidence.title, "criteria": added, "kind": "link" if url else "file"},
    )
    return evidence


@transaction.atomic
def evidence_update(
    *,
    audit: Audit,
    evidence: Evidence,
    title: str,
    criteria: list[Criterion],
    shareable_with_governors: bool,
    by: User,
) -> Evidence:
    """Rename evidence, change who may see it, and choose which criteria of the audit it supports."""
    _require_editable(audit)
    if evidence.school_id != audit.school_id:
        raise EvidenceRejected("That evidence belongs to another school.")
    changes = {}
    if evidence.title != title.strip():
        changes["title"] = {"old": evidence.title, "new": title.strip()}
    if evidence.shareable_with_governors != shareable_with_governors:
        changes["shareable_with_governors"] = {
            "old": evidence.shareable_with_governors,
            "new": shareable_with_governors,
        }
    evidence.title, evidence.shareable_with_governors = title.strip(), shareable_with_governors
    evidence.save(update_fields=["title", "shareable_with_governors"])
    added, removed = _link_evidence(audit, evidence, criteria)
    if added:
        changes["linked"] = added
    if removed:
        changes["unlinked"] = removed
    if changes:
        _event(audit, by, AuditEvent.Kind.EVIDENCE_ADDED, detail={"title": evidence.title, **changes})
    return evidence


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
    by: User,
) -> Action:
    """Add an action to the audit's plan; the due date must not be in the past."""
    _require_editable(audit)
    if due < timezone.localdate():
        raise ActionInvalid("Enter a due date that is today or in the future")
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
        created_by=by,
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
def action_update(*, audit: Audit, action: Action, by: User, **fields) -> Action:
    """Change an action (what, owner, due, success measure, cost, status), recording what changed."""
    _require_editable(audit)
    if action.audit_id != audit.pk:
        raise ActionInvalid("That action is not part of this audit.")
    if "due" in fields and fields["due"] != action.due and fields["due"] < timezone.localdate():
        raise ActionInvalid("Enter a due date that is today or in the future")
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


# --- submission and the LA's decision ----------------------------------------------------------------


@transaction.atomic
def audit_submit(*, audit: Audit, by: User) -> Audit:
    """Lock the audit and hand it to the school's LA. Raise AuditIncomplete if a criterion is unrated."""
    locked = _lock(audit)  # two tabs or a double click: the second waits here, then sees "submitted"
    if locked.status in (Audit.Status.SUBMITTED, Audit.Status.ACCEPTED):
        raise AuditAlreadySubmitted("This audit has already been submitted to the local authority.")
    responses = Response.objects.filter(audit=locked)
    unrated = responses.filter(level__isnull=True, not_applicable=False).count()
    if unrated:
        raise AuditIncomplete(
            f"Rate every criterion before you submit the audit: {unrated} "
            f"{'criterion is' if unrated == 1 else 'criteria are'} not rated yet."
        )
    unconfirmed = responses.filter(to_confirm=True).count()
    if unconfirmed:
        raise AuditIncomplete(
            f"Confirm the ratings carried forward from last year before you submit: {unconfirmed} "
            f"still {'needs' if unconfirmed == 1 else 'need'} confirming."
        )
    previous = locked.status
    # A resubmitted audit waits for a new decision, so the earlier one (a return) no longer applies.
    locked.status, locked.submitted_at, locked.decided_at = Audit.Status.SUBMITTED, timezone.now(), None
    locked.save(update_fields=["status", "submitted_at", "decided_at"])
    _event(locked, by, AuditEvent.Kind.SUBMITTED, detail={"status": {"old": previous, "new": locked.status}})
    audit.status, audit.submitted_at = locked.status, locked.submitted_at
    return locked


@transaction.atomic
def audit_reopen(*, audit: Audit, by: User) -> Audit:
    """Withdraw a submitted audit (before the LA decides) so the school can change it."""
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState("Only an audit waiting for the local authority can be withdrawn.")
    locked.status = Audit.Status.DRAFT
    locked.save(update_fields=["status"])
    _event(locked, by, AuditEvent.Kind.REOPENED, detail={"status": {"old": "submitted", "new": "draft"}})
    audit.status = locked.status
    return locked


def _decide(audit: Audit, by: User, status: str, kind: str, comment: str) -> Audit:
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState(
            "This audit is not waiting for a decision: it may have been withdrawn or already decided."
        )
    comment = comment.strip()
    if comment:
        LAComment.objects.create(school_id=locked.school_id, audit=locked, author=by, text=comment)
    locked.status, locked.decided_at = status, timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    _event(locked, by, kind, detail={"status": {"old": "submitted", "new": status}, "comment": comment})
    audit.status, audit.decided_at = locked.status, locked.decided_at
    return locked


@transaction.atomic
def audit_return(*, audit: Audit, by: User, comment: str) -> Audit:
    """Send a submitted audit back to the school for changes, with the LA's reasons."""
    if not comment.strip():
        raise AuditWrongState("Enter what the school needs to change")
    return _decide(audit, by, Audit.Status.RETURNED, AuditEvent.Kind.RETURNED, comment)


@transaction.atomic
def audit_accept(*, audit: Audit, by: User, comment: str = "") -> Audit:
    """Accept a submitted audit: it becomes the school's record for the year and can no longer change."""
    return _decide(audit, by, Audit.Status.ACCEPTED, AuditEvent.Kind.ACCEPTED, comment)


@transaction.atomic
def la_comment_add(*, audit: Audit, criterion: Criterion | None, text: str, by: User) -> LAComment:
    """Record an LA officer's comment on the audit or one of its criteria, while it is under review."""
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState("You can comment while the audit is waiting for your decision.")
    if not text.strip():
        raise AuditWrongState("Enter a comment")
    if criterion is not None and criterion.version_id != audit.framework_version_id:
        raise AuditWrongState("Select a criterion of this audit")
    comment = LAComment.objects.create(
        school_id=audit.school_id, audit=audit, criterion=criterion, author=by, text=text.strip()
    )
    _event(audit, by, AuditEvent.Kind.COMMENT, criterion=criterion, detail={"comment": comment.text})
    return comment


@transaction.atomic
def governor_review_record(
    *, audit: Audit, reviewed_on: date, minute_reference: str, by: User
) -> GovernorReview:
    """Record that the governing board reviewed the audit, on a date, under a minute reference."""
    if reviewed_on > timezone.localdate():
        raise DomainError("Enter a date that is today or in the past")
    if audit.status == Audit.Status.DRAFT and not audit.submitted_at:
        raise AuditWrongState("The board can record its review once the audit has been submitted.")
    review = GovernorReview.objects.create(
        school_id=audit.school_id,
        audit=audit,
        reviewed_on=reviewed_on,
        minute_reference=minute_reference.strip(),
        recorded_by=by,
    )
    _event(
        audit,
        by,
        AuditEvent.Kind.GOVERNOR_REVIEW,
        detail={"reviewed_on": reviewed_on.isoformat(), "minute_reference": review.minute_reference},
    )
    return review


# --- carrying an audit forward -----------------------------------------------------------------------


def _plan_carry_forward(previous: Audit, version: FrameworkVersion, new_refs: list[str], old_refs: set[str]):
    """Return ({new ref: (change, [old refs])}, [new refs with nothing to copy], [dropped old refs])."""
    if previous.framework_version_id == version.pk:
        sources = {ref: ("same", [ref]) for ref in new_refs if ref in old_refs}
        return sources, [ref for ref in new_refs if ref not in sources], []
    if version.previous_id != previous.framework_version_id:
        raise CarryForwardNotPossible(
            "You can carry forward an audit of the same version, or of the version just before this one."
        )
    by_target: dict[str, list[tuple[str, str]]] = defaultdict(list)
    dropped, mapped_from = [], set()
    for mapping in CriterionMapping.objects.filter(version=version):
        if mapping.change == CriterionMapping.Change.RETIRED:
            dropped.append(mapping.from_ref)
        elif mapping.change != CriterionMapping.Change.NEW:
            by_target[mapping.to_ref].append((mapping.from_ref, mapping.change))
        mapped_from.add(mapping.from_ref)
    sources = {}
    for ref in new_refs:
        if ref in by_target:
            pairs = by_target[ref]
            changes = {change for _, change in pairs}
            change = "merged" if len(pairs) > 1 or "merged" in changes else pairs[0][1]
            sources[ref] = (change, [from_ref for from_ref, _ in pairs if from_ref in old_refs])
        elif ref in old_refs and ref not in mapped_from:
            sources[ref] = ("same", [ref])  # an unmapped ref present in both versions continues
    new = [ref for ref in new_refs if not sources.get(ref, ("", []))[1]]
    dropped += [ref for ref in sorted(old_refs - mapped_from - set(new_refs)) if ref not in dropped]
    return {ref: pair for ref, pair in sources.items() if pair[1]}, new, sorted(set(dropped))


@transaction.atomic
def audit_carry_forward(
    *, previous: Audit, framework_version: FrameworkVersion, academic_year: str, by: User
) -> Audit:
    """Start an audit from an earlier one: ratings, rationales and evidence copied to confirm; open actions kept.

    Across versions the mappings decide: unchanged or reworded criteria are copied; a split criterion is
    copied to each part; merged criteria take the lowest of their levels and all their rationales; new
    criteria start blank; retired ones are listed as dropped.
    """
    if previous.framework_id != framework_version.framework_id:
        raise CarryForwardNotPossible("You can only carry forward an audit of the same framework.")
    if previous.status == Audit.Status.DRAFT and previous.submitted_at is None:
        raise CarryForwardNotPossible(
            "Carry forward from an audit that was submitted to the local authority."
        )
    audit = _audit_create(
        school=previous.school,
        framework_version=framework_version,
        academic_year=academic_year,
        by=by,
        carried_from=previous,
    )
    old = {
        r.criterion.ref: r
        for r in Response.objects.filter(audit=previous)
        .select_related("criterion")
        .prefetch_related("evidence")
    }
    new_responses = list(
        Response.objects.filter(audit=audit).select_related("criterion").order_by("criterion__position")
    )
    sources, new_refs, dropped = _plan_carry_forward(
        previous, framework_version, [r.criterion.ref for r in new_responses], set(old)
    )
    summary: dict[str, list] = {"copied": [], "split": [], "merged": [], "new": new_refs, "dropped": dropped}
    links = []
    changed = []
    for response in new_responses:
        if response.criterion.ref not in sources:
            continue
        change, from_refs = sources[response.criterion.ref]
        olds = [old[ref] for ref in from_refs]
        if len(olds) == 1:
            source = olds[0]
            response.level, response.not_applicable = source.level, source.not_applicable
            response.na_reason, response.rationale = source.na_reason, source.rationale
        else:
            rated = [o.level for o in olds if o.level is not None]
            response.level = min(rated) if rated else None
            response.not_applicable = not rated and all(o.not_applicable for o in olds)
            response.na_reason = (
                "; ".join(o.na_reason for o in olds if o.na_reason) if response.not_applicable else ""
            )
            response.rationale = "\n\n".join(
                f"{o.criterion.ref}: {o.rationale}" for o in olds if o.rationale.strip()
            )
        response.to_confirm = True
        changed.append(response)
        key = "split" if change == "split" else "merged" if change == "merged" else "copied"
        summary[key].append({"to": response.criterion.ref, "from": from_refs})
        evidence_ids = {e.pk for o in olds for e in o.evidence.all()}
        links += [
            Response.evidence.through(response_id=response.pk, evidence_id=pk) for pk in sorted(evidence_ids)
        ]
    Response.objects.bulk_update(
        changed, ["level", "not_applicable", "na_reason", "rationale", "to_confirm"], batch_size=500
    )
    Response.evidence.through.objects.bulk_create(links, ignore_conflicts=True)

    # Open actions follow the criterion they improve (through the mapping); a retired one keeps no link.
    criterion_for_old_ref: dict[str, Criterion] = {}
    for response in new_responses:
        for from_ref in sources.get(response.criterion.ref, ("", []))[1]:
            criterion_for_old_ref.setdefault(from_ref, response.criterion)
    actions = [
        Action(
            school_id=audit.school_id,
            audit=audit,
            criterion=criterion_for_old_ref.get(a.criterion.ref) if a.criterion_id else None,
            what=a.what,
            owner=a.owner,
            due=a.due,
            success_measure=a.success_measure,
            estimated_cost=a.estimated_cost,
            status=a.status,
            carried_from=a,
            created_by=by,
        )
        for a in previous.actions.exclude(status=Action.Status.DONE).select_related("criterion")
    ]
    Action.objects.bulk_create(actions)
    summary["actions"] = len(actions)
    summary["from_year"] = previous.academic_year
    summary["from_version"] = str(previous.framework_version)
    audit.carry_forward_summary = summary
    audit.save(update_fields=["carry_forward_summary"])
    _event(
        audit,
        by,
        AuditEvent.Kind.CREATED,
        detail={
            "version": str(framework_version),
            "academic_year": academic_year,
            "carried_from": previous.academic_year,
            "copied": len(summary["copied"]),
            "split": len(summary["split"]),
            "merged": len(summary["merged"]),
            "new": len(new_refs),
            "dropped": dropped,
            "actions": len(actions),
        },
    )
    return audit
