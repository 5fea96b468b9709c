"""The SEN register: the list, adding, editing and importing pupils, and the school's deadlines."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ehcp import forms, selectors, services
from ehcp.views.access import _render_logged, get_pupil_for
from sendplan.access import SCHOOL_STAFF, access

REGISTER_PAGE_SIZE = 50


# --- the register ----------------------------------------------------------------------------------------


@access(SCHOOL_STAFF, conceal=True)
def register(request: HttpRequest) -> HttpResponse:
    """List the school's pupils with SEN, filtered by need, provision and year, with plan status and next deadline."""
    form = forms.RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    pupils = selectors.register_pupils(
        request.membership,
        need=filters.get("need", ""),
        provision=filters.get("provision", ""),
        year=filters.get("year", ""),
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
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ehcp/register.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "filtered": any(filters.values()),
        },
    )


@access(SCHOOL_STAFF, conceal=True)
def pupil_add(request: HttpRequest) -> HttpResponse:
    """Add a pupil to the SEN register by hand."""
    school = request.membership.school
    form = forms.PupilForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_save(
                school=school, legal_hold=form.cleaned_data["legal_hold"], **form.service_data()
            )
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        else:
            messages.success(request, f"{pupil.full_name} added to the register.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render(request, "ehcp/pupil_form.html", {"form": form})


@access(SCHOOL_STAFF, conceal=True)
def pupil_edit(request: HttpRequest, pupil_id) -> HttpResponse:
    """Change a pupil's details on the register."""
    pupil = get_pupil_for(request, pupil_id)
    names = (
        "first_name",
        "last_name",
        "date_of_birth",
        "year_group",
        "upn",
        "sen_provision",
        "primary_need",
        "secondary_need",
        "legal_hold",
    )
    form = forms.PupilForm(
        request.POST or None, school=pupil.school, pupil=pupil, initial={n: getattr(pupil, n) for n in names}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_save(
                school=pupil.school,
                pupil=pupil,
                legal_hold=form.cleaned_data["legal_hold"],
                **form.service_data(),
            )
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        else:
            messages.success(request, f"{pupil.full_name}'s details saved.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return _render_logged(
        request, "ehcp/pupil_form.html", {"form": form}, pupil=pupil, what="Pupil details (edit)"
    )


@access(SCHOOL_STAFF, conceal=True)
def pupil_import(request: HttpRequest) -> HttpResponse:
    """Import pupils from a CSV file: every row, or none, with each problem's line and column."""
    form = forms.PupilImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.pupil_import(
                school=request.membership.school, content=form.cleaned_data["file"].read()
            )
        except services.ImportInvalid as exc:
            problems = exc.problems
            form.add_error("file", f"{exc}. Nothing was imported: correct the file and upload it again.")
        else:
            messages.success(request, f"Imported {result.created} new pupils and updated {result.updated}.")
            return redirect("ehcp:register")
    return render(
        request,
        "ehcp/pupil_import.html",
        {
            "form": form,
            "problems": problems,
            "required": services.IMPORT_REQUIRED,
            "optional": services.IMPORT_OPTIONAL,
        },
    )


@access(SCHOOL_STAFF, conceal=True)
def school_deadlines(request: HttpRequest) -> HttpResponse:
    """List every upcoming statutory deadline across the school's plans."""
    rows = selectors.school_upcoming_deadlines(request.membership.school)
    return render(request, "ehcp/school_deadlines.html", {"rows": rows})
