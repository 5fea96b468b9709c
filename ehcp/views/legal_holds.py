"""The LA admin's legal holds: keep the record of a pupil whose plan was handed to the LA past its retention
date (for a tribunal appeal or a claim). Schools cannot set or lift a hold."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ehcp import forms, selectors, services
from ehcp.lookups import list_shown, plan_for, render_shown
from sendplan.policy import performs

PAGE_SIZE = 50


@performs("pupil_legal_hold")
def legal_holds(request: HttpRequest) -> HttpResponse:
    """List the pupils whose plans were handed to the LA, those under a legal hold first."""
    form = forms.NameSearchForm(request.GET or None)
    search = form.cleaned_data.get("search", "") if form.is_valid() else ""
    plans = selectors.legal_hold_pupils(request.membership, search=search)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    list_shown(request, [plan.pupil for plan in page.object_list], what="Legal holds")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ehcp/legal_holds.html",
        {
            "form": form,
            "page_obj": page,
            "search": search,
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )


@performs("pupil_legal_hold")
def legal_hold(request: HttpRequest, plan_id) -> HttpResponse:
    """Place or lift the legal hold on the pupil of a plan handed to the LA."""
    plan = plan_for(request.membership, plan_id, action="pupil_legal_hold")
    pupil = plan.pupil
    initial = {"hold": "yes" if pupil.legal_hold else "no", "reason": pupil.legal_hold_reason}
    form = forms.LegalHoldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        hold = form.cleaned_data["hold"] == "yes"
        try:
            services.pupil_legal_hold_set(
                plan=plan, by=request.membership, hold=hold, reason=form.cleaned_data["reason"]
            )
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            done = "placed on" if hold else "lifted from"
            messages.success(request, f"Legal hold {done} {pupil.full_name}'s record.")
            return redirect("ehcp:legal_holds")
    return render_shown(
        request, "ehcp/legal_hold.html", {"form": form, "plan": plan}, pupil=pupil, what="Legal hold"
    )
