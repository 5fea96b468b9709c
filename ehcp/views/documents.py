"""The EHC plan as a document (the whole-plan page, a PDF, a Word file) and a pupil's packs (the EHC needs
assessment request pack, the subject access pack), prepared in the background by the report pipeline.

Asking for a document and following its progress is its own action (``plan_document``,
``pupil_document``): the rows name the document, who asked and when, never the pupil, so polling them is
not a view of the pupil. Downloading the file is an export (``plan_export``, ``pupil_export``) and writes
the access log. LA staff see only the documents their LA asked for; the school sees every document about
its pupils (sendplan.models.Report).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ehcp import documents, forms, selectors
from ehcp.lookups import plan_for, pupil_for, render_shown
from ehcp.models import Plan, Pupil
from sendplan import reports
from sendplan.errors import DomainError
from sendplan.lookups import report_for
from sendplan.models import Report
from sendplan.policy import performs, shown
from sendplan.selectors import subject_reports

PLAN_KINDS = [Report.Kind.EHC_PLAN]
PUPIL_KINDS = [Report.Kind.ASSESSMENT_REQUEST, Report.Kind.SUBJECT_ACCESS]
SHOWN = 25  # the latest documents a page lists


# --- the whole plan ----------------------------------------------------------------------------------------


@performs("plan_view")
def plan_whole(request: HttpRequest, plan_id) -> HttpResponse:
    """Show the whole plan, sections A to K in order, ready to read or print."""
    plan = plan_for(request.membership, plan_id)
    versions = selectors.versions_visible(plan, request.membership).select_related(
        "plan__pupil", "plan__school__local_authority"
    )
    number = request.GET.get("version", "")
    version = versions.filter(number=number).first() if number.isdigit() else versions.first()
    if version is None:
        raise Http404
    context = {"plan": plan, "version": version, **documents.plan_layout(documents.plan_data(version))}
    return render_shown(
        request,
        "ehcp/plan_whole.html",
        context,
        pupil=plan.pupil,
        what=f"EHC plan, whole plan, version {version.number}",
    )


# --- documents of a plan -----------------------------------------------------------------------------------


def _plan_rows(request: HttpRequest, plan: Plan) -> list[reports.ReportRow]:
    found = subject_reports(
        request.membership, action="plan_document", subject_id=plan.public_id, kinds=PLAN_KINDS
    )[:SHOWN]
    return reports.report_rows(
        list(found),
        status=lambda r: reverse("ehcp:plan_document_status", args=[plan.public_id, r.public_id]),
        download=lambda r: reverse("ehcp:plan_document_download", args=[plan.public_id, r.public_id]),
        page=reverse("ehcp:plan_documents", args=[plan.public_id]),
    )


def _plan_document_form(request: HttpRequest, plan: Plan, data=None) -> forms.PlanDocumentForm:
    form = forms.PlanDocumentForm(data, versions=list(selectors.versions_visible(plan, request.membership)))
    form.helper.form_action = reverse("ehcp:plan_document_request", args=[plan.public_id])
    return form


@performs("plan_view")
def plan_documents(request: HttpRequest, plan_id) -> HttpResponse:
    """List the plan's documents asked for earlier, and ask for a PDF or Word file of it."""
    plan = plan_for(request.membership, plan_id)
    context = {
        "plan": plan,
        "form": _plan_document_form(request, plan),
        "rows": _plan_rows(request, plan),
        "shown": SHOWN,
        "is_school": request.membership.is_school,
    }
    return render_shown(
        request, "ehcp/plan_documents.html", context, pupil=plan.pupil, what="EHC plan documents"
    )


