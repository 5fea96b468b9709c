"""Reads for statutory deadlines: each plan's, the school's upcoming ones and the LA's 20-week figure."""

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from ehcp import deadlines
from ehcp.models import AnnualReview, Plan
from sendplan.models import LocalAuthority, School

PLAN_DATES = [f.name for f in fields(deadlines.PlanDates)]
# The steps an annual review under way is made of (its own page shows them).
REVIEW_STEPS = frozenset(
    {
        "review_notice",
        "review_advice",
        "review_meeting",
        "review_report",
        "la_decision",
        "review_concluded",
        "amendment_comments",
        "amended_plan",
    }
)
REVIEW_DATES = [f.name for f in fields(deadlines.ReviewDates) if f.name != "held"]

STATUS_TAGS = {
    "on_track": ("On track", "blue"),
    "due_soon": ("Due soon", "yellow"),
    "overdue": ("Overdue", "red"),
    "done": ("Done", "green"),
    "done_late": ("Done late", "orange"),
    "open": ("Open", "light-blue"),
    "closed": ("Closed", "grey"),
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
    note: str = ""
    review_id: str = ""  # the annual review whose step this is, to link to it

    @property
    def is_window(self) -> bool:
        return self.status in {"open", "closed"}

    @property
    def tag(self) -> tuple[str, str]:
        return STATUS_TAGS[self.status]

    @property
    def outstanding(self) -> bool:
        return self.status in {"on_track", "due_soon", "overdue", "open"}


def plan_dates(plan: Plan) -> deadlines.PlanDates:
    """Return the plan's recorded dates as the deadline arithmetic takes them."""
    return deadlines.PlanDates(**{name: getattr(plan, name) for name in PLAN_DATES})


def review_dates(review: AnnualReview) -> deadlines.ReviewDates:
    """Return an annual review's recorded dates as the deadline arithmetic takes them."""
    return deadlines.ReviewDates(
        held=review.is_held, **{name: getattr(review, name) for name in REVIEW_DATES}
    )


def latest_review(plan: Plan) -> AnnualReview | None:
    """Return the plan's latest annual review (from prefetched ``reviews`` when there are), or None."""
    reviews = list(plan.reviews.all())
    return max(reviews, key=lambda r: (r.created_at, r.pk)) if reviews else None


def plan_deadlines(plan: Plan, *, today: date | None = None) -> list[DeadlineRow]:
    """Return the statutory deadlines that apply to the plan now, earliest first, with their status."""
    review = latest_review(plan) if plan.final_issued_on else None
    under_way = review is not None and not review_dates(review).finished
    return [
        DeadlineRow(
            step.deadline.key,
            step.deadline.label,
            step.deadline.due,
            step.deadline.source,
            step.status,
            step.done_on,
            step.deadline.note,
            str(review.public_id) if under_way and step.deadline.key in REVIEW_STEPS else "",
        )
        for step in deadlines.plan_timeline(
            plan_dates(plan),
            today=today or timezone.localdate(),
            review=review_dates(review) if review else None,
        )
    ]


def next_deadline(plan: Plan, *, today: date | None = None) -> DeadlineRow | None:
    """Return the earliest deadline not yet met (overdue ones first), or None."""
    return next((row for row in plan_deadlines(plan, today=today) if row.outstanding), None)


def school_upcoming_deadlines(school: School, *, today: date | None = None) -> list[tuple[Plan, DeadlineRow]]:
    """Return every outstanding deadline across the school's plans, earliest first (one query)."""
    today = today or timezone.localdate()
    rows = []
    # A pupil who has left is no longer the school's to review; the LA still sees their plan.
    plans = Plan.objects.filter(school=school, pupil__left_on__isnull=True)
    for plan in plans.select_related("pupil").prefetch_related("reviews"):
        rows += [(plan, row) for row in plan_deadlines(plan, today=today) if row.outstanding]
    return sorted(rows, key=lambda pair: (pair[1].due, pair[0].pupil.last_name))


def issued_on_time() -> Q:
    """Return the SQL form of deadlines.issued_within_time_limit: final plan within 20 weeks of the request."""
    return Q(final_issued_on__lte=F("requested_on") + deadlines.FINAL_PLAN_PERIOD)


NO_EXCEPTION = Q(time_limit_exception="")  # no reason in Regs 10(4) recorded (Regs 13(3))


def la_timeliness(local_authority: LocalAuthority) -> dict:
    """Return the final plans the LA issued and how many within 20 weeks, with and without exceptions.

    The SQL form of deadlines.issued_within_time_limit, in one query. The national measure is reported
    both ways: all plans, and leaving out plans where an exception in Regs 10(4) applied (Regs 13(3)).
    ``weeks`` is the time limit, for the page's words.
    """
    issued = Plan.objects.filter(school__local_authority=local_authority, final_issued_on__isnull=False)
    on_time = issued_on_time()
    no_exception = NO_EXCEPTION
    figures = issued.aggregate(
        issued=Count("pk"),
        on_time=Count("pk", filter=on_time),
        issued_without_exceptions=Count("pk", filter=no_exception),
        on_time_without_exceptions=Count("pk", filter=on_time & no_exception),
    )
    figures["share"] = _share(figures["on_time"], figures["issued"])
    figures["share_without_exceptions"] = _share(
        figures["on_time_without_exceptions"], figures["issued_without_exceptions"]
    )
    figures["weeks"] = deadlines.FINAL_PLAN_WEEKS
    return figures


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
