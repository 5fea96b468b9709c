"""The annual review held by the school (Regs 20): its services, who may see and do what, and the pages.

Today is fixed at Tuesday 10 March 2026. The plan was made on Monday 10 March 2025, so its first review
must be concluded by Monday 9 March 2026 (CFA s44) and the meeting held by Monday 9 February 2026.
"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ehcp import selectors, services
from ehcp.models import AnnualReview, OutcomeProgress, Plan, PlanEvent, ReviewAttendee
from sendplan import policy
from sendplan.models import AccessEvent
from tests.conftest import make_member, membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

pytestmark = pytest.mark.django_db
D = date
TODAY = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def senco(world):
    return membership_of(make_member("senco", school=world.school_a, email="rs@example.org"))


@pytest.fixture
def officer(world):
    return membership_of(make_member("la_officer", la=world.la_x, email="ro@example.org"))


@pytest.fixture
def made(world, senco, officer):
    """A final plan made on 10 March 2025, with a need, an outcome and a provision."""
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, requested_on=D(2024, 11, 1)
    )
    add_golden_thread(plan.versions.get())
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer, issued_on=D(2025, 3, 10))
    plan.refresh_from_db()
    return plan


def _held(review, senco, *, recommendation="amend", draft=True):
    outcome = services.final_version(review.plan).outcomes.get()
    return services.review_meeting_record(
        review=review, by=senco, held_on=D(2026, 2, 2), attended=list(review.attendees.all()),
        child_views="Likes the reading group.", parent_views="Worried about Year 7.",
        changes_needed="Add a transition programme.", recommendation=recommendation,
        progress={outcome: ("some", "3 out of 5 lessons")}, draft_changes=draft,
    )  # fmt: skip


@pytest.fixture
def reported(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    services.review_attendee_add(review=review, by=senco, name="Jo Marsh", role="Mother", kind="parent")
    review = _held(review, senco)
    return services.review_report_send(review=review, by=senco, sent_on=D(2026, 2, 13))


# --- arranging it -------------------------------------------------------------------------------------------


def test_cfa_s44_a_review_is_of_a_final_plan(world, senco):
    draft = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    with pytest.raises(services.ReviewError, match="has not been made final"):
        services.review_start(plan=draft, meeting_on=D(2026, 2, 2), by=senco)


def test_cfa_s44_the_review_counts_from_the_day_the_plan_was_made(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    assert (review.status, review.cycle_started_on) == ("arranged", D(2025, 3, 10))
    assert made.events.filter(action=PlanEvent.Action.REVIEW_ARRANGED).count() == 1
    with pytest.raises(services.ReviewExists):
        services.review_start(plan=made, meeting_on=D(2026, 2, 3), by=senco)


def test_a_meeting_before_the_plan_was_made_is_refused(made, senco):
    with pytest.raises(services.ReviewDatesInvalid) as refused:
        services.review_start(plan=made, meeting_on=D(2025, 3, 9), by=senco)
    assert refused.value.errors == {
        "meeting_on": "The date of the review meeting must be the same as or after 10 March 2025"
    }
    assert not AnnualReview.objects.exists()


@pytest.mark.parametrize(
    ("dates", "errors"),
    [
        pytest.param(
            {"invitations_sent_on": D(2026, 3, 11)},
            {"invitations_sent_on": "The date the invitations were sent must be today or in the past"},
            id="invitations_tomorrow",
        ),
        pytest.param(
            {"advice_circulated_on": D(2026, 2, 3)},
            {
                "advice_circulated_on": "The date advice was circulated must be before the date of the review meeting"
            },
            id="advice_after_the_meeting",
        ),
    ],
)
def test_review_dates_record_what_happened(made, senco, dates, errors):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    with pytest.raises(services.ReviewDatesInvalid) as refused:
        services.review_dates_update(review=review, by=senco, meeting_on=D(2026, 2, 2), **dates)
    assert refused.value.errors == errors


def test_reg_20_3_sending_invitations_moves_the_review_on(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    review = services.review_dates_update(
        review=review, by=senco, meeting_on=D(2026, 2, 2), invitations_sent_on=D(2026, 1, 16)
    )
    assert review.status == "invited"
    steps = {row.key: row for row in selectors.plan_deadlines(made, today=TODAY)}
    assert (steps["review_notice"].due, steps["review_notice"].status) == (D(2026, 1, 18), "done")
    assert steps["review_advice"].status == "overdue"  # advice not circulated, and the meeting has passed
    review = services.review_dates_update(review=review, by=senco, meeting_on=D(2026, 2, 2))
    assert review.status == "arranged"


def test_an_invitee_of_another_review_cannot_be_removed(made, senco, world):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    stranger = ReviewAttendee.objects.create(
        school=world.school_a, review=review, name="X", role="Y", kind="other"
    )
    other = AnnualReview.objects.create(
        school=world.school_a, plan=made, status="decided", cycle_started_on=D(2024, 3, 10),
        meeting_on=D(2025, 2, 2), report_sent_on=D(2025, 2, 3), decision="maintain", decision_sent_on=D(2025, 2, 4),
    )  # fmt: skip
    with pytest.raises(services.ReviewError):
        services.review_attendee_remove(review=other, attendee=stranger, by=senco)
    assert ReviewAttendee.objects.filter(pk=stranger.pk).exists()


# --- the meeting ------------------------------------------------------------------------------------------


def test_reg_20_the_meeting_records_views_progress_and_drafts_the_changes(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    mother = services.review_attendee_add(
        review=review, by=senco, name="Jo Marsh", role="Mother", kind="parent"
    )
    review = _held(review, senco)
    assert review.status == "held"
    assert ReviewAttendee.objects.get(pk=mother.pk).attended
    [progress] = OutcomeProgress.objects.filter(review=review)
    assert (progress.progress, progress.evidence) == ("some", "3 out of 5 lessons")
    version = review.amendments_version
    assert (version.number, version.kind, version.status) == (2, "proposed_amendments", "draft")
    review = _held(review, senco)  # recording it again drafts nothing more
    assert made.versions.count() == 2 and OutcomeProgress.objects.filter(review=review).count() == 1


def test_a_meeting_in_the_future_is_refused(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 3, 20), by=senco)
    with pytest.raises(services.ReviewDatesInvalid):
        services.review_meeting_record(
            review=review, by=senco, held_on=D(2026, 3, 20), attended=[], child_views="a", parent_views="b",
            changes_needed="", recommendation="maintain", progress={},
        )  # fmt: skip
    review.refresh_from_db()
    assert review.status == "arranged"


def test_progress_only_against_the_plan_under_review(made, senco, world):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    other_plan = PlanFactory(pupil=PupilFactory(school=world.school_a), school=world.school_a)
    _, foreign_outcome, _ = add_golden_thread(other_plan.versions.get())
    with pytest.raises(services.ReviewError, match="outcomes of the plan being reviewed"):
        services.review_meeting_record(
            review=review, by=senco, held_on=D(2026, 2, 2), attended=[], child_views="a", parent_views="b",
            changes_needed="", recommendation="maintain", progress={foreign_outcome: ("some", "")},
        )  # fmt: skip
    assert not OutcomeProgress.objects.exists()


# --- the report hands it to the LA (Regs 20(7)) ---------------------------------------------------------------


def test_reg_20_7_the_report_comes_after_the_meeting(made, senco):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    with pytest.raises(services.ReviewError, match="Record the meeting"):
        services.review_report_send(review=review, by=senco, sent_on=D(2026, 2, 13))
    review = _held(review, senco)
    with pytest.raises(services.ReviewDatesInvalid):
        services.review_report_send(review=review, by=senco, sent_on=D(2026, 2, 1))


def test_the_la_sees_a_review_only_once_the_report_is_sent(made, senco, officer, world):
    officer_y = membership_of(make_member("la_officer", la=world.la_y, email="ry@example.org"))
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=senco)
    review = _held(review, senco)
    visible = AnnualReview.objects.filter(pk=review.pk)
    assert not policy.restrict(visible, officer, "review_view").exists()
    with pytest.raises(policy.NotAllowed):
        services.review_decide(review=review, by=officer, decision="maintain", sent_on=D(2026, 2, 20))
    services.review_report_send(review=review, by=senco, sent_on=D(2026, 2, 13))
    assert policy.restrict(visible, officer, "review_view").exists()
    assert not policy.restrict(visible, officer_y, "review_view").exists()


def test_after_the_report_the_school_can_no_longer_change_the_review(reported, senco):
    with pytest.raises(services.ReviewError, match="report has been sent"):
        services.review_dates_update(review=reported, by=senco, meeting_on=D(2026, 2, 2))
    with pytest.raises(services.ReviewError):
        services.review_attendee_add(review=reported, by=senco, name="A", role="B", kind="other")


# --- the LA's decision (Regs 20(10), 22) ---------------------------------------------------------------------


def test_reg_20_10_deciding_to_amend_hands_the_drafted_changes_to_the_la(reported, officer):
    review = services.review_decide(
        review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 27), sent_by="email"
    )
    plan = Plan.objects.get(pk=review.plan_id)
    assert review.status == "decided" and review.amendments_version.status == "submitted"
    assert plan.status == "submitted"
    assert (plan.last_review_meeting_on, plan.last_review_concluded_on) == (D(2026, 2, 2), D(2026, 2, 27))
    steps = {row.key: row for row in selectors.plan_deadlines(plan, today=TODAY)}
    # Emailed on Friday 27 February: served Monday 2 March, so comments until 16 March.
    assert (steps["amendment_comments"].due, steps["amendment_comments"].status) == (D(2026, 3, 16), "open")
    assert steps["amended_plan"].due == D(2026, 4, 24)
    assert steps["la_decision"].status == "done" and steps["review_concluded"].status == "done"


def test_reg_22_3_making_the_amended_plan_final_finishes_the_review(reported, officer):
    services.review_decide(review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 27))
    plan = Plan.objects.get(pk=reported.plan_id)
    services.plan_finalise(plan=plan, by=officer)
    reported.refresh_from_db()
    assert reported.amended_plan_issued_on == TODAY
    plan.refresh_from_db()
    assert plan.final_issued_on == D(2025, 3, 10)  # the day the plan was first made stays
    keys = [(row.key, row.due) for row in selectors.plan_deadlines(plan, today=TODAY)]
    # The next review runs from the day the decision was sent: concluded by 26 February 2027.
    assert keys[-2:] == [("review_meeting", D(2027, 1, 29)), ("review_concluded", D(2027, 2, 26))]


def test_reg_20_10_keeping_the_plan_withdraws_the_drafted_changes(reported, officer):
    drafted = reported.amendments_version
    review = services.review_decide(review=reported, by=officer, decision="maintain", sent_on=D(2026, 2, 20))
    plan = Plan.objects.get(pk=review.plan_id)
    assert review.amendments_version is None and not plan.versions.filter(pk=drafted.pk).exists()
    assert plan.status == "final"
    assert plan.events.filter(action=PlanEvent.Action.AMENDMENTS_WITHDRAWN).count() == 1
    assert selectors.latest_review(plan) == review


def test_a_decision_is_recorded_once_and_its_dates_corrected_later(reported, officer):
    services.review_decide(review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 27))
    with pytest.raises(services.ReviewError, match="cannot be changed"):
        services.review_decide(review=reported, by=officer, decision="cease", sent_on=D(2026, 2, 27))
    review = services.review_decide(
        review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 27), served_on=D(2026, 3, 3)
    )
    assert review.decision_served_on == D(2026, 3, 3)
    assert review.plan.events.filter(action=PlanEvent.Action.REVIEW_DECIDED).count() == 1


def test_a_decision_before_the_meeting_or_served_before_it_was_sent_is_refused(reported, officer):
    with pytest.raises(services.ReviewDatesInvalid) as refused:
        services.review_decide(
            review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 27), served_on=D(2026, 2, 26)
        )
    assert list(refused.value.errors) == ["decision_served_on"]
    with pytest.raises(services.ReviewDatesInvalid):
        services.review_decide(review=reported, by=officer, decision="amend", sent_on=D(2026, 2, 1))
    reported.refresh_from_db()
    assert reported.status == "report_sent"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_arrange_makes_one_review(world):
    import threading

    from django.db import connections

    from sendplan.services import DomainError

    senco = membership_of(make_member("senco", school=world.school_a, email="rdc@example.org"))
    officer = membership_of(make_member("la_officer", la=world.la_x, email="rdc2@example.org"))
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, requested_on=D(2024, 11, 1)
    )
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=officer, issued_on=D(2025, 3, 10))
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.review_start(plan=plan, meeting_on=D(2026, 2, 2), by=senco)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert plan.reviews.count() == 1


# --- the pages ------------------------------------------------------------------------------------------------


def _date_post(name: str, value: date) -> dict:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def test_bad_input_on_the_meeting_page_keeps_what_was_typed_and_saves_nothing(senco_a, senco_a_user, made):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=membership_of(senco_a_user))
    url = reverse("ehcp:review_meeting", args=[review.public_id])
    response = senco_a.post(
        url, {**_date_post("held_on", D(2026, 3, 11)), "child_views": "Likes maths.", "parent_views": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
    assert "Enter the parents&#x27; views" in body and "Select the progress towards outcome 1" in body
    assert "Likes maths." in body
    review.refresh_from_db()
    assert review.status == "arranged" and review.child_views == ""


def test_a_future_meeting_date_is_shown_by_its_field(senco_a, senco_a_user, made):
    review = services.review_start(plan=made, meeting_on=D(2026, 2, 2), by=membership_of(senco_a_user))
    outcome = services.final_version(made).outcomes.get()
    assert outcome  # the form asks about outcome 1
    response = senco_a.post(
        reverse("ehcp:review_meeting", args=[review.public_id]),
        {**_date_post("held_on", D(2026, 3, 11)), "child_views": "a", "parent_views": "b", "progress_1": "some",
         "recommendation": "maintain"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'href="#id_held_on' in response.content.decode()
    assert "The date of the review meeting must be today or in the past" in response.content.decode()


def test_each_review_page_writes_one_access_event(senco_a, la_officer_x, reported):
    for client, name in (
        (senco_a, "review_detail"),
        (senco_a, "review_meeting"),
        (la_officer_x, "review_detail"),
        (la_officer_x, "review_decision"),
    ):
        before = AccessEvent.objects.count()
        assert client.get(reverse(f"ehcp:{name}", args=[reported.public_id])).status_code == 200
        assert AccessEvent.objects.count() == before + 1, name


def test_the_finalise_page_lists_what_is_missing(la_officer_x, senco_a_user, world):
    senco = membership_of(senco_a_user)
    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, requested_on=D(2025, 11, 3)
    )
    services.plan_dates_update(
        plan=plan,
        by=senco,
        requested_on=D(2025, 11, 3),
        draft_sent_on=D(2026, 3, 2),
        draft_sent_by="first_class",
    )
    services.plan_submit(plan=plan, by=senco)
    body = la_officer_x.get(reverse("ehcp:plan_finalise", args=[plan.public_id])).content.decode()
    # Posted first class on Monday 2 March: served Wednesday 4 March, so comments until 18 March.
    assert "No date is recorded for the LA&#x27;s decision to assess" in body
    assert "end on 18 March 2026: it can be made final from 19 March 2026" in body
    assert "Section I is blank" in body


@pytest.mark.parametrize("reviews", [2, 30])
def test_the_la_review_list_query_count_does_not_grow(
    la_officer_x, officer, senco, world, reviews, django_assert_max_num_queries
):
    for _ in range(reviews):
        plan = PlanFactory(
            pupil=PupilFactory(school=world.school_a),
            school=world.school_a,
            requested_on=D(2024, 11, 1),
            final_issued_on=D(2025, 3, 10),
        )
        AnnualReview.objects.create(
            school=world.school_a, plan=plan, status="report_sent", cycle_started_on=D(2025, 3, 10),
            meeting_on=D(2026, 2, 2), report_sent_on=D(2026, 2, 13),
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = la_officer_x.get(reverse("ehcp:la_review_list"))
    assert (
        response.status_code == 200
        and response.content.decode().count("Waiting for your decision") == reviews
    )


@pytest.mark.parametrize("plans", [2, 30])
def test_the_school_deadlines_query_count_does_not_grow(senco_a, world, plans, django_assert_max_num_queries):
    for _ in range(plans):
        plan = PlanFactory(
            pupil=PupilFactory(school=world.school_a),
            school=world.school_a,
            requested_on=D(2024, 11, 1),
            final_issued_on=D(2025, 3, 10),
        )
        AnnualReview.objects.create(
            school=world.school_a, plan=plan, cycle_started_on=D(2025, 3, 10), meeting_on=D(2026, 3, 20),
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = senco_a.get(reverse("ehcp:school_deadlines"))
    assert response.status_code == 200
    assert response.content.decode().count(">Send invitations to the review meeting</td>") == plans


def test_the_subject_access_export_includes_the_annual_review(reported):
    export = selectors.pupil_subject_access(reported.plan.pupil)
    [review] = export["plans"][0]["annual_reviews"]
    assert review["child_views"] == "Likes the reading group."
    assert review["invited"] == [
        {"name": "Jo Marsh", "role": "Mother", "kind": "parent", "email": "", "attended": True}
    ]
    assert review["progress"][0]["progress"] == "some"
