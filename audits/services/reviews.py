"""Writes for reviews of an audit: the LA's comments and the governing board's review."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audits.models import (
    Audit,
    AuditEvent,
    GovernorReview,
    LAComment,
)
from audits.services._shared import _event, _lock
from audits.services.errors import (
    AuditWrongState,
)
from sendplan import policy
from sendplan.models import Membership
from sendplan.services import DomainError
from standards.models import Criterion


@transaction.atomic
def la_comment_add(*, audit: Audit, criterion: Criterion | None, text: str, by: Membership) -> LAComment:
    """Record an LA officer's comment on the audit or one of its criteria, while it is under review."""
    policy.check(by, "audit_comment", audit)
    locked = _lock(audit)
    if locked.status != Audit.Status.SUBMITTED:
        raise AuditWrongState("You can comment while the audit is waiting for your decision.")
    if not text.strip():
        raise AuditWrongState("Enter a comment")
    if criterion is not None and criterion.version_id != audit.framework_version_id:
        raise AuditWrongState("Select a criterion of this audit")
    comment = LAComment.objects.create(
        school_id=audit.school_id, audit=audit, criterion=criterion, author=by.user, text=text.strip()
    )
    _event(audit, by, AuditEvent.Kind.COMMENT, criterion=criterion, detail={"comment": comment.text})
    return comment


@transaction.atomic
def governor_review_record(
    *, audit: Audit, reviewed_on: date, minute_reference: str, by: Membership
) -> GovernorReview:
    """Record that the governing board reviewed the audit, on a date, under a minute reference.

    The board may review an audit at any stage: a draft it is working on, or one with the LA.
    """
    policy.check(by, "board_review_record", audit)
    if reviewed_on > timezone.localdate():
        raise DomainError("Date of the meeting must be today or in the past")
    review = GovernorReview.objects.create(
        school_id=audit.school_id,
        audit=audit,
        reviewed_on=reviewed_on,
        minute_reference=minute_reference.strip(),
        recorded_by=by.user,
    )
    _event(
        audit,
        by,
        AuditEvent.Kind.GOVERNOR_REVIEW,
        detail={"reviewed_on": reviewed_on.isoformat(), "minute_reference": review.minute_reference},
    )
    return review
