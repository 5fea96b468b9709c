"""Reads for annual reviews: a plan's reviews, the LA's list, a review's steps and the changes it proposes."""

from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When

from ehcp.models import AnnualReview, Outcome, Plan, PlanVersion, VersionStatus
from ehcp.selectors.plans import SectionDiff, compare_versions
from ehcp.selectors.timeliness import REVIEW_STEPS, DeadlineRow, latest_review, plan_deadlines, review_dates
from sendplan.models import Membership
from sendplan.policy import restrict


def plan_reviews(plan: Plan, membership: Membership) -> QuerySet[AnnualReview]:
    """Return the plan's annual reviews this person may see, latest first."""
    return restrict(plan.reviews.all(), membership, "review_view").order_by("-created_at", "-pk")


def open_review(plan: Plan) -> AnnualReview | None:
    """Return the plan's review under way (not yet decided by the LA), if there is one."""
    return plan.reviews.exclude(status=AnnualReview.Status.DECIDED).first()


def la_reviews(membership: Membership) -> QuerySet[AnnualReview]:
    """Return the reviews the LA's schools have reported, those waiting for a decision first."""
    waiting_first = Case(
        When(status=AnnualReview.Status.REPORT_SENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        restrict(AnnualReview.objects.all(), membership, "review_view")
        .select_related("plan__pupil", "school")
        .order_by(waiting_first, "meeting_on", "pk")
    )


def review_steps(review: AnnualReview, *, today: date | None = None) -> list[DeadlineRow]:
    """Return the statutory steps of a review with their status; a finished earlier review has none left."""
    plan = review.plan
    if latest_review(plan) != review or review_dates(review).finished:
        return []
    return [row for row in plan_deadlines(plan, today=today) if row.key in REVIEW_STEPS]


def reviewed_version(review: AnnualReview) -> PlanVersion | None:
    """Return the final version the review looked at: the latest final one before any amendments it drafted."""
    versions = review.plan.versions.filter(status=VersionStatus.FINAL)
    if review.amendments_version_id is not None:
        versions = versions.exclude(pk=review.amendments_version_id)
        if review.amendments_version is not None:
            versions = versions.filter(number__lt=review.amendments_version.number)
    return versions.order_by("-number").first()


def reviewed_outcomes(review: AnnualReview) -> list[Outcome]:
    """Return the outcomes of the version under review, in plan order."""
    version = reviewed_version(review)
    return list(version.outcomes.order_by("position", "pk")) if version else []


def proposed_changes(review: AnnualReview) -> list[SectionDiff] | None:
    """Return the changes drafted at the review against the plan reviewed, section by section, or None."""
    if review.amendments_version is None:
        return None
    before = reviewed_version(review)
    return compare_versions(before, review.amendments_version) if before else None
