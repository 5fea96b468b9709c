"""Each kind of document, end to end on a real Celery worker process with Redis: asked for through the web,
rendered by the worker, downloaded, and read back (pdftotext, pdfinfo, pdftoppm, python-docx)."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from ehcp import services
from sendplan import reports
from sendplan.models import Report
from tests.audits.factories import make_version, submitted_audit
from tests.conftest import membership_of
from tests.ehcp.known_plan import SECTION_HEADINGS, add_support_history, known_plan, known_pupil
from tests.pdf_checks import in_order, keep, page_png_ink, pdf_info, pdf_text, struct_headings
from tests.sendplan import test_worker
from tests.sendplan.slow_report import UNREACHABLE_KIND
from tests.sendplan.test_worker import RENDER_TIMEOUT, report_done, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

start_worker = test_worker.start_worker  # the fixture that starts (and stops) real worker processes


@pytest.fixture
def sam(world, senco_a_user):
    # SPLD (cognition and learning) and HI (sensory): sections S2 and S4 of the factory's framework
    pupil = known_pupil(world.school_a, primary_need="SPLD", secondary_need="HI")
    add_support_history(pupil)
    known_plan(pupil)
    submitted_audit(
        world.school_a, senco_a_user, make_version(sections=4, per_section=2, statutory=()), level=1
    )
    return pupil


def finished(report_id: int, worker) -> Report:
    return wait_for(lambda: report_done(report_id), RENDER_TIMEOUT, "the document to be rendered", worker)


def download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_plan_document_is_rendered_by_a_worker(senco_a, sam, start_worker, tmp_path, fmt):
    worker = start_worker()
    plan = sam.plans.get()
    response = senco_a.post(reverse("ehcp:plan_document_request", args=[plan.public_id]), {"format": fmt})
    assert response.status_code == 302
    report = finished(Report.objects.get().pk, worker)
    assert report.status == Report.Status.READY, report.error
    row = senco_a.get(reverse("ehcp:plan_document_status", args=[plan.public_id, report.public_id]))
    assert "Ready" in row.content.decode() and "hx-get" not in row.content.decode()
    content = download(
        senco_a, reverse("ehcp:plan_document_download", args=[plan.public_id, report.public_id])
    )
    if fmt == "docx":
        document = Document(io.BytesIO(content))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert [h for h in headings if h.startswith("Section ")] == SECTION_HEADINGS
        return
    text = pdf_text(content, tmp_path)
    assert "School A" in text and "EHC plan for Sam Okoro" in text and "DRAFT" in text
    assert in_order(text, SECTION_HEADINGS)
    assert "How often Once a week" in text and "Group size or ratio 1:1" in text
    info = pdf_info(content, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "EHC plan for Sam Okoro"
    assert [
        t for tag, t in struct_headings(content, tmp_path) if tag == "H2" and t.startswith("Section")
    ] == (SECTION_HEADINGS)
    assert page_png_ink(content, tmp_path, keep=keep("worker-ehc_plan-1.png")) > 0.01
    assert "Task sendplan.tasks.render_report[" in worker.log()


@pytest.mark.parametrize(
    ("kind", "title", "figures"),
    [
        (
            "assessment_request",
            "EHC needs assessment request – Sam Okoro",
            [
                "2 assess, plan, do, review cycles",
                "Section S2 Emerging",
                "Section S4 Emerging",
                "Dr A. Patel",
            ],
        ),
        (
            "subject_access",
            "Subject access pack – Sam Okoro",
            [
                "Date of birth 23 September 2016",
                "Version 1: Draft plan (draft)",
                "Who has viewed or exported",
            ],
        ),
    ],
)
def test_a_pupils_pack_is_rendered_by_a_worker(senco_a, sam, start_worker, tmp_path, kind, title, figures):
    worker = start_worker()
    senco_a.post(reverse("ehcp:pupil_document_request", args=[sam.public_id]), {"kind": kind})
    report = finished(Report.objects.get().pk, worker)
    assert report.status == Report.Status.READY, report.error
    content = download(
        senco_a, reverse("ehcp:pupil_document_download", args=[sam.public_id, report.public_id])
    )
    text = pdf_text(content, tmp_path)
    assert "School A" in text and title in text
    assert in_order(text, figures)
    info = pdf_info(content, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == title
    assert struct_headings(content, tmp_path)[0] == ("H1", title)
    assert page_png_ink(content, tmp_path, keep=keep(f"worker-{kind}-1.png")) > 0.01


def test_an_la_officer_gets_a_handed_plan_from_a_worker(
    la_officer_x, sam, senco_a_user, start_worker, tmp_path
):
    plan = sam.plans.get()
    services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    worker = start_worker()
    la_officer_x.post(reverse("ehcp:plan_document_request", args=[plan.public_id]), {"format": "pdf"})
    report = finished(Report.objects.get().pk, worker)
    assert report.status == Report.Status.READY, report.error
    content = download(
        la_officer_x, reverse("ehcp:plan_document_download", args=[plan.public_id, report.public_id])
    )
    assert "Status Submitted to the LA" in pdf_text(content, tmp_path)


def test_a_rendering_error_ends_failed_with_a_message_on_the_page(senco_a, senco_a_user, sam, start_worker):
    plan = sam.plans.get()
    worker = start_worker()
    with pytest.MonkeyPatch.context() as patch:  # a snapshot the layout cannot read: a fault, not a retry
        real = reports.snapshot_take
        patch.setattr(reports, "snapshot_take", lambda *a, **k: {**real(*a, **k), "data": {"broken": True}})
        senco_a.post(reverse("ehcp:plan_document_request", args=[plan.public_id]), {"format": "pdf"})
    report = finished(Report.objects.get().pk, worker)
    assert report.status == Report.Status.FAILED and report.attempts == 1 and not report.file
    page = senco_a.get(reverse("ehcp:plan_documents", args=[plan.public_id])).content.decode()
    row = re.search(rf'<tr[^>]*id="report-{report.public_id}".*?</tr>', page, re.S).group(0)
    assert "Failed" in row and "Not prepared because of a fault in the service." in row
    assert f"quote reference {str(report.public_id)[:8]}" in row and "hx-get" not in row


def test_an_unreachable_database_is_retried_with_backoff_then_given_up(world, governor_a_user, start_worker):
    worker = start_worker()
    report = reports.report_request(
        kind=UNREACHABLE_KIND, subject=world.school_a, by=membership_of(governor_a_user)
    )
    report = wait_for(lambda: report_done(report.pk), 90, "the retries to run out", worker)
    assert report.status == Report.Status.FAILED and report.attempts == reports.MAX_ATTEMPTS
    assert report.error.startswith("Not prepared: the service could not reach its database.")
    assert len(re.findall(r"Retry in \d+(\.\d+)?s", worker.log())) == reports.MAX_ATTEMPTS - 1
