"""The EHC plan, the needs assessment request pack and the subject access pack as documents.

Expected text is written here by hand from the known plan (tests/ehcp/known_plan.py) and from the law's
section headings (SEND Regulations 2014, reg 12; domain notes), never read back from the code.
"""

import io
from datetime import date

import pytest
from docx import Document

from sendplan import reports
from sendplan.models import Report
from tests.audits.factories import make_version, submitted_audit
from tests.conftest import membership_of
from tests.ehcp.known_plan import SECTION_HEADINGS, add_support_history, known_plan, known_pupil
from tests.pdf_checks import in_order, keep, page_png_ink, pdf_info, pdf_text, struct_headings, struct_roles

pytestmark = pytest.mark.django_db


def render(kind: str, subject, by, fmt: str = "pdf", **options) -> bytes:
    spec = reports.kind_for(kind)
    return reports.render_snapshot(spec, reports.snapshot_take(spec, subject, by=by, **options), fmt)


@pytest.fixture
def sam(world):
    pupil = known_pupil(world.school_a)
    add_support_history(pupil)
    return pupil


@pytest.fixture
def sams_plan(sam):
    return known_plan(sam)


# --- the plan as a PDF ---------------------------------------------------------------------------------


def test_the_plan_pdf_has_every_section_in_order_and_every_detail(sams_plan, senco_a_user, tmp_path):
    pdf = render("ehc_plan", sams_plan, membership_of(senco_a_user))
    text = pdf_text(pdf, tmp_path)
    assert "School A" in text and "EHC plan for Sam Okoro" in text
    assert in_order(text, SECTION_HEADINGS)
    # the cover: version, status and dates
    for fact in ("Version 1: Draft plan", "Status Draft", "EHC needs assessment requested 2 March 2026"):
        assert fact in text, fact
    # the golden thread: need 2 leads to outcome 2, met by F2 and G1
    assert "Need 2: Becomes anxious at transitions between lessons. Outcome 2 F2, G1" in text
    # section F, every detail of F1, then F2
    assert in_order(
        text,
        [
            "F1: Individual speech and language therapy",
            "Who delivers it Speech and language therapist",
            "Expertise HCPC-registered",
            "How often Once a week",
            "For how long 30 minutes, for the school year",
            "Group size or ratio 1:1",
            "Start date 7 September 2026",
            "Review date 16 July 2027",
            "Responsible body Northmere County Council",
            "Meets needs Need 1",
            "Towards outcomes Outcome 1",
            "F2: Visual timetable checked with Sam each morning",
            "Expertise Not stated",
            "How often Daily, 5 minutes",
        ],
    )
    assert "Educational psychologist's report Dr A. Patel 14 April 2026" in text
    assert "Left blank in a draft" in text  # section I of a draft
    assert "when it was asked for. Changes made since then are not in it." in text


def test_the_plan_pdf_is_a4_tagged_titled_and_says_draft_on_every_page(sams_plan, senco_a_user, tmp_path):
    pdf = render("ehc_plan", sams_plan, membership_of(senco_a_user))
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "EHC plan for Sam Okoro"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4 in points
    pages = int(info["Pages"])
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdf_text(pdf, tmp_path, page=page)
        assert "DRAFT" in text, f"page {page}"
        assert "School A" in text and "EHC plan for Sam Okoro" in text
        assert f"Page {page} of {pages}" in text
    assert page_png_ink(pdf, tmp_path, keep=keep("ehc_plan-1.png")) > 0.01  # not a blank page


def test_the_plan_pdf_structure_tree_has_the_headings_and_table_headers(sams_plan, senco_a_user, tmp_path):
    pdf = render("ehc_plan", sams_plan, membership_of(senco_a_user))
    headings = struct_headings(pdf, tmp_path)
    assert headings[0] == ("H1", "EHC plan for Sam Okoro")
    assert [text for tag, text in headings if tag == "H2" and text.startswith("Section ")] == SECTION_HEADINGS
    assert ("H3", "F1: Individual speech and language therapy") in headings
    assert {"Document", "H1", "H2", "H3", "Table", "TH", "TD", "Caption"} <= struct_roles(pdf, tmp_path)


def test_a_final_plan_is_not_marked_draft(sam, senco_a_user, tmp_path):
    plan = known_plan(sam, final=True)
    pdf = render("ehc_plan", plan, membership_of(senco_a_user))
    text = pdf_text(pdf, tmp_path)
    assert "DRAFT" not in text
    assert "Status Final" in text and "Final plan issued 20 July 2026" in text
    assert "Made final 20 July 2026" in text and "Left blank in a draft" not in text


def test_the_document_shows_the_data_when_it_was_asked_for_not_later_edits(sams_plan, senco_a_user, tmp_path):
    report = reports.report_request(kind="ehc_plan", subject=sams_plan, by=membership_of(senco_a_user))
    sams_plan.versions.get().provisions.filter(section="F", position=1).update(frequency="Twice a week")
    sams_plan.pupil.__class__.objects.filter(pk=sams_plan.pupil_id).update(first_name="Samuel")
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    text = pdf_text(report.file.read(), tmp_path)
    assert "How often Once a week" in text and "Twice a week" not in text
    assert "Sam Okoro" in text and "Samuel" not in text


# --- the plan as Word ------------------------------------------------------------------------------------


