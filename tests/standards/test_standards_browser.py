"""The standards pages in Chromium: they work, and axe finds no accessibility violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import assert_accessible, browser_sign_in
from tests.standards.factories import load_version, oap_2027, shipped_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def oap(world):
    v1_data = shipped_data("sendplan-oap")
    v1 = load_version(v1_data)
    v2 = load_version(oap_2027(v1_data))
    load_version(shipped_data("send-governance"))
    return v1, v2


def test_framework_list(page, live_server, senco_a_user, oap):
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("standards:framework_list"))
    expect(page.locator("h1")).to_have_text("Frameworks")
    expect(page.get_by_role("link", name="Ordinarily available provision", exact=True)).to_be_visible()
    page.screenshot(path="/tmp/standards-list.png", full_page=True)
    assert_accessible(page)


def test_version_page_filters_without_javascript_state(page, live_server, senco_a_user, oap):
    _, v2 = oap
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("standards:version_detail", args=[v2.public_id]))
    expect(page.locator("h1")).to_contain_text("Ordinarily available provision")
    expect(page.locator("#result-count")).to_have_text("105 criteria in 13 sections")
    page.screenshot(
        path="/tmp/standards-version-top.png",
        clip={"x": 0, "y": 0, "width": 1280, "height": 1800},
        full_page=True,
    )
    page.locator("#criterion-LEAD-01 summary").click()
    expect(page.locator("#criterion-LEAD-01 .govuk-details__text")).to_be_visible()
    page.screenshot(path="/tmp/standards-version.png", full_page=False)
    assert_accessible(page)
    page.get_by_label("Search by words").fill("SENCO qualification")
    page.get_by_label("Statutory duties only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("1 criterion matches your filters")
    expect(page.locator("#criterion-LEAD-02")).to_be_visible()
    page.screenshot(path="/tmp/standards-version-filtered.png", full_page=True)
    assert_accessible(page)


def test_comparison(page, live_server, governor_a_user, oap):
    v1, v2 = oap
    browser_sign_in(page, live_server, governor_a_user)
    page.goto(live_server.url + reverse("standards:version_compare", args=[v2.framework.public_id]))
    expect(page.locator("h1")).to_have_text("Changes from 2026 to 2027")
    expect(page.get_by_role("caption").filter(has_text="Added")).to_have_text("Added (1)")
    expect(page.get_by_role("caption").filter(has_text="Retired")).to_have_text("Retired (1)")
    page.screenshot(path="/tmp/standards-compare.png", full_page=True)
    assert_accessible(page)


def test_upload_with_errors(page, live_server, la_admin_x_user, tmp_path):
    bad = tmp_path / "oap.csv"
    bad.write_text("section,ref,statement\nLeadership,L-1,Something\n", encoding="utf-8")
    browser_sign_in(page, live_server, la_admin_x_user)
    page.goto(live_server.url + reverse("standards:framework_upload"))
    page.get_by_label("Framework file").set_input_files(str(bad))
    page.get_by_label("A new framework").check()
    page.get_by_label("Title of the new framework").fill("Our provision")
    page.get_by_label("Version label").fill("2027")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".app-problems")).to_contain_text("issing columns: evidence, statutory")
    assert page.title().startswith("Error: ")
    page.screenshot(path="/tmp/standards-upload-errors.png", full_page=True)
    assert_accessible(page)


def test_upload_review_and_publish(page, live_server, la_admin_x_user, world, tmp_path):
    from standards.models import FrameworkVersion

    csv = tmp_path / "northmere.csv"
    csv.write_text(
        "Section,Ref,Statement,Guidance,Evidence,Statutory,Statutory source,Area of need\n"
        "Leadership,NM-01,The SENCO has protected time.,Check the timetable.,Timetable|Job description,no,,\n"
        'Statutory duties,NM-02,The SEN information report is on the website.,,Website page,yes,"SEND Regulations 2014, Schedule 1",\n'
        "Communication and interaction,NM-03,Visual timetables are in every classroom.,,Photos,no,,Communication and interaction\n",
        encoding="utf-8",
    )
    browser_sign_in(page, live_server, la_admin_x_user)
    page.goto(live_server.url + reverse("standards:framework_upload"))
    page.get_by_label("Framework file").set_input_files(str(csv))
    page.get_by_label("A new framework").check()
    page.get_by_label("Title of the new framework").fill("Northmere provision")
    page.get_by_label("Version label").fill("2027")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("h1")).to_have_text("Review draft version 2027")
    page.screenshot(path="/tmp/standards-review.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Publish version 2027").click()  # a link styled as a button
    expect(page.locator("h1")).to_have_text("Publish version 2027?")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Once published, a version can never change.")
    assert FrameworkVersion.objects.get(framework__title="Northmere provision").status == "draft"
    assert_accessible(page)
    page.get_by_role("button", name="Publish version 2027").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published")
    assert FrameworkVersion.objects.get(framework__title="Northmere provision").status == "published"
    page.screenshot(path="/tmp/standards-published.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="NM-02").click()
    expect(page.locator("h1")).to_have_text("NM-02")
    page.screenshot(path="/tmp/standards-criterion.png", full_page=True)
    assert_accessible(page)
