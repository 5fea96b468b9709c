"""The LA's side of EHC plans: the list, returning, finalising and commenting."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ehcp import deadlines, forms, review_forms, selectors, services
from ehcp.lookups import list_shown, plan_for, render_shown
from ehcp.models import PlanVersion, VersionStatus
from ehcp.views._shared import _refuse
from ehcp.views.pipeline import PLACEHOLDER
from sendplan.policy import performs
from sendplan.services import DomainError

# --- the LA ------------------------------------------------------------------------------------------------


@performs("plan_la_list")
def la_plan_list(request: HttpRequest) -> HttpResponse:
    """List the EHC plans schools in the LA have submitted, with the share issued within 20 weeks."""
    la = request.membership.local_authority
    page = Paginator(selectors.la_plans(request.membership), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    plan_url = reverse("ehcp:plan_detail", args=[PLACEHOLDER])  # once a page, not once a row
    rows = [
        {
            "plan": plan,
            "next": selectors.next_deadline(plan, today=today),
            "href": plan_url.replace(PLACEHOLDER, str(plan.public_id)),
        }
        for plan in page.object_list
    ]
    list_shown(request, [row["plan"].pupil for row in rows], what="The LA's list of EHC plans")
    return render(
        request,
        "ehcp/la_plan_list.html",
        {"rows": rows, "page_obj": page, "query_prefix": "", "timeliness": selectors.la_timeliness(la)},
    )


@performs("plan_decide")
def plan_return(request: HttpRequest, plan_id) -> HttpResponse:
    """Return a submitted plan to the school, saying what to change."""
    plan = plan_for(request.membership, plan_id, action="plan_decide")
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_return(plan=plan, by=request.membership, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            return _refuse(request, exc, reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id}))
        messages.success(request, f"Plan returned to {plan.school.name}.")
        return redirect("ehcp:la_plan_list")
    return render_shown(
        request,
        "ehcp/plan_return.html",
        {"plan": plan, "form": form},
        pupil=plan.pupil,
        what="Return an EHC plan",
    )


@performs("plan_decide")
def plan_finalise(request: HttpRequest, plan_id) -> HttpResponse:
    """List what is missing before the submitted version is made final, then make it final."""
    plan = plan_for(request.membership, plan_id, action="plan_decide")
    back = reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id})
    version = selectors.version_for_viewer(plan, request.membership)
    if version is None or version.status != VersionStatus.SUBMITTED:
        return _refuse(request, DomainError("Only a version submitted to the LA can be made final."), back)
    amending = version.kind == PlanVersion.Kind.PROPOSED_AMENDMENTS
    review = selectors.latest_review(plan) if amending else None
    missing = deadlines.missing_before_final(
        selectors.plan_dates(plan),
        today=timezone.localdate(),
        placement=version.i_placement,
        amending=amending,
        review=selectors.review_dates(review) if review else None,
    )
    form = review_forms.FinaliseForm(request.POST if request.method == "POST" else None, missing=missing)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_finalise(plan=plan, by=request.membership)
        except DomainError as exc:
            return _refuse(request, exc, back)
        messages.success(request, f"Version {version.number} is now the final plan.")
        return redirect(back)
    context = {
        "plan": plan,
        "version": version,
        "form": form,
        "missing": missing,
        "amending": amending,
        "findings": selectors.version_findings(selectors.version_content(version)),
    }
    return render_shown(
        request, "ehcp/plan_finalise.html", context, pupil=plan.pupil, what="Make an EHC plan final"
    )


@require_POST
@performs("plan_comment")
def plan_comment(request: HttpRequest, plan_id) -> HttpResponse:
    """Add a comment to the version the LA has."""
    plan = plan_for(request.membership, plan_id, action="plan_comment")
    back = reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id})
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter your comment.")
        return redirect(back)
    try:
        services.plan_comment_add(plan=plan, by=request.membership, **form.cleaned_data)
    except DomainError as exc:
        return _refuse(request, exc, back)
    messages.success(request, "Comment added.")
    return redirect(back)
