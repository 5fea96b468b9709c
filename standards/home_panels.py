"""Home-page panel: an LA's draft framework versions waiting to be reviewed and published."""

from django.http import HttpRequest

from sendplan.home import home_panel
from sendplan.models import Role
from standards.models import FrameworkVersion


@home_panel(50)
def drafts_waiting(request: HttpRequest) -> dict | None:
    """Show an LA admin their LA's drafts, if there are any."""
    membership = request.membership
    if membership is None or membership.role != Role.LA_ADMIN:
        return None
    drafts = list(
        FrameworkVersion.objects.filter(
            status=FrameworkVersion.Status.DRAFT, framework__local_authority_id=membership.local_authority_id
        )
        .select_related("framework")
        .order_by("framework__title", "label")
    )
    if not drafts:
        return None
    return {"template": "standards/partials/_home_panel.html", "drafts": drafts}
