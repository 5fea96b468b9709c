"""Writes for organisations, people, invitations and access events (reports: sendplan/reports.py)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications import notify
from sendplan import policy
from sendplan.errors import DomainError
from sendplan.history import erasure_allowed, history_models
from sendplan.models import (
    AccessEvent,
    Erasure,
    Invitation,
    LocalAuthority,
    Membership,
    Role,
    School,
    SecurityEvent,
    User,
)

log = logging.getLogger(__name__)


class InvitationNotUsable(DomainError):
    pass


class UrnTaken(DomainError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def school_save(
    *,
    by: Membership,
    local_authority: LocalAuthority,
    name: str,
    urn: str,
    phase: str,
    school_type: str,
    establishment_number: str = "",
    school: School | None = None,
) -> School:
    """Create a school in the LA, or update one already in it. Raise UrnTaken if another school has the URN."""
    if school is None:
        policy.check(by, "school_add")
    else:
        policy.check(by, "school_edit", school)
    school = school or School(local_authority=local_authority)
    if school.local_authority_id != local_authority.pk or by.local_authority_id != local_authority.pk:
        raise policy.NotAllowed("That school is not in your local authority.")
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
    policy.check(by, "person_invite")
    if school is not None:
        policy.check(by, "person_invite", school)
    allowed = policy.INVITES.get(by.role, {})
    if by.is_school:
        school = by.school
    if school is not None:
        if role not in allowed.get("school", set()):
            raise policy.NotAllowed("You cannot invite someone to that role.")
        if by.is_la:
            _la_may_staff(by, school, email)
    elif role not in allowed.get("la", set()):
        raise policy.NotAllowed("You cannot invite someone to that role.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        token_hash=hash_token(token),
        email=email.lower(),
        school=school,
        local_authority=None if school else by.local_authority,
        role=role,
        invited_by=by.user,
        invited_by_role=by.role,
        invited_by_local_authority_id=by.local_authority_id,
        invited_by_description=f"{by.user.get_full_name()} ({by.get_role_display()}, {by.organisation_name})",
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = f"{settings.SITE_URL}/invitations/{token}/"
    notify.invitation_sent(invitation=invitation, link=link, inviter=by.user)
    return invitation, token


def _la_may_staff(by: Membership, school: School, email: str) -> None:
    """Refuse an LA's school invitation that would give LA staff pupil data, or bypass the school's head.

    Pupil records are for the school's own SENCO and headteacher. An LA admin may start a school off (its
    first headteacher or SENCO) but may not give a school role to anyone who holds a role at the LA itself
    (themself included), and once the school has a headteacher, the school staffs itself.
    """
    if school.local_authority_id != by.local_authority_id:
        raise policy.NotAllowed("That school is not in your local authority.")
    if _holds_la_role(email, by.local_authority_id):
        raise policy.NotAllowed(
            "That person works for the local authority. LA staff cannot be given a school role by the LA."
        )
    if Membership.objects.active().filter(school=school, role=Role.HEADTEACHER).exists():
        raise policy.NotAllowed(
            f"{school.name} has a headteacher, who invites the school's staff. Ask them to send the invitation."
        )


def _holds_la_role(email: str, local_authority_id: int) -> bool:
    return (
        Membership.objects.active()
        .filter(user__email__iexact=email, local_authority_id=local_authority_id)
        .exists()
    )


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
    if invitation.invited_by_local_authority_id and _holds_la_role(
        user.email, invitation.invited_by_local_authority_id
    ):  # checked again here: the address may have joined the LA since the invitation was sent
        raise InvitationNotUsable("LA staff cannot be given a school role by the LA. Ask the school.")
    Membership.objects.update_or_create(
        user=user,
        school=invitation.school,
        local_authority=invitation.local_authority,
        role=invitation.role,
        defaults={
            "is_active": True,
            "granted_by": invitation.invited_by,
            "granted_by_description": invitation.invited_by_description,
            "created_at": timezone.now(),
        },
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
    if not policy.allows(by, "membership_remove", membership):
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


def access_events_record(*, membership: Membership, shown: list, action: str) -> list[AccessEvent]:
    """Record that someone viewed or exported pupils' data: one event per (pupil, what) shown, one query."""
    return AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                school_id=pupil.school_id,
                pupil_id=pupil.public_id,
                actor=membership.user,
                actor_role=membership.role,
                actor_organisation=membership.organisation_name,
                actor_origin=membership.origin[:400],
                action=action,
                what=what[:200],
            )
            for pupil, what in shown
        ]
    )


def access_event_record_by_operator(*, pupil, what: str) -> AccessEvent:
    """Record that the service's operator exported a pupil's data outside the web (a management command)."""
    return AccessEvent.objects.create(
        school_id=pupil.school_id,
        pupil_id=pupil.public_id,
        actor=None,
        actor_role="",
        actor_organisation="The service's operator, on the command line",
        action=AccessEvent.Action.EXPORT,
        what=what[:200],
    )


def security_event_record(*, membership: Membership, action: str, path: str, reason: str) -> SecurityEvent:
    """Record that a member was refused pupil data they asked for (a concealed 404)."""
    return SecurityEvent.objects.create(
        actor=membership.user,
        actor_role=membership.role,
        actor_organisation=membership.organisation_name,
        action=action,
        path=path[:500],
        reason=reason,
    )
