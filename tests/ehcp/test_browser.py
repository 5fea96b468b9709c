"""Chromium: draft a plan on the task list end to end, fix the checker's findings, submit, the LA returns
it, resubmit; axe on every EHC plan page; drafting one section with the keyboard alone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ehcp import services
from ehcp.models import Plan, PlanVersion
from tests.conftest import assert_accessible, browser_sign_in, make_member, membership_of
from tests.ehcp.factories import (
    CarerFactory,
    PlanFactory,
    PupilFactory,
    SupportCycleFactory,
    add_golden_thread,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(world):
    return {
        "senco": make_member("senco", school=world.school_a, email="senco.browser@example.org"),
        "officer": make_member("la_officer", la=world.la_x, email="officer.browser@example.org"),
    }


def _go(page, live_server, url: str) -> None:
    page.goto(live_server.url + url)


def test_draft_fix_submit_return_resubmit(page, live_server, world, people):
    pupil = PupilFactory(
        school=world.school_a, first_name="Sam", last_name="Okoro", sen_provision="K", primary_need="SLCN"
    )
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:register"))
    page.screenshot(path="/tmp/ehcp-register.png", full_page=True)
    page.get_by_role("link", name="Okoro, Sam").click()
    page.get_by_role("link", name="Start an EHC plan").click()
    page.fill("#id_requested_on_0", "2")
    page.fill("#id_requested_on_1", "3")
    page.fill("#id_requested_on_2", "2026")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="EHC plan", exact=True)).to_be_visible()
    plan = Plan.objects.get(pupil=pupil)
    for code in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"):
        expect(page.locator(f"#task-{code}-status")).to_have_text(re.compile("Not started"))
    assert_accessible(page)

    # Section A: views, then mark it completed.
    page.get_by_role("link", name=re.compile("^Section A:")).click()
    page.get_by_label("Views, interests and aspirations").fill("Sam loves trains and wants to be a driver.")
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#task-A-status")).to_have_text("Completed")

    # Section B: a need.
    page.get_by_role("link", name=re.compile("^Section B:")).click()
    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Describe the need").fill("Sam finds it hard to understand spoken instructions.")
    page.get_by_role("button", name="Save need").click()
    expect(page.get_by_text("Item added.")).to_be_visible()

    # Section E: an outcome with no timeframe (a finding).
    _go(page, live_server, reverse("ehcp:section_detail", args=[plan.public_id, "E"]))
    page.get_by_label("Outcome", exact=True).fill(
        "Sam will follow three-step instructions in 4 out of 5 lessons."
    )
    page.get_by_label("Need 1:").check()
    page.get_by_role("button", name="Save outcome").click()

    # Section F: vague provision with no one to deliver it (findings).
    _go(page, live_server, reverse("ehcp:section_detail", args=[plan.public_id, "F"]))
    page.get_by_label("What will be provided").fill("Access to speech therapy as required")
    page.get_by_label("Need 1:").check()
    page.get_by_label("Outcome 1:").check()
    page.get_by_role("button", name="Save provision").click()
    findings = page.locator("#quality-findings")
    expect(findings).to_contain_text("Section F, provision 1 does not say who delivers it")
    expect(findings).to_contain_text("'as required' is vague")
    page.screenshot(path="/tmp/ehcp-section-findings.png", full_page=True)
    assert_accessible(page)

    # The task list shows the findings per section, and does not block.
    page.get_by_role("link", name="Back to the plan").click()
    expect(page.locator("#task-E-hint")).to_have_text("1 quality finding")
    page.screenshot(path="/tmp/ehcp-task-list.png", full_page=True)

    # Fix the outcome's timeframe from the finding's link.
    page.locator("#quality-findings").get_by_role("link", name=re.compile("Change outcome 1")).click()
    page.get_by_label("By when").fill("By the end of Year 6 (July 2027)")
    page.get_by_role("button", name="Save outcome").click()
    # Fix the provision.
    _go(page, live_server, reverse("ehcp:section_detail", args=[plan.public_id, "F"]))
    page.get_by_role("link", name="Change provision 1", exact=True).click()
    page.get_by_label("What will be provided").fill("Individual speech and language therapy")
    page.get_by_label("Who delivers it").fill("Speech and language therapist")
    page.get_by_label("How often").fill("Once a week")
    page.get_by_label("For how long").fill("30 minutes a session, for the school year")
    page.get_by_label("Their expertise or qualification").fill("HCPC-registered")
    page.get_by_label("Group size or ratio").fill("1:1")
    page.get_by_role("button", name="Save provision").click()
    expect(page.locator("#quality-findings")).to_contain_text("No problems found")
    page.get_by_role("link", name="Back to the plan").click()
    expect(page.locator("#quality-findings")).to_contain_text("No problems found")

    page.get_by_role("button", name="Submit version 1 to the LA").click()
    expect(page.get_by_text("Version 1 submitted to LA X.")).to_be_visible()
    assert plan.versions.get().status == PlanVersion.Status.SUBMITTED

    # The LA officer returns it.
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["officer"])
    _go(page, live_server, reverse("ehcp:la_plan_list"))
    assert_accessible(page)
    page.get_by_role("link", name="Sam Okoro").click()
    assert_accessible(page)
    page.get_by_role("link", name="Return to the school").click()
    page.get_by_role("button", name="Return to the school").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the school should change")
    assert_accessible(page)
    page.get_by_label("What should the school change?").fill("Add health needs in section C.")
    page.get_by_role("button", name="Return to the school").click()
    expect(page.get_by_text("Plan returned to School A.")).to_be_visible()

    # The SENCO sees why, changes the plan and resubmits.
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:plan_detail", args=[plan.public_id]))
    expect(page.get_by_text("Add health needs in section C.")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Section C:")).click()
    page.get_by_label("Health needs related to the SEN").fill("Glue ear; hearing checked every 6 months.")
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and continue").click()
    # The returned version stays as the LA saw it; the school changed version 2, made from it.
    page.get_by_role("button", name="Submit version 2 to the LA").click()
    expect(page.get_by_text("Version 2 submitted to LA X.")).to_be_visible()
    assert list(plan.events.values_list("action", flat=True)) == [
        "created",
        "submitted",
        "returned",
        "submitted",
    ]


def test_every_ehcp_page_has_no_axe_violations(page, live_server, world, people):
    senco = membership_of(people["senco"])
    pupil = PupilFactory(
        school=world.school_a, first_name="Ava", last_name="Stone", sen_provision="E", primary_need="ASD"
    )
    CarerFactory(pupil=pupil, school=world.school_a)
    cycle = SupportCycleFactory(pupil=pupil, school=world.school_a)
    plan = PlanFactory(pupil=pupil, school=world.school_a)
    need, _, _ = add_golden_thread(plan.versions.get())
    services.plan_submit(plan=plan, by=senco)
    services.plan_finalise(plan=plan, by=membership_of(people["officer"]))
    services.plan_amendments_start(plan=plan, by=senco)
    amended = plan.versions.get(number=2)
    need = amended.needs.get()
    PupilFactory(school=world.school_a, sen_provision="K", primary_need="NSA")
    p, pl = pupil.public_id, plan.public_id
    school_pages = [
        reverse("ehcp:register"),
        reverse("ehcp:register") + "?need=ASD&provision=E&year=4",
        reverse("ehcp:pupil_add"),
        reverse("ehcp:pupil_import"),
        reverse("ehcp:school_deadlines"),
        reverse("ehcp:pupil_detail", args=[p]),
        reverse("ehcp:pupil_edit", args=[p]),
        reverse("ehcp:carer_add", args=[p]),
        reverse("ehcp:cycle_add", args=[p]),
        reverse("ehcp:cycle_edit", args=[p, cycle.public_id]),
        reverse("ehcp:evidence", args=[p]),
        reverse("ehcp:access_log", args=[p]),
        reverse("ehcp:plan_detail", args=[pl]),
        reverse("ehcp:plan_timeline", args=[pl]),
        reverse("ehcp:plan_dates", args=[pl]),
        reverse("ehcp:version_list", args=[pl]),
        reverse("ehcp:version_list", args=[pl]) + "?old=1&new=2",
        reverse("ehcp:item_edit", args=[pl, "B", need.public_id]),
        "/",
    ] + [reverse("ehcp:section_detail", args=[pl, code]) for code in ("A", "B", "E", "F", "G", "I", "K")]
    browser_sign_in(page, live_server, people["senco"])
    for url in school_pages:
        _go(page, live_server, url)
        assert_accessible(page)
    # Error states: an invalid pupil, an invalid cycle.
    _go(page, live_server, reverse("ehcp:pupil_add"))
    page.get_by_role("button", name="Save pupil").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    _go(page, live_server, reverse("ehcp:cycle_add", args=[p]))
    page.get_by_role("button", name="Save cycle").click()
    assert_accessible(page)
    # The LA's pages, and the start page of a plan.
    other = PupilFactory(school=world.school_a, sen_provision="K", primary_need="SPLD")
    _go(page, live_server, reverse("ehcp:plan_start", args=[other.public_id]))
    assert_accessible(page)
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["officer"])
    for url in (
        reverse("ehcp:la_plan_list"),
        reverse("ehcp:plan_detail", args=[pl]),
        reverse("ehcp:section_detail", args=[pl, "F"]),
        reverse("ehcp:plan_timeline", args=[pl]),
        reverse("ehcp:version_list", args=[pl]),
    ):
        _go(page, live_server, url)
        assert_accessible(page)


def test_drafting_a_section_with_the_keyboard_alone(page, live_server, world, people):
    pupil = PupilFactory(school=world.school_a, sen_provision="E", primary_need="SEMH")
    plan = PlanFactory(pupil=pupil, school=world.school_a)
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:section_detail", args=[plan.public_id, "B"]))

    def tab_to(selector: str, limit: int = 80) -> None:
        target = page.locator(selector)
        for _ in range(limit):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    # Tab enters a radio group at its first option; Space selects it (arrow keys are not needed).
    tab_to("input[name=area_of_need][value=communication_interaction]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Sam becomes anxious when moving between activities.")
    tab_to("input[type=submit][value='Save need'], button:has-text('Save need')")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Item added.")).to_be_visible()
    need = plan.versions.get().needs.get()
    assert (need.area_of_need, need.text) == (
        "communication_interaction",
        "Sam becomes anxious when moving between activities.",
    )
    # Mark the section completed with the keyboard too.
    tab_to("#completed-yes")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the "Save section status" button
    page.keyboard.press("Enter")
    expect(page.locator("#task-B-status")).to_have_text("Completed")
