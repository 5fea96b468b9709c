"""The annual review: arranging it, the invitation list, the meeting, the report and the LA's decision.

The school's SENCO and headteacher hold the review; LA staff of the school's LA see it once the report
is sent to them, and record their decision. Which form and service each step uses is named here; the
rules are in ehcp/services/reviews.py and the dates in ehcp/deadlines.py.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ehcp import deadlines, review_forms, selectors, services
from ehcp.lookups import list_shown, plan_for, render_shown, review_for
from ehcp.models import AnnualReview, OutcomeProgress
from ehcp.views._shared import _refuse
from sendplan.policy import performs
from sendplan.services import DomainError


def _data(request: HttpRequest):
    # An empty POST is still a submission: bind it so the error summary shows what is missing.
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest, review_or_plan, form, *, title: str, intro: list[str], back: str, what: str
):
    plan = review_or_plan if not isinstance(review_or_plan, AnnualReview) else review_or_plan.plan
    context = {
        "plan": plan,
        "form": form,
        "title": title,
        "intro": intro,
        "back": back,
        "is_school": request.membership.is_school,
    }
    return render_shown(request, "ehcp/review_form.html", context, pupil=plan.pupil, what=what)


def _detail_url(review: AnnualReview) -> str:
    return reverse("ehcp:review_detail", kwargs={"review_id": review.public_id})


def _add_errors(form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: each date's message by its field, anything else at the top."""
    errors = getattr(exc, "errors", None)
    if not errors:
        form.add_error(None, str(exc))
        return
    for name, message in errors.items():
        name = (fields or {}).get(name, name)
        form.add_error(name if name in form.fields else None, message)


@performs("review_edit")
def review_start(request: HttpRequest, plan_id) -> HttpResponse:
    """Arrange the annual review of a final plan by choosing the date of the meeting."""
    plan = plan_for(request.membership, plan_id, action="review_edit")
    existing = selectors.open_review(plan)
    if existing is not None:
        return redirect("ehcp:review_detail", review_id=existing.public_id)
    if plan.final_issued_on is None or services.final_version(plan) is None:
        messages.error(request, "An annual review is of a final plan. This plan has not been made final yet.")
        return redirect("ehcp:plan_detail", plan_id=plan.public_id)
    start = plan.last_review_concluded_on or plan.final_issued_on
    form = review_forms.ReviewStartForm(_data(request), start=start)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_start(plan=plan, by=request.membership, **form.cleaned_data)
        except services.ReviewExists:
            return redirect("ehcp:review_detail", review_id=selectors.open_review(plan).public_id)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Review meeting arranged. Add the people to invite.")
            return redirect("ehcp:review_detail", review_id=review.public_id)
    concluded_by = deadlines.day_text(deadlines.review_concluded_by(start))
    intro = [
        f"The plan was made or last reviewed on {deadlines.day_text(start)}. The review must be concluded, "
        f"with the LA's decision sent to the family, by {concluded_by} (Children and Families Act 2014, s44).",
        "The LA has 4 weeks after the meeting to decide, so hold the meeting at least 4 weeks before that.",
    ]
    if plan.phase_transfer_on:
        due = deadlines.phase_transfer_deadline(
            plan.phase_transfer_on, to_post16=plan.phase_transfer_to_post16
        )
        intro.append(
            f"The pupil moves to the next phase on {deadlines.day_text(plan.phase_transfer_on)}: the plan must "
            f"be amended by {deadlines.day_text(due)}, so hold the meeting by "
            f"{deadlines.day_text(deadlines.phase_transfer_meeting_by(due))} (SEND Regulations 2014, reg 18)."
        )
    back = reverse("ehcp:plan_detail", kwargs={"plan_id": plan.public_id})
    return _form_page(
        request,
        plan,
        form,
        title="Arrange the annual review",
        intro=intro,
        back=back,
        what="Arrange an annual review",
    )


