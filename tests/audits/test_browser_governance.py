"""In Chromium: a governor starts and rates the governance health check and records the board's review; every
confirmation page and the truthful summary pass axe."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits import services
from audits.models import Audit, GovernorReview, Rating
from sendplan.models import Role
from tests.audits.factories import PDF, make_audit, make_version, rate_all
from tests.conftest import assert_accessible, browser_sign_in, membership_of
from tests.ehcp.factories import CarerFactory, PlanFactory, PupilFactory, add_golden_thread
from tests.factories import MembershipFactory
from tests.standards.factories import framework_data, load_version, shipped_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"


def as_user(browser, live_server, user):
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    browser_sign_in(page, live_server, user)
    return page


def test_a_governor_rates_the_health_check_and_records_the_boards_review(
    browser, live_server, world, governor_a_user, senco_a_user
):
    load_version(shipped_data("send-governance"))
    governor = as_user(browser, live_server, governor_a_user)

    governor.goto(live_server.url + "/")
    expect(governor.locator("main")).to_contain_text("The board has not recorded a review of an audit yet.")
    assert_accessible(governor)
    governor.get_by_role("link", name="Start the health check").click()
    expect(governor.get_by_label(re.compile("Ordinarily available provision"))).to_have_count(0)
    governor.get_by_label(re.compile("SEND governance health check")).check()
    governor.get_by_label("Academic year").fill("2026/27")
    governor.get_by_role("button", name="Start audit").click()
    expect(governor.locator("h1")).to_contain_text("SEND governance health check")
    audit = Audit.objects.get()
    assert audit.created_by == governor_a_user
    assert_accessible(governor)

    governor.get_by_role("link", name="Strategic leadership and the link SEND governor").click()
    for ref, label in (("STRAT-01", "Established"), ("STRAT-02", "Emerging")):
        block = governor.locator(f"#criterion-{ref}")
        block.get_by_label(label, exact=True).check()
        block.get_by_label(re.compile("^Rationale")).fill(f"Seen in the board's minutes ({ref}).")
        block.get_by_label(re.compile("^Rationale")).blur()
        expect(governor.locator(f"#status-{ref}")).to_contain_text("Saved")
    assert_accessible(governor)
    assert Rating.objects.get(audit=audit, criterion__ref="STRAT-02").updated_by == governor_a_user

    # The statutory duties are not rated yet: the level is withheld, never shown as a result.
    governor.goto(live_server.url + f"/audits/{audit.public_id}/summary/")
    expect(governor.locator("#overall-level")).to_contain_text("No level yet")
    expect(governor.locator("main")).to_contain_text("0 of 11 met, 11 unrated")
    expect(governor.locator(".govuk-panel")).to_have_count(0)
    assert_accessible(governor)
    governor.screenshot(path=f"{SHOTS}/governor-health-check-summary.png", full_page=True)

    # The board records its review of the draft.
    governor.get_by_role("link", name="Record that the board reviewed this audit").click()
    today = timezone.localdate()
    governor.get_by_label("Day").fill("31")
    governor.get_by_label("Month").fill("2")
    governor.get_by_label("Year").fill(str(today.year))
    governor.get_by_label("Minute reference").fill("FGB 2026/11 item 4")
    governor.get_by_role("button", name="Record the review").click()
    expect(governor).to_have_title(re.compile("^Error: "))
    expect(governor.locator(".govuk-error-summary")).to_contain_text(
        "Date of the meeting must be a real date"
    )
    assert_accessible(governor)
    governor.get_by_label("Day").fill(str(today.day))
    governor.get_by_label("Month").fill(str(today.month))
    governor.get_by_role("button", name="Record the review").click()
    expect(governor.locator("main")).to_contain_text("FGB 2026/11 item 4")
    assert GovernorReview.objects.get().audit == audit

    governor.goto(live_server.url + "/")
    expect(governor.locator("main")).to_contain_text(
        "The board reviewed the 2026/27 audit of SEND governance health check"
    )
    expect(governor.locator("main")).to_contain_text("2 of 27 criteria rated")
    assert_accessible(governor)
    governor.screenshot(path=f"{SHOTS}/governor-home.png", full_page=True)


def test_summary_as_a_senco_and_as_a_governor(browser, live_server, world, senco_a_user, governor_a_user):
    version = make_version(sections=3, per_section=3, statutory=("S1-01", "S2-01"))
    audit = make_audit(world.school_a, senco_a_user, version)
    rate_all(audit, senco_a_user, level=3)
    by = membership_of(senco_a_user)
    for ref, level in (("S2-01", 1), ("S3-02", None), ("S3-03", None)):
        rating = Rating.objects.get(audit=audit, criterion__ref=ref)
        if level is None:
            Rating.objects.filter(pk=rating.pk).update(level=None)
        else:
            services.rating_record(
                audit=audit,
                response=rating,
                level=level,
                not_applicable=False,
                na_reason="",
                rationale="Started this term.",
                expected_version=rating.version,
                by=by,
            )
    for user, name in ((senco_a_user, "senco"), (governor_a_user, "governor")):
        page = as_user(browser, live_server, user)
        page.goto(live_server.url + f"/audits/{audit.public_id}/summary/")
        expect(page.locator("#overall-level")).to_contain_text("Emerging")
        expect(page.locator("#overall-level")).to_contain_text("Provisional")
        expect(page.locator("main")).to_contain_text("1 of 2 met")
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/summary-as-{name}.png", full_page=True)


def test_every_confirmation_page_is_accessible(
    browser, live_server, world, senco_a_user, headteacher_a_user, la_admin_x_user
):
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user)
    by = membership_of(senco_a_user)
    evidence = services.evidence_add(
        audit=audit,
        title="Policy",
        criteria=[audit.framework_version.criteria.first()],
        by=by,
        file_name="p.pdf",
        data=PDF,
    )
    action = services.action_create(
        audit=audit,
        criterion=None,
        what="Review the policy",
        owner="SENCO",
        due=timezone.localdate() + datetime.timedelta(days=9),
        by=by,
    )
    pupil = PupilFactory(school=world.school_a)
    carer = CarerFactory(pupil=pupil, school=world.school_a)
    plan = PlanFactory(pupil=pupil, school=world.school_a)
    add_golden_thread(plan.versions.get())
    need = plan.versions.get().needs.first()
    governor = MembershipFactory(role=Role.GOVERNOR, school=world.school_a)
    draft = load_version(
        framework_data(publisher="local_authority", la_code=world.la_x.code, status="draft", criteria=3)
    )
    a = f"{live_server.url}/audits/{audit.public_id}"
    pages = {
        senco_a_user: [
            f"{a}/submit/",
            f"{a}/actions/{action.public_id}/remove/",
            f"{a}/evidence/{evidence.public_id}/remove/",
            live_server.url
            + reverse("ehcp:carer_remove", kwargs={"pupil_id": pupil.public_id, "carer_id": carer.public_id}),
            live_server.url
            + reverse(
                "ehcp:item_remove",
                kwargs={"plan_id": plan.public_id, "section": "B", "item_id": need.public_id},
            ),
        ],
        headteacher_a_user: [
            live_server.url
            + reverse("sendplan:membership_remove", kwargs={"membership_id": governor.public_id})
        ],
        la_admin_x_user: [
            live_server.url + reverse("standards:version_publish", kwargs={"version_id": draft.public_id})
        ],
    }
    for user, urls in pages.items():
        page = as_user(browser, live_server, user)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            expect(page.locator(".govuk-warning-text")).to_be_visible()
            expect(page.locator("main form button")).to_be_visible()
            assert_accessible(page)
        if user == senco_a_user:
            page.goto(f"{a}/submit/")
            page.screenshot(path=f"{SHOTS}/confirm-submit.png", full_page=True)
