"""The SEN register: the list, adding, editing and importing pupils, and the school's deadlines."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ehcp import forms, selectors, services
from ehcp.lookups import list_shown, pupil_for, render_shown
from sendplan.policy import performs

REGISTER_PAGE_SIZE = 50


# --- the register ----------------------------------------------------------------------------------------


@performs("register_view")
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
    list_shown(request, [row["pupil"] for row in rows], what="SEN register")
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


@performs("pupil_add")
def pupil_add(request: HttpRequest) -> HttpResponse:
    """Add a pupil to the SEN register by hand."""
    school = request.membership.school
    form = forms.PupilForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_save(
                by=request.membership,
                school=school,
                legal_hold=form.cleaned_data["legal_hold"],
                **form.service_data(),
            )
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        else:
            messages.success(request, f"{pupil.full_name} added to the register.")
            return redirect("ehcp:pupil_detail", pupil_id=pupil.public_id)
    return render(request, "ehcp/pupil_form.html", {"form": form})


@performs("pupil_edit")
def pupil_edit(request: HttpRequest, pupil_id) -> HttpResponse:
    """Change a pupil's details on the register."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_edit")
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
                by=request.membership,
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
    return render_shown(
        request, "ehcp/pupil_form.html", {"form": form}, pupil=pupil, what="Pupil details (edit)"
    )


@performs("pupil_add")
def pupil_import(request: HttpRequest) -> HttpResponse:
    """Import pupils from a CSV file: every row, or none, with each problem's line and column."""
    form = forms.PupilImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.pupil_import(
                by=request.membership,
                school=request.membership.school,
                content=form.cleaned_data["file"].read(),
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


@performs("register_view")
def school_deadlines(request: HttpRequest) -> HttpResponse:
    """List every upcoming statutory deadline across the school's plans."""
    rows = selectors.school_upcoming_deadlines(request.membership.school)
    list_shown(request, [plan.pupil for plan, _ in rows], what="The school's EHC plan deadlines")
    return render(request, "ehcp/school_deadlines.html", {"rows": rows})
