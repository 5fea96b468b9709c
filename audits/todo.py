"""What needs doing about audits, for the home page's list (see notifications/todo.py)."""

from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.timezone import localtime

from audits import selectors
from audits.models import Audit, GovernorReview, Rating, RoundClosingDate
from audits.rounds import days_left_text
from notifications.todo import TodoItem, Urgency, task_provider
from sendplan.models import Membership, School
from sendplan.policy import allows, restrict, rule_for
from sendplan.tenancy import Rows
from standards.models import Framework

MAX_REFS = 5  # criteria named in a hint before "and N more"
DUE_SOON_DAYS = 14  # a closing date this close is "due soon"
PAST_CLOSING_DAYS = 90  # a round whose closing date passed longer ago than this is no longer listed


def _refs(refs: list[str]) -> str:
    shown = ", ".join(refs[:MAX_REFS])
    return f"{shown} and {len(refs) - MAX_REFS} more" if len(refs) > MAX_REFS else shown


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --- the school's SENCO and headteacher --------------------------------------------------------------------


@task_provider(action="audit_edit")
def returned_audits(membership: Membership, today: date) -> list[TodoItem]:
    """The school's audits the LA returned, with the criteria that carry the LA's comments (two queries)."""
    audits = list(
        restrict(Audit.objects.all(), membership, "audit_edit")
        .filter(status=Audit.Status.RETURNED)
        .order_by("-decided_at")
    )
    refs = selectors.returned_comment_refs(audits)
    return [
        TodoItem(
            title=f"Make the changes the local authority asked for in your {audit.academic_year} audit",
            link=reverse("audits:audit_detail", args=[audit.public_id]),
            kind="audit_returned",
            hint=f"Comments on {_refs(refs[audit.pk])}"
            if refs[audit.pk]
            else "Read the local authority's comments",
        )
        for audit in audits
    ]


@task_provider(action="audit_edit")
def ratings_to_finish(membership: Membership, today: date) -> list[TodoItem]:
    """Ratings that need a rationale, and ratings carried forward still to confirm (two queries)."""
    ratings = Rating.objects.filter(audit__in=restrict(Audit.objects.all(), membership, "audit_edit")).filter(
        audit__status__in=Audit.EDITABLE
    )
    items = []
    needing = list(
        selectors.ratings_needing_rationale(ratings)
        .order_by("audit_id", "criterion__position")
        .values_list("audit__public_id", "audit__academic_year", "criterion__ref")
    )
    by_audit: dict = {}
    for audit_id, year, ref in needing:
        by_audit.setdefault((audit_id, year), []).append(ref)
    for (audit_id, year), refs in by_audit.items():
        items.append(
            TodoItem(
                title=f"Give a rationale for {_plural(len(refs), 'rating', 'ratings')} in your {year} audit",
                # the first criterion's own page, where the rationale is written
                link=reverse("audits:rating_save", args=[audit_id, refs[0]]),
                kind="rationale_needed",
                hint=f"Rated above the lowest level with no rationale: {_refs(refs)}",
            )
        )
    for row in (
        ratings.filter(to_confirm=True)
        .values("audit__public_id", "audit__academic_year")
        .annotate(count=Count("pk"))
        .order_by("audit__academic_year")
    ):
        items.append(
            TodoItem(
                title=(
                    f"Confirm {_plural(row['count'], 'rating', 'ratings')} carried forward into your "
                    f"{row['audit__academic_year']} audit"
                ),
                link=reverse("audits:audit_detail", args=[row["audit__public_id"]]),
                kind="ratings_to_confirm",
                hint="Check each rating from last year still holds, or change it",
            )
        )
    return items


