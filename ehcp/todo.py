"""What needs doing about EHC plans, for the home page's list (see notifications/todo.py).

The school's SENCO and headteacher see their pupils' names (they may open the plans; the home page logs
each pupil it names). The LA sees the plans handed to it by the pupil's initials and the school.
"""

from datetime import date

from django.urls import reverse

from ehcp import selectors
from ehcp.models import Plan, VersionStatus
from notifications.notify import pupil_initials
from notifications.todo import TodoItem, Urgency, task_provider
from sendplan.models import Membership
from sendplan.policy import restrict

URGENCY = {"overdue": Urgency.OVERDUE, "due_soon": Urgency.DUE_SOON}


# --- the school's SENCO and headteacher --------------------------------------------------------------------


@task_provider(action="plan_edit")
def plan_deadlines(membership: Membership, today: date) -> list[TodoItem]:
    """Statutory deadlines of the school's plans that are overdue or due within 14 days (one query)."""
    return [
        TodoItem(
            title=f"{row.label}: {plan.pupil.full_name}",
            link=reverse("ehcp:plan_timeline", args=[plan.public_id]),
            kind="plan_deadline",
            urgency=URGENCY[row.status],
            due=row.due,
            hint=f"Time limit: {row.source}",
            pupil=plan.pupil,
        )
        for plan, row in selectors.school_upcoming_deadlines(membership.school, today=today)
        if row.status in URGENCY
    ]


@task_provider(action="plan_edit")
def plans_returned(membership: Membership, today: date) -> list[TodoItem]:
    """The school's plans the LA returned, to change and submit again (one query)."""
    plans = (
        restrict(Plan.objects.all(), membership, "plan_edit")
        .filter(status=VersionStatus.RETURNED)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name")
    )
    return [
        TodoItem(
            title=f"Change the EHC plan for {plan.pupil.full_name} and submit it again",
            link=reverse("ehcp:plan_detail", args=[plan.public_id]),
            kind="plan_returned",
            hint="The local authority returned it with its reasons",
            pupil=plan.pupil,
        )
        for plan in plans
    ]


# --- the LA ------------------------------------------------------------------------------------------------


@task_provider(action="plan_decide")
def plans_waiting(membership: Membership, today: date) -> list[TodoItem]:
    """Plans schools submitted that wait for the LA to return them or mark them final (one query)."""
    plans = (
        restrict(Plan.objects.all(), membership, "plan_decide")
        .filter(status=VersionStatus.SUBMITTED)
        .select_related("pupil", "school")
        .order_by("created_at")
    )
    return [
        TodoItem(
            title=f"Decide on the EHC plan for {pupil_initials(plan.pupil)} at {plan.school.name}",
            link=reverse("ehcp:plan_detail", args=[plan.public_id]),
            kind="plan_waiting",
            hint="Return it to the school or mark it final",
        )
        for plan in plans
    ]


@task_provider(action="plan_decide")
def overdue_plan_steps(membership: Membership, today: date) -> list[TodoItem]:
    """Statutory steps now overdue on the plans handed to the LA (one query)."""
    items = []
    for plan in restrict(Plan.objects.all(), membership, "plan_view").select_related("pupil", "school"):
        for row in selectors.plan_deadlines(plan, today=today):
            if row.status == "overdue":
                items.append(
                    TodoItem(
                        title=f"{row.label}: EHC plan for {pupil_initials(plan.pupil)} at {plan.school.name}",
                        link=reverse("ehcp:plan_timeline", args=[plan.public_id]),
                        kind="plan_step_overdue",
                        urgency=Urgency.OVERDUE,
                        due=row.due,
                        hint=f"Time limit: {row.source}",
                    )
                )
    return items