@performs("review_view")
def review_detail(request: HttpRequest, review_id) -> HttpResponse:
    """Show the review's steps and dates, the invitation list, the meeting record and the LA's decision."""
    review = review_for(request.membership, review_id)
    membership = request.membership
    editable = membership.is_school and review.status not in AnnualReview.HANDED
    context = {
        "review": review,
        "plan": review.plan,
        "steps": selectors.review_steps(review),
        "attendees": list(review.attendees.all()),
        "progress": list(review.progress.select_related("outcome")),
        "changes": selectors.proposed_changes(review),
        "is_school": membership.is_school,
        "can_edit": editable,
        "can_decide": membership.is_la
        and review.status in AnnualReview.HANDED
        and review.amended_plan_issued_on is None,
        "report_due": deadlines.review_report_due(review.meeting_on),
        "decision_due": deadlines.la_review_decision_due(review.meeting_on),
        "invite_by": deadlines.review_notice_due(review.meeting_on),
    }
    return render_shown(
        request, "ehcp/review_detail.html", context, pupil=review.plan.pupil, what="Annual review"
    )


@performs("review_edit")
def review_dates(request: HttpRequest, review_id) -> HttpResponse:
    """Record the meeting date, the invitations, and the advice asked for and circulated."""
    review = review_for(request.membership, review_id, action="review_edit")
    names = ("meeting_on", "invitations_sent_on", "advice_requested_on", "advice_circulated_on")
    form = review_forms.ReviewDatesForm(
        _data(request), review=review, initial={n: getattr(review, n) for n in names}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_dates_update(review=review, by=request.membership, **form.cleaned_data)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Dates saved.")
            return redirect(_detail_url(review))
    intro = [
        "At least two weeks' notice of the meeting must be given to everyone invited, and the advice and "
        "information gathered must be sent to them at least two weeks before it (SEND Regulations 2014, "
        "reg 20(3) and (4)).",
        f"For a meeting on {deadlines.day_text(review.meeting_on)}, do both by "
        f"{deadlines.day_text(deadlines.review_notice_due(review.meeting_on))}.",
    ]
    return _form_page(
        request, review, form, title="Meeting, invitations and advice", intro=intro, back=_detail_url(review),
        what="Annual review dates",
    )  # fmt: skip


@performs("review_edit")
def review_attendee_add(request: HttpRequest, review_id) -> HttpResponse:
    """Add someone to invite: the child, the parents, school staff, and the professionals involved."""
    review = review_for(request.membership, review_id, action="review_edit")
    form = review_forms.AttendeeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            attendee = services.review_attendee_add(review=review, by=request.membership, **form.cleaned_data)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{attendee.name} added to the invitation list.")
            return redirect(_detail_url(review))
    intro = [
        "Invite the child's parents or the young person, a representative of the school, the LA, and the "
        "health and social care professionals involved (SEND Regulations 2014, reg 20(2)).",
    ]
    return _form_page(
        request, review, form, title="Add someone to invite", intro=intro, back=_detail_url(review),
        what="Annual review invitation list",
    )  # fmt: skip


@require_POST
@performs("review_edit")
def review_attendee_remove(request: HttpRequest, review_id, attendee_id) -> HttpResponse:
    """Remove someone from the invitation list."""
    review = review_for(request.membership, review_id, action="review_edit")
    attendee = review.attendees.filter(public_id=attendee_id).first()
    if attendee is None:
        return _refuse(
            request, DomainError("That person is not on the invitation list."), _detail_url(review)
        )
    try:
        services.review_attendee_remove(review=review, attendee=attendee, by=request.membership)
    except DomainError as exc:
        return _refuse(request, exc, _detail_url(review))
    messages.success(request, f"{attendee.name} removed from the invitation list.")
    return redirect(_detail_url(review))


@performs("review_edit")
def review_meeting(request: HttpRequest, review_id) -> HttpResponse:
    """Record the meeting: who came, the views, progress towards each outcome, and what should change."""
    review = review_for(request.membership, review_id, action="review_edit")
    attendees = list(review.attendees.all())
    outcomes = selectors.reviewed_outcomes(review)
    progress = {row.outcome_id: row for row in review.progress.all()}
    initial = {
        "held_on": review.meeting_on if review.is_held else None,
        "attended": [str(a.public_id) for a in attendees if a.attended],
        "child_views": review.child_views,
        "parent_views": review.parent_views,
        "changes_needed": review.changes_needed,
        "recommendation": review.recommendation or None,
        "draft_changes": review.amendments_version_id is not None,
    }
    for number, outcome in enumerate(outcomes, start=1):
        row: OutcomeProgress | None = progress.get(outcome.pk)
        initial[f"progress_{number}"] = row.progress if row else None
        initial[f"evidence_{number}"] = row.evidence if row else ""
    form = review_forms.MeetingForm(_data(request), attendees=attendees, outcomes=outcomes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_meeting_record(
                review=review, by=request.membership, **form.service_data()
            )
        except DomainError as exc:
            _add_errors(form, exc, {"meeting_on": "held_on"})
        else:
            if review.amendments_version is not None:
                messages.success(
                    request,
                    f"Meeting recorded. The changes are drafted as version {review.amendments_version.number}: "
                    "change each section, then send the report.",
                )
            else:
                messages.success(
                    request, "Meeting recorded. Send the report within two weeks of the meeting."
                )
            return redirect(_detail_url(review))
    intro = [
        "Record the views of the child and the parents, the progress made towards each outcome in the plan, "
        "and what should change. The report you send sets out what the meeting recommends (SEND Regulations "
        "2014, reg 20(6) to (8)).",
    ]
    return _form_page(
        request, review, form, title="Record the review meeting", intro=intro, back=_detail_url(review),
        what="Annual review meeting record",
    )  # fmt: skip


@performs("review_edit")
def review_report(request: HttpRequest, review_id) -> HttpResponse:
    """Record that the review report went to the LA and everyone invited; the LA can then see the review."""
    review = review_for(request.membership, review_id, action="review_edit")
    form = review_forms.ReportForm(_data(request), review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report_send(review=review, by=request.membership, **form.cleaned_data)
        except DomainError as exc:
            _add_errors(form, exc, {"report_sent_on": "sent_on"})
        else:
            messages.success(
                request, f"Report sent. {review.plan.school.local_authority.name} can now see the review."
            )
            return redirect(_detail_url(review))
    intro = [
        "Send the report of the meeting to the LA and to everyone invited within two weeks of the meeting "
        "(SEND Regulations 2014, reg 20(7)). Once you record it here, the LA can see this review and you can "
        "no longer change it.",
    ]
    return _form_page(
        request, review, form, title="Send the review report", intro=intro, back=_detail_url(review),
        what="Annual review report",
    )  # fmt: skip


@performs("review_decide")
def review_decision(request: HttpRequest, review_id) -> HttpResponse:
    """Record the LA's decision to keep, amend or cease the plan, and when the family was sent it."""
    review = review_for(request.membership, review_id, action="review_decide")
    initial = {
        "decision": review.decision or None,
        "sent_on": review.decision_sent_on,
        "sent_by": review.decision_sent_by,
        "served_on": review.decision_served_on,
        "reasons": review.decision_reasons,
    }
    form = review_forms.DecisionForm(_data(request), review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_decide(review=review, by=request.membership, **form.cleaned_data)
        except DomainError as exc:
            _add_errors(form, exc, {"decision_sent_on": "sent_on", "decision_served_on": "served_on"})
        else:
            messages.success(request, f"Decision recorded: {review.get_decision_display().lower()}.")
            return redirect(_detail_url(review))
    intro = [
        "Decide within four weeks of the meeting whether to keep the plan as it is, amend it or stop "
        "maintaining it, and tell the family (SEND Regulations 2014, reg 20(10)).",
        "If you amend it, send the proposed amendments with the decision: the family then have 15 days from "
        "the day they receive them to comment and to ask for a particular school, and the amended plan must "
        "be issued within 8 weeks of the proposals and 12 weeks of the meeting (reg 22; R (L) v Devon CC "
        "[2022]).",
    ]
    return _form_page(
        request, review, form, title="The LA's decision", intro=intro, back=_detail_url(review),
        what="Annual review decision",
    )  # fmt: skip


@performs("plan_la_list")
def la_review_list(request: HttpRequest) -> HttpResponse:
    """List the annual reviews the LA's schools have reported, those waiting for a decision first."""
    page = Paginator(selectors.la_reviews(request.membership), 50).get_page(request.GET.get("page"))
    rows = [(review, deadlines.la_review_decision_due(review.meeting_on)) for review in page.object_list]
    list_shown(request, [review.plan.pupil for review, _ in rows], what="The LA's list of annual reviews")
    return render(request, "ehcp/la_review_list.html", {"rows": rows, "page_obj": page, "query_prefix": ""})
