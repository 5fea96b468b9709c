"""The governors' SEND health check and the full audit report, on a small audit built here by hand.

The known audit (framework with sections S1 and S2 of three criteria each; S1-01 is a statutory duty, met
at 'Established'):

    S1-01 Emerging (duty not met)   S1-02 Embedded   S1-03 Established
    S2-01 Embedded                  S2-02 Embedded   S2-03 Established

By the scoring rules written out in audits/scoring.py's docstring: S1 averages 2.0 (Established) but its
duty is not met, so it is capped at Emerging; S2 averages 2.67, Embedded; overall 14/6 = 2.33 rounds to
Established and is capped at Emerging. One statutory duty: 0 met, 1 not met, 0 not rated. Priorities:
S1-01 (the duty), then S1-03 and S2-03. Strengths: S1-02, S2-01, S2-02 (top level), then S1-03, S2-03.
Three actions: one done, one on track, one overdue. The SEN register: 2 pupils with an EHC plan (both
communication and interaction: "fewer than 3"), 4 on SEN support now (3 SEMH, 1 cognition and learning),
5 on SEN support a year ago (two have left since; the cognition and learning pupil joined last month).
"""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from audits import services
from audits.models import Action, Audit, Rating
from sendplan import reports
from sendplan.models import Report
from standards.models import Criterion, Framework
from tests.audits.factories import PDF, acting, make_audit, make_version
from tests.conftest import membership_of
from tests.ehcp.factories import PupilFactory
from tests.pdf_checks import (
    figure_alt_texts,
    in_order,
    keep,
    page_png_ink,
    pdf_info,
    pdf_language,
    pdf_text,
    struct_headings,
    struct_roles,
    struct_text,
)

pytestmark = pytest.mark.django_db

LEVELS = {"S1-01": 1, "S1-02": 3, "S1-03": 2, "S2-01": 3, "S2-02": 3, "S2-03": 2}


def long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def rate(audit: Audit, by, levels: dict[str, int]) -> None:
    for rating in Rating.objects.filter(audit=audit).select_related("criterion"):
        services.rating_record(
            audit=audit, response=rating, level=levels[rating.criterion.ref], not_applicable=False, na_reason="",
            rationale=f"Rationale for {rating.criterion.ref}.", expected_version=rating.version, by=by,
        )  # fmt: skip


def build_audit(world, senco_user, *, rated_by=Framework.RatedBy.SCHOOL_STAFF) -> Audit:
    """Build the known audit of school A, accepted by LA X, with evidence, actions and a board review."""
    senco = acting(senco_user, world.school_a)
    version = make_version(statutory=("S1-01",), rated_by=rated_by)
    audit = make_audit(world.school_a, senco_user, version)
    rate(audit, senco, LEVELS)
    s1_02 = Criterion.objects.get(version=version, ref="S1-02")
    s1_01 = Criterion.objects.get(version=version, ref="S1-01")
    services.evidence_add(audit=audit, title="SEN policy 2026", criteria=[s1_02], by=senco,
                          file_name="policy.pdf", data=PDF, shareable_with_governors=True)  # fmt: skip
    services.evidence_add(audit=audit, title="Pupil progress tracker", criteria=[s1_02], by=senco,
                          file_name="tracker.pdf", data=PDF, shareable_with_governors=False)  # fmt: skip
    soon = timezone.localdate() + timedelta(days=30)
    done = services.action_create(audit=audit, criterion=s1_01, what="Publish the SEN information report",
                                  owner="Headteacher", due=soon, by=senco)  # fmt: skip
    services.action_update(audit=audit, action=done, by=senco, status=Action.Status.DONE)
    services.action_create(audit=audit, criterion=s1_01, what="Review EHC plan outcomes termly",
                           owner="SENCO", due=date(2027, 3, 31), by=senco)  # fmt: skip
    late = services.action_create(audit=audit, criterion=None, what="Train staff on the graduated approach",
                                  owner="Deputy head", due=soon, by=senco)  # fmt: skip
    Action.objects.filter(pk=late.pk).update(due=date(2026, 10, 1), status=Action.Status.IN_PROGRESS)
    services.audit_submit(audit=audit, by=senco)
    return audit


