"""Find one school, person or report a membership may act on, or raise 404."""

from sendplan.models import Membership, Report, School
from sendplan.policy import get_or_404


def school_for(membership: Membership, public_id, *, action: str = "school_view") -> School:
    """Return a school the membership may take the action on (its own, or one in its LA), or raise 404."""
    return get_or_404(
        School.objects.select_related("local_authority"), membership, action, public_id=public_id
    )


def report_for(
    membership: Membership, public_id, *, kinds: list[str], action: str = "report_view", **lookup
) -> Report:
    """Return a report of one of these kinds that the membership may take the action on, or raise 404."""
    reports = Report.objects.filter(kind__in=kinds, **lookup).select_related(
        "school", "local_authority", "requested_by"
    )
    return get_or_404(reports, membership, action, public_id=public_id)


def membership_for(membership: Membership, public_id) -> Membership:
    """Return an active membership this person may remove (their school's, or their LA's and its schools'), or 404."""
    return get_or_404(
        Membership.objects.active().select_related("user", "school__local_authority", "local_authority"),
        membership,
        "membership_remove",
        public_id=public_id,
    )
