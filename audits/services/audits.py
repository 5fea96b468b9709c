"""Writes for an audit's life: start, submit, withdraw (reopen), the LA's return or acceptance, carry forward."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits import scoring
from audits.levels import audit_levels_refresh
from audits.models import (
    Action,
    Audit,
    AuditEvent,
    Evidence,
    LAComment,
    Rating,
    validate_academic_year,
)
from audits.selectors import answered_q
from audits.services._shared import _event, _lock
from audits.services.errors import (
    AuditAlreadyOpen,
    AuditAlreadySubmitted,
    AuditIncomplete,
    AuditWrongState,
    CarryForwardNotPossible,
)
from notifications import notify
from sendplan import policy
from sendplan.models import Membership, School
from sendplan.services import DomainError
from standards.models import Criterion, CriterionMapping, FrameworkVersion, ScaleLevel

# --- starting an audit -------------------------------------------------------------------------------


def _audit_create(
    *,
    school: School,
    framework_version: FrameworkVersion,
    academic_year: str,
    by: Membership,
    carried_from=None,
) -> Audit:
    policy.check(by, "audit_start")  # the role now; the row (its school and framework) once it exists
    if school.pk != by.school_id:  # before saying anything about the school's audits
        raise policy.NotAllowed("You do not have permission to do that.")
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
                created_by=by.user,
                carried_from=carried_from,
            )
    except IntegrityError as exc:
        raise AuditAlreadyOpen(message) from exc
    # Whether this person may start it depends on the framework as well (governors start only the audits
    # the board rates): ask the policy about the row itself. Refusing here rolls the whole start back.
    policy.check(by, "audit_start", audit)
    Rating.objects.bulk_create(
        [
            Rating(school=school, audit=audit, criterion_id=criterion_id)
            for criterion_id in framework_version.criteria.values_list("pk", flat=True)
        ]
    )
    return audit


@transaction.atomic
def audit_start(
    *, school: School, framework_version: FrameworkVersion, academic_year: str, by: Membership
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
    audit_levels_refresh(audit)
    return audit


# --- submission and the LA's decision ----------------------------------------------------------------


@transaction.atomic
def audit_submit(*, audit: Audit, by: Membership) -> Audit:
    """Lock the audit and hand it to the school's LA. Raise AuditIncomplete if a criterion is unrated."""
    policy.check(by, "audit_submit", audit)
    locked = _lock(audit)  # two tabs or a double click: the second waits here, then sees "submitted"
    if locked.status in (Audit.Status.SUBMITTED, Audit.Status.ACCEPTED):
        raise AuditAlreadySubmitted("This audit has already been submitted to the local authority.")
    responses = Rating.objects.filter(audit=locked)
    # Not answered: no level, or a statutory duty marked not applicable (a duty can never be); the
    # carried-forward ratings still to confirm are counted on their own below.
    unrated = responses.exclude(to_confirm=True).exclude(answered_q()).count()
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
    scale = dict(
        ScaleLevel.objects.filter(scale_id=audit.framework_version.scale_id).values_list("value", "label")
    )
    lowest = scoring.lowest_level(sorted(scale))
    missing = responses.filter(Rating.rationale_needed_q(lowest)).count()
    if missing:
        raise AuditIncomplete(
            f"Give a rationale for every rating above ‘{scale[lowest]}’ before you submit: {missing} "
            f"{'criterion needs' if missing == 1 else 'criteria need'} one (marked ‘Rationale needed’)."
        )
    previous = locked.status
    # A resubmitted audit waits for a new decision, so the earlier one (a return) no longer applies.
    locked.status, locked.submitted_at, locked.decided_at = Audit.Status.SUBMITTED, timezone.now(), None
    locked.save(update_fields=["status", "submitted_at", "decided_at"])
    _event(locked, by, AuditEvent.Kind.SUBMITTED, detail={"status": {"old": previous, "new": locked.status}})
    audit_levels_refresh(locked)
    notify.audit_submitted(audit=locked)
    audit.status, audit.submitted_at = locked.status, locked.submitted_at
    return locked


@transaction.atomic
def audit_reopen(*, audit: Audit, by: Membership) -> Audit:
    """Withdraw a submitted audit (before the LA decides) so the school can change it."""
    policy.check(by, "audit_submit", audit)
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState("Only an audit waiting for the local authority can be withdrawn.")
    locked.status = Audit.Status.DRAFT
    locked.save(update_fields=["status"])
    _event(locked, by, AuditEvent.Kind.REOPENED, detail={"status": {"old": "submitted", "new": "draft"}})
    audit_levels_refresh(locked)
    audit.status = locked.status
    return locked


def _decide(audit: Audit, by: Membership, status: str, kind: str, comment: str) -> Audit:
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState(
            "This audit is not waiting for a decision: it may have been withdrawn or already decided."
        )
    comment = comment.strip()
    now = timezone.now()
    if comment:  # dated with the decision itself, so the decision's comment is told from earlier ones
        LAComment.objects.create(
            school_id=locked.school_id, audit=locked, author=by.user, text=comment, at=now
        )
    locked.status, locked.decided_at = status, now
    locked.save(update_fields=["status", "decided_at"])
    _event(locked, by, kind, detail={"status": {"old": "submitted", "new": status}, "comment": comment})
    audit_levels_refresh(locked)
    audit.status, audit.decided_at = locked.status, locked.decided_at
    return locked


