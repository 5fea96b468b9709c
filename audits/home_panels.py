"""Home page panels: a school's current audit, the governors' latest summary, the LA's audits to review."""

from django.http import HttpRequest

from audits import selectors
from audits.models import Audit
from sendplan.home import home_panel
from sendplan.models import Role
from sendplan.policy import allows
from standards.models import Framework


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
    if membership.role == Role.GOVERNOR:
        audits = list(selectors.school_audits(membership)[:20])
        # The school's audit that the SENCO rates, once it has gone to the LA; and the board's own.
        audit = next(
            (
                a
                for a in audits
                if a.framework.rated_by == Framework.RatedBy.SCHOOL_STAFF and a.status in Audit.LA_VISIBLE
            ),
            None,
        )
        board_audit = next((a for a in audits if a.framework.rated_by == Framework.RatedBy.GOVERNORS), None)
        context = {
            "template": template,
            "kind": "governor",
            "heading": "SEND audit",
            "audit": audit,
            "board_audit": board_audit,
            "can_start_board_audit": selectors.startable_versions(membership.school, membership).exists(),
            "latest_review": selectors.latest_board_review(membership),
        }
        if audit is not None:
            context["summary"] = selectors.audit_summary(audit)
        return context
    if allows(membership, "audit_start"):
        return {
            "template": template,
            "kind": "staff",
            "heading": "Your audit",
            "audit": selectors.current_audit(membership),
        }
    return None
