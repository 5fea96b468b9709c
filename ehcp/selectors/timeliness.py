"""Reads for statutory deadlines: each plan's, the school's upcoming ones and the LA's 20-week figure."""

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from ehcp import deadlines
from ehcp.models import Plan
from sendplan.models import LocalAuthority, School

PLAN_DATES = [f.name for f in fields(deadlines.PlanDates)]

STATUS_TAGS = {
    "on_track": ("On track", "blue"),
    "due_soon": ("Due soon", "yellow"),
    "overdue": ("Overdue", "red"),
    "done": ("Done", "green"),
    "done_late": ("Done late", "orange"),
}


# --- deadlines -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    label: str
    due: date
    source: str
    status: str
    done_on: date | None = None

    @property
    def tag(self) -> tuple[str, str]:
        return STATUS_TAGS[self.status]

    @property
    def outstanding(self) -> bool:
        return self.status in {"on_track", "due_soon", "overdue"}


def plan_deadlines(plan: Plan, *, today: date | None = None) -> list[DeadlineRow]:
    """Return the statutory deadlines that apply to the plan now, earliest first, with their status."""
    dates = deadlines.PlanDates(**{name: getattr(plan, name) for name in PLAN_DATES})
    return [
        DeadlineRow(
            step.deadline.key,
            step.deadline.label,
            step.deadline.due,
            step.deadline.source,
            step.status,
            step.done_on,
        )
        for step in deadlines.plan_timeline(dates, today=today or timezone.localdate())
    ]


def next_deadline(plan: Plan, *, today: date | None = None) -> DeadlineRow | None:
    """Return the earliest deadline not yet met (overdue ones first), or None."""
    return next((row for row in plan_deadlines(plan, today=today) if row.outstanding), None)


def school_upcoming_deadlines(school: School, *, today: date | None = None) -> list[tuple[Plan, DeadlineRow]]:
    """Return every outstanding deadline across the school's plans, earliest first (one query)."""
    today = today or timezone.localdate()
    rows = []
    # A pupil who has left is no longer the school's to review; the LA still sees their plan.
    for plan in Plan.objects.filter(school=school, pupil__left_on__isnull=True).select_related("pupil"):
        rows += [(plan, row) for row in plan_deadlines(plan, today=today) if row.outstanding]
    return sorted(rows, key=lambda pair: (pair[1].due, pair[0].pupil.last_name))


def la_timeliness(local_authority: LocalAuthority) -> dict:
    """Return how many final plans the LA issued, and how many within 20 weeks of the request, in one query.

    The SQL form of deadlines.issued_within_time_limit; ``weeks`` is the time limit, for the page's words.
    """
    issued = Plan.objects.filter(school__local_authority=local_authority, final_issued_on__isnull=False)
    figures = issued.aggregate(
        issued=Count("pk"),
        on_time=Count("pk", filter=Q(final_issued_on__lte=F("requested_on") + deadlines.FINAL_PLAN_PERIOD)),
    )
    figures["share"] = round(100 * figures["on_time"] / figures["issued"]) if figures["issued"] else None
    figures["weeks"] = deadlines.FINAL_PLAN_WEEKS
    return figures