@pytest.fixture
def audit(world, senco_a_user, la_officer_x_user, governor_a_user):
    audit = build_audit(world, senco_a_user)
    services.audit_accept(
        audit=audit, by=membership_of(la_officer_x_user), comment="A clear audit. Finish the staff training."
    )
    services.governor_review_record(
        audit=audit,
        reviewed_on=date(2026, 11, 12),
        minute_reference="GB/26/14",
        by=membership_of(governor_a_user),
    )
    audit.refresh_from_db()
    return audit


@pytest.fixture
def register(world):
    today = timezone.localdate()
    last_month, two_years_ago = today - timedelta(days=30), today - timedelta(days=730)
    for _ in range(2):
        PupilFactory(
            school=world.school_a, sen_provision="E", primary_need="ASD", added_to_register_on=last_month
        )
    for _ in range(3):
        PupilFactory(
            school=world.school_a, sen_provision="K", primary_need="SEMH", added_to_register_on=two_years_ago
        )
    PupilFactory(
        school=world.school_a, sen_provision="K", primary_need="MLD", added_to_register_on=last_month
    )
    for _ in range(2):  # on the register a year ago, left since
        PupilFactory(school=world.school_a, sen_provision="K", primary_need="SEMH",
                     added_to_register_on=two_years_ago, left_on=today - timedelta(days=60))  # fmt: skip
    PupilFactory(
        school=world.school_b, sen_provision="E", primary_need="SEMH"
    )  # another school's: never counted


def render(kind: str, subject, by, fmt: str = "pdf") -> bytes:
    spec = reports.kind_for(kind)
    return reports.render_snapshot(spec, reports.snapshot_take(spec, subject, by=by), fmt)


# --- the health check's content ---------------------------------------------------------------------------


def test_the_health_check_shows_the_known_audits_figures_by_name(
    audit, register, governor_a_user, world, tmp_path
):
    pdf = render("health_check", audit, membership_of(governor_a_user))
    text = pdf_text(pdf, tmp_path)
    today = timezone.localdate()
    assert "School A" in text and "Governors' SEND health check 2026/27" in text
    assert in_order(
        text,
        [
            "Where the school stands",
            "Overall level: Emerging",
            "Level of each section",
            "Section S1 Emerging",
            "Section S2 Embedded",
            "Overall Emerging",
            "Change since the last audit",
            "This is the first audit of this framework",
            "Statutory duties",
            "Met 0",
            "Not met 1",
            "Not rated yet 0",
            "All statutory duties 1",
            "Duties not met",
            "S1-01 Statement for S1-01.",
            "Strengths",
            "S1-02",
            "S2-01",
            "S2-02",
            "S1-03",
            "S2-03",
            "The top five priorities",
            "Duty not met: S1-01",
            "S1-03",
            "S2-03",
            "Action plan progress",
            "3 actions: 1 done, 1 on track, 1 overdue.",
            "The local authority’s decision",
            f"Accepted by {world.school_a.local_authority.name} on {long(today)}.",
            "A clear audit. Finish the staff training.",
            "The board’s previous review",
            "12 November 2026 (minute GB/26/14)",
            "Questions the board may want to ask",
            "Pupils on the SEN register",
            "Communication and interaction fewer than 3",
            "Cognition and learning fewer than 3",
            "Social, emotional and mental health 3",
            "Sensory and/or physical needs 0",
        ],
    )
    # pdftotext lays the numbers of a three-column table out by column; the tag tree, which a screen reader
    # follows, has each row in order
    assert in_order(
        struct_text(pdf, tmp_path),
        ["Now", "A year ago", "SEN support (K)", "4", "5", "EHC plan (E)", "fewer than 3", "0"],
    )
    # owners and dates of the actions, the overdue one first
    assert in_order(text, ["Train staff on the graduated approach Deputy head 1 October 2026 Overdue"])
    assert "Review EHC plan outcomes termly SENCO 31 March 2027 On track" in text
    assert "Publish the SEN information report Headteacher" in text and "Done" in text
    # a level is a name, never a number like "2.33"
    assert "2.33" not in text and "2.5" not in text