def test_the_word_plan_has_sections_a_to_k_as_headings_in_order(sams_plan, senco_a_user):
    document = Document(io.BytesIO(render("ehc_plan", sams_plan, membership_of(senco_a_user), "docx")))
    level_one = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h for h in level_one if h.startswith("Section ")] == SECTION_HEADINGS
    assert document.core_properties.title == "EHC plan for Sam Okoro"
    assert document.sections[0].header.paragraphs[0].text.startswith("DRAFT · School A")
    rows = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    assert ("How often", "Once a week") in rows and ("Group size or ratio", "1:1") in rows
    assert ("Status", "Draft") in rows and ("EHC needs assessment requested", "2 March 2026") in rows
    assert any("Changes made since then are not in it." in p.text for p in document.paragraphs)


# --- the request pack and the subject access pack ----------------------------------------------------------


def test_the_request_pack_shows_what_was_tried_its_effect_ratings_advice_and_views(
    world, senco_a_user, tmp_path
):
    # SPLD is cognition and learning and HI sensory: the audit factory's sections S2 and S4.
    pupil = known_pupil(world.school_a, primary_need="SPLD", secondary_need="HI")
    add_support_history(pupil)
    known_plan(pupil)
    submitted_audit(
        world.school_a, senco_a_user, make_version(sections=4, per_section=2, statutory=()), level=1
    )
    pdf = render("assessment_request", pupil, membership_of(senco_a_user))
    text = pdf_text(pdf, tmp_path)
    assert pdf_info(pdf, tmp_path)["Tagged"] == "yes"
    assert in_order(
        text,
        [
            "EHC needs assessment request – Sam Okoro",
            "The pupil",
            "Primary need SPLD: Specific learning difficulty",
            "Grace Okoro Mother",
            "The pupil's needs",
            "The graduated approach: what was tried and its effect",
            "2 assess, plan, do, review cycles from 8 September 2025 to 27 March 2026; 2 reviewed",
            "Cycle 1: 8 September 2025 to 12 December 2025",
            "What was put in place Small-group language intervention",
            "Its effect: what the review found Some progress",
            "Cycle 2: 5 January 2026 to 27 March 2026",
            "What the school ordinarily provides",
            "Section S2 Emerging",
            "Section S4 Emerging",
            "Advice received",
            "Educational psychologist's report Dr A. Patel 14 April 2026",
            "Parents' views",
            "Grace would like specialist speech and language therapy.",
            "The pupil's views",
            "Sam likes the picture cards.",
        ],
    )
    assert page_png_ink(pdf, tmp_path, keep=keep("assessment_request-1.png")) > 0.01


def test_the_subject_access_pack_holds_the_record_every_version_and_the_access_log(
    sams_plan, senco_a, senco_a_user, tmp_path
):
    from django.urls import reverse

    senco_a.get(reverse("ehcp:pupil_detail", args=[sams_plan.pupil.public_id]))  # one view, logged
    pdf = render("subject_access", sams_plan.pupil, membership_of(senco_a_user))
    text = pdf_text(pdf, tmp_path)
    assert in_order(
        text,
        [
            "Subject access pack – Sam Okoro",
            "The pupil's record",
            "Date of birth 23 September 2016",
            "Parents and carers",
            "Support cycles",
            "Cycle started 8 September 2025",
            "EHC plan",
            "Version 1: Draft plan (draft)",
            SECTION_HEADINGS[0],
            SECTION_HEADINGS[-1],
            "Who has viewed or exported this record",
            "senco.a@example.org",
            "Pupil record",
        ],
    )
    headings = struct_headings(pdf, tmp_path)
    assert ("H3", "Version 1: Draft plan (draft)") in headings
    assert [t for tag, t in headings if tag == "H4" and t.startswith("Section ")] == SECTION_HEADINGS
    assert page_png_ink(pdf, tmp_path, keep=keep("subject_access-1.png")) > 0.01


def test_the_school_overview_is_tagged_and_titled(world, governor_a_user, tmp_path):
    pdf = render("school_overview", world.school_a, membership_of(governor_a_user))
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "School SEND overview – School A"
    assert "Governor 1" in pdf_text(pdf, tmp_path)
    assert page_png_ink(pdf, tmp_path, keep=keep("school_overview-1.png")) > 0.005


def test_an_la_officer_gets_the_latest_version_handed_to_them_never_a_later_draft(
    sam, senco_a_user, la_officer_x_user
):
    from ehcp import services

    plan = known_plan(sam)
    services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    services.plan_return(plan=plan, by=membership_of(la_officer_x_user), reason="Quantify F2")
    snapshot = reports.snapshot_take(reports.kind_for("ehc_plan"), plan, by=membership_of(la_officer_x_user))
    assert snapshot["data"]["version"] == 1  # version 2 is the school's new draft, not handed over
    school = reports.snapshot_take(reports.kind_for("ehc_plan"), plan, by=membership_of(senco_a_user))
    assert school["data"]["version"] == 2


def test_a_version_can_be_chosen(sam, senco_a_user, la_officer_x_user):
    from ehcp import services

    plan = known_plan(sam)
    services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    services.plan_return(plan=plan, by=membership_of(la_officer_x_user), reason="Quantify F2")
    spec = reports.kind_for("ehc_plan")
    assert (
        reports.snapshot_take(spec, plan, by=membership_of(senco_a_user), version=1)["data"]["version"] == 1
    )
    with pytest.raises(reports.DomainError):
        reports.snapshot_take(spec, plan, by=membership_of(la_officer_x_user), version=2)


def test_dates_in_the_snapshot_are_plain_json(sams_plan, senco_a_user):
    snapshot = reports.snapshot_take(reports.kind_for("ehc_plan"), sams_plan, by=membership_of(senco_a_user))
    f1 = snapshot["data"]["sections"]["F"]["provision"][0]
    assert f1["start_date"] == date(2026, 9, 7).isoformat()
    assert snapshot["summary"] == "Version 1, draft"
