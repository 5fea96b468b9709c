"""Chromium: a whole annual review, from arranging the meeting to the LA's decision and the amended plan,
with axe on every new page (and its error states) and the confirmation page before a plan is made final."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ehcp import services
from ehcp.models import AnnualReview, Plan
from tests.conftest import assert_accessible, browser_sign_in, make_member, membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(world):
    return {
        "senco": make_member("senco", school=world.school_a, email="senco.review@example.org"),
        "officer": make_member("la_officer", la=world.la_x, email="officer.review@example.org"),
    }


def _go(page, live_server, url: str) -> None:
    page.goto(live_server.url + url)


def _fill_date(page, name: str, day) -> None:
    page.fill(f"#id_{name}_0", str(day.day))
    page.fill(f"#id_{name}_1", str(day.month))
    page.fill(f"#id_{name}_2", str(day.year))


def _shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/ehcp-review-{name}.png", full_page=True)


@pytest.fixture
def final_plan(world, people):
    """A Year 6 pupil's final plan, made 11 months ago, with one need, outcome and provision."""
    today = timezone.localdate()
    pupil = PupilFactory(
        school=world.school_a, first_name="Ruby", last_name="Marsh", sen_provision="E", year_group="6"
    )
    plan = PlanFactory(pupil=pupil, school=world.school_a, requested_on=today - timedelta(days=500))
    add_golden_thread(plan.versions.get())
    services.plan_submit(plan=plan, by=membership_of(people["senco"]))
    services.plan_finalise(plan=plan, by=membership_of(people["officer"]))
    Plan.objects.filter(pk=plan.pk).update(final_issued_on=today - timedelta(days=335))
    return plan


