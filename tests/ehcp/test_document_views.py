"""The whole-plan page and the document pages: who may ask for what, what each sees, bad input, failures.

Rules (README, issue 10): the plan as a document is for the school's SENCO and headteacher, and for LA
staff of the school's LA once the school has handed the plan to them, who see only the documents their
own LA asked for; a pupil's packs are for the SENCO and headteacher only; a governor has the school's
reports but never a plan document or a pupil's pack; everyone else gets 404.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp import services
from sendplan import reports
from sendplan.models import AccessEvent, Report
from tests.conftest import membership_of
from tests.ehcp.known_plan import add_support_history, known_plan, known_pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(world):
    pupil = known_pupil(world.school_a)
    add_support_history(pupil)
    return pupil


@pytest.fixture
def plan(sam):
    return known_plan(sam)


@pytest.fixture
def handed(plan, senco_a_user):
    services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    return plan


def url(name: str, *args) -> str:
    return reverse(f"ehcp:{name}", args=[a.public_id if hasattr(a, "public_id") else a for a in args])


def ask(client, plan, **data):
    return client.post(url("plan_document_request", plan), {"format": "pdf", "version": "", **data})


def plan_document(plan, by, fmt="pdf") -> Report:
    return reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(by), format=fmt)


def ready(report: Report) -> Report:
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    return report


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- the whole plan on one page ----------------------------------------------------------------------------


def test_the_whole_plan_page_shows_sections_a_to_k_in_order_and_logs_a_view(
    senco_a, plan, django_assert_max_num_queries
):
    before = AccessEvent.objects.count()
    with django_assert_max_num_queries(30):
        response = senco_a.get(url("plan_whole", plan))
    assert response.status_code == 200
    text = text_of(response)
    codes = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    positions = [text.find(f"Section {code}:") for code in codes]
    assert -1 not in positions and positions == sorted(positions)
    assert "DRAFT" in text and "How often Once a week" in text
    assert 'href="#need-2"' in response.content.decode()  # the golden thread links
    event = AccessEvent.objects.exclude(pk__in=[]).order_by("-pk").first()
    assert AccessEvent.objects.count() == before + 1
    assert event.what == "EHC plan, whole plan, version 1" and event.action == "view"


def test_the_whole_plan_page_query_count_does_not_grow_with_the_plan(
    senco_a, plan, django_assert_max_num_queries
):
    from ehcp.models import Need, Provision

    version = plan.versions.get()
    for i in range(10):
        need = Need.objects.create(version=version, school=plan.school, area_of_need="semh", text=f"Need {i}")
        item = Provision.objects.create(version=version, school=plan.school, section="F", what=f"Thing {i}")
        item.needs.set([need])
    with django_assert_max_num_queries(30):
        assert senco_a.get(url("plan_whole", plan)).status_code == 200


def test_the_task_list_links_to_the_whole_plan_and_its_documents(senco_a, plan):
    page = senco_a.get(url("plan_detail", plan)).content.decode()
    assert url("plan_whole", plan) in page and url("plan_documents", plan) in page


def test_the_la_reads_the_version_handed_to_it(la_officer_x, handed, senco_a_user, la_officer_x_user):
    services.plan_return(plan=handed, by=membership_of(la_officer_x_user), reason="Quantify F2")
    text = text_of(la_officer_x.get(url("plan_whole", handed)))
    assert "Version 1: Draft plan (returned by the LA)" in text
    assert la_officer_x.get(url("plan_whole", handed) + "?version=2").status_code == 404


@pytest.mark.parametrize("persona", ["governor_a", "senco_b", "la_officer_y", "la_admin_y"])
def test_outsiders_and_governors_get_404_for_the_whole_plan(request, persona, handed):
    assert request.getfixturevalue(persona).get(url("plan_whole", handed)).status_code == 404


def test_the_la_gets_404_for_a_plan_not_handed_to_it(la_officer_x, plan):
    assert la_officer_x.get(url("plan_whole", plan)).status_code == 404
    assert ask(la_officer_x, plan).status_code == 404
    assert not Report.objects.exists()


# --- asking for the plan as a document -----------------------------------------------------------------------


def test_the_senco_asks_for_the_plan_in_word_and_sees_it_listed(senco_a, senco_a_user, plan):
    response = ask(senco_a, plan, format="docx")
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("plan_documents", plan) + f"#report-{report.public_id}"
    assert (report.kind, report.format, report.subject_id) == ("ehc_plan", "docx", plan.public_id)
    assert report.requested_as == membership_of(senco_a_user) and report.requested_by_la is None
    assert report.snapshot["data"]["sections"]["F"]["provision"][0]["frequency"] == "Once a week"
    page = text_of(senco_a.get(url("plan_documents", plan)))
    assert "EHC plan (Word)" in page and "Version 1, draft" in page
    assert f"by {senco_a_user.full_name} (SENCO, School A)" in page and "Queued" in page


def test_the_la_sees_only_the_documents_its_la_asked_for(
    senco_a, la_officer_x, la_admin_x, handed, senco_a_user, la_officer_x_user
):
    theirs = ready(plan_document(handed, senco_a_user))
    ours = ready(plan_document(handed, la_officer_x_user))
    assert ours.requested_by_la_id is not None and theirs.requested_by_la_id is None
    la_page = la_admin_x.get(url("plan_documents", handed)).content.decode()  # the LA's, whoever asked
    assert str(ours.public_id) in la_page and str(theirs.public_id) not in la_page
    school_page = senco_a.get(url("plan_documents", handed)).content.decode()
    assert str(ours.public_id) in school_page and str(theirs.public_id) in school_page
    for name in ("plan_document_status", "plan_document_download"):
        assert la_officer_x.get(url(name, handed, theirs)).status_code == 404
        assert la_officer_x.get(url(name, handed, ours)).status_code == 200


def test_downloading_a_document_is_an_export_in_the_access_log(senco_a, senco_a_user, plan):
    report = ready(plan_document(plan, senco_a_user))
    response = senco_a.get(url("plan_document_download", plan, report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="EHC plan - Sam Okoro - ' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AccessEvent.objects.get(action="export")
    assert event.what == "EHC plan document (PDF): Version 1, draft"
    assert event.pupil_id == plan.pupil.public_id


def test_a_word_document_downloads_as_word(senco_a, senco_a_user, plan):
    report = ready(plan_document(plan, senco_a_user, "docx"))
    response = senco_a.get(url("plan_document_download", plan, report))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].endswith('.docx"')


def test_the_status_row_names_no_pupil_and_polls_until_finished(senco_a, senco_a_user, plan):
    report = plan_document(plan, senco_a_user)
    row = senco_a.get(url("plan_document_status", plan, report), HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith("\n<tr") or row.lstrip().startswith("<tr")
    assert "Okoro" not in row and "hx-get" in row and "Check again" in row
    ready(report)
    row = senco_a.get(url("plan_document_status", plan, report)).content.decode()
    assert "Ready" in row and "hx-get" not in row and "Download PDF" in row


def test_a_document_of_another_plan_is_not_found_under_this_one(senco_a, senco_a_user, plan, world):
    other = known_plan(known_pupil(world.school_a, first_name="Ada", last_name="Brown"))
    report = ready(plan_document(other, senco_a_user))
    assert senco_a.get(url("plan_document_download", plan, report)).status_code == 404


def test_an_unfinished_document_cannot_be_downloaded(senco_a, senco_a_user, plan):
    report = plan_document(plan, senco_a_user)
    assert senco_a.get(url("plan_document_download", plan, report)).status_code == 404


# --- governors, other schools and LAs, anonymous ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["governor_a", "senco_b", "la_officer_y", "la_admin_y"])
def test_outsiders_and_governors_get_404_for_plan_documents_and_packs(
    request, persona, handed, senco_a_user, la_officer_x_user
):
    client = request.getfixturevalue(persona)
    document = ready(plan_document(handed, la_officer_x_user))
    pack = ready(
        reports.report_request(kind="subject_access", subject=handed.pupil, by=membership_of(senco_a_user))
    )
    pupil = handed.pupil
    for address in (
        url("plan_documents", handed),
        url("plan_document_status", handed, document),
        url("plan_document_download", handed, document),
        url("pupil_documents", pupil),
        url("pupil_document_status", pupil, pack),
        url("pupil_document_download", pupil, pack),
    ):
        assert client.get(address).status_code == 404, address
    assert ask(client, handed).status_code == 404
    assert client.post(url("pupil_document_request", pupil), {"kind": "subject_access"}).status_code == 404
    assert Report.objects.count() == 2


def test_a_governor_cannot_reach_a_plan_document_through_the_school_reports(governor_a, senco_a_user, plan):
    report = ready(plan_document(plan, senco_a_user))
    for name in ("sendplan:report_status", "sendplan:report_download"):
        assert governor_a.get(reverse(name, args=[report.public_id])).status_code == 404
    assert str(report.public_id) not in governor_a.get(reverse("sendplan:report_list")).content.decode()


def test_la_staff_never_get_a_pupils_pack(la_officer_x, handed):
    pupil = handed.pupil
    assert la_officer_x.get(url("pupil_documents", pupil)).status_code == 404
    assert (
        la_officer_x.post(url("pupil_document_request", pupil), {"kind": "assessment_request"}).status_code
        == 404
    )


def test_anonymous_people_are_sent_to_sign_in(anonymous, plan):
    response = anonymous.get(url("plan_documents", plan))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "exe"}, "Select PDF or Word"),
        ({"format": "pdf", "version": "99"}, "Select a version of the plan"),
    ],
)
def test_a_bad_request_shows_the_error_summary_and_keeps_the_input(senco_a, plan, data, message):
    response = senco_a.post(url("plan_document_request", plan), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Error: ", page)
    assert "govuk-error-summary" in page and message in page
    assert "Okoro" not in page  # the error page names no pupil
    assert not Report.objects.exists()


def test_a_bad_pack_request_shows_the_error_summary(senco_a, sam):
    response = senco_a.post(url("pupil_document_request", sam), {"kind": "everything"})
    page = response.content.decode()
    assert response.status_code == 200 and re.search(r"<title>\s*Error: ", page)
    assert "Select a pack" in page and not Report.objects.exists()


# --- a pupil's packs -------------------------------------------------------------------------------------


def test_the_senco_asks_for_a_subject_access_pack(senco_a, sam):
    response = senco_a.post(url("pupil_document_request", sam), {"kind": "subject_access"})
    report = Report.objects.get()
    assert response.status_code == 302 and (report.kind, report.subject_id) == (
        "subject_access",
        sam.public_id,
    )
    assert report.snapshot["data"]["format"] == "sendplan.ehcp.subject-access/1"
    page = text_of(senco_a.get(url("pupil_documents", sam)))
    assert "Subject access pack" in page and "Queued" in page


def test_downloading_a_pack_is_an_export_in_the_access_log(senco_a, senco_a_user, sam):
    report = ready(
        reports.report_request(kind="assessment_request", subject=sam, by=membership_of(senco_a_user))
    )
    response = senco_a.get(url("pupil_document_download", sam, report))
    assert response.status_code == 200
    assert AccessEvent.objects.get(action="export").what == "EHC needs assessment request pack (PDF)"


def test_the_pupil_record_links_to_the_packs(senco_a, sam):
    assert url("pupil_documents", sam) in senco_a.get(url("pupil_detail", sam)).content.decode()


# --- failures a person can act on ----------------------------------------------------------------------


def test_a_rendering_error_ends_failed_with_a_readable_message_on_the_page(senco_a, senco_a_user, plan):
    report = plan_document(plan, senco_a_user)
    Report.objects.filter(pk=report.pk).update(snapshot={**report.snapshot, "data": {"broken": True}})
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and not report.file
    reference = str(report.public_id)[:8]
    assert report.error == (
        "Not prepared because of a fault in the service. Ask for it again; if that fails too, contact "
        f"support and quote reference {reference}."
    )
    page = text_of(senco_a.get(url("plan_documents", plan)))
    assert "Failed" in page and f"quote reference {reference}" in page


def test_a_document_nobody_finished_is_shown_as_failed_and_stops_polling(senco_a, senco_a_user, plan):
    report = plan_document(plan, senco_a_user)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    row = senco_a.get(url("plan_document_status", plan, report)).content.decode()
    assert "Failed" in row and "not finished in time" in row and "hx-get" not in row


def test_the_documents_page_query_count_does_not_grow(
    senco_a, senco_a_user, plan, django_assert_max_num_queries
):
    for _ in range(8):
        plan_document(plan, senco_a_user)
    with django_assert_max_num_queries(20):
        response = senco_a.get(url("plan_documents", plan))
    assert response.content.decode().count('<tr class="govuk-table__row" id="report-') == 8


def test_without_a_broker_the_same_task_code_renders_after_the_request_commits(
    senco_a, plan, monkeypatch, django_capture_on_commit_callbacks
):
    from sendplan.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the embedded default: no Redis
    with django_capture_on_commit_callbacks(execute=True):
        ask(senco_a, plan, format="docx")
    report = Report.objects.get()
    assert report.status == Report.Status.READY and report.attempts == 1, report.error
    assert report.file.name.endswith(".docx")


def test_a_governors_home_never_mentions_a_plan_document(governor_a, senco_a_user, plan, world):
    ready(plan_document(plan, senco_a_user))
    overview = ready(
        reports.report_request(kind="school_overview", subject=world.school_a, by=membership_of(senco_a_user))
    )
    page = governor_a.get(reverse("home")).content.decode()
    assert f"report-{overview.public_id}" in page and "Read the School SEND overview" in page
    assert "Read the EHC plan" not in page and "EHC plan (PDF)" not in page
