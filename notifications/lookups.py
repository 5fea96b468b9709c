"""Find one notification a membership may act on (the person's own), or raise 404."""

import uuid

from django.http import Http404

from notifications.models import Notification
from sendplan.models import Membership
from sendplan.policy import get_or_404


def notification_for(membership: Membership, public_id: str) -> Notification:
    """Return one of the person's own notifications by its public id, or raise 404."""
    try:
        uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    return get_or_404(Notification.objects.all(), membership, "notification_view", public_id=public_id)