def test_a_governor_sees_only_evidence_shared_with_governors(audit, governor_a_user, senco_a_user, tmp_path):
    governor = pdf_text(render("health_check", audit, membership_of(governor_a_user)), tmp_path)
    senco = pdf_text(render("health_check", audit, membership_of(senco_a_user)), tmp_path)
    assert "Evidence: SEN policy 2026" in governor and "Pupil progress tracker" not in governor
    assert "Evidence: Pupil progress tracker; SEN policy 2026" in senco


def test_the_change_since_the_last_audit_is_shown_by_section(audit, senco_a_user, tmp_path):
    senco = acting(senco_a_user, audit.school)
    later = services.audit_carry_forward(
        previous=audit, framework_version=audit.framework_version, academic_year="2027/28", by=senco
    )
    rate(later, senco, {**LEVELS, "S1-01": 2, "S2-01": 1, "S2-02": 1})  # duty met now; S2 falls
    text = pdf_text(render("health_check", later, senco), tmp_path)
    # S1: 2,3,2 = 2.33 -> Established (duty met, no cap); S2: 1,1,2 = 1.33 -> Emerging;
    # overall 11/6 = 1.83 -> Established
    assert (
        "Compared with the 2026/27 audit (accepted). Overall: Emerging then, Established now (up 1 level)."
        in text
    )
    assert "Section S1 Emerging Established Up 1 level" in text
    assert "Section S2 Embedded Emerging Down 2 levels" in text
    assert "Why is the level lower than last time for: Section S2?" in text


def test_the_governance_framework_gets_the_same_report_of_its_own(
    world, senco_a_user, governor_a_user, tmp_path
):
    audit = build_audit(world, governor_a_user, rated_by=Framework.RatedBy.GOVERNORS)
    pdf = render("health_check", audit, membership_of(governor_a_user))
    assert pdf_info(pdf, tmp_path)["Title"] == "SEND governance health check 2026/27"
    text = pdf_text(pdf, tmp_path)
    assert "Where the board stands" in text and "it rated its own governance of SEND" in text
    assert "Overall level: Emerging" in text
    # a board-rated audit's evidence is all the governors'
    assert "Pupil progress tracker; SEN policy 2026" in text


def test_a_draft_with_a_duty_unrated_has_no_level_and_says_why(world, senco_a_user, tmp_path):
    senco = acting(senco_a_user, world.school_a)
    audit = make_audit(world.school_a, senco_a_user, make_version(statutory=("S1-01",)))
    rating = Rating.objects.get(audit=audit, criterion__ref="S2-01")
    services.rating_record(audit=audit, response=rating, level=3, not_applicable=False, na_reason="",
                           rationale="Seen.", expected_version=rating.version, by=senco)  # fmt: skip
    text = pdf_text(render("health_check", audit, senco), tmp_path)
    assert "Overall level: No level yet" in text
    assert "No level until every statutory duty is rated: 1 statutory duty is not rated yet." in text
    assert "Section S1 No level yet" in text and "Section S2 Embedded (provisional)" in text
    assert "Section S2: Provisional: 2 criteria not rated yet." in text
    assert "Not submitted to the local authority yet" in text
    assert "The board has not recorded a review" in text


# --- the PDFs as documents ---------------------------------------------------------------------------------


def test_the_health_check_pdf_is_a4_tagged_titled_with_headings_a_chart_and_2_to_6_pages(
    audit, register, governor_a_user, tmp_path
):
    pdf = render("health_check", audit, membership_of(governor_a_user))
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "Governors' SEND health check 2026/27"
    assert info["Page size"].startswith("595.276 x 841.89")
    assert pdf_language(pdf) == "en-GB"
    pages = int(info["Pages"])
    assert 2 <= pages <= 6
    for page in range(1, pages + 1):
        text = pdf_text(pdf, tmp_path, page=page)
        assert "School A" in text and f"Page {page} of {pages}" in text
    headings = struct_headings(pdf, tmp_path)
    assert headings[0] == ("H1", "Governors' SEND health check 2026/27")
    assert [t for tag, t in headings if tag == "H2"] == [
        "Where the school stands", "Change since the last audit", "Statutory duties", "Strengths",
        "The top five priorities", "Action plan progress", "The local authority’s decision",
        "The board’s previous review", "Questions the board may want to ask", "Pupils on the SEN register",
        "How the levels are worked out",
    ]  # fmt: skip
    assert {"Figure", "Table", "TH", "TD", "Caption", "H1", "H2"} <= struct_roles(pdf, tmp_path)
    # the chart's alternative text carries the same figures as the table above it
    assert figure_alt_texts(pdf) == [
        "Bar chart of the level of each section and overall. "
        "Section S1: Emerging; Section S2: Embedded; Overall: Emerging"
    ]
    for page in range(1, pages + 1):
        assert page_png_ink(pdf, tmp_path, page=page, keep=keep(f"health_check-{page}.png")) > 0.005


