"""The whole audit journey in Chromium, again without JavaScript, and axe on every audit page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits import services
from audits.models import Audit, AuditEvent, Evidence, GovernorReview, Rating
from tests.audits.factories import PDF, make_audit, make_version, rate_all, sample_submitted_audit
from tests.conftest import assert_accessible, browser_sign_in, membership_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"


def as_user(browser, live_server, user, *, javascript=True, htmx=True):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    if not htmx:  # JavaScript on (axe needs it) but forms post as they would without it
        page.route("**/htmx*.js", lambda route: route.abort())
    page.set_default_timeout(10_000)
    browser_sign_in(page, live_server, user)
    return page


def rate_with_autosave(page, ref: str, label: str, rationale: str) -> None:
    block = page.locator(f"#criterion-{ref}")
    block.get_by_label(label, exact=True).check()
    block.get_by_label(re.compile("^Rationale")).fill(rationale)
    block.get_by_label(re.compile("^Rationale")).blur()
    expect(page.locator(f"#status-{ref}")).to_contain_text("Saved")


def test_the_whole_journey(browser, live_server, world, senco_a_user, la_officer_x_user, governor_a_user):
    make_version(sections=2, per_section=3, slug="journey")
    senco = as_user(browser, live_server, senco_a_user)

    # start
    senco.goto(live_server.url + "/audits/")
    assert_accessible(senco)
    senco.get_by_label(re.compile("Test framework")).check()
    senco.get_by_label("Academic year").fill("2026/27")
    senco.get_by_role("button", name="Start audit").click()
    expect(senco.locator("h1")).to_contain_text("Test framework")
    audit = Audit.objects.get()
    expect(senco.locator(".govuk-task-list")).to_contain_text("Not started")
    assert_accessible(senco)

    # rate with autosave: every criterion of both sections
    senco.get_by_role("link", name="Section S1").click()
    rate_with_autosave(senco, "S1-01", "Established", "Board minute designates the SENCO.")
    rate_with_autosave(senco, "S1-02", "Emerging", "Started this term.")
    rate_with_autosave(senco, "S1-03", "Embedded", "Checked every term.")
    assert_accessible(senco)
    senco.screenshot(path=f"{SHOTS}/audits-section.png", full_page=True)
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").level == 1

    # a level saves without a rationale and is marked; "Not applicable" without its reason is an error
    # in place when Save is pressed
    senco.goto(live_server.url + f"/audits/{audit.public_id}/sections/S2/")
    block = senco.locator("#criterion-S2-01")
    block.get_by_label("Embedded", exact=True).check()
    expect(senco.locator("#status-S2-01")).to_contain_text("Saved")
    expect(senco.locator("#status-S2-01")).to_contain_text("Rationale needed")
    block.get_by_label("Not applicable", exact=True).check()
    block.get_by_role("button", name=re.compile("^Save")).click()
    expect(senco.locator("#criterion-S2-01 .govuk-error-summary")).to_contain_text("Enter why this criterion")
    assert_accessible(senco)
    rate_with_autosave(senco, "S2-01", "Embedded", "Whole-staff training, impact checked.")
    rate_with_autosave(senco, "S2-02", "Established", "In place in most classes.")
    rate_with_autosave(senco, "S2-03", "Not yet in place", "")

    # evidence
    senco.locator("#criterion-S2-01").get_by_role("link", name=re.compile("^Add evidence")).click()
    senco.get_by_label("Title").fill("Training log")
    senco.get_by_label("Upload a file").set_input_files(
        {"name": "training.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    senco.get_by_label("Governors may see this evidence").check()
    senco.get_by_role("button", name="Add evidence").click()
    expect(senco.locator("#criterion-S2-01")).to_contain_text("Training log")
    assert Evidence.objects.get().ratings.get().criterion.ref == "S2-01"

    # an action
    senco.goto(live_server.url + f"/audits/{audit.public_id}/actions/add/")
    senco.get_by_label("Criterion this action improves").select_option(label="S2-03: Statement for S2-03.")
    senco.get_by_label("What will be done").fill("Write the accessibility plan")
    senco.get_by_label("Who will do it").fill("Headteacher")
    due = timezone.localdate() + datetime.timedelta(days=60)
    senco.get_by_label("Day").fill(str(due.day))
    senco.get_by_label("Month").fill(str(due.month))
    senco.get_by_label("Year").fill(str(due.year))
    senco.get_by_label("How you will know it has worked").fill("Plan published on the website")
    senco.get_by_label(re.compile("Estimated cost")).fill("0")
    senco.get_by_role("button", name="Save action").click()
    expect(senco.locator("table")).to_contain_text("Write the accessibility plan")
    assert_accessible(senco)

    # summary, check answers, submit
    senco.goto(live_server.url + f"/audits/{audit.public_id}/summary/")
    expect(senco.locator("h1")).to_have_text("Where the school stands")
    senco.screenshot(path=f"{SHOTS}/audits-summary.png", full_page=True)
    senco.goto(live_server.url + f"/audits/{audit.public_id}/")
    senco.screenshot(path=f"{SHOTS}/audits-task-list.png", full_page=True)
    senco.get_by_role("link", name="Check your answers and submit the audit").click()
    assert_accessible(senco)
    senco.get_by_role("button", name="Continue").click()
    expect(senco.locator("h1")).to_have_text("Submit the audit to LA X?")
    expect(senco.locator(".govuk-warning-text")).to_contain_text(
        "You cannot change the audit while LA X reviews it"
    )
    assert_accessible(senco)
    senco.get_by_role("button", name="Submit the audit").click()
    expect(senco.locator(".govuk-notification-banner--success")).to_contain_text("Audit submitted to LA X")
    audit.refresh_from_db()
    assert audit.status == "submitted"

    # the LA returns it with comments
    officer = as_user(browser, live_server, la_officer_x_user)
    officer.goto(live_server.url + "/audits/la/")
    assert_accessible(officer)
    officer.screenshot(path=f"{SHOTS}/audits-la-list.png", full_page=True)
    officer.get_by_role("link", name="School A").click()
    officer.get_by_role("link", name="Section S1").click()
    officer.get_by_label("Comment for the school on S1-02").fill("What has changed since last term?")
    officer.get_by_role("button", name="Add comment on S1-02").click()
    expect(officer.locator("#criterion-S1-02")).to_contain_text("What has changed since last term?")
    assert_accessible(officer)
    officer.goto(live_server.url + f"/audits/{audit.public_id}/")
    officer.get_by_role("link", name="Return for changes").click()
    officer.get_by_label("What does the school need to change?").fill("Please say more about S1-02.")
    officer.get_by_role("button", name="Return to the school").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text("returned")

    # the school changes it and resubmits
    senco.goto(live_server.url + f"/audits/{audit.public_id}/")
    expect(senco.locator("#outcome-title")).to_contain_text("Local authority decision")
    expect(senco.locator("main")).to_contain_text("Please say more about S1-02.")
    senco.get_by_role("link", name="Section S1").click()
    expect(senco.locator("#criterion-S1-02")).to_contain_text("What has changed since last term?")
    rate_with_autosave(senco, "S1-02", "Established", "Now in every class; see the new provision map.")
    senco.goto(live_server.url + f"/audits/{audit.public_id}/check/")
    senco.get_by_role("button", name="Continue").click()
    senco.get_by_role("button", name="Submit the audit").click()
    expect(senco.locator(".govuk-notification-banner--success")).to_contain_text("Audit submitted")

    # the LA accepts
    officer.goto(live_server.url + f"/audits/{audit.public_id}/accept/")
    officer.get_by_role("button", name="Accept the audit").click()
    audit.refresh_from_db()
    assert audit.status == "accepted"

    # the governor sees it and records the board's review
    governor = as_user(browser, live_server, governor_a_user)
    governor.goto(live_server.url + f"/audits/{audit.public_id}/summary/")
    expect(governor.locator("main")).to_contain_text("Overall level:")
    expect(governor.locator("main")).to_contain_text("Accepted on")
    assert_accessible(governor)
    governor.get_by_role("link", name="Record that the board reviewed this audit").click()
    today = timezone.localdate()
    governor.get_by_label("Day").fill(str(today.day))
    governor.get_by_label("Month").fill(str(today.month))
    governor.get_by_label("Year").fill(str(today.year))
    governor.get_by_label("Minute reference").fill("FGB 2027/03 item 6")
    governor.get_by_role("button", name="Record the review").click()
    expect(governor.locator("main")).to_contain_text("FGB 2027/03 item 6")
    assert GovernorReview.objects.get().audit == audit
    kinds = list(AuditEvent.objects.filter(audit=audit).values_list("kind", flat=True))
    assert kinds.count("submitted") == 2 and kinds.count("returned") == 1 and kinds.count("accepted") == 1


def test_rating_and_submitting_without_javascript(browser, live_server, world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=2, statutory=()))
    page = as_user(browser, live_server, senco_a_user, javascript=False)
    page.goto(live_server.url + f"/audits/{audit.public_id}/sections/S1/")
    for ref, label in (("S1-01", "Emerging"), ("S1-02", "Embedded")):
        block = page.locator(f"#criterion-{ref}")
        block.get_by_label(label, exact=True).check()
        block.get_by_label(re.compile("^Rationale")).fill(f"Reason for {ref}")
        block.get_by_role("button", name=re.compile("^Save")).click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Your rating of {ref}")
        assert page.url.endswith(f"#criterion-{ref}")
    # an error without JavaScript: the criterion page with the error summary
    block = page.locator("#criterion-S1-01")
    block.get_by_label("Not applicable", exact=True).check()
    block.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this criterion does not apply")
    # (axe cannot run with JavaScript off; the same error page is checked in the next test)
    page.goto(live_server.url + f"/audits/{audit.public_id}/check/")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit the audit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Audit submitted")
    audit.refresh_from_db()
    assert audit.status == "submitted"
    assert [r.level for r in audit.ratings.order_by("criterion__position")] == [1, 3]


def test_every_audit_page_is_accessible(
    browser, live_server, world, senco_a_user, headteacher_a_user, la_officer_x_user, governor_a_user
):
    submitted = sample_submitted_audit(world.school_a, slug="axe-sample")
    evidence = submitted.evidence_added.get()
    action = submitted.actions.get()
    draft = make_audit(world.school_a, senco_a_user, make_version(slug="axe-draft"))
    rate_all(draft, senco_a_user)
    services.action_create(
        audit=draft,
        criterion=None,
        what="Review the SEN information report",
        owner="SENCO",
        due=timezone.localdate() + datetime.timedelta(days=10),
        by=membership_of(senco_a_user),
    )
    base = live_server.url + "/audits"
    s, d = submitted.public_id, draft.public_id
    pages = {
        senco_a_user: [
            "/",
            f"/{d}/",
            f"/{d}/sections/S1/",
            f"/{d}/criteria/S1-01/",
            f"/{d}/rate/",
            f"/{d}/rate/?section=S2&show=statutory",
            f"/{d}/summary/",
            f"/{d}/check/",
            f"/{d}/history/",
            f"/{d}/compare/",
            f"/{d}/compare/?other={s}",
            f"/{d}/evidence/",
            f"/{d}/evidence/add/",
            f"/{d}/actions/",
            f"/{d}/actions/add/",
            f"/{d}/actions/{draft.actions.get().public_id}/",
            f"/{d}/actions/{draft.actions.get().public_id}/remove/",
            f"/{d}/submit/",
            f"/{s}/",
            f"/{s}/evidence/",
        ],
        la_officer_x_user: [
            "/la/",
            "/la/weakest-provision/",
            f"/{s}/",
            f"/{s}/sections/S1/",
            f"/{s}/rate/",
            f"/{s}/summary/",
            f"/{s}/comments/",
            f"/{s}/return/",
            f"/{s}/accept/",
            f"/{s}/evidence/",
            f"/{s}/actions/",
        ],
        governor_a_user: [
            f"/{s}/",
            f"/{s}/summary/",
            f"/{s}/sections/S1/",
            f"/{s}/rate/",
            f"/{s}/board-review/",
            f"/{s}/actions/",
        ],
    }
    assert action and evidence
    for user, paths in pages.items():
        page = as_user(browser, live_server, user)
        for path in paths:
            page.goto(base + path if path != "/" else live_server.url + "/")
            expect(page.locator("main h1")).to_be_visible()
            assert_accessible(page)

    # pages showing errors: a criterion without htmx, an action in the past, and the conflict page
    page = as_user(browser, live_server, senco_a_user, htmx=False)
    page.goto(f"{base}/{d}/sections/S1/")
    page.locator("#criterion-S1-03").get_by_label("Not applicable", exact=True).check()
    page.locator("#criterion-S1-03").get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_title(re.compile("^Error: "))
    page.wait_for_load_state("load")
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/{d}/actions/add/")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Save action").click()
    expect(page).to_have_title(re.compile("^Error: "))
    page.wait_for_load_state("load")
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/{d}/criteria/S1-02/")
    response = Rating.objects.get(audit=draft, criterion__ref="S1-02")
    services.rating_record(  # a colleague saves while the form is open
        audit=draft,
        response=response,
        level=0,
        not_applicable=False,
        na_reason="",
        rationale="The head says not yet",
        expected_version=response.version,
        by=membership_of(headteacher_a_user),
    )
    page.locator("#criterion-S1-02").get_by_label("Embedded", exact=True).check()
    page.locator("#criterion-S1-02").get_by_label(re.compile("^Rationale")).fill("My view")
    page.locator("#criterion-S1-02").get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else changed this criterion")
    expect(page.locator("main")).to_contain_text("The head says not yet")
    assert page.locator("#id_S1-02-rationale").input_value() == "My view"
    page.screenshot(path=f"{SHOTS}/audits-conflict.png", full_page=True)
    assert_accessible(page)
