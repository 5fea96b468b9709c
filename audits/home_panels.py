"""Home page panels: a school's current audit, the governors' latest summary, the LA's audits to review."""

from django.http import HttpRequest

from audits import selectors
from audits.models import Audit
from sendplan.home import home_panel
from sendplan.models import Role
from sendplan.policy import allows


@home_panel(20)
def audit_panel(request: HttpRequest) -> dict | None:
    """Show school staff their current audit, governors the latest summary, LA staff what waits for them."""
    membership = request.membership
    template = "audits/partials/_home_panel.html"
    if membership is None:
        return None
    if allows(membership, "audit_la_list"):
        return {
            "template": template,
            "kind": "la",
            "heading": "School audits",
            "counts": selectors.la_counts(membership),
        }
    if allows(membership, "audit_edit"):
        return {
            "template": template,
            "kind": "staff",
            "heading": "Your audit",
            "audit": selectors.current_audit(membership),
        }
    if membership.role == Role.GOVERNOR:
        audit = (
            selectors.school_audits(membership)
            .filter(status__in=[Audit.Status.SUBMITTED, Audit.Status.ACCEPTED, Audit.Status.RETURNED])
            .first()
        )
        context = {"template": template, "kind": "governor", "heading": "SEND audit", "audit": audit}
        if audit is not None:
            summary = selectors.audit_summary(audit)
            context["overall_label"] = selectors.level_label(summary.levels, summary.overall)
            context["gaps"] = len(summary.statutory_gaps)
        return context
    return None
