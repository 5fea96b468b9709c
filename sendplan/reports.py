"""The report pipeline: every document the service prepares in the background goes through here.

Asking for a document (``report_request``) checks the kind's policy action on what it is about (the
school, a plan, a pupil), gathers the data it will show into a snapshot stored on the ``Report`` row, and
queues the Celery task ``render_report`` once the transaction commits. The worker renders that snapshot
and nothing else, so a document shows the data as it was when it was asked for, whatever is edited while
it waits in the queue, and says so on its first page.

The task (sendplan/tasks.py) calls ``report_render``: it claims the row, checks that the membership that
asked may still take the kind's action on the subject, renders the snapshot (HTML to a tagged PDF in
sendplan/pdf.py, or an outline to Word in sendplan/word.py) and records the file, or a message a person
can act on. Running it twice is safe, and a row is tried at most ``MAX_ATTEMPTS`` times.

Each kind of document registers a ``DocumentKind`` with ``register_kind`` (apps register theirs when they
load: ehcp/documents.py). ``render_snapshot`` is the one way from a snapshot to a file: the task and the
``render_report`` command both use it.

tasks.py imports this module; this module names the task rather than importing it, so there is no
import cycle.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Model
from django.http import FileResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications import notify
from sendplan import policy
from sendplan.celery import app as celery_app
from sendplan.errors import DomainError
from sendplan.models import LocalAuthority, Membership, Report, Role, School, report_upload_to
from sendplan.word import Outline, Paragraph, docx_bytes

log = logging.getLogger(__name__)

RENDER_TASK = "sendplan.tasks.render_report"

# Errors that pass: the database or another service was briefly out of reach. The task retries these
# with backoff (sendplan/tasks.py); anything else is a fault, recorded on the row at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
# Claims of one row, counting retries and deliveries after a worker died: never more than this.
MAX_ATTEMPTS = 4

CONTENT_TYPES = {
    Report.Format.PDF: "application/pdf",
    Report.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Report.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnknownKind(DomainError):
    """No such kind of document."""


class FormatNotOffered(DomainError):
    """The kind of document does not come in that format."""


# --- kinds of document ---------------------------------------------------------------------------------


def _same(data: dict) -> dict:
    return data


@dataclass(frozen=True)
class DocumentKind:
    """What one kind of document shows, who may have it, and how it becomes a file.

    ``gather(subject, by=membership, **options)`` returns the data, JSON-serialisable, when the document
    is asked for; ``layout(data)`` turns it into the template's context (with at least a ``title``, and
    ``draft`` for a draft); ``template`` is the print layout for the PDF; ``outline(context, document)``,
    if given, builds the Word version from the same context, and ``workbook(context, document)`` an
    Excel workbook (bytes) of the same figures.

    A kind about a whole LA (``subject=LocalAuthority``) belongs to the LA, not to a school.
    """

    kind: str
    action: str  # the policy action for asking for it and following its progress
    gather: Callable[..., dict]
    template: str
    layout: Callable[[dict], dict] = _same
    # What it is about: School, or a model (or several) whose rows have ``school`` and ``public_id``.
    subject: type[Model] | tuple[type[Model], ...] = School
    outline: Callable[[dict, dict], Outline] | None = None
    summary: Callable[[dict], str] = lambda data: ""  # for lists and file names; never a pupil's name
    pupil: Callable[[Model], Model] | None = None  # the pupil whose data it shows, for the access log
    on_reports_page: bool = False  # listed on the school's reports page (never a kind about one pupil)
    page: Callable[[Report], str] | None = None  # where it is listed, if not the school's reports page
    workbook: Callable[[dict, dict], bytes] | None = None

    @property
    def formats(self) -> tuple[str, ...]:
        offered = [Report.Format.PDF]
        if self.outline:
            offered.append(Report.Format.DOCX)
        if self.workbook:
            offered.append(Report.Format.XLSX)
        return tuple(offered)

    @property
    def about_school(self) -> bool:
        return self.subject is School

    @property
    def about_la(self) -> bool:
        return self.subject is LocalAuthority

    @property
    def subject_models(self) -> tuple[type[Model], ...]:
        return self.subject if isinstance(self.subject, tuple) else (self.subject,)

    def find_subject(self, report: Report) -> Model | None:
        """Return the row the report is about, if it still exists (and belongs to the report's school)."""
        if self.about_school:
            return report.school
        if self.about_la:
            return report.local_authority
        for model in self.subject_models:
            row = model._default_manager.filter(
                public_id=report.subject_id, school_id=report.school_id
            ).first()
            if row is not None:
                return row
        return None


KINDS: dict[str, DocumentKind] = {}


def register_kind(spec: DocumentKind) -> DocumentKind:
    """Offer a kind of document (apps call this when they load)."""
    KINDS[spec.kind] = spec
    return spec


def kind_for(kind: str) -> DocumentKind:
    """Return the registered kind, or raise UnknownKind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(f"There is no document called {kind!r}.") from None


def school_report_kinds(membership: Membership | None = None) -> list[str]:
    """Return the kinds the school's reports page lists (those the membership may have, if one is given)."""
    return [
        kind
        for kind, spec in KINDS.items()
        if spec.on_reports_page and (membership is None or policy.allows(membership, spec.action))
    ]


def _school_overview(school: School, *, by: Membership | None) -> dict:
    roles = (Role.SENCO, Role.GOVERNOR)
    counts = {role: school.memberships.active().filter(role=role).count() for role in roles}
    return {
        "school": {
            "name": school.name,
            "urn": school.urn,
            "phase": school.get_phase_display(),
            "type": school.get_school_type_display(),
            "local_authority": f"{school.local_authority.name} ({school.local_authority.code})",
        },
        "counts": [[role.label, counts[role]] for role in roles],
    }


register_kind(
    DocumentKind(
        kind=Report.Kind.SCHOOL_OVERVIEW,
        action="report_request",
        gather=_school_overview,
        template="reports/school_overview.html",
        layout=lambda data: {**data, "title": f"School SEND overview – {data['school']['name']}"},
        on_reports_page=True,
    )
)


# --- asking for a document -----------------------------------------------------------------------------


def snapshot_take(spec: DocumentKind, subject: Model, *, by: Membership | None, **options) -> dict:
    """Gather what the document will show, exactly as the report row stores it (JSON).

    ``by`` is the membership asking (what they may see of the subject), or None for the operator.
    """
    data = spec.gather(subject, by=by, **options)
    snapshot = {
        "taken_at": timezone.localtime().isoformat(),
        "school": _owner(subject),  # whose document it is: the school, or the LA
        "summary": spec.summary(data),
        "data": data,
    }
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _owner(subject: Model) -> dict:
    if isinstance(subject, LocalAuthority):
        return {"name": subject.name, "la_code": subject.code}
    school = subject if isinstance(subject, School) else subject.school
    return {"name": school.name, "urn": school.urn}


def _owning_school(subject: Model) -> School | None:
    if isinstance(subject, LocalAuthority):
        return None
    return subject if isinstance(subject, School) else subject.school


@transaction.atomic
def report_request(
    *, kind: str, subject: Model, by: Membership, format: str = Report.Format.PDF, **options
) -> Report:
    """Take a snapshot of what the document shows and queue it for a worker once this transaction commits."""
    spec = kind_for(kind)
    if not isinstance(subject, spec.subject):
        raise UnknownKind(f"A {spec.kind} document is not about a {type(subject).__name__}.")
    policy.check(by, spec.action, subject)
    if format not in spec.formats:
        raise FormatNotOffered("Choose one of the formats offered.")
    report = Report.objects.create(
        school=_owning_school(subject),
        local_authority=subject if isinstance(subject, LocalAuthority) else None,
        kind=spec.kind,
        format=format,
        subject_id=None if isinstance(subject, School | LocalAuthority) else subject.public_id,
        snapshot=snapshot_take(spec, subject, by=by, **options),
        requested_by=by.user,
        requested_as=by,
        requested_by_la_id=by.local_authority_id,
        requester_description=f"{by.get_role_display()}, {by.organisation_name}"[:300],
    )
    transaction.on_commit(lambda: celery_app.tasks[RENDER_TASK].delay(report.pk))
    return report


# --- what a person reads when it went wrong --------------------------------------------------------------


def _reference(report: Report) -> str:
    return str(report.public_id)[:8]


def message_lost_access(report: Report) -> str:
    return (
        "Not prepared: the person who asked for it no longer has access to what it is about. "
        "If you still need it, ask for it again."
    )


def message_subject_gone(report: Report) -> str:
    return "Not prepared: what it is about was deleted after it was asked for."


def message_too_slow(report: Report) -> str:
    return (
        "Not prepared: it took too long. Ask for it again; if that fails too, contact support and quote "
        f"reference {_reference(report)}."
    )


def message_fault(report: Report) -> str:
    return (
        "Not prepared because of a fault in the service. Ask for it again; if that fails too, contact "
        f"support and quote reference {_reference(report)}."
    )


def message_unavailable(report: Report) -> str:
    return "Not prepared: the service could not reach its database. Ask for it again in a few minutes."


def message_too_many_attempts(report: Report) -> str:
    return (
        f"Not prepared after {MAX_ATTEMPTS} attempts. Ask for it again; if that fails too, contact "
        f"support and quote reference {_reference(report)}."
    )


# --- rendering -------------------------------------------------------------------------------------------


def as_at(snapshot: dict) -> str:
    """Say when the snapshot was taken, e.g. "14:02 on 3 December 2026"."""
    taken = timezone.localtime(datetime.fromisoformat(snapshot["taken_at"]))
    return f"{taken:%H:%M} on {taken.day} {taken:%B %Y}"


def render_snapshot(spec: DocumentKind, snapshot: dict, format: str) -> bytes:
    """Return the document's file (PDF or Word) made from its snapshot and nothing else."""
    context = spec.layout(snapshot["data"])
    taken = datetime.fromisoformat(snapshot["taken_at"])
    document = {
        "title": context["title"],
        "school": snapshot["school"]["name"],
        "taken_at": taken,
        "as_at": as_at(snapshot),
        "draft": bool(context.get("draft")),
    }
    statement = (
        f"This document shows the information held at {document['as_at']}, when it was asked for. "
        "Changes made since then are not in it."
    )
    document["statement"] = statement
    if format == Report.Format.XLSX:
        if spec.workbook is None:
            raise FormatNotOffered("This document is not offered in Excel.")
        return spec.workbook(context, document)
    if format == Report.Format.DOCX:
        if spec.outline is None:
            raise FormatNotOffered("This document is not offered in Word.")
        outline = spec.outline(context, document)
        outline.blocks.insert(0, Paragraph(statement))
        return docx_bytes(outline)
    from sendplan.pdf import html_to_pdf  # WeasyPrint loads Pango: only a process that renders needs it

    return html_to_pdf(render_to_string(spec.template, {**context, "document": document}))


def requester_problem(report: Report, spec: DocumentKind) -> str:
    """Return why the document may not be prepared now for whoever asked, or "" if it may."""
    membership = report.requested_as
    if membership is None or not membership.is_active or not membership.user.is_active:
        return message_lost_access(report)
    subject = spec.find_subject(report)
    if subject is None:
        return message_subject_gone(report)
    if not policy.allows(membership, spec.action, subject):  # the role, the row and its state, today
        return message_lost_access(report)
    return ""


def report_claim(*, report_id: int) -> Report | None:
    """Mark a queued (or interrupted) report as being rendered; return None if there is nothing to do."""
    with transaction.atomic():
        report = (
            # of=self: lock only the report row (PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join to requested_by, and the school row needs no lock)
            Report.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "school__local_authority", "local_authority", "requested_by", "requested_as__user"
            )
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.is_finished:
            return None  # done already (a duplicate delivery), or another worker holds it now
        if report.attempts >= MAX_ATTEMPTS:  # a delivery that keeps killing its worker stops here
            _finish(report, error=message_too_many_attempts(report))
            return None
        report.status = Report.Status.RENDERING
        report.attempts += 1
        report.started_at = timezone.now()
        report.save(update_fields=["status", "attempts", "started_at"])
    return report


def report_render(*, report_id: int) -> Report | None:
    """Render a report from its snapshot and record the outcome on its row. Safe to run twice.

    Transient errors (``TRANSIENT_ERRORS``) are raised for the task to retry; every other failure is
    recorded on the row as a message a person can act on.
    """
    report = report_claim(report_id=report_id)
    if report is None:
        return None
    spec = KINDS.get(report.kind)
    if spec is None or not report.snapshot.get("data"):
        return report_finish(report_id=report_id, error=message_fault(report))
    if problem := requester_problem(report, spec):  # access may have ended since the request
        return report_finish(report_id=report_id, error=problem)
    try:
        content = render_snapshot(spec, report.snapshot, report.format)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        log.warning("Report %s took too long", report_id)
        return report_finish(report_id=report_id, error=message_too_slow(report))
    except Exception:  # a failed render is recorded for the person, not lost in a log
        log.exception("Report %s failed", report_id)
        return report_finish(report_id=report_id, error=message_fault(report))
    return report_finish(report_id=report_id, content=content)


@transaction.atomic
def report_finish(*, report_id: int, content: bytes | None = None, error: str = "") -> Report:
    """Store the file (or the error) on the report, unless a duplicate run finished it first."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("school", "local_authority")
        .get(pk=report_id)
    )
    if report.is_finished:
        return report
    return _finish(report, content=content, error=error)


def _finish(report: Report, *, content: bytes | None = None, error: str = "") -> Report:
    if content is not None:
        name = report_upload_to(report, "")
        if report.file.storage.exists(name):  # left by a worker killed after writing: replace, never add
            report.file.storage.delete(name)
        report.file.save(f"report.{report.format}", ContentFile(content), save=False)
        report.status, report.error = Report.Status.READY, ""
    else:
        report.status, report.error = Report.Status.FAILED, error
    report.finished_at = timezone.now()
    report.save()
    if report.status == Report.Status.READY:
        notify.report_ready(report=report)
    return report


def report_give_up(*, report_id: int, timed_out: bool = False, unavailable: bool = False) -> Report | None:
    """Record that the task gave up on a report (out of retries, or out of time) with a message."""
    report = Report.objects.filter(pk=report_id).select_related("school", "local_authority").first()
    if report is None:
        return None
    if timed_out:
        error = message_too_slow(report)
    elif unavailable:
        error = message_unavailable(report)
    else:
        error = message_fault(report)
    return report_finish(report_id=report_id, error=error)


# --- showing reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """A report in a list, with where its row is polled from, where it downloads and the page it is on."""

    report: Report
    status_url: str
    download_url: str
    page_url: str


def report_rows(
    reports: list[Report], *, status: Callable[[Report], str], download: Callable[[Report], str], page: str
) -> list[ReportRow]:
    """Return the rows of a list of reports, each with its own status and download addresses."""
    return [ReportRow(r, status(r), download(r), page) for r in reports]


def report_page(report: Report) -> str:
    """Return the address of the page that lists the report (for links in notifications)."""
    spec = KINDS.get(report.kind)
    if spec is not None and spec.page is not None:
        return spec.page(report)
    return reverse("sendplan:report_list") + f"#report-{report.public_id}"


# --- handing the file over -------------------------------------------------------------------------------


def report_file_response(report: Report, *, name: str) -> FileResponse:
    """Return a ready report as an attachment named "<name> - <date>.<format>"."""
    filename = f"{name} - {report.created_at:%Y-%m-%d}.{report.format}".replace("/", "-")
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[report.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
