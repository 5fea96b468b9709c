"""Writes for evidence: add a file or link, change it and the criteria it supports."""

import uuid

from django.conf import settings
from django.db import transaction

from audits.models import (
    Audit,
    AuditEvent,
    Evidence,
    Rating,
)
from audits.services._shared import _event, _require_editable
from audits.services.errors import (
    EvidenceRejected,
)
from sendplan import policy
from sendplan.models import Membership
from sendplan.uploads import UploadRejected, check_upload, store_upload
from standards.models import Criterion

# --- evidence ----------------------------------------------------------------------------------------


def _link_evidence(
    audit: Audit, evidence: Evidence, criteria: list[Criterion]
) -> tuple[list[str], list[str]]:
    wanted = {c.pk for c in criteria}
    responses = list(Rating.objects.filter(audit=audit).select_related("criterion"))
    linked = set(
        Rating.evidence.through.objects.filter(evidence=evidence, rating__audit=audit).values_list(
            "rating_id", flat=True
        )
    )
    add = [r for r in responses if r.criterion_id in wanted and r.pk not in linked]
    remove = [r for r in responses if r.criterion_id not in wanted and r.pk in linked]
    evidence.ratings.add(*add)
    evidence.ratings.remove(*remove)
    return [r.criterion.ref for r in add], [r.criterion.ref for r in remove]


@transaction.atomic
def evidence_add(
    *,
    audit: Audit,
    title: str,
    criteria: list[Criterion],
    by: Membership,
    file_name: str = "",
    data: bytes | None = None,
    url: str = "",
    shareable_with_governors: bool = False,
) -> Evidence:
    """Check and store a file (or a link) as evidence for some criteria of the audit."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if bool(data) == bool(url):
        raise EvidenceRejected("Choose a file or enter a link")
    evidence = Evidence(
        school_id=audit.school_id,
        audit=audit,
        title=title.strip(),
        url=url,
        shareable_with_governors=shareable_with_governors,
        uploaded_by=by.user,
    )
    if data:
        try:
            checked = check_upload(file_name, data, max_bytes=settings.EVIDENCE_MAX_BYTES)
        except UploadRejected as exc:
            raise EvidenceRejected(str(exc)) from exc
        # A generated name: the uploader's name never reaches the file system or a URL.
        name = f"evidence/{audit.school.public_id}/{uuid.uuid4()}.{checked.extension}"
        try:
            evidence.file.name = store_upload(name, data)
        except UploadRejected as exc:
            raise EvidenceRejected(str(exc)) from exc
        evidence.original_name = file_name[-255:]
        evidence.size, evidence.content_type = checked.size, checked.content_type
    evidence.save()
    added, _ = _link_evidence(audit, evidence, criteria)
    _event(
        audit,
        by,
        AuditEvent.Kind.EVIDENCE_ADDED,
        criterion=criteria[0] if len(criteria) == 1 else None,
        detail={
            "evidence": str(evidence.public_id),
            "title": evidence.title,
            "criteria": added,
            "kind": "link" if url else "file",
        },
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
    by: Membership,
) -> Evidence:
    """Rename evidence, change who may see it, and choose which criteria of the audit it supports."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if evidence.school_id != audit.school_id:
        raise EvidenceRejected("That evidence belongs to another school.")
    if evidence.audit_id != audit.pk:
        # A locked audit's record never changes: its evidence is its own (carrying forward copies it).
        raise EvidenceRejected("That evidence belongs to another audit. Add it to this audit again.")
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
        detail = {"evidence": str(evidence.public_id), "title": evidence.title, **changes}
        _event(audit, by, AuditEvent.Kind.EVIDENCE_ADDED, detail=detail)
    return evidence


@transaction.atomic
def evidence_remove(*, audit: Audit, evidence: Evidence, by: Membership) -> None:
    """Remove a piece of evidence from the audit and from every criterion it supported."""
    policy.check(by, "audit_edit", audit)
    _require_editable(audit)
    if evidence.audit_id != audit.pk:
        raise EvidenceRejected("That evidence belongs to another audit.")
    criteria = sorted(
        Rating.evidence.through.objects.filter(evidence=evidence).values_list(
            "rating__criterion__ref", flat=True
        )
    )
    detail = {
        "evidence": str(evidence.public_id),
        "title": evidence.title,
        "criteria": criteria,
        # Who could see it, so the history can keep hiding its title from everyone else (selectors).
        "shareable_with_governors": evidence.shareable_with_governors,
    }
    # The stored file stays: a copy of this evidence carried into a later audit may name the same file.
    evidence.delete()
    _event(audit, by, AuditEvent.Kind.EVIDENCE_REMOVED, detail=detail)
