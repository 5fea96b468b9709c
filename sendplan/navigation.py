"""The service navigation: which sections each role sees, in order, and which one is current."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from sendplan.policy import url_allowed


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # shown to whoever the policy lets use this URL's view
    current_for: tuple[str, ...]  # view names starting with one of these mark the item as current


ITEMS = [
    NavItem("Home", "home", ("home",)),
    NavItem("Audits", "audits:audit_list", ("audits:",)),
    NavItem("Audit round", "audits:la_round", ("audits:la_round",)),
    NavItem("Submitted audits", "audits:la_audit_list", ("audits:",)),
    NavItem("Pupils", "ehcp:register", ("ehcp:",)),
    NavItem("EHC plans", "ehcp:la_plan_list", ("ehcp:",)),
    NavItem("Public documents", "publications:publication_list", ("publications:",)),
    NavItem("Published documents", "publications:la_list", ("publications:",)),
    NavItem("Legal holds", "ehcp:legal_holds", ("ehcp:legal_hold",)),
    NavItem("Reports", "sendplan:report_list", ("sendplan:report",)),
    NavItem("Reports", "sendplan:la_report_list", ("sendplan:la_report",)),  # the LA's own
    NavItem("Frameworks", "standards:framework_list", ("standards:",)),
    NavItem("People", "sendplan:people", ("sendplan:people", "sendplan:invite", "sendplan:membership")),
]


def nav_for(request: HttpRequest) -> list[dict]:
    """Return the navigation items for the person's current role, marking the current one."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    items = [item for item in ITEMS if url_allowed(membership, item.url_name)]
    # The longest matching prefix wins, so "ehcp:legal_hold" marks Legal holds, not EHC plans too.
    fit = {
        item.label: max((len(p) for p in item.current_for if view_name.startswith(p)), default=0)
        for item in items
    }
    best = max(fit.values(), default=0)
    return [
        {"label": item.label, "url": reverse(item.url_name), "current": best > 0 and fit[item.label] == best}
        for item in items
    ]
