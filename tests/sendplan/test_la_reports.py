"""The LA summary report: the LA's own document, through the report pipeline, as a tagged PDF or Excel.

Its figures are those worked out by hand in tests/ehcp/pipeline_data.py (today 15 June 2026).
"""

import io

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from sendplan import reports
from sendplan.celery import app as celery_app
from sendplan.models import Report
from tests.conftest import membership_of
from tests.ehcp import pipeline_data
from tests.ehcp.pipeline_data import NOON_TODAY
from tests.pdf_checks import in_order, keep, page_png_ink, pdf_info, pdf_text, struct_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def plans(world):
    return pipeline_data.build(world)


def _ask(client, django_capture_on_commit_callbacks, format="pdf") -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sendplan:la_report_request"), {"format": format})
    assert response.status_code == 302
    report = Report.objects.filter(format=format).latest("created_at", "pk")
    assert report.status == Report.Status.READY, report.error
    return report


def _download(client, report) -> bytes:
    response = client.get(reverse("sendplan:la_report_download", args=[report.public_id]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_pdf_is_tagged_and_holds_the_figures(
    plans, la_officer_x, eager, django_capture_on_commit_callbacks, tmp_path
):
    report = _ask(la_officer_x, django_capture_on_commit_callbacks)
    assert report.local_authority.name == "LA X" and report.school is None
    pdf = _download(la_officer_x, report)
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "LA summary report – LA X"
    assert {"Table", "TH", "TD", "Caption", "H1", "H2"} <= struct_roles(pdf, tmp_path)
    text = pdf_text(pdf, tmp_path)
    assert in_order(
        text,
        [
            "LA summary report – LA X",
            "9 plans as at 15 June 2026",
            "Waiting for the decision to assess 1",
            "Final plan issued 5",
            "All plans 9",
            "March 2026 2 1 50% 1 0 0%",
            "April 2026 2 1 50% 1 1 100%",
            "12 months to June 2026 4 2 50% 2 1 50%",
            "4 steps past their statutory deadline",
            "Tell the family if no plan will be issued 1",
            "Autistic spectrum disorder 4",
            "Speech, language and communication needs 3",
            "Social, emotional and mental health 2",
        ],
    )
    # Overdue steps by school: a table that may run across pages, so its cells are looked for one by one.
    assert "School A 900001" in text and "3 27 Apr 2026" in text and "School C 900003" in text
    assert "School B" not in text and "Pupil" not in text.replace("No pupil", "")
    assert page_png_ink(pdf, tmp_path, keep=keep("la_summary_1.png")) > 0.01


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_excel_version_holds_the_same_figures(
    plans, la_admin_x, eager, django_capture_on_commit_callbacks
):
    report = _ask(la_admin_x, django_capture_on_commit_callbacks, format="xlsx")
    assert report.label == "LA summary report (Excel)"
    response = la_admin_x.get(reverse("sendplan:la_report_download", args=[report.public_id]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Stages",
        "Within 20 weeks by month",
        "Overdue steps",
        "Overdue steps by school",
        "Primary needs",
        "Audit round",
        "Overall levels",
        "Weakest sections",
    ]
    stages = list(workbook["Stages"].iter_rows(min_row=4, values_only=True))
    assert stages[-1] == ("Final plan issued", 5)
    by_school = list(workbook["Overdue steps by school"].iter_rows(min_row=4, values_only=True))
    assert [row[:3] for row in by_school] == [("School A", "900001", 3), ("School C", "900003", 1)]


@time_machine.travel(NOON_TODAY, tick=False)
def test_another_las_staff_and_schools_never_see_it(
    plans,
    la_officer_x,
    la_officer_y,
    la_admin_y,
    senco_a,
    governor_a,
    eager,
    django_capture_on_commit_callbacks,
):
    report = _ask(la_officer_x, django_capture_on_commit_callbacks)
    for outsider in (la_officer_y, la_admin_y):
        listing = outsider.get(reverse("sendplan:la_report_list"))
        assert str(report.public_id) not in listing.content.decode()
        for name in ("sendplan:la_report_status", "sendplan:la_report_download"):
            assert outsider.get(reverse(name, args=[report.public_id])).status_code == 404
    for school in (senco_a, governor_a):
        assert school.get(reverse("sendplan:la_report_list")).status_code == 403
        assert school.post(reverse("sendplan:la_report_request")).status_code == 403
        assert str(report.public_id) not in school.get(reverse("sendplan:report_list")).content.decode()
        assert school.get(reverse("sendplan:report_download", args=[report.public_id])).status_code == 404


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_las_other_staff_see_it_on_their_reports_page(
    plans, la_officer_x, la_admin_x, eager, django_capture_on_commit_callbacks
):
    report = _ask(la_officer_x, django_capture_on_commit_callbacks)
    page = la_admin_x.get(reverse("sendplan:la_report_list")).content.decode()
    assert f'id="report-{report.public_id}"' in page and "Download PDF" in page


def test_a_requester_who_left_the_la_gets_a_failed_report(world, la_officer_x_user):
    report = reports.report_request(
        kind=Report.Kind.LA_SUMMARY, subject=world.la_x, by=membership_of(la_officer_x_user)
    )
    la_officer_x_user.memberships.update(is_active=False)
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "no longer has access" in report.error


def test_only_the_las_own_staff_may_ask_for_it(world, la_officer_y_user, senco_a_user):
    for user in (la_officer_y_user, senco_a_user):
        with pytest.raises(reports.policy.NotAllowed):
            reports.report_request(kind=Report.Kind.LA_SUMMARY, subject=world.la_x, by=membership_of(user))
    assert not Report.objects.exists()


def test_a_report_belongs_to_exactly_one_school_or_la(world):
    for owners in ({}, {"school": world.school_a, "local_authority": world.la_x}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(kind=Report.Kind.LA_SUMMARY, **owners)


# --- the audit round, from the levels summary table ------------------------------------------------------


@pytest.fixture
def audit_round(world, senco_a_user, la_officer_x_user):
    """One framework version rated 0-3 (Established = 2 meets a duty), audits of 2026/27 unless said:

    School A: submitted, S1 Established, S2 Emerging    -> counted submitted, overall Emerging (1.5, ties
                                                          go down)
    School D: accepted, every criterion Embedded       -> counted accepted, level Embedded
    School E: submitted at Emerging, then returned     -> counted returned, its level not counted
    School F: a draft                                  -> not submitted
    School G: only an accepted audit of 2025/26        -> not submitted this year
    School B (LA Y): submitted                         -> not counted
    So LA X has 5 schools: 1 awaiting a decision, 1 accepted, 1 returned, 2 not submitted. Overall levels:
    Emerging 1, Embedded 1. Sections (A and D): S1 Established and Embedded; S2 Emerging and Embedded, so S2
    is the weaker (one audit at the lowest level seen).
    """
    from audits import services as audit_services
    from tests.audits.factories import (
        acting,
        make_audit,
        make_version,
        rate_all,
        rate_answers,
        submitted_audit,
    )
    from tests.factories import SchoolFactory

    version = make_version()
    officer = membership_of(la_officer_x_user)
    school = {name: SchoolFactory(name=f"School {name}", local_authority=world.la_x) for name in "DEFG"}

    mixed = make_audit(world.school_a, senco_a_user, version)
    rate_all(mixed, senco_a_user, 2)
    rate_answers(mixed, acting(senco_a_user, mixed.school), {"S2-01": 1, "S2-02": 1, "S2-03": 1})
    audit_services.audit_submit(audit=mixed, by=acting(senco_a_user, world.school_a))
    accepted = submitted_audit(school["D"], senco_a_user, version, level=3)
    audit_services.audit_accept(audit=accepted, by=officer)
    returned = submitted_audit(school["E"], senco_a_user, version, level=1)
    audit_services.audit_return(audit=returned, by=officer, comment="Add evidence for S1-01.")
    make_audit(school["F"], senco_a_user, version)
    older = make_audit(school["G"], senco_a_user, version, year="2025/26")
    rate_all(older, senco_a_user, 3)
    audit_services.audit_submit(audit=older, by=acting(senco_a_user, school["G"]))
    audit_services.audit_accept(audit=older, by=officer)
    submitted_audit(world.school_b, senco_a_user, version, level=2)
    return version


def test_the_round_is_counted_from_what_the_la_may_see(audit_round, la_officer_x_user):
    from audits.round_summary import latest_rounds

    coverage = latest_rounds(membership_of(la_officer_x_user))
    assert coverage["year"] == "2026/27" and coverage["schools"] == 5
    (only,) = coverage["rounds"]
    assert (only["submitted"], only["accepted"], only["returned"], only["not_submitted"]) == (1, 1, 1, 2)
    assert only["levels"] == [["Emerging", 1], ["Embedded", 1]]
    assert only["section_levels"] == ["Emerging", "Established", "Embedded"]
    assert only["weakest_sections"] == [["S2", "Section S2", 1, 0, 1], ["S1", "Section S1", 0, 1, 1]]


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_pdf_and_workbook_show_the_round(
    audit_round, la_officer_x, eager, django_capture_on_commit_callbacks, tmp_path
):
    report = _ask(la_officer_x, django_capture_on_commit_callbacks)
    pdf = _download(la_officer_x, report)
    text = pdf_text(pdf, tmp_path)
    assert in_order(
        text,
        [
            "The audit round, 2026/27",
            "2 of 5 schools submitted (1 accepted, 1 awaiting a decision); 1 returned for changes; 2 not submitted",
            "Emerging 1",
            "Embedded 1",
            "Section Emerging Established Embedded",
            "S2 Section S2 1 0 1",
            "S1 Section S1 0 1 1",
        ],
    )
    workbook_report = _ask(la_officer_x, django_capture_on_commit_callbacks, format="xlsx")
    workbook = load_workbook(io.BytesIO(_download(la_officer_x, workbook_report)))
    (row,) = workbook["Audit round"].iter_rows(min_row=4, values_only=True)
    assert row[0] == "2026/27" and row[3:] == (5, 1, 1, 1, 2)
    levels = [r[3:] for r in workbook["Overall levels"].iter_rows(min_row=4, values_only=True)]
    assert levels == [("Emerging", 1), ("Embedded", 1)]
    weakest = [r[3:] for r in workbook["Weakest sections"].iter_rows(min_row=4, values_only=True)]
    assert weakest[:3] == [
        ("S2", "Section S2", "Emerging", 1),
        ("S2", "Section S2", "Established", 0),
        ("S2", "Section S2", "Embedded", 1),
    ]


def test_a_format_not_offered_is_refused_with_a_message(world, la_officer_x):
    response = la_officer_x.post(reverse("sendplan:la_report_request"), {"format": "docx"}, follow=True)
    assert "Choose one of the formats offered." in response.content.decode()
    assert not Report.objects.exists()


def test_the_operators_command_sends_an_la_summary_to_the_las_reports_page(world, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="about a local authority"):
        call_command(
            "render_report", "la_summary", "--school", world.school_a.urn, "-o", str(tmp_path / "la.pdf")
        )
    assert not (tmp_path / "la.pdf").exists()
