"""The audit round: every school of an LA and where it stands with one framework version and year.

Reads only, each a fixed number of queries whatever the number of schools. A school's audit for the round
is its audit of that framework version and academic year (its latest, should it have two). Its level and
statutory duties come from the levels table (``audits.levels``) and count only while the audit is with
the LA or accepted (``Audit.LA_CONTENT``): a draft is never counted, and a returned audit is the school's
to change. A draft shows only how far it has got (the share of criteria rated).
"""

from dataclasses import dataclass

from django.db.models import Count, FilteredRelation, Max, Q
from django.utils import timezone

from audits.models import Audit, AuditLevel, RoundClosingDate, RoundReminder
from notifications.schedule import days_left
from sendplan.models import Membership, School
from sendplan.policy import restrict
from standards.models import FrameworkVersion

NOT_STARTED, IN_PROGRESS = "not_started", "in_progress"
SUBMITTED, RETURNED, ACCEPTED = Audit.Status.SUBMITTED.value, Audit.Status.RETURNED.value, "accepted"
STATUSES = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    SUBMITTED: "Submitted",
    RETURNED: "Returned for changes",
    ACCEPTED: "Accepted",
}
STATUS_COLOURS = {
    NOT_STARTED: "grey",
    IN_PROGRESS: "blue",
    SUBMITTED: "purple",
    RETURNED: "orange",
    ACCEPTED: "green",
}
NOT_SUBMITTED = (NOT_STARTED, IN_PROGRESS, RETURNED)  # the schools a reminder goes to
# The order a status sorts in: furthest from done first.
STATUS_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, RETURNED: 2, SUBMITTED: 3, ACCEPTED: 4}

SORTS = {
    "school": ("name",),
    "urn": ("urn",),
    "status": ("status_order",),
    "submitted": ("round_submitted_at",),
    "level": ("level_position",),
    "duties": ("round_duties_unmet",),
    "rated": ("round_percent_rated",),
}
SORT_LABELS = {
    "school": "School",
    "urn": "URN",
    "status": "Status",
    "submitted": "Date submitted",
    "level": "Overall level",
    "duties": "Statutory duties not met",
    "rated": "Criteria rated",
}


@dataclass(frozen=True)
class RoundQuery:
    """What the officer chose: the round (version and year) and how to narrow and order its schools."""

    version: FrameworkVersion
    year: str
    phase: str = ""
    school_type: str = ""
    status: str = ""
    search: str = ""
    sort: str = "school"
    descending: bool = False


def current_academic_year(today=None) -> str:
    """Return the academic year a date falls in ("2026/27" from 1 September 2026 to 31 August 2027)."""
    today = today or timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def round_versions(membership: Membership) -> list[FrameworkVersion]:
    """Return the framework versions the LA's schools may audit: published or retired, national or the LA's own."""
    return list(
        FrameworkVersion.objects.filter(status__in=FrameworkVersion.VISIBLE)
        .filter(
            Q(framework__local_authority__isnull=True)
            | Q(framework__local_authority_id=membership.local_authority_id)
        )
        .select_related("framework")
        .order_by("framework__title", "-published_on", "-pk")
    )


def round_years(membership: Membership) -> list[tuple[str, int | None]]:
    """Return (academic year, version id of its latest audit) for years with audits in the LA, newest first.

    The current academic year is always offered. One query.
    """
    rows = list(
        Audit.objects.filter(school__local_authority_id=membership.local_authority_id)
        .values("academic_year", "framework_version_id")
        .annotate(n=Count("pk"))
        .order_by("-academic_year", "-n")
    )
    years: dict[str, int | None] = {}
    for row in rows:
        years.setdefault(row["academic_year"], row["framework_version_id"])
    years.setdefault(current_academic_year(), None)
    return sorted(years.items(), reverse=True)


