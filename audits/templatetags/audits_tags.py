"""Template helpers for audit pages: the status tag, the audit's page links, and event details."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from sendplan.policy import allows, url_allowed

register = template.Library()

PROGRESS_COLOURS = {"not_started": "grey", "in_progress": "light-blue", "completed": ""}


@register.simple_tag
def audit_status_tag(audit) -> SafeString:
    return render_to_string(
        "components/tag.html", {"text": audit.get_status_display(), "colour": audit.status_colour}
    )


@register.simple_tag
def progress_tag(status: str, label: str) -> SafeString:
    return render_to_string(
        "components/tag.html", {"text": label, "colour": PROGRESS_COLOURS.get(status, "")}
    )


@register.filter
def audit_nav(audit, request) -> list[dict]:
    """Return the links between an audit's pages that the person's role may use."""
    membership = request.membership
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = [
        (
            "Sections",
            "audit_detail",
            {"audit_detail", "section", "rating_save", "audit_rate", "audit_rate_save"},
        ),
        ("Where the school stands", "audit_summary", {"audit_summary"}),
        ("Action plan", "action_list", {"action_list", "action_add", "action_edit"}),
        ("Evidence", "evidence_list", {"evidence_list", "evidence_add", "evidence_edit"}),
        ("History", "audit_history", {"audit_history"}),
    ]
    items.append(("Compare", "audit_compare", {"audit_compare"}))
    if membership is not None and audit.shows_la_snapshot(membership):
        items = [("As submitted", "audit_detail", {"audit_detail"})]  # back with the school: see lookups
    if audit.is_editable and allows(membership, "audit_submit", audit):
        items.append(("Check and submit", "audit_check", {"audit_check", "audit_submit"}))
    return [
        {
            "label": label,
            "url": reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id}),
            "current": current in names,
        }
        for label, name, names in items
        if url_allowed(membership, f"audits:{name}")
    ]


FIELD_NAMES = {
    "level": "Level",
    "rating": "Rating",
    "not_applicable": "Not applicable",
    "na_reason": "Reason not applicable",
    "rationale": "Rationale",
    "confirmed": "Carried-forward rating",
    "status": "Status",
    "what": "What",
    "owner": "Who",
    "due": "Due",
    "success_measure": "Success measure",
    "estimated_cost": "Estimated cost",
    "criterion": "Criterion",
    "title": "Title",
    "shareable_with_governors": "Governors may see it",
}


def _show(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


@register.filter
def event_changes(detail: dict) -> list[dict]:
    """Return an event's detail as rows: a field with its old and new value, or a plain fact."""
    rows = []
    for key, value in (detail or {}).items():
        if key == "level" and "rating" in detail:
            continue  # the rating row says the same in words
        if key.startswith("_"):
            continue  # bookkeeping for the service (what an undo may put back), not for people
        label = FIELD_NAMES.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            rows.append({"label": label, "old": _show(value["old"]), "new": _show(value["new"])})
        elif isinstance(value, list):
            rows.append({"label": label, "value": ", ".join(str(v) for v in value) or "(none)"})
        elif value not in ("", None):
            rows.append({"label": label, "value": _show(value)})
    return rows


@register.filter
def slug_ref(ref: str) -> str:
    return ref
