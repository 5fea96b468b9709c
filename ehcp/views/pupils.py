"""A pupil's record: leaving and removal, carers, graduated-approach cycles, evidence, the access log and the
subject access export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ehcp import forms, selectors, services
from ehcp.lookups import pupil_for, render_shown
from ehcp.models import Carer, Pupil, SupportCycle
from ehcp.views._shared import json_download
from sendplan.confirmation import TEMPLATE, Confirmation
from sendplan.policy import performs, shown
from sendplan.services import DomainError

# --- a pupil's record ------------------------------------------------------------------------------------


@performs("pupil_view")
def pupil_detail(request: HttpRequest, pupil_id) -> HttpResponse:
    """Show a pupil's details, parents or carers, graduated-approach cycles and plans."""
    pupil = pupil_for(request.membership, pupil_id)
    context = {
        "census_flags": selectors.pupil_census_flags(pupil),
        "carers": pupil.carers.all(),
        "cycles": selectors.cycles_for(pupil),
        "plans": pupil.plans.order_by("-created_at"),
        "primary_label": selectors.need_label(pupil.primary_need),
        "secondary_label": selectors.need_label(pupil.secondary_need),
    }
    return render_shown(request, "ehcp/pupil_detail.html", context, pupil=pupil, what="Pupil record")


@performs("pupil_edit")
def pupil_leave(request: HttpRequest, pupil_id) -> HttpResponse:
    """Record that a pupil has left the school: the record is kept, off the register and out of counts."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    if pupil.has_left:
        messages.info(request, f"{pupil.full_name} is already recorded as having left.")
        return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    form = forms.LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_mark_left(pupil=pupil, by=request.membership, left_on=form.cleaned_data["left_on"])
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{pupil.full_name} is recorded as having left. Their record is kept.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render_shown(request, "ehcp/pupil_leave.html", {"form": form}, pupil=pupil, what="Mark as left")


@require_POST
@performs("pupil_edit")
def pupil_rejoin(request: HttpRequest, pupil_id) -> HttpResponse:
    """Put a pupil recorded as having left back on the register."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    try:
        services.pupil_rejoin(pupil=pupil, by=request.membership)
    except DomainError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"{pupil.full_name} is back on the register.")
    return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)


@performs("pupil_remove")
def pupil_remove(request: HttpRequest, pupil_id) -> HttpResponse:
    """Delete a record added in error, after a confirmation page; its access log stays."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_remove")
    refusal = services.pupil_removal_refusal(pupil)
    form = forms.RemoveForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        if form.cleaned_data["confirm"] == "no":
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
        try:
            services.pupil_remove(pupil=pupil, by=request.membership)
        except services.PupilNotRemovable as exc:
            refusal = str(exc)
        else:
            messages.success(request, f"{pupil.full_name}'s record was removed. Its access log is kept.")
            return redirect("ehcp:register")
    return render_shown(
        request,
        "ehcp/pupil_remove.html",
        {"form": form, "refusal": refusal},
        pupil=pupil,
        what="Remove the record (confirm)",
    )


@performs("pupil_edit")
def carer_add(request: HttpRequest, pupil_id) -> HttpResponse:
    """Add a parent or carer to a pupil's record."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    form = forms.CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.carer_add(by=request.membership, pupil=pupil, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} added.")
        return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render_shown(
        request, "ehcp/carer_form.html", {"form": form}, pupil=pupil, what="Add a parent or carer"
    )


@performs("pupil_edit")
def carer_remove(request: HttpRequest, pupil_id, carer_id) -> HttpResponse:
    """Ask to confirm, then remove a parent or carer from a pupil's record."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    carer = Carer.objects.filter(pupil=pupil, public_id=carer_id).first()
    if carer is None:
        raise Http404
    if request.method != "POST":
        confirmation = Confirmation(
            caption=str(pupil),
            heading=f"Remove {carer.name} from {pupil}'s record?",
            details=[("Relationship", carer.relationship), ("Contact", carer.phone or carer.email or "None")],
            warning="Their name and contact details will be deleted from the record.",
            button="Remove",
            destructive=True,
            action_url=reverse(
                "ehcp:carer_remove", kwargs={"pupil_id": pupil.public_id, "carer_id": carer.public_id}
            ),
            cancel_url=reverse("ehcp:pupil_detail", kwargs={"pupil_id": pupil.public_id}),
        )
        return render_shown(
            request, TEMPLATE, {"confirm": confirmation}, pupil=pupil, what="Parent or carer to remove"
        )
    services.carer_remove(by=request.membership, carer=carer)
    messages.success(request, f"{carer.name} removed.")
    return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)


@performs("pupil_edit")
def cycle_add(request: HttpRequest, pupil_id) -> HttpResponse:
    """Record an assess, plan, do, review cycle."""
    return _cycle_form(request, pupil_for(request.membership, pupil_id, action="pupil_edit"), cycle=None)


@performs("pupil_edit")
def cycle_edit(request: HttpRequest, pupil_id, cycle_id) -> HttpResponse:
    """Change a graduated-approach cycle, for example to record what the review found."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    cycle = SupportCycle.objects.filter(pupil=pupil, public_id=cycle_id).first()
    if cycle is None:
        raise Http404
    return _cycle_form(request, pupil, cycle=cycle)


def _cycle_form(request: HttpRequest, pupil: Pupil, *, cycle: SupportCycle | None) -> HttpResponse:
    initial = {name: getattr(cycle, name) for name in forms.CycleForm.base_fields} if cycle else None
    form = forms.CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_save(by=request.membership, pupil=pupil, cycle=cycle, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Cycle saved.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    what = "Graduated-approach cycle" + (" (edit)" if cycle else " (add)")
    return render_shown(
        request, "ehcp/cycle_form.html", {"form": form, "cycle": cycle}, pupil=pupil, what=what
    )


@performs("pupil_view")
def evidence(request: HttpRequest, pupil_id) -> HttpResponse:
    """Show the evidence for a request for an EHC needs assessment: cycles and the school's audit ratings."""
    pupil = pupil_for(request.membership, pupil_id)
    areas = selectors.pupil_areas_of_need(pupil)
    context = {
        "cycles": selectors.cycles_for(pupil),
        "areas": [dict(selectors.AREAS_OF_NEED)[a] for a in areas],
        "audit_levels": selectors.audit_evidence(pupil.school, areas),
    }
    return render_shown(
        request, "ehcp/evidence.html", context, pupil=pupil, what="Evidence for an assessment request"
    )


@performs("pupil_view")
def access_log(request: HttpRequest, pupil_id) -> HttpResponse:
    """Show who viewed or exported this pupil's record and plans, and when."""
    pupil = pupil_for(request.membership, pupil_id)
    shown(request, pupil, what="Access log", now=True)  # written first, so this viewing is on the page too
    page = Paginator(selectors.pupil_access_log(pupil), 50).get_page(request.GET.get("page"))
    return render(request, "ehcp/access_log.html", {"pupil": pupil, "page_obj": page, "query_prefix": ""})


@performs("pupil_export")
def pupil_export(request: HttpRequest, pupil_id) -> HttpResponse:
    """Download everything held about a pupil (subject access request), including the access log."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_export")
    shown(request, pupil, what="Everything held about the pupil (subject access)", now=True)
    data = selectors.pupil_subject_access(pupil)  # after recording, so the export includes itself
    return json_download(data, filename=f"pupil-{pupil.public_id}.json")