@task_provider(action="audit_submit")
def audits_due_by_a_closing_date(membership: Membership, today: date) -> list[TodoItem]:
    """Rounds the school's LA set a closing date for whose audit the school has not submitted (two queries).

    The closing date is the LA's, addressed to all its schools: a school reads its own LA's only. A
    governor is asked only for the audits the board rates.
    """
    closing_dates = RoundClosingDate.objects.filter(
        local_authority_id=membership.school.local_authority_id,
        closes_on__gte=today - timedelta(days=PAST_CLOSING_DAYS),
    ).select_related("framework_version__framework", "local_authority")
    if Rows.OWN not in rule_for("audit_submit").rows_for(membership.role):
        closing_dates = closing_dates.filter(
            framework_version__framework__rated_by=Framework.RatedBy.GOVERNORS
        )
    closing_dates = list(closing_dates.order_by("closes_on"))
    if not closing_dates:
        return []
    audits = {
        (audit.framework_version_id, audit.academic_year): audit
        for audit in restrict(Audit.objects.all(), membership, "audit_submit")
        .filter(framework_version__in=[c.framework_version_id for c in closing_dates])
        .order_by("created_at", "pk")  # the latest last: it wins
    }
    items = []
    for closing in closing_dates:
        audit = audits.get((closing.framework_version_id, closing.academic_year))
        if audit is not None and audit.status in Audit.LA_CONTENT:
            continue  # submitted, or accepted
        days = (closing.closes_on - today).days
        day = f"{closing.closes_on.day} {closing.closes_on:%B %Y}"
        items.append(
            TodoItem(
                title=(
                    f"Submit your {closing.academic_year} audit of {closing.framework_version} to "
                    f"{closing.local_authority.name} by {day}"
                ),
                link=reverse("audits:audit_detail", args=[audit.public_id])
                if audit
                else reverse("audits:audit_list"),
                kind="audit_closing_date",
                urgency=Urgency.OVERDUE
                if days < 0
                else Urgency.DUE_SOON
                if days <= DUE_SOON_DAYS
                else Urgency.TO_DO,
                due=closing.closes_on,
                hint=(
                    "The closing date has passed: submit it as soon as you can"
                    if days < 0
                    else "Closes today"
                    if days == 0
                    else f"{days} day{'s' if days != 1 else ''} left"
                    + ("" if audit else ". Start the audit first")
                    + (
                        ". It was returned for changes"
                        if audit and audit.status == Audit.Status.RETURNED
                        else ""
                    )
                ),
            )
        )
    return items


@task_provider(action="audit_edit")
def overdue_actions(membership: Membership, today: date) -> list[TodoItem]:
    """Actions in the school's plan past their due date (one query)."""
    actions = restrict(selectors.actions_past_due(today), membership, "audit_edit").select_related("audit")
    return [
        TodoItem(
            title=f"Action overdue: {action.what if len(action.what) <= 80 else action.what[:79] + '…'}",
            link=reverse("audits:action_list", args=[action.audit.public_id]),
            kind="action_overdue",
            urgency=Urgency.OVERDUE,
            due=action.due,
            hint=f"Owner: {action.owner}. {action.audit.academic_year} action plan",
        )
        for action in actions.order_by("due", "pk")
    ]


@task_provider(action="audit_edit")
def board_reviews_awaited(membership: Membership, today: date) -> list[TodoItem]:
    """Audits handed to the LA that the governing board has not yet recorded reviewing (one query)."""
    if allows(membership, "board_review_record"):
        return []  # a governor (who may rate the board's health check) is asked to record it instead
    return [
        TodoItem(
            title=f"Waiting for the governing board to review the {audit.academic_year} audit",
            link=reverse("audits:audit_summary", args=[audit.public_id]),
            kind="board_review_awaited",
            urgency=Urgency.FOR_INFORMATION,
            hint="A governor records the board's review in sendplan",
        )
        for audit in selectors.audits_awaiting_board_review(
            restrict(Audit.objects.all(), membership, "audit_view")
        )
    ]


# --- governors ---------------------------------------------------------------------------------------------


