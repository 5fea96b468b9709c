"""Chromium: importing an MIS export (upload, match a column, preview, confirm, upload again), and axe on
every page of the register that issue 12 added, in their error states too."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ehcp.models import Plan, PlanVersion, Pupil, PupilImport
from tests.conftest import assert_accessible, browser_sign_in, make_member
from tests.ehcp.factories import PlanFactory, PupilFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = (Path(__file__).parent / "fixtures" / "sims_sen_export.csv").read_text()
LONG_SURNAME = "Featherstonehaugh-" * 6 + "Smith"
# The school's export calls the first name something the import does not know, so it asks once.
EXPORT = (
    FIXTURE.replace(LONG_SURNAME, "Hughes")
    .replace("31/02/2016", "28/02/2016")
    .replace("Legal Forename,Preferred Forename", "Child's given names,Known as")
)


@pytest.fixture
def people(world):
    return {
        "senco": make_member("senco", school=world.school_a, email="senco.register@example.org"),
        "admin": make_member("la_admin", la=world.la_x, email="admin.register@example.org"),
    }


def _go(page, live_server, url: str) -> None:
    page.goto(live_server.url + url)


def _upload(page, path: Path) -> None:
    page.get_by_label("Upload your MIS export").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()


def test_import_an_mis_export_match_a_column_preview_and_confirm(page, live_server, world, people, tmp_path):
    export = tmp_path / "sims-export.csv"
    export.write_text(EXPORT)
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:register"))
    page.get_by_role("link", name="Import from your MIS").click()
    expect(page.get_by_role("heading", name="Import pupils from your MIS")).to_be_visible()
    assert_accessible(page)

    # The export names the first name in its own way: the import asks which column holds it.
    _upload(page, export)
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("1")  # "Legal Surname", recognised
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the column that holds the first name"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("First name").select_option(label="Child's given names")
    page.screenshot(path="/tmp/i12-import-columns.png", full_page=True)
    page.get_by_role("button", name="Save and preview").click()

    # The preview: seven to add, line 6 left out as a possible duplicate of line 2, nothing saved yet.
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.locator("#count-adds")).to_have_text("7")
    expect(page.locator("#count-duplicates")).to_have_text("1")
    expect(page.locator("#duplicates")).to_contain_text("Has the same name and date of birth as line 2")
    expect(page.locator("#adds")).to_contain_text("Brook, Ada")
    assert not Pupil.objects.exists()
    page.screenshot(path="/tmp/i12-import-preview.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_text("sims-export.csv imported: 7 pupils added and 0 updated.")).to_be_visible()
    expect(page.get_by_role("link", name="Brook, Ada")).to_be_visible()
    assert Pupil.objects.filter(school=world.school_a).count() == 7
    # Ben Carter is coded E with no final plan recorded: the register asks the SENCO to check.
    expect(page.locator("main")).to_contain_text("Coded E (EHC plan), but no final EHC plan is recorded")
    page.screenshot(path="/tmp/i12-register.png", full_page=True)
    assert_accessible(page)

    # The same export again: the school's column match is remembered, and it adds nobody.
    page.get_by_role("link", name="Import from your MIS").click()
    _upload(page, export)
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.locator("#count-adds")).to_have_text("0")
    expect(page.locator("#count-unchanged")).to_have_text("7")
    expect(page.locator("#confirm")).to_have_text(
        "The file adds nothing and changes nothing on the register."
    )
    assert_accessible(page)
    assert Pupil.objects.filter(school=world.school_a).count() == 7


def test_a_file_with_problems_lists_them_and_can_be_uploaded_again(
    page, live_server, world, people, tmp_path
):
    export = tmp_path / "with-problems.csv"
    export.write_text(FIXTURE)
    browser_sign_in(page, live_server, people["senco"])
    _go(page, live_server, reverse("ehcp:pupil_import"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a CSV or Excel file")
    assert_accessible(page)
    _upload(page, export)
    expect(page.get_by_role("heading", name="Correct the file")).to_be_visible()
    expect(page.locator("#problems")).to_contain_text("Last name must be 100 characters or fewer")
    expect(page.locator("#problems")).to_contain_text("Date of birth must be a real date")
    assert page.title().startswith("Error: ")
    page.screenshot(path="/tmp/i12-import-problems.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Discard this file").click()
    expect(page.get_by_text("with-problems.csv was discarded. Nothing was imported.")).to_be_visible()
    assert PupilImport.objects.get().status == "discarded" and not Pupil.objects.exists()


def test_every_new_register_page_has_no_axe_violations(page, live_server, world, people):
    pupil = PupilFactory(
        school=world.school_a, first_name="Ava", last_name="Stone", sen_provision="K", primary_need="ASD",
        free_school_meals=True, looked_after="previous", added_to_register_on=date(2025, 9, 4),
    )  # fmt: skip
    plan = PlanFactory(pupil=pupil, school=world.school_a, status=PlanVersion.Status.SUBMITTED)
    PlanVersion.objects.filter(plan=plan).update(status="final", kind="final", finalised_at=timezone.now())
    Plan.objects.filter(pk=plan.pk).update(status="final")
    leaver = PupilFactory(
        school=world.school_a, first_name="Leo", last_name="Gone", left_on=date(2026, 7, 18)
    )
    fresh = PupilFactory(school=world.school_a, first_name="New", last_name="Entry")
    browser_sign_in(page, live_server, people["senco"])
    pages = {
        "register-search": reverse("ehcp:register") + "?search=ava",
        "leavers": reverse("ehcp:register") + "?left=1",
        "pupil-flagged": reverse("ehcp:pupil_detail", args=[pupil.public_id]),
        "pupil-left": reverse("ehcp:pupil_detail", args=[leaver.public_id]),
        "pupil-add": reverse("ehcp:pupil_add"),
        "pupil-edit": reverse("ehcp:pupil_edit", args=[pupil.public_id]),
        "leave": reverse("ehcp:pupil_leave", args=[fresh.public_id]),
        "remove": reverse("ehcp:pupil_remove", args=[fresh.public_id]),
        "remove-refused": reverse("ehcp:pupil_remove", args=[pupil.public_id]),
    }
    for name, url in pages.items():
        _go(page, live_server, url)
        page.screenshot(path=f"/tmp/i12-{name}.png", full_page=True)
        assert_accessible(page)
    expect(page.locator("#removal-refused")).to_contain_text("has an EHC plan")

    # Error states, then the journeys they guard.
    _go(page, live_server, pages["leave"])
    page.get_by_role("button", name="Mark as left").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill("18")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Mark as left").click()
    expect(page.locator("#pupil-left")).to_contain_text("Left the school on 18 July 2026")
    page.get_by_role("button", name="Put back on the register").click()
    expect(page.get_by_text("New Entry is back on the register.")).to_be_visible()

    _go(page, live_server, pages["remove"])
    page.get_by_role("button", name="Remove the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether the record was added in error"
    )
    assert_accessible(page)
    page.get_by_label("Yes, remove the record").check()
    page.get_by_role("button", name="Remove the record").click()
    expect(page.get_by_text("New Entry's record was removed. Its access log is kept.")).to_be_visible()
    assert not Pupil.objects.filter(pk=fresh.pk).exists()

    # The LA admin's legal holds.
    page.context.clear_cookies()
    browser_sign_in(page, live_server, people["admin"])
    _go(page, live_server, reverse("ehcp:legal_holds"))
    page.screenshot(path="/tmp/i12-legal-holds.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="Place a hold for Ava Stone").click()
    page.get_by_label("Yes, place a legal hold").check()
    page.get_by_role("button", name="Save legal hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the record must be kept")
    assert_accessible(page)
    page.get_by_label("Why must the record be kept?").fill("Tribunal appeal")
    page.get_by_role("button", name="Save legal hold").click()
    expect(page.get_by_text("Legal hold placed on Ava Stone's record.")).to_be_visible()
    assert Pupil.objects.get(pk=pupil.pk).legal_hold