def round_schools(
    membership: Membership, query: RoundQuery, *, action: str = "audit_round_view"
) -> list[School]:
    """Return the LA's schools, narrowed by phase, type and search, each with its place in the round (three queries).

    Every school gets ``round_status`` (one of STATUSES), ``status_order``, ``round_audit_public_id``,
    ``round_submitted_at`` (only once handed to the LA), ``round_percent_rated`` (drafts only),
    ``round_reminded_at`` (the LA's latest reminder for this round, or None), and while counted (submitted
    or accepted) ``level_label``, ``level_position``, ``scale_size`` and ``round_duties_unmet`` (None
    otherwise). ``round_filtered`` applies the status filter and the order.

    Plain queries (the schools; the round's audits joined to their overall level; the latest reminders)
    merged here: a correlated subquery per school and field measured several times slower at 600 schools.
    """
    schools = restrict(School.objects.all(), membership, action)
    if query.phase:
        schools = schools.filter(phase=query.phase)
    if query.school_type:
        schools = schools.filter(school_type=query.school_type)
    search = query.search.strip()
    if search:
        schools = schools.filter(Q(name__icontains=search) | Q(urn__startswith=search))
    rows = list(schools)
    audits = (
        Audit.objects.filter(
            school__in=restrict(School.objects.all(), membership, action),
            framework_version=query.version,
            academic_year=query.year,
        )
        .annotate(overall=FilteredRelation("levels", condition=Q(levels__section__isnull=True)))
        .order_by("school_id", "-created_at", "-pk")
        .values(
            "school_id",
            "status",
            "public_id",
            "submitted_at",
            "overall__level_label",
            "overall__level_position",
            "overall__scale_size",
            "overall__percent_rated",
            "overall__duties_unmet",
        )
    )
    latest: dict[int, dict] = {}
    for audit in audits:
        latest.setdefault(audit["school_id"], audit)  # its latest audit, should it have two
    reminded = dict(
        restrict(RoundReminder.objects.all(), membership, action)
        .filter(framework_version=query.version, academic_year=query.year)
        .values("school_id")
        .annotate(last=Max("sent_at"))
        .values_list("school_id", "last")
    )
    for school in rows:
        _place(school, latest.get(school.pk))
        school.round_reminded_at = reminded.get(school.pk)
    return rows


def round_closing_date(
    membership: Membership, query: RoundQuery, *, action: str = "audit_round_view"
) -> RoundClosingDate | None:
    """Return the round's closing date, if the LA set one (one query)."""
    return (
        restrict(RoundClosingDate.objects.all(), membership, action)
        .filter(framework_version=query.version, academic_year=query.year)
        .first()
    )


def days_left_text(closes_on, today=None) -> str:
    """Return the closing date and how it stands today: "31 January 2027, in 62 days", "…, today"."""
    return f"{closes_on.day} {closes_on:%B %Y}, {days_left(closes_on, today or timezone.localdate())}"


def _place(school: School, audit: dict | None) -> None:
    """Set the school's place in the round from its audit's row (None: not started)."""
    status = audit["status"] if audit else None
    school.round_status = (
        NOT_STARTED if status is None else IN_PROGRESS if status == Audit.Status.DRAFT else status
    )
    school.status_order = STATUS_ORDER[school.round_status]
    school.round_audit_public_id = audit["public_id"] if audit else None
    school.round_submitted_at = audit["submitted_at"] if status in Audit.LA_VISIBLE else None
    school.round_percent_rated = (
        audit["overall__percent_rated"] or 0 if status == Audit.Status.DRAFT else None
    )
    counted = status in Audit.LA_CONTENT
    school.level_label = audit["overall__level_label"] if counted else None
    school.level_position = audit["overall__level_position"] if counted else None
    school.scale_size = audit["overall__scale_size"] if counted else None
    school.round_duties_unmet = audit["overall__duties_unmet"] if counted else None


def round_filtered(schools: list[School], query: RoundQuery) -> list[School]:
    """Return the schools with the status filter and the chosen order (empty values last; name breaks ties)."""
    if query.status in STATUSES:
        schools = [school for school in schools if school.round_status == query.status]
    field = SORTS.get(query.sort, SORTS["school"])[0]
    by_name = sorted(schools, key=lambda school: (school.name.casefold(), school.pk))
    if field == "name":
        return list(reversed(by_name)) if query.descending else by_name
    valued = [school for school in by_name if getattr(school, field) is not None]
    empty = [school for school in by_name if getattr(school, field) is None]
    # sorted() is stable, also in reverse: schools with the same value stay in name order.
    return sorted(valued, key=lambda school: getattr(school, field), reverse=query.descending) + empty


def round_coverage(schools: list[School]) -> dict[str, int]:
    """Return how many schools are at each status, with the total and those handed in.

    ``handed_in`` counts audits submitted and waiting, or accepted; a returned audit is back with the school.
    """
    figures = {"total": len(schools), **{status: 0 for status in STATUSES}}
    for school in schools:
        figures[school.round_status] += 1
    figures["handed_in"] = figures[SUBMITTED] + figures[ACCEPTED]
    figures["not_submitted"] = sum(figures[s] for s in NOT_SUBMITTED)
    return figures


def level_text(school: School) -> str:
    """Return the school's counted level by name, "No level yet", or "" while its audit is not counted."""
    if school.round_status not in (SUBMITTED, ACCEPTED):
        return ""
    if school.level_position is None:
        return "No level yet"
    return school.level_label


# --- the round as a spreadsheet, and the contacts of the schools that have not submitted ------------------

EXPORT_HEADINGS = [
    "School",
    "URN",
    "Phase",
    "Type",
    "Status",
    "Criteria rated (in progress)",
    "Date submitted",
    "Overall level",
    "Level in its scale",
    "Statutory duties not met",
    "Last reminded",
]
CONTACT_HEADINGS = ["School", "URN", "Status", "Role", "Name", "Email"]


