"""The service navigation: which sections each role sees, in order, and which one is current."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from sendplan.access import EVERY_ROLE, LA_STAFF, SCHOOL_MEMBERS, SCHOOL_STAFF
from sendplan.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    current_for: tuple[str, ...]  # view names starting with one of these mark the item as current


ITEMS = [
    NavItem("Home", "home", EVERY_ROLE, ("home",)),
    NavItem("Audits", "audits:audit_list", SCHOOL_MEMBERS, ("audits:",)),
    NavItem("Submitted audits", "audits:la_audit_list", LA_STAFF, ("audits:",)),
    NavItem("Pupils", "ehcp:register", SCHOOL_STAFF, ("ehcp:",)),
    NavItem("EHC plans", "ehcp:la_plan_list", LA_STAFF, ("ehcp:",)),
    NavItem("Reports", "sendplan:report_list", SCHOOL_MEMBERS, ("sendplan:report",)),
    NavItem("Frameworks", "standards:framework_list", EVERY_ROLE, ("standards:",)),
    NavItem(
        "People",
        "sendplan:people",
        frozenset({Role.HEADTEACHER, Role.LA_ADMIN}),
        ("sendplan:people", "sendplan:invite", "sendplan:membership"),
    ),
]


def nav_for(request: HttpRequest) -> list[dict]:
    """Return the navigation items for the person's current role, marking the current one."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": view_name.startswith(item.current_for),
        }
        for item in ITEMS
        if membership.role in item.roles
    ]