@transaction.atomic
def audit_return(*, audit: Audit, by: Membership, comment: str) -> Audit:
    """Send a submitted audit back to the school for changes, with the LA's reasons.

    The ratings as submitted are kept on the audit, so the LA reads those (not the school's redraft)
    until the school submits again.
    """
    policy.check(by, "audit_decide", audit)
    if not comment.strip():
        raise AuditWrongState("Enter what the school needs to change")
    locked = _decide(audit, by, Audit.Status.RETURNED, AuditEvent.Kind.RETURNED, comment)
    locked.returned_snapshot = _as_submitted(locked)
    locked.save(update_fields=["returned_snapshot"])
    notify.audit_returned(audit=locked)
    audit.returned_snapshot = locked.returned_snapshot
    return locked


def _as_submitted(audit: Audit) -> dict:
    """Return the audit's ratings, with evidence titles, as plain data (the audit is locked: as submitted)."""
    labels = dict(
        ScaleLevel.objects.filter(scale_id=audit.framework_version.scale_id).values_list("value", "label")
    )
    rows = []
    for rating in (
        Rating.objects.filter(audit=audit)
        .select_related("criterion__section")
        .prefetch_related("evidence")
        .order_by("criterion__position")
    ):
        rows.append(
            {
                "section": f"{rating.criterion.section.ref} {rating.criterion.section.title}",
                "ref": rating.criterion.ref,
                "statement": rating.criterion.statement,
                "level": "Not applicable" if rating.not_applicable else labels.get(rating.level, "Not rated"),
                "reason": rating.na_reason if rating.not_applicable else rating.rationale,
                "evidence": [e.title for e in rating.evidence.all()],
            }
        )
    return {"submitted_at": audit.submitted_at.isoformat() if audit.submitted_at else "", "ratings": rows}


@transaction.atomic
def audit_accept(*, audit: Audit, by: Membership, comment: str = "") -> Audit:
    """Accept a submitted audit: it becomes the school's record for the year and can no longer change."""
    policy.check(by, "audit_decide", audit)
    locked = _decide(audit, by, Audit.Status.ACCEPTED, AuditEvent.Kind.ACCEPTED, comment)
    notify.audit_accepted(audit=locked)
    return locked


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


def _evidence_carry_forward(audit: Audit, links: list[tuple[int, Evidence]]) -> None:
    """Give the new audit its own copy of each piece of evidence it carries (rating id, old evidence).

    The earlier audit is locked: renaming, unsharing or relinking evidence in the new audit must never
    change its record, so the two never share a row. The stored file is shared; files are never changed.
    """
    copies: dict[int, Evidence] = {}
    for _, old in links:
        if old.pk not in copies:
            copies[old.pk] = Evidence(
                school_id=old.school_id,
                audit=audit,
                title=old.title,
                file=old.file.name,
                url=old.url,
                original_name=old.original_name,
                size=old.size,
                content_type=old.content_type,
                shareable_with_governors=old.shareable_with_governors,
                uploaded_by_id=old.uploaded_by_id,
                uploaded_at=old.uploaded_at,
            )
    Evidence.objects.bulk_create(list(copies.values()))
    through = Rating.evidence.through
    pairs = sorted({(rating_id, copies[old.pk].pk) for rating_id, old in links})
    through.objects.bulk_create(
        [through(rating_id=r, evidence_id=e) for r, e in pairs], ignore_conflicts=True
    )


@transaction.atomic
def audit_carry_forward(
    *, previous: Audit, framework_version: FrameworkVersion, academic_year: str, by: Membership
) -> Audit:
    """Start an audit from an earlier one: ratings, rationales and evidence copied to confirm; open actions kept.

    Across versions the mappings decide: unchanged or reworded criteria are copied; a split criterion is
    copied to each part; merged criteria take the lowest of their levels and all their rationales; new
    criteria start blank; retired ones are listed as dropped.
    """
    policy.check(by, "audit_start", previous)
    if previous.framework_id != framework_version.framework_id:
        raise CarryForwardNotPossible(
            f"You can start from an earlier audit of {framework_version.framework.title} only. Choose "
            f"‘No, start a blank audit’, or an earlier audit of {framework_version.framework.title}"
        )
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
        for r in Rating.objects.filter(audit=previous)
        .select_related("criterion")
        .prefetch_related("evidence")
    }
    new_responses = list(
        Rating.objects.filter(audit=audit).select_related("criterion").order_by("criterion__position")
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
        if response.criterion.statutory and response.not_applicable:
            # A statutory duty can never be not applicable (an earlier version may have let it be).
            response.level, response.not_applicable, response.na_reason = None, False, ""
        response.to_confirm = True
        changed.append(response)
        key = "split" if change == "split" else "merged" if change == "merged" else "copied"
        summary[key].append({"to": response.criterion.ref, "from": from_refs})
        links += [(response.pk, e) for o in olds for e in o.evidence.all()]
    Rating.objects.bulk_update(
        changed, ["level", "not_applicable", "na_reason", "rationale", "to_confirm"], batch_size=500
    )
    _evidence_carry_forward(audit, links)

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
            created_by=by.user,
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
    audit_levels_refresh(audit)
    return audit
