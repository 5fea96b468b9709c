"""The governors' SEND health check end to end: asked for by a governor on the reports page, rendered by a
real Celery worker process on Redis, downloaded and read back; and the same page in Chromium, with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sendplan.models import Report
from tests.audits.test_documents import build_audit
from tests.conftest import assert_accessible, browser_sign_in
from tests.pdf_checks import pdf_info, pdf_text
from tests.sendplan import test_worker
from tests.sendplan.test_worker import RENDER_TIMEOUT, report_done, wait_for

start_worker = test_worker.start_worker  # the fixture that starts (and stops) real worker processes


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_governor_gets_the_health_check_from_a_worker(
    governor_a, world, senco_a_user, start_worker, tmp_path
):
    audit = build_audit(world, senco_a_user)
    worker = start_worker()
    response = governor_a.post(
        reverse("sendplan:report_request"), {"kind": "health_check", "subject": str(audit.public_id)}
    )
    assert response.status_code == 302
    report = wait_for(
        lambda: report_done(Report.objects.get().pk), RENDER_TIMEOUT, "the health check", worker
    )
    assert report.status == Report.Status.READY, report.error
    download = governor_a.get(reverse("sendplan:report_download", args=[report.public_id]))
    pdf = b"".join(download.streaming_content)
    assert pdf_info(pdf, tmp_path)["Title"] == "Governors' SEND health check 2026/27"
    text = pdf_text(pdf, tmp_path)
    assert "School A" in text and "Overall level: Emerging" in text and "Not met 1" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_reports_page_offers_the_audit_documents_accessibly(
    page, live_server, world, senco_a_user, governor_a_user
):
    audit = build_audit(world, senco_a_user)
    browser_sign_in(page, live_server, governor_a_user)
    page.goto(live_server.url + reverse("sendplan:report_list"))
    page.get_by_label("Which audit").select_option(str(audit.public_id))
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the governors' SEND health check (PDF)").click()
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    page.get_by_label("Which audit").select_option(str(audit.public_id))
    page.get_by_role("button", name="Prepare the governors' SEND health check (Word)").click()
    expect(page.get_by_role("link", name="Download Word file")).to_be_visible()
    page.screenshot(path="/tmp/audit-reports-page.png", full_page=True)
    assert_accessible(page)
