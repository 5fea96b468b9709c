"""Find one pupil or plan a membership may act on, or raise 404; render a page that shows a pupil's data."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ehcp.models import AnnualReview, Plan, Pupil
from sendplan.models import Membership
from sendplan.policy import get_or_404, nothing_shown, shown


def pupil_for(membership: Membership, pupil_id, *, action: str = "pupil_view") -> Pupil:
    """Return a pupil of the membership's school (SENCO and headteacher only), or raise 404."""
    return get_or_404(Pupil.objects.select_related("school"), membership, action, public_id=pupil_id)


def plan_for(membership: Membership, plan_id, *, action: str = "plan_view") -> Plan:
    """Return a plan the membership may take the action on (school staff; LA staff once handed), or 404."""
    return get_or_404(
        Plan.objects.select_related("pupil__school", "school__local_authority"),
        membership,
        action,
        public_id=plan_id,
    )


def review_for(membership: Membership, review_id, *, action: str = "review_view") -> AnnualReview:
    """Return an annual review the membership may take the action on (school staff; the LA once reported)."""
    return get_or_404(
        AnnualReview.objects.select_related(
            "plan__pupil", "plan__school__local_authority", "amendments_version"
        ),
        membership,
        action,
        public_id=review_id,
    )


def render_shown(
    request: HttpRequest, template: str, context: dict, *, pupil: Pupil, what: str
) -> HttpResponse:
    """Render a page that shows a pupil's data, naming what it shows for the access log."""
    shown(request, pupil, what=what)
    return render(request, template, {"pupil": pupil, **context})


def list_shown(request: HttpRequest, pupils: list[Pupil], *, what: str) -> None:
    """Name the pupils a list page shows (each gets an access event), or say that it shows none."""
    unique = list({pupil.pk: pupil for pupil in pupils}.values())
    if unique:
        shown(request, *unique, what=what)
    else:
        nothing_shown(request)
