"""In Chromium: from the audit round to a school's criterion and back, with the round's filters kept; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.audits.round_data import build_round
from tests.conftest import assert_accessible, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"


def test_from_the_round_to_a_criterion_and_back(
    page, live_server, world, senco_a_user, la_officer_x_user, la_officer_y_user
):
    data = build_round(world, senco_a_user, la_officer_x_user, la_officer_y_user)
    browser_sign_in(page, live_server, la_officer_x_user)
    page.goto(f"{live_server.url}/audits/la/round/?version={data.version.public_id}&year=2026/27")
    expect(page.locator("#coverage")).to_contain_text("2 of 7 schools submitted; 3 not started")
    expect(page.locator("table.app-round tbody tr")).to_have_count(7)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/audit-round.png", full_page=True)

    # A closing date: a wrong one is explained where it was typed (axe on the error state), then set.
    page.get_by_role("link", name="Set a closing date").click()
    expect(page.locator("h1")).to_have_text("When should schools submit their audits by?")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save the closing date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Closing date must be a real date")
    expect(page.get_by_label("Year")).to_have_value("2027")
    assert_accessible(page)
    page.get_by_label("Day").fill("28")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Save the closing date").click()
    expect(page.locator("#closing-date")).to_contain_text("Closing date: 28 February 2099")
    assert_accessible(page)

    # The reminder asks first.
    page.get_by_role("link", name="Remind the schools that have not submitted").click()
    expect(page.locator("h1")).to_have_text("Remind the 5 schools that have not submitted?")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    # Filter, then sort by level.
    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Show schools").click()
    expect(page.locator("table.app-round tbody tr")).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Overall level")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Overall level")
    round_address = page.url
    assert "status=accepted" in round_address and "sort=level" in round_address

    # Round row -> the school's profile -> its audit -> a section's criteria.
    page.get_by_role("link", name="School A").click()
    expect(page.locator("h1")).to_have_text("School A")
    expect(page.locator("main")).to_contain_text("Emerging")
    assert_accessible(page)
    page.get_by_role("link", name="2026/27 audit of").click()
    expect(page.locator("h1")).to_contain_text("Test framework")
    assert_accessible(page)
    page.get_by_role("link", name="Section S1").click()
    expect(page.locator("#criterion-S1-01")).to_contain_text("Statement for S1-01.")
    assert_accessible(page)

    # And back, to the round as it was left.
    page.get_by_role("link", name="All sections").click()
    page.get_by_role("link", name="School A").first.click()
    expect(page.locator("h1")).to_have_text("School A")
    page.get_by_role("link", name="Back to the audit round").click()
    assert page.url == round_address
    expect(page.locator("table.app-round tbody tr")).to_have_count(1)
    expect(page.get_by_label("Status")).to_have_value("accepted")
