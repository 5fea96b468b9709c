"""Find one notification a membership may act on (the person's own), or raise 404."""

from django.http import Http404

from notifications.models import Notification
from sendplan.lookups import as_public_id
from sendplan.models import Membership
from sendplan.policy import get_or_404


def notification_for(membership: Membership, public_id: str) -> Notification:
    """Return one of the person's own notifications by its public id, or raise 404."""
    if as_public_id(public_id) is None:
        raise Http404
    return get_or_404(Notification.objects.all(), membership, "notification_view", public_id=public_id)
