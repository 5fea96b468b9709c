"""Find one audit a membership may act on, or raise 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audits.models import Audit
from audits.services import AuditLocked
from sendplan.models import Membership
from sendplan.policy import get_or_404, restrict


def audit_for(
    membership: Membership,
    audit_id,
    *,
    action: str = "audit_view",
    editable: bool = False,
    as_submitted: bool = False,
) -> Audit:
    """Return an audit the membership may take the action on, or raise 404.

    With ``editable``, a locked audit (submitted or accepted) raises AuditLocked, which views show as a
    message on the audit page rather than an error page. An audit the LA returned is back with the
    school: LA staff reach only the page that shows it as submitted (``as_submitted``); elsewhere 404.
    """
    audits = Audit.objects.select_related(
        "school__local_authority", "framework_version__framework", "framework_version__scale"
    )
    try:
        audit = get_or_404(audits, membership, action, public_id=audit_id)
    except Http404:
        # Someone who may see the audit but not do this to it (a governor and the SENCO's audit) is
        # refused, not told it does not exist.
        if (
            action != "audit_view"
            and restrict(audits, membership, "audit_view").filter(public_id=audit_id).exists()
        ):
            raise PermissionDenied from None
        raise
    if editable and not audit.is_editable:
        raise AuditLocked(audit)
    if audit.shows_la_snapshot(membership) and not as_submitted:
        raise Http404("The school is changing this audit.")
    return audit
