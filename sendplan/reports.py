"""The report pipeline: every PDF the service produces goes through here.

A request creates a ``Report`` row and queues the Celery task ``render_report`` once the transaction
commits. The task (sendplan/tasks.py) calls ``report_render``: it claims the row, checks that whoever
asked may still see the school, renders the kind's template to HTML and the HTML to PDF with WeasyPrint,
and records the file or the error on the row. Running it twice is safe.

Each kind of report registers what it shows with ``@report_renderer(kind)``. The HTML becomes a PDF in
sendplan/pdf.py, where WeasyPrint reads only our own static files and ``data:`` URIs, never the network
or any other file, so nothing written into a report can make the worker fetch anything.

tasks.py imports this module; this module names the task rather than importing it, so there is no
import cycle.
"""

import logging
from collections.abc import Callable
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from notifications import notify
from sendplan import policy
from sendplan.celery import app as celery_app
from sendplan.models import LA_ROLES, SCHOOL_ROLES, Membership, Report, Role, School, report_upload_to

log = logging.getLogger(__name__)

RENDER_TASK = "sendplan.tasks.render_report"

# --- asking for a report -----------------------------------------------------------------------------------


@transaction.atomic
def report_request(*, school: School, kind: str, by: Membership, subject_id: UUID | None = None) -> Report:
    """Queue a report for rendering by a worker once this transaction commits."""
    policy.check(by, "report_request", school)
    report = Report.objects.create(school=school, kind=kind, subject_id=subject_id, requested_by=by.user)
    transaction.on_commit(lambda: celery_app.tasks[RENDER_TASK].delay(report.pk))
    return report


def requester_can_see(report: Report) -> bool:
    """Return True if whoever asked for the report still has an active role that can see its school."""
    user = report.requested_by
    if user is None or not user.is_active:
        return False
    can_see_school = Q(school=report.school, role__in=list(SCHOOL_ROLES)) | Q(
        local_authority_id=report.school.local_authority_id, role__in=list(LA_ROLES)
    )
    return Membership.objects.active().filter(user=user).filter(can_see_school).exists()


# --- what each kind of report shows ------------------------------------------------------------------------

Renderer = Callable[[Report], tuple[str, dict]]
REPORT_RENDERERS: dict[str, Renderer] = {}


def report_renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register the function that builds a report kind's template and context (apps add their own)."""

    def register(func: Renderer) -> Renderer:
        REPORT_RENDERERS[kind] = func
        return func

    return register


@report_renderer(Report.Kind.SCHOOL_OVERVIEW)
def school_overview_context(report: Report) -> tuple[str, dict]:
    """Return the school overview's template and context: the school and how many people have each role."""
    school = report.school
    counts = {
        role.label: school.memberships.active().filter(role=role).count()
        for role in (Role.SENCO, Role.GOVERNOR)
    }
    return "reports/school_overview.html", {"school": school, "counts": counts}


# --- rendering ---------------------------------------------------------------------------------------------


def report_claim(*, report_id: int) -> Report | None:
    """Mark a queued (or interrupted) report as being rendered; return None if there is nothing to do."""
    with transaction.atomic():
        report = (
            # of=self: lock only the report row (PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join to requested_by, and the school row needs no lock)
            Report.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("school__local_authority", "requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status == Report.Status.READY:
            return None  # done already (a duplicate delivery), or another worker holds it now
        report.status = Report.Status.RENDERING
        report.attempts += 1
        report.started_at = timezone.now()
        report.save(update_fields=["status", "attempts", "started_at"])
    return report


def report_render(*, report_id: int) -> Report | None:
    """Render a report to PDF and record the outcome on its row. Safe to run twice."""
    from sendplan.pdf import html_to_pdf  # WeasyPrint loads Pango: only the process that renders needs it

    report = report_claim(report_id=report_id)
    if report is None:
        return None
    if not requester_can_see(report):  # re-check the tenant: access may have ended since the request
        return report_finish(
            report_id=report_id, error="The person who asked for this report no longer has access."
        )
    try:
        template, context = REPORT_RENDERERS[report.kind](report)
        html = render_to_string(template, {**context, "report": report, "generated_at": timezone.now()})
        pdf = html_to_pdf(html)
    except Exception as exc:  # a failed render is recorded for the person, not lost in a log
        log.exception("Report %s failed", report_id)
        return report_finish(
            report_id=report_id, error=f"The report could not be prepared ({type(exc).__name__})."
        )
    return report_finish(report_id=report_id, pdf=pdf)


@transaction.atomic
def report_finish(*, report_id: int, pdf: bytes | None = None, error: str = "") -> Report:
    """Store the PDF (or the error) on the report, unless a duplicate run finished it first."""
    report = Report.objects.select_for_update(of=("self",)).select_related("school").get(pk=report_id)
    if report.status == Report.Status.READY:
        return report
    if pdf is not None:
        name = report_upload_to(report, "report.pdf")
        if report.file.storage.exists(name):  # left by a worker killed after writing: replace, never add
            report.file.storage.delete(name)
        report.file.save("report.pdf", ContentFile(pdf), save=False)
        report.status, report.error = Report.Status.READY, ""
    else:
        report.status, report.error = Report.Status.FAILED, error
    report.finished_at = timezone.now()
    report.save()
    if report.status == Report.Status.READY:
        notify.report_ready(report=report)
    return report