LONG_TITLES = [
    "Leadership and the SENCO role", "Identifying needs", "The graduated approach (assess, plan, do, review)",
    "High-quality teaching and adaptive practice", "Working with parents, carers and pupils",
    "Staff development and the deployment of teaching assistants", "Transitions",
    "Environment and accessibility", "Statutory duties and the SEN information report",
    "Communication and interaction", "Cognition and learning", "Social, emotional and mental health",
]  # fmt: skip


def test_with_twelve_long_sections_the_first_page_is_not_left_half_empty(world, senco_a_user, tmp_path):
    """The sections' levels start on the first page under the overall level (a table may run onto the
    next page; it never jumps whole to it), and the chart names each section in full."""
    senco = acting(senco_a_user, world.school_a)
    version = make_version(sections=12, per_section=1, statutory=())
    for n, title in enumerate(LONG_TITLES, start=1):
        version.sections.filter(ref=f"S{n}").update(title=title)
    audit = make_audit(world.school_a, senco_a_user, version)
    rate(audit, senco, {f"S{n}-01": 2 for n in range(1, 13)})
    pdf = render("health_check", audit, senco)
    first = pdf_text(pdf, tmp_path, page=1)
    assert in_order(
        first, ["Overall level: Established", "Level of each section", "Leadership and the SENCO role"]
    )
    (alt,) = figure_alt_texts(pdf)
    assert (
        "Staff development and the deployment of teaching assistants: Established" in alt and "…" not in alt
    )


def test_the_full_report_has_every_criterion_with_level_rationale_evidence_actions(
    audit, senco_a_user, tmp_path
):
    pdf = render("audit_report", audit, membership_of(senco_a_user))
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"].startswith("Audit report 2026/27: Test framework")
    assert pdf_language(pdf) == "en-GB"
    text = pdf_text(pdf, tmp_path)
    assert in_order(
        text,
        [
            "Contents",
            "Statutory duties",
            "0 met, 1 not met and 0 not rated, of 1 statutory duty.",
            "S1-01 Statement for S1-01. Emerging Not met",
            "Level of each section",
            "Section S1 Emerging",
            "Section S2 Embedded",
            "Section S1",
            "S1-01 Statement for S1-01.",
            "Level: Emerging. Statutory duty: Not met",
            "Rationale: Rationale for S1-01.",
            "Publish the SEN information report – Headteacher",
            "Review EHC plan outcomes termly – SENCO, due 31 March 2027 (Not started)",
            "S1-02 Statement for S1-02.",
            "Level: Embedded",
            "Evidence: Pupil progress tracker; SEN policy 2026",
            "S2-03 Statement for S2-03.",
            "Other actions",
            "Train staff on the graduated approach – Deputy head, due 1 October 2026 (In progress, overdue)",
            "Local authority comments on the whole audit",
            "A clear audit. Finish the staff training.",
        ],
    )
    headings = struct_headings(pdf, tmp_path)
    assert ("H2", "Statutory duties") in headings and ("H2", "Section S2") in headings
    assert ("H3", "S2-03 Statement for S2-03.") in headings
    pages = int(info["Pages"])
    assert f"Page {pages} of {pages}" in pdf_text(pdf, tmp_path, page=pages)
    for page in range(1, pages + 1):
        assert page_png_ink(pdf, tmp_path, page=page, keep=keep(f"audit_report-{page}.png")) > 0.003


