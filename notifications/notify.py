"""Events people are told about. Services call these explicitly, one line each, after the state change
and inside their transaction: if the change rolls back, nobody is told; once it commits, email is queued.

Who is told: a submitted audit or plan goes to the LA's officers; a return, an acceptance or a final plan
to the school's SENCO and headteacher; a ready report to whoever asked for it; an invitation to the
address invited. Every title and body names a pupil by initials at most, because it is emailed, and
carries no free text (comments, reasons) that could hold a name: the link leads to the detail, behind
sign-in and the permission policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.urls import reverse

from notifications import selectors, services
from notifications.models import Notification

if TYPE_CHECKING:
    from audits.models import Audit
    from ehcp.models import Plan, PlanVersion, Pupil
    from sendplan.models import Invitation, LocalAuthority, Report, School, User
    from standards.models import FrameworkVersion


def pupil_initials(pupil: Pupil) -> str:
    """Return a pupil's initials ("J. S."): the most of a pupil that any email or notification names."""
    return " ".join(
        f"{name.strip()[:1].upper()}." for name in (pupil.first_name, pupil.last_name) if name.strip()
    )


# --- audits -----------------------------------------------------------------------------------------------


def audit_submitted(*, audit: Audit) -> None:
    """Tell the LA's officers that a school submitted its audit for them to decide on."""
    school = audit.school
    services.notification_send(
        kind=Notification.Kind.AUDIT_SUBMITTED,
        recipients=selectors.la_officers([school.local_authority_id]).get(school.local_authority_id, []),
        title=f"{school.name} submitted its {audit.academic_year} audit",
        body=(
            f"{school.name} submitted its audit of {audit.framework_version} for {audit.academic_year}. "
            "Read it, then accept it or return it for changes."
        ),
        link=reverse("audits:audit_detail", args=[audit.public_id]),
    )


def audit_returned(*, audit: Audit) -> None:
    """Tell the school's SENCO and headteacher that the LA returned their audit for changes."""
    _to_school_staff(
        audit.school_id,
        kind=Notification.Kind.AUDIT_RETURNED,
        title=f"The local authority returned your {audit.academic_year} audit for changes",
        body="Read the local authority's comments, make the changes, then submit the audit again.",
        link=reverse("audits:audit_detail", args=[audit.public_id]),
    )


def audit_accepted(*, audit: Audit) -> None:
    """Tell the school's SENCO and headteacher that the LA accepted their audit."""
    _to_school_staff(
        audit.school_id,
        kind=Notification.Kind.AUDIT_ACCEPTED,
        title=f"The local authority accepted your {audit.academic_year} audit",
        body="It is now the school's record for the year and can no longer be changed.",
        link=reverse("audits:audit_summary", args=[audit.public_id]),
    )


def audit_round_reminders(
    *,
    schools: Sequence[School],
    framework_version: FrameworkVersion,
    academic_year: str,
    local_authority: LocalAuthority,
    closes_on: date | None = None,
) -> dict[int, int]:
    """Remind each school's SENCO and headteacher that the LA is waiting for their audit (by a closing date).

    Return how many people were told at each school, by school id (0 where the school has neither).
    """
    staff = selectors.school_staff([school.pk for school in schools])
    by_when = f" by {closes_on.day} {closes_on:%B %Y}" if closes_on else ""
    told = {}
    for school in schools:
        sent = services.notification_send(
            kind=Notification.Kind.AUDIT_REMINDER,
            recipients=staff.get(school.pk, []),
            title=f"Reminder: submit your {academic_year} audit of {framework_version}{by_when}",
            body=(
                f"{local_authority.name} is waiting for {school.name}'s audit of {framework_version} "
                f"for {academic_year}. Start or finish it, then submit it to the local authority{by_when}."
            ),
            link=reverse("audits:audit_list"),
        )
        told[school.pk] = len(sent)
    return told


# --- EHC plans -------------------------------------------------------------------------------------------


def plan_submitted(*, plan: Plan, version: PlanVersion) -> None:
    """Tell the LA's officers that a school submitted an EHC plan (the pupil by initials only)."""
    school = plan.school
    services.notification_send(
        kind=Notification.Kind.PLAN_SUBMITTED,
        recipients=selectors.la_officers([school.local_authority_id]).get(school.local_authority_id, []),
        title=f"{school.name} submitted the EHC plan for {pupil_initials(plan.pupil)}",
        body=f"Version {version.number} is waiting for you. Read it, then return it or mark it final.",
        link=reverse("ehcp:plan_detail", args=[plan.public_id]),
    )


def plan_returned(*, plan: Plan, version: PlanVersion) -> None:
    """Tell the school's SENCO and headteacher that the LA returned an EHC plan."""
    _to_school_staff(
        plan.school_id,
        kind=Notification.Kind.PLAN_RETURNED,
        title=f"The local authority returned the EHC plan for {pupil_initials(plan.pupil)}",
        body=f"Version {version.number} came back with the local authority's reasons. A new draft is ready.",
        link=reverse("ehcp:plan_detail", args=[plan.public_id]),
    )


def plan_finalised(*, plan: Plan, version: PlanVersion) -> None:
    """Tell the school's SENCO and headteacher that the LA made an EHC plan final."""
    _to_school_staff(
        plan.school_id,
        kind=Notification.Kind.PLAN_FINAL,
        title=f"The EHC plan for {pupil_initials(plan.pupil)} is final",
        body=f"The local authority marked version {version.number} final. Later changes are proposed amendments.",
        link=reverse("ehcp:plan_detail", args=[plan.public_id]),
    )


# --- reports and invitations -----------------------------------------------------------------------------


def report_ready(*, report: Report) -> None:
    """Tell whoever asked for a report that it is ready, if they still hold the role they asked in."""
    from sendplan.reports import report_page  # the pipeline imports this module

    services.notification_send(
        kind=Notification.Kind.REPORT_READY,
        recipients=selectors.report_requester(report),
        title=f"Your report is ready: {report.label}",
        body=f"The {report.label} for {report.owner_name} you asked for is ready to download.",
        link=report_page(report),
    )


def invitation_sent(*, invitation: Invitation, link: str, inviter: User) -> None:
    """Email an invitation's single-use link (it is not yet anyone's notification: they have no account)."""
    services.email_queue(
        to=invitation.email,
        subject=f"You have been invited to {invitation.organisation_name} on sendplan",
        body=render_to_string(
            "sendplan/email/invitation.txt", {"invitation": invitation, "link": link, "inviter": inviter}
        ),
        clear_body_when_sent=True,
    )


def _to_school_staff(school_id: int, *, kind: str, title: str, body: str, link: str) -> None:
    services.notification_send(
        kind=kind,
        recipients=selectors.school_staff([school_id]).get(school_id, []),
        title=title,
        body=body,
        link=link,
    )
