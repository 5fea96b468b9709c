"""Reads for the LA's EHC plan pipeline: plans at each stage, the 20-week figure by month, overdue steps and
primary needs, over the plans schools have handed to the LA.

Each figure is one grouped query in PostgreSQL (``pipeline_figures`` makes four, whatever the number of
schools or plans). No summary table: these are counts over the plan table alone, which the services keep
current already; a second copy kept in step by every service that records a date would be one more thing
to drift. Overdue steps are found in SQL too (``_overdue_rules``: the time limits of ehcp.deadlines, checked
in the tests against plan_timeline), so a page never works out every plan's timeline in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ehcp import deadlines
from ehcp.census import NEED_CODES
from ehcp.models import Plan
from ehcp.selectors.timeliness import NO_EXCEPTION, PLAN_DATES, issued_on_time, plan_dates
from sendplan.models import Membership
from sendplan.policy import restrict

# The stages of an EHC needs assessment in the order the process reaches them, each with the date that
# shows a plan has reached it. A plan is at the furthest stage whose date is recorded: a later date shows
# the earlier steps happened even when their own date was not recorded (as plan_timeline reads them).
STAGES: list[tuple[str, str, str]] = [
    ("request", "Waiting for the decision to assess", "requested_on"),
    ("decision", "Decided to assess", "decided_on"),
    ("advice", "Advice requested", "advice_requested_on"),
    ("draft", "Draft plan sent to the family", "draft_sent_on"),
    ("final", "Final plan issued", "final_issued_on"),
]
STAGE_LABELS = {key: label for key, label, _ in STAGES}
MONTHS_SHOWN = 12  # the 20-week figure by month: this month and the 11 before it
NOT_RECORDED = "Not recorded"
MONTH_FIGURES = ("issued", "on_time", "issued_without_exceptions", "on_time_without_exceptions")


def plan_stage(plan: Plan) -> str:
    """Return the key of the furthest stage the plan has reached."""
    return next(key for key, _, field in reversed(STAGES) if field == "requested_on" or getattr(plan, field))


def stage_expression() -> Case:
    """Return the SQL form of plan_stage, for grouping and filtering plans by stage."""
    whens = [When(**{f"{field}__isnull": False}, then=Value(key)) for key, _, field in reversed(STAGES[1:])]
    return Case(*whens, default=Value(STAGES[0][0]))


def pipeline_plans(membership: Membership) -> QuerySet[Plan]:
    """Return the plans the membership's LA has been handed (none for anyone else)."""
    return restrict(Plan.objects.all(), membership, "plan_pipeline")


