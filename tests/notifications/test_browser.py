"""Chromium: each home page's "what needs doing" has no accessibility violation, and every item's link
leads to the page it names; the notifications and preference pages are accessible too.

The school is seen on 10 March 2027 (tests/notifications/conftest.py). The page each item must lead to is
written by hand from the item's words: the page title the reader should land on.
"""

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import Notification
from tests.conftest import assert_accessible, browser_sign_in, membership_of
from tests.notifications.conftest import SCHOOL_A_NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANDS_ON = {
    "senco_a": {
        "Decide whether to assess: Dan Dixon": "Deadlines for Dan Dixon's EHC plan",
        "Action overdue: Audit the sensory room": "Action plan – 2027/28 audit",
        "Decide whether to assess: Ada Lovelace": "Deadlines for Ada Lovelace's EHC plan",
        "Decide whether to assess: Bea Brown": "Deadlines for Bea Brown's EHC plan",
        "Change the EHC plan for Cal Carter and submit it again": "EHC plan for Cal Carter",
        "Confirm 2 ratings carried forward into your 2027/28 audit": "2027/28 audit",
        "Give a rationale for 1 rating in your 2027/28 audit": "S1-01 – 2027/28 audit",
        "Make the changes the local authority asked for in your 2026/27 audit": "2026/27 audit",
        "Waiting for the governing board to review the 2026/27 audit": "Where the school stands – 2026/27 audit",
    },
    "governor_a": {
        "Record the board's review of the 2026/27 audit": "Record the board's review",
        "Read the School SEND overview": "Reports",
        "The board last reviewed the 2025/26 audit on 20 February 2027": "Where the school stands – 2025/26 audit",
    },
    "la_officer_x": {
        "Decide whether to assess: EHC plan for D. D. at School A": "Deadlines for Dan Dixon's EHC plan",
        "Decide on School C's 2026/27 audit": "2026/27 audit",
        "Decide on the EHC plan for D. D. at School A": "EHC plan for Dan Dixon",
    },
}


@pytest.fixture
def on_the_day():
    with time_machine.travel(SCHOOL_A_NOW, tick=True):
        yield


@pytest.mark.parametrize("persona", LANDS_ON)
def test_every_item_leads_to_the_page_it_names(page, live_server, people, school_a, on_the_day, persona):
    browser_sign_in(page, live_server, people[persona])
    page.goto(live_server.url + reverse("home"))
    panel = page.locator(".app-what-needs-doing")
    expect(panel.get_by_role("heading", name="What needs doing")).to_be_visible()
    page.screenshot(path=f"/tmp/notifications-home-{persona}.png", full_page=True)
    assert_accessible(page)
    links = panel.locator(".govuk-task-list__link")
    titles = links.all_inner_texts()
    assert titles == list(LANDS_ON[persona])  # in order: most urgent first
    for title in titles:
        page.goto(live_server.url + reverse("home"))
        panel.get_by_role("link", name=title, exact=True).click()
        expect(page).to_have_title(f"{LANDS_ON[persona][title]} – sendplan")


def test_the_notifications_pages_are_accessible(page, live_server, people, on_the_day):
    user = people["senco_a"]
    membership = membership_of(user)
    for title in (
        "The local authority accepted your 2026/27 audit",
        "Your report is ready: School SEND overview",
    ):
        Notification.objects.create(
            user=user, membership=membership, organisation_name="School A", kind=Notification.Kind.AUDIT_ACCEPTED,
            title=title, body="It is now the school's record for the year.", link="/audits/",
            delivery=Notification.Delivery.IMMEDIATE,
        )  # fmt: skip
    browser_sign_in(page, live_server, user)
    page.goto(live_server.url + reverse("home"))
    expect(page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications 2 unread").click()
    expect(page).to_have_title("Notifications – sendplan")
    page.screenshot(path="/tmp/notifications-list.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("button", name="Mark “Your report is ready: School SEND overview” as read").click()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change how you are emailed").click()
    expect(page).to_have_title("How you are emailed – sendplan")
    assert_accessible(page)
    page.evaluate("document.querySelectorAll('input[type=radio]').forEach(r => r.checked = false)")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title("Error: How you are emailed – sendplan")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    page.screenshot(path="/tmp/notifications-preferences-error.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("Once a day, in one email").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title("Notifications – sendplan")
    expect(page.get_by_text("You get one email a day of these")).to_be_visible()
