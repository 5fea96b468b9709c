"""The service navigation: which sections each role sees, in order."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from sendplan.models import Role

SCHOOL_STAFF = {Role.SENCO, Role.HEADTEACHER}
LA = {Role.LA_OFFICER, Role.LA_ADMIN}
ALL = SCHOOL_STAFF | LA | {Role.GOVERNOR}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    section: str  # the URL namespace (or name) that marks the item as current


# An item whose URL is not (yet) defined is left out, so each app adds its own pages here.
ITEMS = [
    NavItem("Home", "home", frozenset(ALL), "home"),
    NavItem("Audits", "audits:audit_list", frozenset(SCHOOL_STAFF | {Role.GOVERNOR}), "audits"),
    NavItem("Submitted audits", "audits:la_audit_list", frozenset(LA), "audits"),
    NavItem("Pupils", "ehcp:register", frozenset(SCHOOL_STAFF), "ehcp"),
    NavItem("EHC plans", "ehcp:la_plan_list", frozenset(LA), "ehcp"),
    NavItem("Reports", "sendplan:report_list", frozenset(SCHOOL_STAFF | {Role.GOVERNOR}), "reports"),
    NavItem("Frameworks", "standards:framework_list", frozenset(ALL), "standards"),
    NavItem("People", "sendplan:people", frozenset({Role.HEADTEACHER, Role.LA_ADMIN}), "people"),
]


def nav_for(request: HttpRequest) -> list[dict]:
    """Return the navigation items for the person's current role, marking the current one."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    match = getattr(request, "resolver_match", None)
    current = (match.namespace or match.url_name) if match else ""
    if match and match.url_name in {"report_list", "report_request", "people", "invite"}:
        current = "reports" if match.url_name.startswith("report") else "people"
    items = []
    for item in ITEMS:
        if membership.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "current": current == item.section})
    return items
