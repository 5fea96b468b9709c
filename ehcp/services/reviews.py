"""Writes for the annual review: arranging it, inviting people, the meeting, the report and the LA's decision.

The school holds the review for the LA (Regs 20(1)): it invites the family and professionals, gathers and
circulates advice, records the meeting and sends the report (Regs 20(2) to (8)). The LA then decides to
keep, amend or cease the plan, sending any proposed amendments with its decision (Regs 20(10), 22(2)).
Every write checks its actor against the policy and takes the review's row lock first.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from ehcp.deadlines import day_text
from ehcp.models import (
    AnnualReview,
    Outcome,
    OutcomeProgress,
    Plan,
    PlanEvent,
    PlanVersion,
    ReviewAttendee,
    VersionStatus,
)
from ehcp.services.plans import _event, _lock, _version_copy, current_version, plan_amendments_start
from sendplan import policy
from sendplan.models import Membership
from sendplan.services import DomainError

Status, Decision = AnnualReview.Status, AnnualReview.Decision


class ReviewError(DomainError):
    """The review is not in a state that allows this."""


class ReviewExists(ReviewError):
    """The plan already has a review under way."""


class ReviewDatesInvalid(DomainError):
    """A review's dates break a rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def _label(name: str) -> str:
    label = AnnualReview._meta.get_field(name).verbose_name
    return f"The {label[0].lower()}{label[1:]}"


def _locked(review: AnnualReview) -> AnnualReview:
    return AnnualReview.objects.select_for_update().select_related("plan").get(pk=review.pk)


def _still_with_the_school(review: AnnualReview) -> None:
    if review.status in (Status.REPORT_SENT, Status.DECIDED):
        raise ReviewError("The report has been sent to the LA: this review can no longer be changed.")


def _in_the_past(errors: dict[str, str], today: date, **dates: date | None) -> None:
    for name, value in dates.items():
        if value is not None and value > today and name not in errors:
            errors[name] = f"{_label(name)} must be today or in the past"


def final_version(plan: Plan) -> PlanVersion | None:
    """Return the plan's latest final version: the one an annual review reviews."""
    return plan.versions.filter(status=VersionStatus.FINAL).order_by("-number").first()


# --- arranging the review ----------------------------------------------------------------------------------


@transaction.atomic
def review_start(*, plan: Plan, meeting_on: date, by: Membership) -> AnnualReview:
    """Arrange the annual review of a final plan: the date of the meeting starts its steps."""
    policy.check(by, "review_edit", plan)
    _lock(plan)
    if plan.final_issued_on is None or final_version(plan) is None:
        raise ReviewError("An annual review is of a final plan. This plan has not been made final yet.")
    if plan.reviews.exclude(status=Status.DECIDED).exists():
        raise ReviewExists("This plan already has an annual review under way.")
    start = plan.last_review_concluded_on or plan.final_issued_on
    if meeting_on < start:
        raise ReviewDatesInvalid(
            {"meeting_on": f"{_label('meeting_on')} must be the same as or after {day_text(start)}"}
        )
    try:
        with transaction.atomic():  # a double click's second request loses here, cleanly
            review = AnnualReview.objects.create(
                school=plan.school, plan=plan, cycle_started_on=start, meeting_on=meeting_on
            )
    except IntegrityError as exc:
        raise ReviewExists("This plan already has an annual review under way.") from exc
    _event(plan, by, PlanEvent.Action.REVIEW_ARRANGED, note=f"Meeting on {day_text(meeting_on)}")
    return review


