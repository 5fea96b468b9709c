"""Reads of many rows for organisations, people and reports."""

from django.db.models import Count, Q, QuerySet

from sendplan.models import Invitation, LocalAuthority, Membership, Report, School
from sendplan.policy import restrict


def la_schools(local_authority: LocalAuthority) -> QuerySet[School]:
    """Return the LA's schools with the number of active members of each, in one query."""
    return (
        School.objects.filter(local_authority=local_authority)
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def organisation_people(membership: Membership) -> QuerySet[Membership]:
    """Return the active memberships a headteacher (their school) or LA admin (the LA and its schools) manages."""
    qs = Membership.objects.active().select_related("user", "school", "local_authority")
    if membership.is_school:
        return qs.filter(school_id=membership.school_id).order_by("role", "user__email")
    return qs.filter(
        Q(local_authority_id=membership.local_authority_id)
        | Q(school__local_authority_id=membership.local_authority_id)
    ).order_by("school__name", "role", "user__email")


def pending_invitations(membership: Membership) -> QuerySet[Invitation]:
    """Return invitations not yet used that this person's organisation sent."""
    qs = Invitation.objects.filter(accepted_at__isnull=True).select_related("school", "local_authority")
    if membership.is_school:
        return qs.filter(school_id=membership.school_id)
    return qs.filter(
        Q(local_authority_id=membership.local_authority_id)
        | Q(school__local_authority_id=membership.local_authority_id)
    )


def school_reports(membership: Membership, *, kinds: list[str]) -> QuerySet[Report]:
    """Return the school's reports of these kinds that the membership may see, latest first."""
    reports = Report.objects.filter(kind__in=kinds)
    return restrict(reports, membership, "report_view").select_related("requested_by").order_by("-created_at")


def la_reports(membership: Membership, *, kinds: list[str]) -> QuerySet[Report]:
    """Return the LA's own reports of these kinds (documents about the whole LA), latest first."""
    reports = Report.objects.filter(kind__in=kinds)
    return (
        restrict(reports, membership, "la_report_view")
        .select_related("requested_by", "local_authority")
        .order_by("-created_at")
    )


def subject_reports(membership: Membership, *, action: str, subject_id, kinds: list[str]) -> QuerySet[Report]:
    """Return the reports about one plan or pupil that the membership may see under the action, latest first."""
    reports = Report.objects.filter(kind__in=kinds, subject_id=subject_id)
    return restrict(reports, membership, action).select_related("requested_by").order_by("-created_at")


def plan_la_record(plans: list) -> list[dict]:
    """Return what LA staff said and decided about these plans (already scoped by the policy), newest first.

    Items as ``audits.rounds.school_la_record`` gives them, ``about`` naming the plan's pupil. One query.
    """
    from ehcp.models import PlanEvent

    by_pk = {plan.pk: plan for plan in plans}
    decisions = {
        PlanEvent.Action.RETURNED: "Plan returned to the school",
        PlanEvent.Action.COMMENTED: "Comment on a plan",
        PlanEvent.Action.FINALISED: "Plan marked final",
        PlanEvent.Action.REVIEW_DECIDED: "Decision after an annual review",
    }
    events = (
        PlanEvent.objects.filter(
            plan_id__in=list(by_pk), action__in=list(decisions), actor_role__in=["la_officer", "la_admin"]
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    return [
        {
            "at": event.at,
            "about": f"EHC plan: {by_pk[event.plan_id].pupil.first_name} {by_pk[event.plan_id].pupil.last_name}",
            "kind": decisions[event.action],
            "who": (event.actor.full_name or event.actor.email) if event.actor else "",
            "criterion": "",
            "text": event.note,
        }
        for event in events
    ]
