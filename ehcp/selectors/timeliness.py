"""Reads for statutory deadlines: each plan's, the school's upcoming ones and the LA's 20-week figure."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from ehcp import deadlines
from ehcp.models import Plan
from sendplan.models import LocalAuthority, School

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
    today = today or timezone.localdate()
    rows: list[DeadlineRow] = []
    done_by_key: dict[str, date | None] = {}
    implied_done: set[str] = set()
    if plan.final_issued_on is None:
        steps = deadlines.assessment_timeline(
            plan.requested_on, advice_requested=plan.advice_requested_on, draft_sent=plan.draft_sent_on
        )
        if plan.draft_sent_on is not None:
            # A draft plan went out, so the LA is issuing a plan: the "no plan" notice no longer applies.
            steps = [s for s in steps if s.key != "no_plan_notice"]
        done_by_key = {"decision": plan.decided_on, "final_plan": plan.final_issued_on}
        # Later steps show earlier ones happened, even when their own date was not recorded: advice is sought
        # only after deciding to assess, and a draft is sent only once the advice is in.
        if plan.advice_requested_on is not None or plan.draft_sent_on is not None:
            implied_done.add("decision")
        if plan.draft_sent_on is not None:
            implied_done.add("advice")
    else:
        steps = [
            deadlines.Deadline(
                "final_plan",
                "Issue the final EHC plan",
                deadlines.final_plan_due(plan.requested_on),
                f"{deadlines.REGS}, reg 13(2)",
            )
        ]
        done_by_key = {"final_plan": plan.final_issued_on}
        if plan.last_review_meeting_on is not None:
            steps += deadlines.annual_review_timeline(plan.last_review_meeting_on)
            # The notice and advice steps came before a meeting already held.
            steps = [s for s in steps if s.key not in {"review_notice", "review_advice"}]
        else:
            steps.append(
                deadlines.Deadline(
                    "next_review",
                    "Hold the first annual review",
                    deadlines.next_annual_review_due(plan.final_issued_on),
                    "Children and Families Act 2014, s44(1)",
                )
            )
    if plan.phase_transfer_on is not None:
        steps.append(
            deadlines.Deadline(
                "phase_transfer",
                "Amend the plan before the move to the next phase",
                deadlines.phase_transfer_deadline(
                    plan.phase_transfer_on, to_post16=plan.phase_transfer_to_post16
                ),
                f"{deadlines.REGS}, reg 18(1)",
            )
        )
    for step in sorted(steps, key=lambda s: s.due):
        done_on = done_by_key.get(step.key)
        if done_on is None and step.key in implied_done:
            status = "done"
        else:
            status = deadlines.deadline_status(step.due, today=today, done_on=done_on)
        rows.append(DeadlineRow(step.key, step.label, step.due, step.source, status, done_on))
    return rows


def next_deadline(plan: Plan, *, today: date | None = None) -> DeadlineRow | None:
    """Return the earliest deadline not yet met (overdue ones first), or None."""
    return next((row for row in plan_deadlines(plan, today=today) if row.outstanding), None)


def school_upcoming_deadlines(school: School, *, today: date | None = None) -> list[tuple[Plan, DeadlineRow]]:
    """Return every outstanding deadline across the school's plans, earliest first (one query)."""
    today = today or timezone.localdate()
    rows = []
    for plan in Plan.objects.filter(school=school).select_related("pupil"):
        rows += [(plan, row) for row in plan_deadlines(plan, today=today) if row.outstanding]
    return sorted(rows, key=lambda pair: (pair[1].due, pair[0].pupil.last_name))


TWENTY_WEEKS = timedelta(weeks=20)


def la_timeliness(local_authority: LocalAuthority) -> dict:
    """Return how many final plans the LA issued, and how many within 20 weeks of the request, in one query."""
    issued = Plan.objects.filter(school__local_authority=local_authority, final_issued_on__isnull=False)
    figures = issued.aggregate(
        issued=Count("pk"),
        on_time=Count("pk", filter=Q(final_issued_on__lte=F("requested_on") + TWENTY_WEEKS)),
    )
    figures["share"] = round(100 * figures["on_time"] / figures["issued"]) if figures["issued"] else None
    return figures