@require_POST
@performs("plan_document")
def plan_document_request(request: HttpRequest, plan_id) -> HttpResponse:
    """Ask for the plan as a PDF or Word file; a worker prepares it from the plan as it is now."""
    plan = plan_for(request.membership, plan_id, action="plan_document")
    form = _plan_document_form(request, plan, request.POST)
    if form.is_valid():
        try:
            report = reports.report_request(
                kind=Report.Kind.EHC_PLAN,
                subject=plan,
                by=request.membership,
                format=form.cleaned_data["format"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            reports.tell_queued(request, report, "The document")
            url = reverse("ehcp:plan_documents", args=[plan.public_id])
            return redirect(f"{url}#report-{report.public_id}")
    # Asking for a document shows no pupil data, so neither does its error page: the form and its errors.
    back = reverse("ehcp:plan_documents", args=[plan.public_id])
    return render(request, "ehcp/document_request.html", {"form": form, "back": back})


@performs("plan_document")
def plan_document_status(request: HttpRequest, plan_id, document_id) -> HttpResponse:
    """Return one document's row (htmx polls this until it is ready); it names no pupil."""
    plan = plan_for(request.membership, plan_id, action="plan_document")
    report = report_for(
        request.membership, document_id, kinds=PLAN_KINDS, action="plan_document", subject_id=plan.public_id
    )
    (row,) = reports.report_rows(
        [report],
        status=lambda r: request.path,
        download=lambda r: reverse("ehcp:plan_document_download", args=[plan.public_id, r.public_id]),
        page=reverse("ehcp:plan_documents", args=[plan.public_id]),
    )
    return render(request, "components/report_row.html", {"row": row})


@performs("plan_export")
def plan_document_download(request: HttpRequest, plan_id, document_id) -> HttpResponse:
    """Download a prepared plan document (an export: the access log records it)."""
    plan = plan_for(request.membership, plan_id, action="plan_export")
    report = report_for(
        request.membership, document_id, kinds=PLAN_KINDS, action="plan_export", subject_id=plan.public_id
    )
    if report.status != Report.Status.READY:
        raise Http404
    shown(request, plan.pupil, what=f"EHC plan document ({report.get_format_display()}): {report.summary}")
    return reports.report_file_response(report, name=f"EHC plan - {plan.pupil.full_name}")


# --- a pupil's packs ---------------------------------------------------------------------------------------


def _pupil_rows(request: HttpRequest, pupil: Pupil) -> list[reports.ReportRow]:
    found = subject_reports(
        request.membership, action="pupil_document", subject_id=pupil.public_id, kinds=PUPIL_KINDS
    )[:SHOWN]
    return reports.report_rows(
        list(found),
        status=lambda r: reverse("ehcp:pupil_document_status", args=[pupil.public_id, r.public_id]),
        download=lambda r: reverse("ehcp:pupil_document_download", args=[pupil.public_id, r.public_id]),
        page=reverse("ehcp:pupil_documents", args=[pupil.public_id]),
    )


def _pupil_document_form(pupil: Pupil, data=None) -> forms.PupilDocumentForm:
    form = forms.PupilDocumentForm(data)
    form.helper.form_action = reverse("ehcp:pupil_document_request", args=[pupil.public_id])
    return form


@performs("pupil_view")
def pupil_documents(request: HttpRequest, pupil_id) -> HttpResponse:
    """List the pupil's packs asked for earlier, and ask for a needs assessment request or subject access pack."""
    pupil = pupil_for(request.membership, pupil_id)
    context = {"form": _pupil_document_form(pupil), "rows": _pupil_rows(request, pupil), "shown": SHOWN}
    return render_shown(request, "ehcp/pupil_documents.html", context, pupil=pupil, what="Pupil documents")


@require_POST
@performs("pupil_document")
def pupil_document_request(request: HttpRequest, pupil_id) -> HttpResponse:
    """Ask for the pupil's needs assessment request pack or subject access pack, as a PDF."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_document")
    form = _pupil_document_form(pupil, request.POST)
    if form.is_valid():
        report = reports.report_request(kind=form.cleaned_data["kind"], subject=pupil, by=request.membership)
        reports.tell_queued(request, report, "The pack")
        url = reverse("ehcp:pupil_documents", args=[pupil.public_id])
        return redirect(f"{url}#report-{report.public_id}")
    back = reverse("ehcp:pupil_documents", args=[pupil.public_id])
    return render(request, "ehcp/document_request.html", {"form": form, "back": back})


@performs("pupil_document")
def pupil_document_status(request: HttpRequest, pupil_id, pack_id) -> HttpResponse:
    """Return one pack's row (htmx polls this until it is ready); it names no pupil."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_document")
    report = report_for(
        request.membership, pack_id, kinds=PUPIL_KINDS, action="pupil_document", subject_id=pupil.public_id
    )
    (row,) = reports.report_rows(
        [report],
        status=lambda r: request.path,
        download=lambda r: reverse("ehcp:pupil_document_download", args=[pupil.public_id, r.public_id]),
        page=reverse("ehcp:pupil_documents", args=[pupil.public_id]),
    )
    return render(request, "components/report_row.html", {"row": row})


@performs("pupil_export")
def pupil_document_download(request: HttpRequest, pupil_id, pack_id) -> HttpResponse:
    """Download a prepared pack (an export: the access log records it)."""
    pupil = pupil_for(request.membership, pupil_id, action="pupil_export")
    report = report_for(
        request.membership, pack_id, kinds=PUPIL_KINDS, action="pupil_export", subject_id=pupil.public_id
    )
    if report.status != Report.Status.READY:
        raise Http404
    shown(request, pupil, what=f"{report.get_kind_display()} (PDF)")
    return reports.report_file_response(report, name=f"{report.get_kind_display()} - {pupil.full_name}")
