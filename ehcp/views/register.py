"""The SEN register: the list, leavers, adding and editing pupils, and the school's deadlines."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ehcp import forms, selectors, services
from ehcp.lookups import list_shown, pupil_for, render_shown
from ehcp.models import LookedAfter
from sendplan.policy import performs

REGISTER_PAGE_SIZE = 50


# --- the register ----------------------------------------------------------------------------------------


@performs("register_view")
def register(request: HttpRequest) -> HttpResponse:
    """List the pupils on the SEN register, filtered by name, need, provision and year, with plan status,
    next deadline and any inconsistency between census code and plan; with ``?left=1``, the leavers."""
    if request.GET.get("left") == "1":
        return _leavers(request)
    form = forms.RegisterFilterForm(request.GET or None, school=request.membership.school)
    filters = form.cleaned_data if form.is_valid() else {}
    pupils = selectors.register_pupils(
        request.membership,
        need=filters.get("need", ""),
        provision=filters.get("provision", ""),
        year=filters.get("year", ""),
        search=filters.get("search", ""),
    )
    page = Paginator(pupils, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for pupil in page.object_list:
        plans = list(pupil.plans.all())
        plan = plans[0] if plans else None
        rows.append(
            {
                "pupil": pupil,
                "plan": plan,
                "next": selectors.next_deadline(plan, today=today) if plan else None,
                "flags": selectors.pupil_census_flags(pupil),
            }
        )
    list_shown(request, [row["pupil"] for row in rows], what="SEN register")
    return render(
        request,
        "ehcp/register.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "query_prefix": _query_prefix(request),
            "filtered": any(filters.values()),
        },
    )


def _query_prefix(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def _leavers(request: HttpRequest) -> HttpResponse:
    """List the pupils who have left the school: kept until their retention date, off the register."""
    form = forms.NameSearchForm(request.GET or None)
    search = form.cleaned_data.get("search", "") if form.is_valid() else ""
    page = Paginator(selectors.leavers(request.membership, search=search), REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    list_shown(request, list(page.object_list), what="Pupils who have left")
    return render(
        request,
        "ehcp/leavers.html",
        {"form": form, "page_obj": page, "query_prefix": _query_prefix(request), "search": search},
    )


@performs("pupil_add")
def pupil_add(request: HttpRequest) -> HttpResponse:
    """Add a pupil to the SEN register by hand."""
    school = request.membership.school
    initial = {"looked_after": LookedAfter.NO, "added_to_register_on": timezone.localdate()}
    form = forms.PupilForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_save(by=request.membership, school=school, **form.service_data())
        except services.PupilInvalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{pupil.full_name} added to the register.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render(request, "ehcp/pupil_form.html", {"form": form})


def _add_errors(form, exc: services.PupilInvalid) -> None:
    for name, message in exc.errors.items():
        form.add_error(name if name in form.fields else None, message)


@performs("pupil_edit")
def pupil_edit(request: HttpRequest, pupil_id) -> HttpResponse:
    """Change a pupil's details on the register (the legal hold is not the school's to change)."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
    form = forms.PupilForm(
        request.POST or None, school=pupil.school, pupil=pupil, initial=forms.PupilForm.initial_for(pupil)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_save(
                by=request.membership, school=pupil.school, pupil=pupil, **form.service_data()
            )
        except services.PupilInvalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{pupil.full_name}'s details saved.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render_shown(
        request, "ehcp/pupil_form.html", {"form": form}, pupil=pupil, what="Pupil details (edit)"
    )


@performs("register_view")
def school_deadlines(request: HttpRequest) -> HttpResponse:
    """List every upcoming statutory deadline across the school's plans."""
    rows = selectors.school_upcoming_deadlines(request.membership.school)
    list_shown(request, [plan.pupil for plan, _ in rows], what="The school's EHC plan deadlines")
    return render(request, "ehcp/school_deadlines.html", {"rows": rows})