def export_row(school: School) -> list:
    """Return one school's row of the round's spreadsheet: levels by name, never a bare number."""
    counted = school.round_status in (SUBMITTED, ACCEPTED)
    return [
        school.name,
        school.urn,
        school.get_phase_display(),
        school.get_school_type_display(),
        STATUSES[school.round_status],
        f"{school.round_percent_rated}%" if school.round_percent_rated is not None else "",
        timezone.localtime(school.round_submitted_at).date().isoformat() if school.round_submitted_at else "",
        level_text(school),
        f"{school.level_position} of {school.scale_size}" if counted and school.level_position else "",
        school.round_duties_unmet if counted and school.round_duties_unmet is not None else "",
        timezone.localtime(school.round_reminded_at).date().isoformat() if school.round_reminded_at else "",
    ]


def round_csv(schools: list[School]) -> str:
    """Return the round's schools as CSV (every cell made safe to open)."""
    import csv
    import io

    from sendplan.spreadsheets import safe_row

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADINGS)
    for school in schools:
        writer.writerow(safe_row(export_row(school)))
    return out.getvalue()


def round_xlsx(schools: list[School], *, title: str) -> bytes:
    """Return the round's schools as an Excel workbook, headed by the round's title."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from sendplan.spreadsheets import safe_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Audit round"
    sheet.append(safe_row([title]))
    sheet.append([])
    sheet.append(EXPORT_HEADINGS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for school in schools:
        sheet.append(safe_row(export_row(school)))
    sheet.freeze_panes = "A4"
    for column, width in zip("ABCDEFGHIJK", [40, 8, 16, 26, 20, 12, 14, 20, 12, 12, 14], strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def contact_rows(schools: list[School]) -> list[list]:
    """Return each school's SENCOs and headteachers, one row a person; a school with neither gets one row."""
    from notifications.selectors import school_staff

    staff = school_staff([school.pk for school in schools])
    rows = []
    for school in schools:
        people = staff.get(school.pk, [])
        for membership in people:
            rows.append(
                [
                    school.name,
                    school.urn,
                    STATUSES[school.round_status],
                    membership.get_role_display(),
                    membership.user.full_name,
                    membership.user.email,
                ]
            )
        if not people:
            rows.append(
                [school.name, school.urn, STATUSES[school.round_status], "", "No SENCO or headteacher", ""]
            )
    return rows


# --- one school's record, for its profile ------------------------------------------------------------------


def school_audits(membership: Membership, school: School) -> list[Audit]:
    """Return the school's audits the membership may see, newest year first, each with its overall level.

    Each audit gets ``level`` (an AuditLevel, or None) while counted (submitted or accepted) and
    ``section_levels`` (its sections' AuditLevels, in the framework's order). Two queries.
    """
    audits = list(
        restrict(Audit.objects.filter(school=school), membership, "audit_view")
        .select_related("framework_version__framework")
        .order_by("-academic_year", "-created_at")
    )
    counted = [audit.pk for audit in audits if audit.status in Audit.LA_CONTENT]
    levels: dict[int, list[AuditLevel]] = {pk: [] for pk in counted}
    for row in (
        AuditLevel.objects.filter(audit_id__in=counted)
        .select_related("section")
        .order_by("audit_id", "section__position")
    ):
        levels[row.audit_id].append(row)
    for audit in audits:
        rows = levels.get(audit.pk, [])
        audit.level = next((row for row in rows if row.section_id is None), None)
        audit.section_levels = [row for row in rows if row.section_id is not None]
    return audits


def school_la_record(membership: Membership, audits: list[Audit]) -> list[dict]:
    """Return the LA's comments and decisions on these audits, newest first (one query).

    Each item: ``at``, ``audit``, ``about`` (what it is about, in words), ``kind`` ("Comment", "Returned for changes" or "Accepted"), ``who``,
    ``criterion`` (a ref, or "") and ``text``. A decision's comment is one item, not two.
    """
    from audits.models import AuditEvent

    by_pk = {audit.pk: audit for audit in audits}
    items = []
    decisions = {AuditEvent.Kind.RETURNED: "Returned for changes", AuditEvent.Kind.ACCEPTED: "Accepted"}
    events = (
        AuditEvent.objects.filter(audit_id__in=list(by_pk), kind__in=[*decisions, AuditEvent.Kind.COMMENT])
        .select_related("actor", "criterion")
        .order_by("-at", "-pk")
    )
    for event in events:
        items.append(
            {
                "at": event.at,
                "audit": by_pk[event.audit_id],
                "about": f"{by_pk[event.audit_id].academic_year} audit",
                "kind": decisions.get(event.kind, "Comment"),
                "who": event.actor.full_name or event.actor.email if event.actor else "",
                "criterion": event.criterion.ref if event.criterion else "",
                "text": event.detail.get("comment", "") or event.detail.get("text", ""),
            }
        )
    return items