def test_a_whole_annual_review_from_invitation_to_the_las_decision(page, live_server, people, final_plan):
    today = timezone.localdate()
    meeting = today - timedelta(days=3)
    plan = final_plan
    browser_sign_in(page, live_server, people["senco"])

    # Arrange the meeting from the plan page; the page says when the review must be concluded.
    _go(page, live_server, reverse("ehcp:plan_detail", args=[plan.public_id]))
    page.get_by_role("link", name="Arrange the annual review").click()
    expect(page.get_by_role("heading", name="Arrange the annual review")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Children and Families Act 2014, s44")
    page.get_by_role("button", name="Arrange the review").click()  # no date: the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the review meeting")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    _fill_date(page, "meeting_on", meeting)
    page.get_by_role("button", name="Arrange the review").click()
    expect(page.get_by_text("Review meeting arranged.")).to_be_visible()
    review = AnnualReview.objects.get(plan=plan)
    expect(page.locator("#task-meeting-status")).to_contain_text("Not started")
    _shot(page, "arranged")
    assert_accessible(page)

    # The invitation list: the family and the professionals.
    page.get_by_role("link", name="Add someone to invite").click()
    page.get_by_role("button", name="Add to the invitation list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter full name")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Jo Marsh")
    page.get_by_label("Role or relationship").fill("Mother")
    page.get_by_label("Parent or carer").check()
    page.get_by_role("button", name="Add to the invitation list").click()
    expect(page.get_by_text("Jo Marsh added to the invitation list.")).to_be_visible()
    page.get_by_role("link", name="Add someone to invite").click()
    page.get_by_label("Full name").fill("Dr Priya Shah")
    page.get_by_label("Role or relationship").fill("Educational psychologist")
    page.get_by_label("Education professional, for example an educational psychologist").check()
    page.get_by_label("Ask them for advice and information before the meeting").check()
    page.get_by_role("button", name="Add to the invitation list").click()
    expect(page.locator("main")).to_contain_text("Asked for advice")

    # Invitations and advice: two clear weeks before the meeting.
    page.get_by_role("link", name="Meeting, invitations and advice").click()
    expect(page.locator("main")).to_contain_text(f"do both by {(meeting - timedelta(days=15)).day}")
    _fill_date(page, "invitations_sent_on", meeting - timedelta(days=20))
    _fill_date(page, "advice_requested_on", meeting - timedelta(days=35))
    _fill_date(page, "advice_circulated_on", today + timedelta(days=1))  # in the future: refused
    page.get_by_role("button", name="Save dates").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date advice was circulated must be today or in the past"
    )
    assert_accessible(page)
    _fill_date(page, "advice_circulated_on", meeting - timedelta(days=16))
    page.get_by_role("button", name="Save dates").click()
    expect(page.get_by_text("Dates saved.")).to_be_visible()
    expect(page.locator("#task-dates-status")).to_have_text("Completed")

    # Record the meeting, with progress on the outcome and the changes drafted as a new version.
    page.get_by_role("link", name="Record the meeting").click()
    page.get_by_role("button", name="Save the meeting record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the progress towards outcome 1")
    assert_accessible(page)
    _fill_date(page, "held_on", meeting)
    page.get_by_label("Jo Marsh (Mother)").check()
    page.get_by_label("Dr Priya Shah (Educational psychologist)").check()
    page.get_by_label("The child's or young person's views").fill("Ruby likes her new reading group.")
    page.get_by_label("The parents' views").fill("Jo is worried about the move to secondary school.")
    page.get_by_role("group", name=re.compile("^Outcome 1:")).get_by_label("Some progress").check()
    page.get_by_label("What shows the progress towards outcome 1? (optional)").fill(
        "3 out of 5 lessons observed"
    )
    page.get_by_label("What should change").fill("Add a transition programme for Year 7.")
    page.get_by_label("Amend the plan").check()
    page.get_by_label("Draft the changes as proposed amendments (a new version of the plan)").check()
    _shot(page, "meeting-form")
    page.get_by_role("button", name="Save the meeting record").click()
    expect(page.get_by_text("The changes are drafted as version 2")).to_be_visible()
    expect(page.locator("#task-meeting-status")).to_have_text("Completed")

    # Change the drafted version: a provision item in section F.
    _go(page, live_server, reverse("ehcp:section_detail", args=[plan.public_id, "F"]))
    page.get_by_role("link", name="Change provision 1", exact=True).click()
    page.get_by_label("How often").fill("Twice a week")
    page.get_by_role("button", name="Save provision").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()

    # Send the report: from now on the LA sees the review.
    _go(page, live_server, reverse("ehcp:review_detail", args=[review.public_id]))
    expect(page.locator("main")).to_contain_text("Changes drafted at the review")
    page.get_by_role("link", name="Send the report").click()
    assert_accessible(page)
    _fill_date(page, "sent_on", today)
    page.get_by_role("button", name="Record that the report was sent").click()
    expect(page.get_by_text("LA X can now see the review.")).to_be_visible()
    _shot(page, "reported")
    assert_accessible(page)

    # The school's deadlines page shows the review's remaining steps.
    _go(page, live_server, reverse("ehcp:school_deadlines"))
    expect(page.locator("main")).to_contain_text("LA decides to keep, amend or cease the plan")
    assert_accessible(page)

    # The LA officer decides to amend, and sends the proposals with the decision by email.
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["officer"])
    _go(page, live_server, reverse("ehcp:la_review_list"))
    expect(page.get_by_text("Waiting for your decision")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ruby Marsh")).click()
    expect(page.locator("main")).to_contain_text("Ruby likes her new reading group.")
    assert_accessible(page)
    page.get_by_role("link", name="Record the LA's decision").click()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the LA's decision")
    assert_accessible(page)
    page.get_by_label("Amend the plan").check()
    _fill_date(page, "sent_on", today)
    page.get_by_label("How was it sent? (optional)").select_option("email")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded: amend the plan.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Family's comments on the proposed amendments")
    _shot(page, "decided")
    review.refresh_from_db()
    assert (review.status, review.decision, review.decision_sent_on) == ("decided", "amend", today)
    assert review.amendments_version.status == "submitted"

    # Making the amended plan final: the page lists the family's open window first.
    _go(page, live_server, reverse("ehcp:plan_detail", args=[plan.public_id]))
    page.get_by_role("link", name="Make version 2 final").click()
    expect(page.locator("#missing-before-final")).to_contain_text(
        "The family's 15 days to comment on the proposed amendments end on"
    )
    _shot(page, "finalise")
    assert_accessible(page)
    page.get_by_role("button", name="Make the plan final").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you want to make the plan final"
    )
    assert_accessible(page)
    page.get_by_label("I have checked the list above and want to make the plan final").check()
    page.get_by_role("button", name="Make the plan final").click()
    expect(page.get_by_text("Version 2 is now the final plan.")).to_be_visible()
    review.refresh_from_db()
    assert review.amended_plan_issued_on == today

    # The school sees the decision, and the next review's dates run from the day it was sent.
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:review_detail", args=[review.public_id]))
    expect(page.locator("#task-decision-status")).to_have_text("Amend the plan")
    _go(page, live_server, reverse("ehcp:plan_timeline", args=[plan.public_id]))
    concluded_by = (
        today.replace(year=today.year + 1) - timedelta(days=1)
        if (today.month, today.day) != (2, 29)
        else None
    )
    if concluded_by is not None:
        expect(page.locator("main")).to_contain_text(f"{concluded_by.day} {concluded_by:%B %Y}")
    assert_accessible(page)
