"""The LA's own spreadsheet in Chromium: each step works without help, and axe finds no violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import assert_accessible, browser_sign_in
from tests.standards.test_spreadsheet_upload import LA_ROWS, RAG, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_match_check_and_import(page, live_server, la_admin_x_user, tmp_path):
    rows = [list(r) for r in LA_ROWS] + [[None, "", None, "Notes", "no", None]]  # row 6: no statement
    bad = tmp_path / "Northmere OAP.xlsx"
    bad.write_bytes(xlsx(rows=rows))
    good = tmp_path / "Northmere OAP 2027.xlsx"
    good.write_bytes(xlsx())
    browser_sign_in(page, live_server, la_admin_x_user)

    page.goto(live_server.url + reverse("standards:spreadsheet_upload"))
    expect(page.locator("h1")).to_have_text("Upload your own spreadsheet")
    page.screenshot(path="/tmp/spreadsheet-upload.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Upload and match the columns").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an XLSX or CSV file")
    assert_accessible(page)

    page.get_by_label("Upload your spreadsheet").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and match the columns").click()
    expect(page.locator("h1")).to_have_text("Match the columns")
    expect(page.get_by_label("Criterion statement")).to_have_value("1")  # guessed: "What we expect to see"
    expect(page.locator("#preview")).to_contain_text("(from the row above)")
    page.screenshot(path="/tmp/spreadsheet-columns.png", full_page=True)
    assert_accessible(page)

    # A mistake in the matching: the file stays, the choices stay.
    page.get_by_label("Evidence examples").select_option("1")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This column is already chosen")
    assert page.title().startswith("Error: ")
    page.screenshot(path="/tmp/spreadsheet-columns-error.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("Evidence examples").select_option("3")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("h1")).to_have_text("Check and import")
    expect(page.locator("#problems")).to_contain_text("The statement is empty")
    expect(page.locator("#problems tbody tr").first.locator("td").first).to_have_text("6")
    page.screenshot(path="/tmp/spreadsheet-check-problems.png", full_page=True)
    assert_accessible(page)

    # A corrected file, then the scale of the LA's own.
    page.goto(live_server.url + reverse("standards:spreadsheet_upload"))
    page.get_by_label("Upload your spreadsheet").set_input_files(str(good))
    page.get_by_role("button", name="Upload and match the columns").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#count-criteria")).to_have_text("4")
    page.screenshot(path="/tmp/spreadsheet-check.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("A new framework").check()
    page.get_by_label("Title of the new framework").fill("Northmere ordinarily available provision")
    page.get_by_label("Version label").fill("2027")
    page.get_by_label("Rating levels, lowest first").fill(RAG)
    page.get_by_label("Level at which a statutory duty counts as met").fill("Red")
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be the lowest level")
    expect(page.get_by_label("Rating levels, lowest first")).to_have_value(RAG)
    page.screenshot(path="/tmp/spreadsheet-check-error.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("Level at which a statutory duty counts as met").fill("Green")
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator("h1")).to_contain_text("2027")
    expect(page.locator("body")).to_contain_text("Green – in place")
    page.screenshot(path="/tmp/spreadsheet-review.png", full_page=True)
    assert_accessible(page)
