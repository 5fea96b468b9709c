"""Chromium: the whole-plan page and the document pages with documents queued, ready and failed; axe on each;
a queued row turns to "Ready" without a reload; the whole plan printed says "DRAFT" on every page."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sendplan import reports
from sendplan.models import Report
from tests.conftest import assert_accessible, browser_sign_in, membership_of
from tests.ehcp.known_plan import add_support_history, known_plan, known_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(world):
    pupil = known_pupil(world.school_a)
    add_support_history(pupil)
    return known_plan(pupil)


@pytest.fixture
def no_worker(monkeypatch):
    """Leave queued reports queued: no worker takes them and the test process does not render them."""
    from sendplan.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.tasks["sendplan.tasks.render_report"], "delay", lambda *args: None)


def three_states(kind: str, subject, by) -> tuple[Report, Report, Report]:
    """Return a queued, a ready and a failed report of the kind (use with no_worker)."""
    membership = membership_of(by)
    queued, done, broken = (
        reports.report_request(kind=kind, subject=subject, by=membership) for _ in range(3)
    )
    reports.report_render(report_id=done.pk)
    Report.objects.filter(pk=broken.pk).update(snapshot={**broken.snapshot, "data": {"broken": True}})
    reports.report_render(report_id=broken.pk)
    return queued, done, broken


def test_the_whole_plan_page_is_accessible_and_prints_draft_on_every_page(
    page, live_server, plan, senco_a_user, tmp_path
):
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("ehcp:plan_whole", args=[plan.public_id]))
    expect(page.get_by_role("heading", level=1)).to_have_text("EHC plan for Sam Okoro")
    expect(page.get_by_role("heading", name="Section K: The advice and information gathered")).to_be_visible()
    page.screenshot(path="/tmp/ehcp-whole-plan.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="Need 2", exact=True).first.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#need-2")

    printed = tmp_path / "printed.pdf"
    page.emulate_media(media="print")
    page.screenshot(path="/tmp/ehcp-whole-plan-print.png", full_page=True)
    page.pdf(path=str(printed), format="A4")
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(printed)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages >= 2
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(printed), "-"],
            capture_output=True,
            text=True,
        ).stdout
        assert "DRAFT" in text, f"printed page {number}"
        assert "Sign out" not in text and "Skip to main content" not in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(printed), "/tmp/ehcp-whole-plan-printed"]
    )


def test_the_plan_documents_page_is_accessible_queued_ready_and_failed(
    page, live_server, plan, senco_a_user, no_worker
):
    queued, done, broken = three_states("ehc_plan", plan, senco_a_user)
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("ehcp:plan_documents", args=[plan.public_id]))
    expect(page.locator(f"#report-{queued.public_id}")).to_contain_text("Queued")
    expect(page.locator(f"#report-{done.public_id}")).to_contain_text("Ready")
    expect(page.locator(f"#report-{broken.public_id}")).to_contain_text("Not prepared because of a fault")
    page.screenshot(path="/tmp/ehcp-plan-documents.png", full_page=True)
    assert_accessible(page)

    # The queued row polls its status: once a worker has rendered it, it says so without a reload.
    reports.report_render(report_id=queued.pk)
    expect(page.locator(f"#report-{queued.public_id}")).to_contain_text("Ready", timeout=10_000)
    expect(
        page.locator(f"#report-{queued.public_id}").get_by_role("link", name="Download PDF")
    ).to_be_visible()
    assert_accessible(page)


def test_asking_for_a_word_file_from_the_page(page, live_server, plan, senco_a_user):
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("ehcp:plan_documents", args=[plan.public_id]))
    page.get_by_label("Word, for the local authority to finalise").check()
    page.get_by_role("button", name="Prepare the document").click()
    expect(page.get_by_text("The document is being prepared.")).to_be_visible()
    report = Report.objects.get()
    assert report.format == "docx"
    expect(page.locator(f"#report-{report.public_id}")).to_contain_text("EHC plan (Word)")
    assert_accessible(page)


def test_the_pupil_documents_page_is_accessible_queued_ready_and_failed(
    page, live_server, plan, senco_a_user, no_worker
):
    pupil = plan.pupil
    three_states("subject_access", pupil, senco_a_user)
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + reverse("ehcp:pupil_documents", args=[pupil.public_id]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents for Sam Okoro")
    page.screenshot(path="/tmp/ehcp-pupil-documents.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the pack").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a pack")
    assert page.title().startswith("Error: ")
    page.screenshot(path="/tmp/ehcp-document-request-error.png", full_page=True)
    assert_accessible(page)


def test_the_school_reports_page_is_accessible_queued_ready_and_failed(
    page, live_server, world, governor_a_user, no_worker
):
    three_states("school_overview", world.school_a, governor_a_user)
    browser_sign_in(page, live_server, governor_a_user)
    page.goto(live_server.url + reverse("sendplan:report_list"))
    expect(page.get_by_text("Not prepared because of a fault")).to_be_visible()
    page.screenshot(path="/tmp/sendplan-reports.png", full_page=True)
    assert_accessible(page)
