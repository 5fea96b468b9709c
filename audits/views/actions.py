"""The action plan's pages: list, add and edit actions."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from audits import selectors, services
from audits.forms import (
    ActionForm,
)
from audits.lookups import audit_for
from audits.models import Action, Audit
from audits.views._shared import (
    _base_context,
    _criteria,
    _next_url,
    refuses_locked,
)
from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.policy import performs

# --- the action plan ---------------------------------------------------------------------------------


@performs("audit_view")
def action_list(request: HttpRequest, audit_id) -> HttpResponse:
    """Show the action plan: what, who, by when, how success is measured, cost and status."""
    audit = audit_for(request.membership, audit_id)
    actions = selectors.audit_actions(audit)
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.is_overdue(today)
    context = {
        **_base_context(request, audit),
        "actions": actions,
        "progress": selectors.action_progress(actions),
    }
    context["total_cost"] = sum((a.estimated_cost or 0) for a in actions)
    return render(request, "audits/action_list.html", context)


def _action_form(request: HttpRequest, audit: Audit, action: Action | None) -> HttpResponse:
    criteria = _criteria(audit)
    initial = {}
    if action is not None:
        initial = {
            "criterion": str(action.criterion.public_id) if action.criterion else "",
            "what": action.what,
            "owner": action.owner,
            "due": action.due,
            "success_measure": action.success_measure,
            "estimated_cost": action.estimated_cost,
            "status": action.status,
        }
    elif request.GET.get("criterion"):
        initial["criterion"] = request.GET["criterion"]
    form = ActionForm(
        request.POST or None,
        criteria=criteria,
        editing=action is not None,
        original_due=action.due if action else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        criterion = next((c for c in criteria if str(c.public_id) == data["criterion"]), None)
        fields = {
            "criterion": criterion,
            "what": data["what"],
            "owner": data["owner"],
            "due": data["due"],
            "success_measure": data["success_measure"],
            "estimated_cost": data["estimated_cost"],
        }
        try:
            if action is None:
                services.action_create(audit=audit, by=request.membership, **fields)
            else:
                services.action_update(
                    audit=audit, action=action, by=request.membership, status=data["status"], **fields
                )
        except services.ActionInvalid as exc:
            form.add_error("due", str(exc))
        else:
            messages.success(request, "Action saved.")
            # Added from a criterion: go back to it (the form posts to its own address, "next" and all).
            default = reverse("audits:action_list", kwargs={"audit_id": audit.public_id})
            return redirect(_next_url(request, audit, default))
    context = {**_base_context(request, audit), "form": form, "action": action}
    context["back"] = _next_url(
        request, audit, reverse("audits:action_list", kwargs={"audit_id": audit.public_id})
    )
    return render(request, "audits/action_form.html", context)


@performs("audit_edit")
@refuses_locked
def action_add(request: HttpRequest, audit_id) -> HttpResponse:
    """Add an action to the plan."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    return _action_form(request, audit, None)


@performs("audit_edit")
@refuses_locked
def action_edit(request: HttpRequest, audit_id, action_id) -> HttpResponse:
    """Change an action or its status."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    action = Action.objects.filter(audit=audit, public_id=action_id).select_related("criterion").first()
    if action is None:
        raise Http404
    return _action_form(request, audit, action)


@performs("audit_edit")
@refuses_locked
def action_remove(request: HttpRequest, audit_id, action_id) -> HttpResponse:
    """Ask to confirm, then remove an action from the plan."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    action = Action.objects.filter(audit=audit, public_id=action_id).select_related("criterion").first()
    if action is None:
        raise Http404
    if request.method == "POST":
        services.action_remove(audit=audit, action=action, by=request.membership)
        messages.success(request, "Action removed from the plan.")
        return redirect("audits:action_list", audit_id=audit.public_id)
    details = [("What", action.what), ("Who", action.owner), ("Due", date_format(action.due, "j F Y"))]
    if action.criterion:
        details.insert(0, ("Criterion", f"{action.criterion.ref}: {action.criterion.statement}"))
    return confirmation_page(
        request,
        Confirmation(
            caption=f"{audit.school.name} · {audit.academic_year}",
            heading="Remove this action from the plan?",
            details=details,
            warning="The action will be removed from the plan. The history will still show that it was there.",
            button="Remove the action",
            destructive=True,
            action_url=reverse(
                "audits:action_remove", kwargs={"audit_id": audit.public_id, "action_id": action.public_id}
            ),
            cancel_url=reverse(
                "audits:action_edit", kwargs={"audit_id": audit.public_id, "action_id": action.public_id}
            ),
        ),
    )
