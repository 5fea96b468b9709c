"""Writes for organisations, people, invitations, access events and reports."""

import hashlib
import logging
import secrets
from datetime import timedelta
from uuid import UUID

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from sendplan.history import erasure_allowed, history_models
from sendplan.models import (
    LA_ROLES,
    SCHOOL_ROLES,
    AccessEvent,
    Erasure,
    Invitation,
    LocalAuthority,
    Membership,
    Report,
    Role,
    School,
    User,
    report_upload_to,
)

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A request the rules do not allow; the message is shown to the person."""


class InvitationNotUsable(DomainError):
    pass


class UrnTaken(DomainError):
    pass


# Who may invite whom: a headteacher staffs their school; an LA admin staffs the LA and schools' leaders.
INVITABLE_ROLES = {
    Role.HEADTEACHER: {"school": {Role.SENCO, Role.HEADTEACHER, Role.GOVERNOR}},
    Role.LA_ADMIN: {"la": {Role.LA_OFFICER, Role.LA_ADMIN}, "school": {Role.HEADTEACHER, Role.SENCO}},
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def school_save(
    *,
    local_authority: LocalAuthority,
    name: str,
    urn: str,
    phase: str,
    school_type: str,
    establishment_number: str = "",
    school: School | None = None,
) -> School:
    """Create a school in the LA, or update one already in it. Raise UrnTaken if another school has the URN."""
    school = school or School(local_authority=local_authority)
    if school.local_authority_id != local_authority.pk:
        raise DomainError("That school is not in your local authority.")
    if School.objects.filter(urn=urn).exclude(pk=school.pk).exists():
        raise UrnTaken("A school with this URN is already registered")
    school.name, school.urn, school.phase = name, urn, phase
    school.school_type, school.establishment_number = school_type, establishment_number
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def invitation_create(
    *, by: Membership, email: str, role: str, school: School | None = None
) -> tuple[Invitation, str]:
    """Invite someone to the inviter's organisation (or, for an LA admin, one of its schools) and email the link.

    Return the invitation and the raw token (only its hash is stored).
    """
    allowed = INVITABLE_ROLES.get(by.role, {})
    if by.is_school:
        school = by.school
    if school is not None:
        if role not in allowed.get("school", set()):
            raise DomainError("You cannot invite someone to that role.")
        if by.is_la and school.local_authority_id != by.local_authority_id:
            raise DomainError("That school is not in your local authority.")
    elif role not in allowed.get("la", set()):
        raise DomainError("You cannot invite someone to that role.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        token_hash=hash_token(token),
        email=email.lower(),
        school=school,
        local_authority=None if school else by.local_authority,
        role=role,
        invited_by=by.user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = f"{settings.SITE_URL}/invitations/{token}/"
    body = render_to_string(
        "sendplan/email/invitation.txt", {"invitation": invitation, "link": link, "inviter": by.user}
    )
    transaction.on_commit(
        lambda: send_mail(
            f"You have been invited to {invitation.organisation_name} on sendplan",
            body,
            None,
            [invitation.email],
        )
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, usable or not."""
    return (
        Invitation.objects.select_related("school", "local_authority")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Use an invitation once: create the person if new, and give them the membership."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable():
        raise InvitationNotUsable("This invitation link has expired or has already been used.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationNotUsable("An account with this email address exists. Sign in to accept.")
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif user.email.lower() != invitation.email:
        raise InvitationNotUsable("This invitation is for a different email address.")
    Membership.objects.update_or_create(
        user=user,
        school=invitation.school,
        local_authority=invitation.local_authority,
        role=invitation.role,
        defaults={"is_active": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    email_address_record(user=user)  # the link reached them at this address: it is verified
    return user


@transaction.atomic
def email_address_record(*, user: User) -> None:
    """Make the person's sign-in address their only address known to allauth, primary and verified.

    People never manage addresses themselves: an invitation proves the address, and staff change it
    in the admin. An address allauth holds as unverified would block MFA enrolment, and an old address
    left behind would still sign in.
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )


@transaction.atomic
def membership_deactivate(*, membership: Membership, by: Membership) -> None:
    """End someone's role at the organisation; their next request no longer acts for it."""
    same_school = (
        membership.school_id and membership.school_id == by.school_id and by.role == Role.HEADTEACHER
    )
    same_la = by.role == Role.LA_ADMIN and (
        membership.local_authority_id == by.local_authority_id
        or (membership.school_id and membership.school.local_authority_id == by.local_authority_id)
    )
    if not (same_school or same_la):
        raise DomainError("You cannot remove that person.")
    if membership.pk == by.pk:
        raise DomainError("You cannot remove your own role.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])


@transaction.atomic
def erasure_record(*, kind: str, by: str, erased_ids: list[str], counts: dict[str, int]) -> Erasure:
    """Record what an erasure removed: ids and counts, never a name. The row can never change."""
    erasure = Erasure.objects.create(
        kind=kind, by=by, erased_ids=erased_ids, counts={k: v for k, v in sorted(counts.items()) if v}
    )
    log.info("Erasure %s (%s) by %s: %s", erasure.public_id, kind, by, erasure.counts)
    return erasure


@transaction.atomic
def user_erase(*, user: User, by: str) -> Erasure:
    """Delete a person's account. Their history stays, anonymised: what was done, in which role, by whom
    no longer (the database refuses any other way of deleting someone with history)."""
    erased_id = str(user.public_id)
    counts: dict[str, int] = {}
    with erasure_allowed():
        for model in history_models():
            counts[model._meta.label] = model.objects.filter(actor=user).update(actor=None)
        user.delete()
    return erasure_record(kind=Erasure.Kind.USER, by=by, erased_ids=[erased_id], counts=counts)


def access_event_record(
    *, membership: Membership, school: School, pupil_id: UUID, action: str, what: str
) -> AccessEvent:
    """Record that someone viewed or exported a pupil's record or plan."""
    return AccessEvent.objects.create(
        school=school,
        pupil_id=pupil_id,
        actor=membership.user,
        actor_role=membership.role,
        actor_organisation=membership.organisation_name,
        action=action,
        what=what[:200],
    )


@transaction.atomic
def report_request(*, school: School, kind: str, by: User, subject_id: UUID | None = None) -> Report:
    """Queue a report for rendering by a worker once this transaction commits."""
    from sendplan.tasks import render_report  # tasks import services; import here to avoid a cycle

    report = Report.objects.create(school=school, kind=kind, subject_id=subject_id, requested_by=by)
    transaction.on_commit(lambda: render_report.delay(report.pk))
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


REPORT_RENDERERS = {}


def report_renderer(kind: str):
    """Register the function that builds a report kind's template context (apps add their own)."""

    def register(func):
        REPORT_RENDERERS[kind] = func
        return func

    return register


@report_renderer(Report.Kind.SCHOOL_OVERVIEW)
def school_overview_context(report: Report) -> tuple[str, dict]:
    school = report.school
    counts = {
        role.label: school.memberships.active().filter(role=role).count()
        for role in (Role.SENCO, Role.GOVERNOR)
    }
    return "reports/school_overview.html", {"school": school, "counts": counts}


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
    from weasyprint import HTML

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
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
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
    return report
