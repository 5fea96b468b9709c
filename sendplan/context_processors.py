from django.conf import settings
from django.http import HttpRequest

from sendplan.navigation import nav_for


def service(request: HttpRequest) -> dict:
    """Add the service name, navigation, the organisation the person is acting for and the idle limit."""
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": nav_for(request),
        "current_membership": getattr(request, "membership", None),
        "other_memberships": len(getattr(request, "memberships", [])) > 1,
        "demo_mode": settings.DEMO_MODE,
        "support_email": settings.SUPPORT_EMAIL,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,  # the timeout warning counts down to it
    }
