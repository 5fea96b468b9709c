"""Importing pupils from the school's MIS export: upload, match the columns, preview, confirm.

The preview names pupils already on the register (those the file updates, and those a row may duplicate),
so its action writes the access log for them.
"""

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ehcp import forms, mis, services
from ehcp.lookups import import_for, list_shown
from ehcp.models import PupilImport
from sendplan.policy import nothing_shown, performs

MAX_PROBLEMS_SHOWN = 200


@performs("pupil_import")
def pupil_import(request: HttpRequest) -> HttpResponse:
    """Upload the MIS export (CSV or Excel) to preview what it would add and change."""
    form = forms.PupilImportForm(request.POST or None, request.FILES or None)
    problems: list[services.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pupil_import = services.pupil_import_start(
                by=request.membership,
                school=request.membership.school,
                filename=upload.name,
                content=upload.content,
            )
        except services.ImportInvalid as exc:
            problems = exc.problems
            form.add_error("file", f"{exc}. Correct the file and upload it again")
        else:
            if services.missing_columns(pupil_import):
                return redirect("ehcp:pupil_import_columns", import_id=pupil_import.public_id)
            return redirect("ehcp:pupil_import_preview", import_id=pupil_import.public_id)
    return render(
        request,
        "ehcp/pupil_import.html",
        {"form": form, "problems": problems, "fields": mis.FIELDS, "required": mis.REQUIRED},
    )


@performs("pupil_import")
def pupil_import_template(request: HttpRequest) -> HttpResponse:
    """Download a CSV file with the columns the import reads, for schools whose MIS export needs a start."""
    out = io.StringIO()
    csv.writer(out).writerow(list(mis.FIELDS))
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sen-register-template.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _closed(request: HttpRequest, pupil_import: PupilImport) -> HttpResponse | None:
    if services.import_is_open(pupil_import):
        return None
    if pupil_import.status == PupilImport.Status.IMPORTED:
        messages.info(request, f"{pupil_import.filename} has already been imported.")
        return redirect("ehcp:register")
    messages.info(request, "That upload is no longer available: upload the file again.")
    return redirect("ehcp:pupil_import")


@performs("pupil_import")
def pupil_import_columns(request: HttpRequest, import_id) -> HttpResponse:
    """Say which column of the file holds each field; the match is remembered for the school's next file."""
    pupil_import = import_for(request.membership, import_id)
    if closed := _closed(request, pupil_import):
        return closed
    form = forms.ImportColumnsForm(
        request.POST or None, headings=pupil_import.headings, columns=pupil_import.columns
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_import_columns_set(
                pupil_import=pupil_import, by=request.membership, columns=form.columns()
            )
        except services.PupilInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        except services.ImportClosed as exc:
            messages.error(request, str(exc))
            return redirect("ehcp:pupil_import")
        else:
            return redirect("ehcp:pupil_import_preview", import_id=pupil_import.public_id)
    return render(
        request,
        "ehcp/pupil_import_columns.html",
        {"form": form, "pupil_import": pupil_import, "headings": pupil_import.headings},
    )


@performs("pupil_import_review")
def pupil_import_preview(request: HttpRequest, import_id) -> HttpResponse:
    """Show what the file would add and change, and the possible duplicates it leaves out; confirm it."""
    pupil_import = import_for(request.membership, import_id, action="pupil_import_review")
    if closed := _closed(request, pupil_import):
        return closed
    if services.missing_columns(pupil_import):
        return redirect("ehcp:pupil_import_columns", import_id=pupil_import.public_id)
    error = ""
    if request.method == "POST":
        form = forms.ImportConfirmForm(request.POST)
        try:
            if not form.is_valid():
                raise services.ImportChanged("Check the preview, then confirm the import.")
            done = services.pupil_import_confirm(
                pupil_import=pupil_import, by=request.membership, digest=form.cleaned_data["digest"]
            )
        except (services.ImportChanged, services.ImportInvalid) as exc:
            error = str(exc)
        except services.ImportClosed as exc:
            messages.error(request, str(exc))
            return redirect("ehcp:pupil_import")
        else:
            messages.success(request, _done_message(done))
            return redirect("ehcp:register")
    try:
        plan = services.pupil_import_plan(pupil_import)
    except services.ImportInvalid as exc:
        plan = services.ImportPlan(problems=exc.problems)
    if plan.pupils_shown:
        list_shown(request, plan.pupils_shown, what="Import preview")
    else:
        nothing_shown(request)
    return render(
        request,
        "ehcp/pupil_import_preview.html",
        {
            "pupil_import": pupil_import,
            "plan": plan,
            "problems": plan.problems[:MAX_PROBLEMS_SHOWN],
            "more_problems": max(0, len(plan.problems) - MAX_PROBLEMS_SHOWN),
            "error": error,
        },
    )


def _done_message(done: PupilImport) -> str:
    added = f"{done.added} pupil{'s' if done.added != 1 else ''} added"
    message = f"{done.filename} imported: {added} and {done.updated} updated."
    if done.skipped:
        message += f" {done.skipped} possible duplicate{'s were' if done.skipped != 1 else ' was'} left out."
    return message


@require_POST
@performs("pupil_import")
def pupil_import_discard(request: HttpRequest, import_id) -> HttpResponse:
    """Throw an upload away without importing anything."""
    pupil_import = import_for(request.membership, import_id)
    try:
        services.pupil_import_discard(pupil_import=pupil_import, by=request.membership)
    except services.ImportClosed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"{pupil_import.filename} was discarded. Nothing was imported.")
    return redirect("ehcp:pupil_import")
