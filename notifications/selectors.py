"""Reads for notifications: who is told of each event, a person's own notifications and unread count."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notifications.models import Notification, Preference
from sendplan.models import Membership, Report, Role
from sendplan.policy import restrict

# Who hears of a school's audits and plans: the people who act on them. Governors are told nothing about
# plans (pupil data), and only of reports they asked for.
SCHOOL_STAFF_ROLES = [Role.SENCO.value, Role.HEADTEACHER.value]
LA_CASEWORK_ROLES = [Role.LA_OFFICER.value]  # the LA's officers, who decide on audits and plans


def school_staff(school_ids: Iterable[int]) -> dict[int, list[Membership]]:
    """Return each school's active SENCOs and headteachers, by school id (one query)."""
    found: dict[int, list[Membership]] = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(school_id__in=set(school_ids), role__in=SCHOOL_STAFF_ROLES)
        .select_related("user", "school")
        .order_by("pk")
    ):
        found[membership.school_id].append(membership)
    return found


def la_officers(local_authority_ids: Iterable[int]) -> dict[int, list[Membership]]:
    """Return each LA's active officers, by LA id (one query)."""
    found: dict[int, list[Membership]] = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(local_authority_id__in=set(local_authority_ids), role__in=LA_CASEWORK_ROLES)
        .select_related("user", "local_authority")
        .order_by("pk")
    ):
        found[membership.local_authority_id].append(membership)
    return found


def report_requester(report: Report) -> list[Membership]:
    """Return the role whoever asked for the report asked in, if they still hold it (none if they left)."""
    if report.requested_as_id is None:
        return []
    membership = (
        Membership.objects.active()
        .filter(pk=report.requested_as_id)
        .select_related("user", "school", "local_authority")
        .first()
    )
    return [membership] if membership else []


def email_preferences(user_ids: Iterable[int]) -> dict[int, str]:
    """Return how each person wants to be emailed; people who never chose are emailed straight away."""
    chosen = dict(Preference.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "email"))
    return {user_id: chosen.get(user_id, Preference.Email.IMMEDIATE) for user_id in set(user_ids)}


def preference_of(membership: Membership) -> str:
    """Return how this person wants to be emailed."""
    return email_preferences([membership.user_id])[membership.user_id]


def own_notifications(membership: Membership) -> QuerySet[Notification]:
    """Return the person's own notifications, newest first, whichever organisation they were sent for."""
    return (
        restrict(Notification.objects.all(), membership, "notification_view")
        .select_related("membership")
        .order_by("-created_at", "-pk")
    )


def unread_count(user_ref: str = "user_id") -> Coalesce:
    """Return, in SQL, how many unread notifications the user at ``user_ref`` has (for an annotation)."""
    unread = (
        Notification.objects.filter(user_id=OuterRef(user_ref), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