def review_dates_validate(
    *, review: AnnualReview, today: date | None = None, **dates: date | None
) -> dict[str, str]:
    """Return a message for each of a review's planning dates that breaks a rule; empty if all are valid."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    meeting = dates.get("meeting_on")
    if meeting is not None and meeting < review.cycle_started_on:
        errors["meeting_on"] = (
            f"{_label('meeting_on')} must be the same as or after {day_text(review.cycle_started_on)}"
        )
    recorded = {
        name: dates.get(name)
        for name in ("invitations_sent_on", "advice_requested_on", "advice_circulated_on")
    }
    _in_the_past(errors, today, **recorded)
    for name, value in recorded.items():
        if value is not None and meeting is not None and value > meeting and name not in errors:
            errors[name] = f"{_label(name)} must be before {_label('meeting_on').lower()}"
    return errors


@transaction.atomic
def review_dates_update(
    *,
    review: AnnualReview,
    by: Membership,
    meeting_on: date,
    invitations_sent_on: date | None = None,
    advice_requested_on: date | None = None,
    advice_circulated_on: date | None = None,
) -> AnnualReview:
    """Record the meeting date, and when invitations went out and advice was asked for and circulated."""
    policy.check(by, "review_edit", review)
    review = _locked(review)
    _still_with_the_school(review)
    dates = {
        "meeting_on": meeting_on,
        "invitations_sent_on": invitations_sent_on,
        "advice_requested_on": advice_requested_on,
        "advice_circulated_on": advice_circulated_on,
    }
    if errors := review_dates_validate(review=review, **dates):
        raise ReviewDatesInvalid(errors)
    if review.is_held and meeting_on != review.meeting_on:
        raise ReviewError("The meeting has been recorded as held: change its date on the meeting page.")
    for name, value in dates.items():
        setattr(review, name, value)
    if not review.is_held:
        review.status = Status.INVITED if invitations_sent_on else Status.ARRANGED
    review.save()
    return review


@transaction.atomic
def review_attendee_add(
    *,
    review: AnnualReview,
    by: Membership,
    name: str,
    role: str,
    kind: str,
    email: str = "",
    advice_requested: bool = False,
) -> ReviewAttendee:
    """Add someone to invite to the meeting: the family, the school, or a professional."""
    policy.check(by, "review_edit", review)
    review = _locked(review)
    _still_with_the_school(review)
    attendee = ReviewAttendee(
        school=review.school, review=review, name=name, role=role, kind=kind, email=email,
        advice_requested=advice_requested,
    )  # fmt: skip
    attendee.full_clean(exclude=["school", "review"])
    attendee.save()
    return attendee


@transaction.atomic
def review_attendee_remove(*, review: AnnualReview, attendee: ReviewAttendee, by: Membership) -> None:
    """Remove someone from the list of people invited."""
    policy.check(by, "review_edit", review)
    review = _locked(review)
    _still_with_the_school(review)
    if attendee.review_id != review.pk:
        raise ReviewError("That person is not invited to this review.")
    attendee.delete()


# --- the meeting and the report ----------------------------------------------------------------------------


@transaction.atomic
def review_meeting_record(
    *,
    review: AnnualReview,
    by: Membership,
    held_on: date,
    attended: list[ReviewAttendee],
    child_views: str,
    parent_views: str,
    changes_needed: str,
    recommendation: str,
    progress: dict[Outcome, tuple[str, str]],
    draft_changes: bool = False,
) -> AnnualReview:
    """Record the meeting: who came, the views, progress towards each outcome, and what should change.

    With ``draft_changes`` and a recommendation to amend, the changes are drafted as a new version of the
    plan (proposed amendments), which the school then edits section by section.
    """
    policy.check(by, "review_edit", review)
    review = _locked(review)
    _still_with_the_school(review)
    errors: dict[str, str] = {}
    _in_the_past(errors, timezone.localdate(), meeting_on=held_on)
    if "meeting_on" not in errors and held_on < review.cycle_started_on:
        errors["meeting_on"] = (
            f"{_label('meeting_on')} must be the same as or after {day_text(review.cycle_started_on)}"
        )
    if errors:
        raise ReviewDatesInvalid(errors)
    if recommendation not in Decision.values:
        raise ReviewError("Select what the meeting recommends.")
    if any(attendee.review_id != review.pk for attendee in attended):
        raise ReviewError("Record only the people invited to this review.")
    reviewed = final_version(review.plan)
    if any(outcome.version_id != reviewed.pk for outcome in progress):
        raise ReviewError("Record progress only against the outcomes of the plan being reviewed.")
    if any(value not in OutcomeProgress.Progress.values for value, _ in progress.values()):
        raise ReviewError("Select the progress made towards each outcome.")

    review.meeting_on, review.status = held_on, Status.HELD
    review.child_views, review.parent_views = child_views, parent_views
    review.changes_needed, review.recommendation = changes_needed, recommendation
    review.attendees.update(attended=False)
    ReviewAttendee.objects.filter(pk__in=[a.pk for a in attended]).update(attended=True)
    review.progress.all().delete()
    OutcomeProgress.objects.bulk_create(
        OutcomeProgress(
            school=review.school, review=review, outcome=outcome, progress=value, evidence=evidence
        )
        for outcome, (value, evidence) in progress.items()
    )
    if draft_changes and recommendation == Decision.AMEND and review.amendments_version_id is None:
        review.amendments_version = _draft_amendments(review.plan, by)
    review.save()
    _event(review.plan, by, PlanEvent.Action.REVIEW_HELD, note=f"Meeting on {day_text(held_on)}")
    return review


def _draft_amendments(plan: Plan, by: Membership) -> PlanVersion:
    latest = current_version(plan)
    if latest.status == VersionStatus.FINAL:
        return plan_amendments_start(plan=plan, by=by)
    if latest.kind == PlanVersion.Kind.PROPOSED_AMENDMENTS and latest.is_editable:
        return latest  # amendments already started: the review's changes go there
    raise ReviewError("The plan has a version with the LA. Draft the changes once the LA has dealt with it.")


@transaction.atomic
def review_report_send(*, review: AnnualReview, by: Membership, sent_on: date) -> AnnualReview:
    """Record that the report went to the LA and everyone invited; the LA can then see the review."""
    policy.check(by, "review_edit", review)
    review = _locked(review)
    if review.status != Status.HELD:
        if review.status in (Status.REPORT_SENT, Status.DECIDED):
            raise ReviewError("The report has already been sent.")
        raise ReviewError("Record the meeting before you send the report.")
    errors: dict[str, str] = {}
    _in_the_past(errors, timezone.localdate(), report_sent_on=sent_on)
    if not errors and sent_on < review.meeting_on:
        errors["report_sent_on"] = (
            f"{_label('report_sent_on')} must be the same as or after {_label('meeting_on').lower()}"
        )
    if errors:
        raise ReviewDatesInvalid(errors)
    review.report_sent_on, review.status = sent_on, Status.REPORT_SENT
    review.save(update_fields=["report_sent_on", "status"])
    _event(review.plan, by, PlanEvent.Action.REVIEW_REPORTED, note=f"Sent on {day_text(sent_on)}")
    return review


# --- the LA's decision -------------------------------------------------------------------------------------


@transaction.atomic
def review_decide(
    *,
    review: AnnualReview,
    by: Membership,
    decision: str,
    sent_on: date,
    sent_by: str = "",
    served_on: date | None = None,
    reasons: str = "",
) -> AnnualReview:
    """Record the LA's decision to keep, amend or cease the plan, sent to the family (Regs 20(10)).

    Deciding to amend hands the drafted changes to the LA as proposed amendments (sent with the decision,
    R (L) v Devon CC [2022] EWHC 493); keeping or ceasing withdraws a draft nobody has seen. The review is
    then concluded, and the next one's 12 months start with the day the decision was sent (CFA s44).
    Called again, it corrects the dates the decision was sent and served.
    """
    policy.check(by, "review_decide", review)
    _lock(review.plan)
    review = _locked(review)
    plan = review.plan
    if decision not in Decision.values:
        raise ReviewError("Select the LA's decision.")
    deciding = review.status == Status.REPORT_SENT
    if not deciding:
        if review.status != Status.DECIDED:
            raise ReviewError("The LA decides once the school has sent the review report.")
        if decision != review.decision:
            raise ReviewError(
                "The decision is recorded and was sent to the family: it cannot be changed here."
            )
        if review.amended_plan_issued_on is not None:
            raise ReviewError("The amended plan has been issued: this review is finished.")
    errors: dict[str, str] = {}
    _in_the_past(errors, timezone.localdate(), decision_sent_on=sent_on, decision_served_on=served_on)
    if "decision_sent_on" not in errors and sent_on < review.meeting_on:
        errors["decision_sent_on"] = (
            f"{_label('decision_sent_on')} must be the same as or after {_label('meeting_on').lower()}"
        )
    if served_on is not None and "decision_served_on" not in errors and served_on < sent_on:
        errors["decision_served_on"] = (
            f"{_label('decision_served_on')} must be the same as or after {_label('decision_sent_on').lower()}"
        )
    if errors:
        raise ReviewDatesInvalid(errors)

    if deciding:
        if decision == Decision.AMEND:
            review.amendments_version = _propose_amendments(review, plan)
        else:
            _withdraw_draft(review, plan, by)
    review.decision, review.decision_sent_on, review.decision_sent_by = decision, sent_on, sent_by
    review.decision_served_on, review.decision_reasons = served_on, reasons
    review.status = Status.DECIDED
    review.save()
    plan.last_review_meeting_on, plan.last_review_concluded_on = review.meeting_on, sent_on
    plan.save(update_fields=["last_review_meeting_on", "last_review_concluded_on", "status"])
    if deciding:
        _event(plan, by, PlanEvent.Action.REVIEW_DECIDED, note=review.get_decision_display())
    return review


def _propose_amendments(review: AnnualReview, plan: Plan) -> PlanVersion:
    version = review.amendments_version
    if version is None:
        latest = current_version(plan)
        if latest.status == VersionStatus.FINAL:
            version = _version_copy(latest, kind=PlanVersion.Kind.PROPOSED_AMENDMENTS)
        else:
            version = latest  # amendments already under way
    if version.status == VersionStatus.DRAFT:
        version.status, version.submitted_at = VersionStatus.SUBMITTED, timezone.now()
        version.save(update_fields=["status", "submitted_at"])
    plan.status = version.status
    return version


def _withdraw_draft(review: AnnualReview, plan: Plan, by: Membership) -> None:
    version = review.amendments_version
    if version is not None and version.status == VersionStatus.DRAFT:
        number = version.number
        review.amendments_version = None
        version.delete()  # a draft only the school has seen: the final plan stands
        plan.status = VersionStatus.FINAL
        _event(plan, by, PlanEvent.Action.AMENDMENTS_WITHDRAWN, note=f"Version {number} withdrawn")
