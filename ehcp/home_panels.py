"""The SEN panel on the school home page: counts only, never a pupil."""

from django.http import HttpRequest

from ehcp import selectors
from sendplan.home import home_panel
from sendplan.models import Role


@home_panel(30)
def sen_counts(request: HttpRequest) -> dict | None:
    """Show pupils by SEN provision (E, K) and area of need to the school's governors, SENCO and head."""
    membership = request.membership
    if membership is None or not membership.is_school:
        return None
    return {
        "template": "ehcp/partials/_home_panel.html",
        "counts": selectors.school_sen_counts(membership.school),
        "link": membership.role != Role.GOVERNOR,
    }