def month_starts(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    """Return the first days of the ``count`` months ending with today's, earliest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


@dataclass(frozen=True)
class MonthRow:
    month: date
    issued: int
    on_time: int
    issued_without_exceptions: int
    on_time_without_exceptions: int

    @property
    def share(self) -> int | None:
        return _share(self.on_time, self.issued)

    # Said here rather than with the template's date filter, which is slow over many rows.
    @property
    def param(self) -> str:
        return f"{self.month:%Y-%m}"  # as the drill-down's ?issued= takes it

    @property
    def name(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def share_without_exceptions(self) -> int | None:
        return _share(self.on_time_without_exceptions, self.issued_without_exceptions)


@dataclass(frozen=True)
class OverdueStep:
    plan_id: str
    school: str
    urn: str
    school_id: str  # the school's public_id, for its page
    key: str
    label: str
    due: date
    source: str
    days_overdue: int

    @property
    def due_text(self) -> str:
        return f"{self.due.day} {self.due:%b %Y}"


@dataclass(frozen=True)
class PipelineFigures:
    today: date
    stages: list[tuple[str, str, int]]  # key, label, plans
    months: list[MonthRow]
    total: MonthRow  # the months shown, together
    overdue: list[OverdueStep]
    needs: list[tuple[str, str, int]]  # code, label, plans; most first
    weeks: int = deadlines.FINAL_PLAN_WEEKS

    @property
    def plans(self) -> int:
        return sum(n for _, _, n in self.stages)

    @property
    def overdue_by_step(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for step in self.overdue:
            counts[step.label] = counts.get(step.label, 0) + 1
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

    @property
    def overdue_by_school(self) -> list[tuple[str, str, int, date]]:
        """Return each school with overdue steps: name, URN, how many, and the earliest due date."""
        found: dict[tuple[str, str], list[date]] = {}
        for step in self.overdue:
            found.setdefault((step.school, step.urn), []).append(step.due)
        rows = [(name, urn, len(dues), min(dues)) for (name, urn), dues in found.items()]
        return sorted(rows, key=lambda row: (-row[2], row[0]))


def pipeline_figures(membership: Membership, *, today: date | None = None) -> PipelineFigures:
    """Return the LA's EHC plan pipeline, in four queries whatever the number of schools and plans."""
    today = today or timezone.localdate()
    plans = pipeline_plans(membership)
    stage_counts = dict(
        plans.annotate(stage=stage_expression())
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    stages = [(key, label, stage_counts.get(key, 0)) for key, label, _ in STAGES]
    months = _months(plans, today)
    need_counts = plans.values_list("pupil__primary_need").annotate(n=Count("pk")).order_by()
    needs = sorted(
        ((code, NEED_CODES.get(code, NOT_RECORDED), n) for code, n in need_counts),
        key=lambda row: (-row[2], row[1]),
    )
    return PipelineFigures(
        today=today,
        stages=stages,
        months=months,
        total=MonthRow(months[0].month, *(sum(getattr(m, f) for m in months) for f in MONTH_FIGURES)),
        overdue=overdue_steps(plans, today=today),
        needs=needs,
    )


def _months(plans: QuerySet[Plan], today: date) -> list[MonthRow]:
    starts = month_starts(today)
    on_time = issued_on_time()
    rows = (
        plans.filter(final_issued_on__gte=starts[0], final_issued_on__lte=today)
        .annotate(month=TruncMonth("final_issued_on"))
        .values("month")
        .annotate(
            issued=Count("pk"),
            on_time=Count("pk", filter=on_time),
            issued_without_exceptions=Count("pk", filter=NO_EXCEPTION),
            on_time_without_exceptions=Count("pk", filter=on_time & NO_EXCEPTION),
        )
        .order_by("month")
    )
    found = {_as_date(row.pop("month")): row for row in rows}
    return [MonthRow(month, **found.get(month, dict.fromkeys(MONTH_FIGURES, 0))) for month in starts]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _overdue_rules(today: date) -> dict[str, tuple[Q, Callable[[Plan], date]]]:
    """Return, for each step of an assessment, the SQL filter saying it is overdue today on a plan not yet
    final, and the function giving its due date.

    The filters are the SQL form of what ehcp.deadlines.plan_timeline decides for such a plan (a step is
    overdue once today is past its due date and it is neither done nor shown done by a later step), built
    from the same time limits; tests/ehcp/test_pipeline.py checks them against plan_timeline itself. The
    due dates come from the deadline functions, the one home of the arithmetic.
    """

    def before(weeks: int) -> date:
        return today - timedelta(weeks=weeks)  # due (X + N weeks) is before today when X is before this

    no_draft = Q(draft_sent_on__isnull=True)
    return {
        # Done when decided; shown done by a request for advice or a draft sent.
        "decision": (
            no_draft
            & Q(decided_on__isnull=True, advice_requested_on__isnull=True)
            & Q(requested_on__lt=before(deadlines.DECISION_WEEKS)),
            lambda plan: deadlines.decision_due(plan.requested_on),
        ),
        # Shown done by a draft sent (the advice is in).
        "advice": (
            no_draft & Q(advice_requested_on__lt=before(deadlines.ADVICE_WEEKS)),
            lambda plan: deadlines.advice_due(plan.advice_requested_on),
        ),
        # No longer applies once a draft plan is sent.
        "no_plan_notice": (
            no_draft & Q(requested_on__lt=before(deadlines.NO_PLAN_NOTICE_WEEKS)),
            lambda plan: deadlines.no_plan_notice_due(plan.requested_on),
        ),
        "final_plan": (
            Q(requested_on__lt=before(deadlines.FINAL_PLAN_WEEKS)),
            lambda plan: deadlines.final_plan_due(plan.requested_on),
        ),
    }


# Steps only the full timeline works out (the move to the next phase): run for the few plans that have one.
PHASE_TRANSFER_STEPS = ("phase_transfer_meeting", "phase_transfer")


def overdue_steps(plans: QuerySet[Plan], *, today: date) -> list[OverdueStep]:
    """Return every overdue step of the plans still being assessed (no final plan yet), oldest first.

    One query: only plans with an overdue step, or a phase transfer date, are read.
    """
    rules = _overdue_rules(today)
    any_overdue = Q(phase_transfer_on__isnull=False)
    for rule, _ in rules.values():
        any_overdue |= rule
    flags = {
        f"overdue_{key}": ExpressionWrapper(rule, output_field=BooleanField())
        for key, (rule, _) in rules.items()
    }
    # Read as plain rows, not Plan and School instances: at the size of the largest LA, building several
    # hundred model instances took more time than the query. The rules' due dates and plan_dates read the
    # dates as attributes, so each row is given them so.
    open_plans = (
        plans.filter(any_overdue, final_issued_on__isnull=True)
        .annotate(**flags)
        .values(*PLAN_DATES, "public_id", "school__public_id", "school__name", "school__urn", *flags)
    )
    found = []
    for row in open_plans:
        plan = SimpleNamespace(**row)
        plan.school = SimpleNamespace(public_id=row["school__public_id"], name=row["school__name"], urn=row["school__urn"])  # fmt: skip
        steps = [(key, due(plan)) for key, (_, due) in rules.items() if row[f"overdue_{key}"]]
        if plan.phase_transfer_on is not None:
            steps += [
                (step.deadline.key, step.deadline.due)
                for step in deadlines.plan_timeline(plan_dates(plan), today=today)
                if step.deadline.key in PHASE_TRANSFER_STEPS and step.status == "overdue"
            ]
        for key, due_on in steps:
            label, source = deadlines.STEPS[key]
            found.append(
                OverdueStep(
                    plan_id=str(plan.public_id),
                    school=plan.school.name,
                    urn=plan.school.urn,
                    school_id=str(plan.school.public_id),
                    key=key,
                    label=label,
                    due=due_on,
                    source=source,
                    days_overdue=(today - due_on).days,
                )
            )
    return sorted(found, key=lambda step: (step.due, step.school, step.label))


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# --- drilling down from a figure to the plans behind it --------------------------------------------------


@dataclass(frozen=True)
class PipelineFilter:
    """Which plans behind a figure: a stage, a primary need, the month a final plan was issued."""

    stage: str = ""
    need: str = ""
    issued: date | None = None  # the first day of the month
    on_time: bool = False  # only those issued within 20 weeks
    no_exception: bool = False  # only those with no exception recorded

    def describe(self) -> str:
        """Say in words which plans these are, e.g. "Final plan issued in May 2026, within 20 weeks"."""
        parts = []
        if self.stage:
            parts.append(f"At the stage: {STAGE_LABELS[self.stage]}")
        if self.need:
            parts.append(f"Primary need: {NEED_CODES.get(self.need, NOT_RECORDED)}")
        if self.issued:
            parts.append(f"Final plan issued in {self.issued:%B %Y}")
        if self.on_time:
            parts.append(f"within {deadlines.FINAL_PLAN_WEEKS} weeks of the request")
        if self.no_exception:
            parts.append("with no exception recorded")
        return ", ".join(parts) or "Every plan handed to the LA"


def parse_filter(params) -> PipelineFilter | None:
    """Return the filter a drill-down link asks for, or None if it names something that does not exist."""
    stage = params.get("stage", "")
    need = params.get("need", "")
    issued = params.get("issued", "")
    if stage and stage not in STAGE_LABELS:
        return None
    if need and need != "none" and need not in NEED_CODES:
        return None
    month = None
    if issued:
        try:
            year, number = (int(part) for part in issued.split("-"))
            month = date(year, number, 1)
        except ValueError:
            return None
    return PipelineFilter(
        stage=stage,
        need=need,
        issued=month,
        on_time=params.get("on_time") == "1",
        no_exception=params.get("no_exception") == "1",
    )


def filtered_plans(membership: Membership, chosen: PipelineFilter) -> QuerySet[Plan]:
    """Return the plans handed to the LA that the filter picks, with pupil and school, by request date."""
    plans = pipeline_plans(membership).select_related("pupil", "school").order_by("requested_on", "pk")
    if chosen.stage:
        plans = plans.annotate(stage=stage_expression()).filter(stage=chosen.stage)
    if chosen.need:
        plans = plans.filter(pupil__primary_need="" if chosen.need == "none" else chosen.need)
    if chosen.issued:
        plans = plans.filter(
            final_issued_on__year=chosen.issued.year, final_issued_on__month=chosen.issued.month
        )
    if chosen.on_time:
        plans = plans.filter(issued_on_time())
    if chosen.no_exception:
        plans = plans.filter(NO_EXCEPTION)
    return plans