@task_provider(action="board_review_record")
def reviews_to_record(membership: Membership, today: date) -> list[TodoItem]:
    """Audits whose review by the board is still to be recorded (one query)."""
    return [
        TodoItem(
            title=f"Record the board's review of the {audit.academic_year} audit",
            link=reverse("audits:governor_review", args=[audit.public_id]),
            kind="board_review_to_record",
            hint=f"{audit.framework_version.framework.title}, {audit.get_status_display().lower()}",
        )
        for audit in selectors.audits_awaiting_board_review(
            restrict(Audit.objects.all(), membership, "board_review_record")
        )
    ]


@task_provider(action="board_review_record")
def last_board_review(membership: Membership, today: date) -> list[TodoItem]:
    """When the board last reviewed an audit (one query)."""
    review = (
        restrict(GovernorReview.objects.all(), membership, "board_review_record")
        .select_related("audit")
        .order_by("-reviewed_on", "-recorded_at")
        .first()
    )
    if review is None:
        return []
    return [
        TodoItem(
            title=(
                f"The board last reviewed the {review.audit.academic_year} audit on "
                f"{review.reviewed_on:%-d %B %Y}"
            ),
            link=reverse("audits:audit_summary", args=[review.audit.public_id]),
            kind="board_last_review",
            urgency=Urgency.FOR_INFORMATION,
            hint=f"Minute reference {review.minute_reference}",
        )
    ]


# --- the LA ------------------------------------------------------------------------------------------------


@task_provider(action="audit_round_remind")
def rounds_closing(membership: Membership, today: date) -> list[TodoItem]:
    """The LA's rounds with a closing date, and how many of its schools have not submitted (three queries)."""
    closing_dates = list(
        restrict(RoundClosingDate.objects.all(), membership, "audit_round_remind")
        .filter(closes_on__gte=today - timedelta(days=PAST_CLOSING_DAYS))
        .select_related("framework_version__framework")
        .order_by("closes_on")
    )
    if not closing_dates:
        return []
    schools = restrict(School.objects.all(), membership, "audit_round_remind")
    total = schools.count()
    handed = {
        (row["framework_version_id"], row["academic_year"]): row["n"]
        for row in Audit.objects.filter(
            school__in=schools,
            framework_version__in=[c.framework_version_id for c in closing_dates],
            status__in=Audit.LA_CONTENT,
        )
        .values("framework_version_id", "academic_year")
        .annotate(n=Count("school_id", distinct=True))
    }
    items = []
    for closing in closing_dates:
        waiting = total - handed.get((closing.framework_version_id, closing.academic_year), 0)
        if waiting <= 0:
            continue
        days = (closing.closes_on - today).days
        query = urlencode({"version": closing.framework_version.public_id, "year": closing.academic_year})
        items.append(
            TodoItem(
                title=(
                    f"{waiting} of {total} school{'s' if total != 1 else ''} "
                    f"{'have' if waiting != 1 else 'has'} not submitted the {closing.academic_year} audit "
                    f"of {closing.framework_version}"
                ),
                link=reverse("audits:la_round") + "?" + query,
                kind="round_closing",
                urgency=Urgency.OVERDUE
                if days < 0
                else Urgency.DUE_SOON
                if days <= DUE_SOON_DAYS
                else Urgency.TO_DO,
                due=closing.closes_on,
                hint=f"Closing date {days_left_text(closing.closes_on, today)}. Remind them from the audit round",
            )
        )
    return items


@task_provider(action="audit_decide")
def audits_waiting(membership: Membership, today: date) -> list[TodoItem]:
    """Audits schools submitted that wait for the LA's decision (one query)."""
    audits = (
        restrict(Audit.objects.all(), membership, "audit_decide")
        .filter(status=Audit.Status.SUBMITTED)
        .select_related("school")
        .order_by("submitted_at")
    )
    return [
        TodoItem(
            title=f"Decide on {audit.school.name}'s {audit.academic_year} audit",
            link=reverse("audits:audit_detail", args=[audit.public_id]),
            kind="audit_waiting",
            hint=f"Submitted on {localtime(audit.submitted_at):%-d %B %Y}. Accept it or return it for changes",
        )
        for audit in audits
    ]
