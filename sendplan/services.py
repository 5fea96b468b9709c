"""Writes for organisations, people, invitations and access events (reports: sendplan/reports.py)."""

import hashlib
import secrets
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from sendplan.models import (
    AccessEvent,
    Invitation,
    LocalAuthority,
    Membership,
    Role,
    School,
    User,
)


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
    return user


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