def test_a_governor_full_report_lists_only_shared_evidence(audit, governor_a_user, tmp_path):
    text = pdf_text(render("audit_report", audit, membership_of(governor_a_user)), tmp_path)
    assert "Evidence: SEN policy 2026" in text and "Pupil progress tracker" not in text


def test_the_full_report_in_word_has_the_sections_and_criteria_as_headings(audit, senco_a_user):
    document = Document(io.BytesIO(render("audit_report", audit, membership_of(senco_a_user), "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert in_order(headings and " | ".join(headings), ["Statutory duties", "Section S1", "S1-01 Statement for S1-01.",
                                                        "Section S2", "S2-03 Statement for S2-03."])  # fmt: skip


# --- who may have them --------------------------------------------------------------------------------------


def ask(client, kind: str, audit: Audit, fmt: str = ""):
    url = reverse("sendplan:report_request") + (f"?format={fmt}" if fmt else "")
    return client.post(url, {"kind": kind, "subject": str(audit.public_id)})


def ready(kind: str) -> Report:
    """Render the report asked for as the worker would (the test's transaction never commits)."""
    report = Report.objects.get(kind=kind)
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("persona", ["governor_a", "senco_a", "headteacher_a"])
def test_governors_the_senco_and_the_head_ask_for_the_health_check_from_the_reports_page(
    request, persona, audit
):
    client = request.getfixturevalue(persona)
    page = client.get(reverse("sendplan:report_list")).content.decode()
    assert "Prepare the governors&#x27; SEND health check" in page and str(audit.public_id) in page
    assert "Prepare the full audit report (Word)" in page
    assert "Prepare the inclusion strategy" not in page  # public documents are asked for on their own pages
    response = ask(client, "health_check", audit)
    assert response.status_code == 302
    report = ready("health_check")
    assert report.subject_id == audit.public_id and report.status == Report.Status.READY, report.error
    download = client.get(reverse("sendplan:report_download", args=[report.public_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_full_report_comes_as_word_too(senco_a, audit):
    assert ask(senco_a, "audit_report", audit, "docx").status_code == 302
    report = ready("audit_report")
    assert report.format == "docx" and report.status == Report.Status.READY, report.error
    assert report.label == "Full audit report (Word)"


def test_the_health_check_comes_as_word_for_the_boards_papers(governor_a, audit, register):
    """The clerk puts the health check into the board's papers: the same headings, figures and tables."""
    page = governor_a.get(reverse("sendplan:report_list")).content.decode()
    assert "Prepare the governors&#x27; SEND health check (Word)" in page
    assert ask(governor_a, "health_check", audit, "docx").status_code == 302
    report = ready("health_check")
    assert report.format == "docx" and report.status == Report.Status.READY, report.error
    document = Document(io.BytesIO(report.file.read()))
    assert document.core_properties.title == "Governors' SEND health check 2026/27"
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert [text for _, text in headings] == [
        "Where the school stands", "Change since the last audit", "Statutory duties", "Strengths",
        "The top five priorities", "Action plan progress", "The local authority’s decision",
        "The board’s previous review", "Questions the board may want to ask", "Pupils on the SEN register",
        "How the levels are worked out",
    ]  # fmt: skip
    text = " | ".join(p.text for p in document.paragraphs)
    assert in_order(
        text, ["Overall level: Emerging.", "Duty not met: S1-01", "3 actions: 1 done, 1 on track, 1 overdue."]
    )
    assert (
        "12 November 2026 (minute GB/26/14)" in text and "A clear audit. Finish the staff training." in text
    )
    tables = {
        t.rows[0].cells[0].text: [[c.text for c in row.cells] for row in t.rows[1:]] for t in document.tables
    }
    assert tables["Section"] == [["Section S1", "Emerging", "0 of 1 met"], ["Section S2", "Embedded", "None"],
                                 ["Overall", "Emerging", "0 of 1 met"]]  # fmt: skip
    assert tables["Statutory duties"] == [["Met", "0"], ["Not met", "1"], ["Not rated yet", "0"],
                                          ["All statutory duties", "1"]]  # fmt: skip
    assert tables["Pupils"] == [["SEN support (K)", "4", "5"], ["EHC plan (E)", "fewer than 3", "0"]]
    assert ["Social, emotional and mental health", "3"] in tables["Area of need"]
    assert "Pupil progress tracker" not in text  # evidence not shared with governors


@pytest.mark.parametrize("persona", ["senco_b", "la_officer_x", "la_officer_y", "la_admin_y"])
def test_outsiders_cannot_ask_for_a_report_about_the_audit(request, persona, audit):
    response = ask(request.getfixturevalue(persona), "health_check", audit)
    assert response.status_code in (403, 404)  # LA roles may not use the reports page at all (403)
    if persona == "senco_b":
        assert response.status_code == 404  # a school that is not theirs: the audit does not exist for them
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["senco_b", "la_officer_y", "la_admin_y", "la_officer_x"])
def test_outsiders_get_404_for_the_health_check_once_made(request, persona, audit, governor_a):
    ask(governor_a, "health_check", audit)
    report = Report.objects.get()
    client = request.getfixturevalue(persona)
    for name in ("sendplan:report_status", "sendplan:report_download"):
        assert client.get(reverse(name, args=[report.public_id])).status_code in (403, 404)
    if persona == "senco_b":
        assert client.get(reverse("sendplan:report_download", args=[report.public_id])).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(anonymous, audit):
    response = ask(anonymous, "health_check", audit)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Report.objects.exists()


def test_a_malformed_or_unknown_audit_is_not_found(senco_a, audit):
    url = reverse("sendplan:report_request")
    assert senco_a.post(url, {"kind": "health_check", "subject": "not-a-uuid"}).status_code == 404
    assert senco_a.post(url, {"kind": "health_check"}).status_code == 404
    assert (
        senco_a.post(
            url, {"kind": "health_check", "subject": "00000000-0000-0000-0000-000000000000"}
        ).status_code
        == 404
    )


def test_a_governor_still_never_gets_a_pupil_document_through_the_reports_page(governor_a, audit, world):
    pupil = PupilFactory(school=world.school_a, sen_provision="E", primary_need="ASD")
    url = reverse("sendplan:report_request")
    for kind in ("ehc_plan", "subject_access", "assessment_request", "inclusion_strategy"):
        assert governor_a.post(url, {"kind": kind, "subject": str(pupil.public_id)}).status_code == 404
    assert not Report.objects.exists()


# --- the spreadsheet ---------------------------------------------------------------------------------------


def test_the_spreadsheet_opens_on_a_summary_of_levels_coloured_and_named_with_real_dates(senco_a, audit):
    from datetime import datetime

    from openpyxl import load_workbook

    response = senco_a.get(reverse("audits:audit_export_xlsx", args=[audit.public_id]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Audit", "Action plan"]
    summary = book["Summary"]
    rows = list(summary.iter_rows(values_only=True))
    facts = {row[0]: row[1] for row in rows[1:6]}
    assert facts["Status"] == "Accepted"
    assert isinstance(facts["Submitted to the local authority"], datetime)  # a date cell, not text
    assert facts["Submitted to the local authority"].date() == timezone.localdate()
    start = next(i for i, row in enumerate(rows) if row[0] == "Section")
    levels = [row[:4] for row in rows[start + 1 : start + 4]]
    assert levels == [
        ("S1", "Section S1", "Emerging", "No"),
        ("S2", "Section S2", "Embedded", "No"),
        (None, "Overall", "Emerging", "No"),
    ]
    assert (
        rows[start + 1][4]
        == "1 statutory duty is below ‘Established’, so the level cannot be above ‘Emerging’"
    )
    fills = [summary.cell(row=start + 2 + i, column=3).fill for i in range(3)]
    assert all(f.fill_type == "solid" for f in fills)
    assert (
        fills[0].start_color.rgb == fills[2].start_color.rgb != fills[1].start_color.rgb
    )  # Emerging, Embedded
    ratings = book["Audit"]
    level_name = ratings.cell(row=5, column=8)
    assert level_name.value == "Emerging" and level_name.fill.start_color.rgb == fills[0].start_color.rgb
    assert isinstance(ratings.cell(row=5, column=16).value, datetime)  # last changed
    plan = list(book["Action plan"].iter_rows(min_row=2, values_only=True))
    assert (plan[0][1], plan[0][3]) == ("Train staff on the graduated approach", datetime(2026, 10, 1))


# --- cost --------------------------------------------------------------------------------------------------


def _queries(kind: str, audit: Audit, by) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spec = reports.kind_for(kind)
    subject = reports.subject_for(spec, by, audit.public_id)  # as the reports page finds it
    with CaptureQueriesContext(connection) as queries:
        reports.snapshot_take(spec, subject, by=by)
    return len(queries)


@pytest.mark.parametrize("kind", ["health_check", "audit_report"])
def test_gathering_a_document_takes_a_fixed_number_of_queries_for_6_or_40_criteria(
    kind, audit, world, senco_a_user
):
    from tests.audits.factories import rate_all

    senco = membership_of(senco_a_user)
    bigger = make_audit(
        world.school_a, senco_a_user, make_version(sections=5, per_section=8, statutory=("S1-01",))
    )
    rate_all(bigger, senco_a_user, level=3)
    for i, criterion in enumerate(Criterion.objects.filter(version=bigger.framework_version)[:12]):
        services.evidence_add(audit=bigger, title=f"Evidence {i}", criteria=[criterion], by=senco,
                              file_name="e.pdf", data=PDF, shareable_with_governors=True)  # fmt: skip
        services.action_create(audit=bigger, criterion=criterion, what=f"Action {i}", owner="SENCO",
                               due=date(2027, 3, 31), by=senco)  # fmt: skip
    # the audit, its summary's rows, evidence titles, actions, comments (and for the health check: the
    # previous audit, the board's review, the register's counts) - never one per criterion
    # (the scale's levels come from the cache: scoring the audits when they were rated put them there)
    expected = {"health_check": 10, "audit_report": 6}[kind]
    assert _queries(kind, bigger, senco) == _queries(kind, audit, senco) == expected


def test_the_operator_renders_both_documents_to_files_without_the_web(audit, tmp_path):
    from django.core.management import call_command

    for kind, name in (("health_check", "check.pdf"), ("audit_report", "report.docx")):
        call_command("render_report", kind, "--school", audit.school.urn, "--audit", str(audit.public_id),
                     "-o", str(tmp_path / name), stdout=io.StringIO())  # fmt: skip
    assert "Overall level: Emerging" in pdf_text((tmp_path / "check.pdf").read_bytes(), tmp_path)
    # the operator is the service's own staff: every piece of evidence is listed
    assert "Evidence: Pupil progress tracker; SEN policy 2026" in pdf_text(
        (tmp_path / "check.pdf").read_bytes(), tmp_path
    )
    headings = [
        p.text
        for p in Document(str(tmp_path / "report.docx")).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert "S1-01 Statement for S1-01." in headings


def test_the_audit_summary_links_to_its_documents_with_the_audit_chosen(governor_a, la_officer_x, audit):
    summary = governor_a.get(reverse("audits:audit_summary", args=[audit.public_id])).content.decode()
    link = f"{reverse('sendplan:report_list')}?subject={audit.public_id}"
    assert link in summary
    page = governor_a.get(link).content.decode()
    assert f'<option value="{audit.public_id}" selected>' in page
    # LA staff read the summary but have no reports page: no link to it
    assert (
        link not in la_officer_x.get(reverse("audits:audit_summary", args=[audit.public_id])).content.decode()
    )


def test_the_health_check_lists_15_actions_and_counts_the_rest():
    from audits.documents import ACTIONS_SHOWN, _left_out

    words = {"done": "Done", "on_track": "On track", "overdue": "Overdue"}
    assert ACTIONS_SHOWN == 15
    assert _left_out([], words) == ""
    rest = [{"state": "done"}] * 3 + [{"state": "on_track"}] + [{"state": "overdue"}]
    assert (
        _left_out(rest, words)
        == "The other 5 actions (1 overdue, 1 on track, 3 done) are in the full audit report."
    )
    assert _left_out([{"state": "done"}], words) == "The other 1 action (1 done) is in the full audit report."
