"""Audit pages: rating with and without htmx, conflicts, bad input, evidence, submit, LA review, governors."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Action, Audit, AuditEvent, Evidence, GovernorReview, LAComment, Rating
from standards.models import Criterion
from tests.audits.factories import (
    PDF,
    acting,
    make_audit,
    make_v2,
    make_version,
    rate_all,
    sample_submitted_audit,
    submitted_audit,
)
from tests.conftest import make_member, membership_of
from tests.factories import SchoolFactory
from tests.sendplan.test_uploads import zip_bomb
from tests.standards.factories import framework_data, load_version

pytestmark = pytest.mark.django_db


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


def rating_post(ref, level, rationale="", version=0, reason="", save=True):
    data = {
        f"{ref}-level": str(level),
        f"{ref}-rationale": rationale,
        f"{ref}-na_reason": reason,
        f"{ref}-version": version,
    }
    if save:
        data["save"] = "1"
    return data


@pytest.fixture
def audit(world, senco_a_user):
    return make_audit(world.school_a, senco_a_user)


# --- starting ----------------------------------------------------------------------------------------


def test_start_an_audit(senco_a, world):
    version = make_version()
    response = senco_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(version.public_id), "academic_year": "2026/27"},
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == url("audit_detail", audit)
    assert audit.school == world.school_a and audit.ratings.count() == 6


def test_start_with_bad_input_shows_errors_and_keeps_input(senco_a, world):
    version = make_version()
    response = senco_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(version.public_id), "academic_year": "2026/28"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page and "govuk-error-summary" in page
    assert "second year follows the first" in page
    assert 'value="2026/28"' in page
    assert not Audit.objects.exists()


def test_start_a_second_open_audit_is_refused_with_a_message(senco_a, audit):
    response = senco_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(audit.framework_version.public_id), "academic_year": "2027/28"},
    )
    assert response.status_code == 200
    assert "already has an audit of this framework" in response.content.decode()
    assert Audit.objects.count() == 1


def test_start_from_last_years_audit_carries_forward(senco_a, senco_a_user, la_officer_x_user, world):
    v1 = make_version()
    previous = submitted_audit(world.school_a, senco_a_user, v1)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    v2 = make_v2(v1)
    page = senco_a.get(reverse("audits:audit_list")).content.decode()
    assert "Yes, from the 2026/27 audit" in page
    response = senco_a.post(
        reverse("audits:audit_start"),
        {
            "framework_version": str(v2.public_id),
            "academic_year": "2027/28",
            "carry_from": str(previous.public_id),
        },
    )
    new = Audit.objects.get(academic_year="2027/28")
    assert response.status_code == 302 and new.carried_from == previous
    page = senco_a.get(url("audit_detail", new)).content.decode()
    assert "carried forward from the 2026/27 audit" in page
    assert "Dropped from this version: S2-03" in page
    assert "S2-01 + S2-02 → S2-12" in page


# --- rating ------------------------------------------------------------------------------------------


def test_section_page_shows_criteria_with_guidance_levels_and_forms(senco_a, audit):
    page = senco_a.get(url("section", audit, section_ref="S1")).content.decode()
    for ref in ("S1-01", "S1-02", "S1-03"):
        assert f'id="criterion-{ref}"' in page
    assert "Guidance for S1-01." in page and "Example evidence for S1-01" in page
    assert "This is consistently in place, checked and improved." in page  # a descriptor as a hint
    assert "Not applicable" in page and "Statutory" in page
    assert 'hx-post="/audits/' in page


def test_plain_post_saves_and_redirects_to_the_criterion(senco_a, audit):
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 2, "Reviewed termly.")
    )
    assert response.status_code == 302
    assert response["Location"].endswith(url("section", audit, section_ref="S1") + "#criterion-S1-02")
    saved = Rating.objects.get(audit=audit, criterion__ref="S1-02")
    assert (saved.level, saved.rationale, saved.version) == (2, "Reviewed termly.", 1)


def test_htmx_autosave_returns_the_new_version_and_a_saved_status(senco_a, audit):
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"),
        rating_post("S1-02", 1, "Started.", save=False),
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in page and 'value="1"' in page and "Saved" in page
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").level == 1


def test_htmx_autosave_of_an_unfinished_answer_says_what_is_missing_without_saving(senco_a, audit):
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"),
        rating_post("S1-02", "na", "", save=False),
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 422 and "Not saved" in page
    assert "Enter why this criterion does not apply" in page
    assert "HX-Retarget" not in response
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").version == 0


@pytest.mark.parametrize("htmx", [True, False])
def test_a_level_saves_without_a_rationale_and_is_marked_rationale_needed(senco_a, audit, htmx):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 3, "", save=not htmx), **extra
    )
    saved = Rating.objects.get(audit=audit, criterion__ref="S1-02")
    assert (saved.level, saved.rationale, saved.version) == (3, "", 1)
    if htmx:
        assert response.status_code == 200
        assert "Saved" in response.content.decode() and "Rationale needed" in response.content.decode()
    else:
        assert response.status_code == 302
    # the mark shows on the criterion, the task list and the check page until a rationale is given
    assert "Rationale needed" in senco_a.get(url("section", audit, section_ref="S1")).content.decode()
    assert "1 rationale needed" in senco_a.get(url("audit_detail", audit)).content.decode()
    check = senco_a.get(url("audit_check", audit)).content.decode()
    assert "Rationale needed" in check and "S1-02" in check
    senco_a.post(url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 3, "Seen", version=1))
    assert "rationale needed" not in senco_a.get(url("audit_detail", audit)).content.decode().lower()


@pytest.mark.parametrize(
    "data,message",
    [
        (
            {"S1-02-rationale": "Text I typed", "S1-02-version": "0", "save": "1"},
            "Select how well this is in place",
        ),
        (rating_post("S1-02", "na", "Text I typed", reason=""), "Enter why this criterion does not apply"),
        (rating_post("S1-02", 9, "Text I typed"), "Select one of the levels shown"),
    ],
)
def test_bad_rating_shows_the_error_keeps_input_and_changes_nothing(senco_a, audit, data, message):
    response = senco_a.post(url("rating_save", audit, criterion_ref="S1-02"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page and "govuk-error-summary" in page and message in page
    if data.get("S1-02-rationale"):
        assert data["S1-02-rationale"] in page
    saved = Rating.objects.get(audit=audit, criterion__ref="S1-02")
    assert (saved.level, saved.rationale, saved.version) == (None, "", 0)
    assert not AuditEvent.objects.filter(kind="response_changed").exists()


def test_a_stale_save_shows_the_conflict_with_both_versions(senco_a, headteacher_a_user, audit):
    services.rating_record(
        audit=audit,
        response=Rating.objects.get(audit=audit, criterion__ref="S1-02"),
        level=3,
        not_applicable=False,
        na_reason="",
        rationale="The head's evidence",
        expected_version=0,
        by=membership_of(headteacher_a_user),
    )
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 1, "My own view", version=0)
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error:" in page and "Someone else changed this criterion" in page
    assert "The head&#x27;s evidence" in page and "My own view" in page  # theirs shown, mine kept
    assert 'name="S1-02-version" id="id_S1-02-version" value="1"' in page  # saving again is deliberate
    saved = Rating.objects.get(audit=audit, criterion__ref="S1-02")
    assert (saved.level, saved.rationale) == (3, "The head's evidence")


def test_a_stale_autosave_redraws_the_criterion_with_the_conflict(senco_a, headteacher_a_user, audit):
    services.rating_record(
        audit=audit,
        response=Rating.objects.get(audit=audit, criterion__ref="S1-02"),
        level=3,
        not_applicable=False,
        na_reason="",
        rationale="Theirs",
        expected_version=0,
        by=membership_of(headteacher_a_user),
    )
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"),
        rating_post("S1-02", 1, "Mine", version=0, save=False),
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#criterion-S1-02" and response["HX-Reswap"] == "outerHTML"
    assert "Someone else changed this criterion" in response.content.decode()


def test_a_submitted_audit_refuses_a_save_with_a_message(senco_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 0), follow=True
    )
    assert response.redirect_chain[-1][0] == url("audit_detail", audit)
    assert "submitted to the local authority, so it cannot be changed" in response.content.decode()
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").level == 2


# --- actions -----------------------------------------------------------------------------------------


def action_post(audit, due: datetime.date, **extra):
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    return {
        "criterion": str(criterion.public_id),
        "what": "Train all staff",
        "owner": "SENCO",
        "due_0": str(due.day),
        "due_1": str(due.month),
        "due_2": str(due.year),
        "success_measure": "Every teacher uses the plan",
        "estimated_cost": "250",
        **extra,
    }


def test_add_an_action(senco_a, audit):
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = senco_a.post(url("action_add", audit), action_post(audit, due))
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.what, action.due, str(action.estimated_cost), action.criterion.ref) == (
        "Train all staff",
        due,
        "250.00",
        "S1-01",
    )


def test_an_action_due_in_the_past_is_refused(senco_a, audit):
    due = timezone.localdate() - datetime.timedelta(days=1)
    response = senco_a.post(url("action_add", audit), action_post(audit, due))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page
    assert "Due date must be today or in the future" in page
    assert "Every teacher uses the plan" in page
    assert not Action.objects.exists()


def test_an_overdue_action_stands_out(senco_a, audit):
    Action.objects.create(
        school=audit.school, audit=audit, what="Late one", owner="SENCO", due=datetime.date(2020, 1, 1)
    )
    page = senco_a.get(url("action_list", audit)).content.decode()
    assert "govuk-tag--red" in page and "Overdue" in page


# --- evidence ----------------------------------------------------------------------------------------


def test_upload_evidence_stores_it_privately_under_a_generated_name(senco_a, audit, world):
    criteria = Criterion.objects.filter(version=audit.framework_version, ref__in=["S1-01", "S1-02"])
    response = senco_a.post(
        url("evidence_add", audit),
        {
            "title": "SEN policy",
            "file": SimpleUploadedFile("My Policy.pdf", PDF, content_type="application/pdf"),
            "criteria": [str(c.public_id) for c in criteria],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith(f"evidence/{world.school_a.public_id}/")
    assert evidence.file.name.endswith(".pdf") and "Policy" not in evidence.file.name
    assert evidence.original_name == "My Policy.pdf" and evidence.content_type == "application/pdf"
    assert sorted(r.criterion.ref for r in evidence.ratings.all()) == [
        "S1-01",
        "S1-02",
    ]  # one piece, two criteria
    download = senco_a.get(url("evidence_download", audit, evidence_id=evidence.public_id))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("report.pdf", b"MZ\x90\x00" + b"\0" * 64, "not a real PDF"),
        ("bomb.docx", zip_bomb(), "expands to far more"),
    ],
)
def test_a_disguised_file_or_zip_bomb_is_refused_and_nothing_is_stored(senco_a, audit, name, data, message):
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    response = senco_a.post(
        url("evidence_add", audit),
        {"title": "Bad", "file": SimpleUploadedFile(name, data), "criteria": [str(criterion.public_id)]},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page and message in page
    assert 'value="Bad"' in page
    assert not Evidence.objects.exists()
    assert not default_storage.exists("evidence") or not default_storage.listdir("evidence")[1]


def test_an_oversized_file_is_refused(senco_a, audit, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    response = senco_a.post(
        url("evidence_add", audit),
        {
            "title": "Big",
            "file": SimpleUploadedFile("big.pdf", PDF + b"0" * 2000),
            "criteria": [str(criterion.public_id)],
        },
    )
    assert response.status_code == 200 and "must be smaller than" in response.content.decode()
    assert not Evidence.objects.exists()


def test_governors_only_download_shareable_evidence(governor_a, world):
    audit = sample_submitted_audit(world.school_a, slug="gov-sample")
    evidence = audit.evidence_added.get()
    assert governor_a.get(url("evidence_download", audit, evidence_id=evidence.public_id)).status_code == 200
    Evidence.objects.filter(pk=evidence.pk).update(shareable_with_governors=False)
    assert governor_a.get(url("evidence_download", audit, evidence_id=evidence.public_id)).status_code == 404
    assert "SEN policy" not in governor_a.get(url("evidence_list", audit)).content.decode()


@pytest.mark.parametrize("page", ["audit_history", "audit_export_csv", "audit_export_xlsx", "section"])
def test_governors_never_see_the_title_of_evidence_not_shared_with_them(governor_a, senco_a, world, page):
    """Security review, finding 2: the history and the exports showed every title to governors."""
    audit = sample_submitted_audit(world.school_a, slug="gov-titles")
    Evidence.objects.filter(audit=audit).update(shareable_with_governors=False)
    kwargs = {"section_ref": "S1"} if page == "section" else {}

    def text(client) -> str:
        response = client.get(url(page, audit, **kwargs))
        assert response.status_code == 200
        if page == "audit_export_xlsx":
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(response.content))
            return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
        return response.content.decode()

    assert "SEN policy" in text(senco_a)  # the school's staff see it: the page does carry titles
    assert "SEN policy" not in text(governor_a)


# --- check, submit, LA review, governors -------------------------------------------------------------


def test_check_page_lists_unrated_and_submit_is_refused_until_complete(senco_a, audit):
    page = senco_a.get(url("audit_check", audit)).content.decode()
    assert "Criteria not rated yet" in page and "S2-03" in page and "Submit the audit" not in page
    response = senco_a.post(url("audit_submit", audit), follow=True)
    assert "Rate every criterion before you submit" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == "draft"


def test_submit_twice_makes_one_transition(senco_a, senco_a_user, audit):
    rate_all(audit, senco_a_user)
    first = senco_a.post(url("audit_submit", audit), follow=True)
    second = senco_a.post(url("audit_submit", audit), follow=True)
    assert "Audit submitted to LA X" in first.content.decode()
    assert "already been submitted" in second.content.decode()
    assert AuditEvent.objects.filter(audit=audit, kind="submitted").count() == 1


def test_la_returns_with_comments_the_school_sees_them_then_the_la_accepts(
    senco_a, la_officer_x, governor_a, senco_a_user, world
):
    audit = submitted_audit(world.school_a, senco_a_user)
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-02")
    response = la_officer_x.post(
        url("la_comment", audit),
        {"criterion": str(criterion.public_id), "text": "Where are the review notes?"},
    )
    assert response.status_code == 302
    response = la_officer_x.post(url("la_return", audit), {"comment": ""})
    assert (
        response.status_code == 200 and "Enter what the school needs to change" in response.content.decode()
    )
    la_officer_x.post(url("la_return", audit), {"comment": "Please add evidence."})
    audit.refresh_from_db()
    assert audit.status == "returned"
    detail = senco_a.get(url("audit_detail", audit)).content.decode()
    assert "Returned for changes" in detail and "Please add evidence." in detail
    section = senco_a.get(url("section", audit, section_ref="S1")).content.decode()
    assert "Where are the review notes?" in section and "hx-post" in section
    assert governor_a.get(url("audit_summary", audit)).status_code == 200
    senco_a.post(url("audit_submit", audit))
    la_officer_x.post(url("la_accept", audit), {"comment": ""})
    audit.refresh_from_db()
    assert audit.status == "accepted"
    assert "Accepted on" in governor_a.get(url("audit_detail", audit)).content.decode()


def test_la_officer_cannot_comment_on_a_returned_audit(la_officer_x, senco_a_user, la_officer_x_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    services.audit_return(audit=audit, by=membership_of(la_officer_x_user), comment="Fix")
    response = la_officer_x.post(url("la_comment", audit), {"text": "More"})
    assert response.status_code == 404  # back with the school: the LA sees it only as submitted
    assert LAComment.objects.count() == 1


def test_the_board_records_its_review_of_an_audit_still_in_draft(governor_a, senco_a, senco_a_user, world):
    draft = make_audit(world.school_a, senco_a_user)
    page = governor_a.get(url("audit_summary", draft)).content.decode()
    assert url("governor_review", draft) in page and "once the audit has been submitted" not in page
    assert url("governor_review", draft) not in senco_a.get(url("audit_summary", draft)).content.decode()
    today = timezone.localdate()
    response = governor_a.post(
        url("governor_review", draft),
        {
            "reviewed_on_0": today.day,
            "reviewed_on_1": today.month,
            "reviewed_on_2": today.year,
            "minute_reference": "FGB 3",
        },
    )
    assert response.status_code == 302
    assert GovernorReview.objects.get(audit=draft).minute_reference == "FGB 3"
    assert draft.status == "draft"


def test_governor_records_a_review_and_a_future_date_is_refused(governor_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = governor_a.post(
        url("governor_review", audit),
        {
            "reviewed_on_0": future.day,
            "reviewed_on_1": future.month,
            "reviewed_on_2": future.year,
            "minute_reference": "FGB 7",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "must be today or in the past" in page and 'value="FGB 7"' in page
    assert not GovernorReview.objects.exists()
    today = timezone.localdate()
    response = governor_a.post(
        url("governor_review", audit),
        {
            "reviewed_on_0": today.day,
            "reviewed_on_1": today.month,
            "reviewed_on_2": today.year,
            "minute_reference": "FGB 7",
        },
    )
    assert response.status_code == 302 and GovernorReview.objects.get().minute_reference == "FGB 7"


def test_summary_explains_the_statutory_cap(senco_a, senco_a_user, audit):
    rate_all(audit, senco_a_user, level=3)
    response = Rating.objects.get(audit=audit, criterion__ref="S1-01")  # statutory
    services.rating_record(
        audit=audit,
        response=response,
        level=0,
        not_applicable=False,
        na_reason="",
        rationale="",
        expected_version=response.version,
        by=membership_of(senco_a_user),
    )
    page = senco_a.get(url("audit_summary", audit)).content.decode()
    assert (
        "Capped" in page
        and "1 statutory duty is below ‘Established’, so the level cannot be above ‘Emerging’" in page
    )
    assert "Duty not met" in page
    assert page.index("Duty not met") < page.index("Strengths")


def test_history_shows_who_changed_what(senco_a, senco_a_user, audit):
    senco_a.post(url("rating_save", audit, criterion_ref="S1-02"), rating_post("S1-02", 2, "Because."))
    page = senco_a.get(url("audit_history", audit)).content.decode()
    assert "Rating changed" in page and "S1-02" in page and "Not rated → Established" in page
    assert str(senco_a_user.full_name) in page


def test_exports_csv_and_xlsx(senco_a, senco_a_user, audit):
    rate_all(audit, senco_a_user, rationale='=HYPERLINK("http://evil")')
    csv_response = senco_a.get(url("audit_export_csv", audit))
    text = csv_response.content.decode("utf-8-sig")
    assert csv_response["Content-Disposition"].startswith("attachment")
    assert "S1-01" in text and "Established" in text
    assert "'=HYPERLINK" in text  # a formula is neutralised
    from openpyxl import load_workbook

    xlsx = senco_a.get(url("audit_export_xlsx", audit))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    rows = list(workbook["Audit"].iter_rows(min_row=5, values_only=True))
    assert len(rows) == 6 and rows[0][2] == "S1-01" and rows[0][7] == "Established"
    assert (rows[0][4], rows[0][8]) == ("Yes", "Yes")  # S1-01 is a statutory duty, met at Established
    assert (rows[1][4], rows[1][8]) == ("No", None)  # an empty cell


def test_compare_two_audits(senco_a, senco_a_user, la_officer_x_user, world):
    version = make_version()
    first = submitted_audit(world.school_a, senco_a_user, version, level=1)
    services.audit_accept(audit=first, by=membership_of(la_officer_x_user))
    second = make_audit(world.school_a, senco_a_user, version, year="2027/28")
    rate_all(second, senco_a_user, level=3)
    page = senco_a.get(url("audit_compare", second) + f"?other={first.public_id}").content.decode()
    assert "From 2026/27 to 2027/28" in page and "Up 2" in page


def test_la_weakest_provision(la_officer_x, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user, level=2)
    response = Rating.objects.get(audit=audit, criterion__ref="S2-03")
    Rating.objects.filter(pk=response.pk).update(level=0)
    page = la_officer_x.get(reverse("audits:la_weakest")).content.decode()
    assert page.index("S2-03") < page.index("S1-01")
    assert "School A" in page and "Not yet in place" in page


def test_a_statutory_gap_on_a_scale_from_1_shows_to_the_school_and_the_la(
    senco_a, la_officer_x, senco_a_user, world
):
    # An LA framework numbered 1 (Not yet in place) to 4 (Embedded), loaded as an LA would load it. Of its
    # six criteria, C-001 is statutory; S1 holds C-001, C-003 and C-005.
    one_based = load_version(framework_data(criteria=6, sections=2, scale_from=1))
    audit = make_audit(world.school_a, senco_a_user, one_based)
    rate_all(audit, senco_a_user, level=4)
    gap = Rating.objects.get(audit=audit, criterion__ref="C-001")
    services.rating_record(
        audit=audit,
        response=gap,
        level=1,
        not_applicable=False,
        na_reason="",
        rationale="",
        expected_version=gap.version,
        by=membership_of(senco_a_user),
    )
    services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    # Another school in the LA rates the same statutory duty at 2 on the shipped scale (0 to 3), where 2
    # is "Established": the duty is met. On the first school's scale 2 is "Emerging": not met.
    other = SchoolFactory(local_authority=world.la_x)
    zero_based = load_version(framework_data(criteria=6, sections=2))
    their_senco = membership_of(make_member("senco", school=other, email="senco.other@example.org"))
    submitted_audit(other, their_senco, zero_based, level=2)

    summary = senco_a.get(url("audit_summary", audit))
    assert [row["criterion__ref"] for row in summary.context["summary"].duties_unmet] == ["C-001"]
    page = summary.content.decode()
    assert "Duty not met" in page and "cannot be above ‘Emerging’" in page
    assert "0 of 1 met" in page

    response = la_officer_x.get(reverse("audits:la_audit_list"))
    assert {a.school_id: str(a.duties) for a in response.context["audits"]} == {
        world.school_a.pk: "0 of 1 met",
        other.pk: "1 of 1 met",
    }
    assert "1 not met" in response.content.decode()

    # Where provision is weakest names each school at its level on its own scale: school A's 1 is the
    # lowest level of its scale; the other school's 2 is "Established" on the shipped one.
    def spread_of(version):
        response = la_officer_x.get(
            reverse("audits:la_weakest"), {"version": str(version.public_id), "year": "2026/27"}
        )
        levels = response.context["levels"]
        return {
            item.criterion.ref: {
                level.label: [n.school_name for n in cell.named]
                for level, cell in zip(levels, item.levels, strict=True)
                if cell.count
            }
            for item in response.context["spreads"]
        }

    assert spread_of(one_based)["C-001"] == {"Not yet in place": [world.school_a.name]}
    assert spread_of(zero_based)["C-001"] == {"Established": [other.name]}


def test_home_panels(senco_a, governor_a, la_officer_x, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    assert audit.academic_year in senco_a.get("/").content.decode()
    page = governor_a.get("/").content.decode()
    assert 'Overall level</dt><dd class="govuk-summary-list__value">Established</dd>' in page
    assert "1 of 1 met" in page
    assert "1 audit waiting for your decision" in la_officer_x.get("/").content.decode()


def test_link_one_piece_of_evidence_to_more_criteria(senco_a, senco_a_user, audit):
    s1 = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    evidence = services.evidence_add(
        audit=audit,
        title="Policy",
        criteria=[s1],
        by=membership_of(senco_a_user),
        url="https://example.org/policy",
    )
    others = Criterion.objects.filter(version=audit.framework_version, ref__in=["S2-01", "S2-02"])
    response = senco_a.post(
        url("evidence_edit", audit, evidence_id=evidence.public_id),
        {
            "title": "SEN policy",
            "criteria": [str(c.public_id) for c in others],
            "shareable_with_governors": "on",
        },
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert sorted(r.criterion.ref for r in evidence.ratings.all()) == ["S2-01", "S2-02"]
    assert evidence.title == "SEN policy" and evidence.shareable_with_governors
    event = audit.events.filter(kind="evidence_added").last()
    assert event.detail["linked"] == ["S2-01", "S2-02"] and event.detail["unlinked"] == ["S1-01"]


def test_withdraw_a_submitted_audit(senco_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    response = senco_a.post(url("audit_withdraw", audit), follow=True)
    assert "Audit withdrawn" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == "draft"


def test_a_locked_audit_sends_writers_back_with_a_message(senco_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    for name in ("evidence_add", "action_add"):
        response = senco_a.get(url(name, audit), follow=True)
        assert response.redirect_chain[-1][0] == url("audit_detail", audit)
        assert "cannot be changed now" in response.content.decode()


def test_resubmitted_audits_wait_at_the_top_of_the_la_list(
    la_officer_x, senco_a_user, la_officer_x_user, world
):
    from tests.factories import SchoolFactory

    first = submitted_audit(world.school_a, senco_a_user)
    later = submitted_audit(SchoolFactory(local_authority=world.la_x, name="Later School"), senco_a_user)
    services.audit_accept(audit=later, by=membership_of(la_officer_x_user))
    services.audit_return(audit=first, by=membership_of(la_officer_x_user), comment="Fix it")
    services.audit_submit(audit=first, by=acting(senco_a_user, world.school_a))
    audits = la_officer_x.get(reverse("audits:la_audit_list")).context["audits"]
    assert [a.pk for a in audits] == [first.pk, later.pk]


# --- a decided or returned audit's record (security review, findings 3 and 4) ----------------------------


def test_after_a_return_the_la_reads_what_was_submitted_not_the_redraft(
    senco_a, la_officer_x, senco_a_user, la_officer_x_user, world
):
    audit = sample_submitted_audit(world.school_a, slug="returned-sample")
    services.audit_return(audit=audit, by=membership_of(la_officer_x_user), comment="Say more about S1-01")
    rating = Rating.objects.get(audit=audit, criterion__ref="S1-01")
    senco_a.post(
        url("rating_save", audit, criterion_ref="S1-01"),
        {
            "S1-01-level": "3",
            "S1-01-rationale": "Half-finished redraft",
            "S1-01-version": str(rating.version),
            "save": "1",
        },
    )
    assert Rating.objects.get(pk=rating.pk).rationale == "Half-finished redraft"  # the school's change saved
    page = la_officer_x.get(url("audit_detail", audit))
    assert page.status_code == 200
    body = page.content.decode()
    assert "We see this in practice." in body and "Half-finished redraft" not in body
    for name, kwargs in [
        ("section", {"section_ref": "S1"}),
        ("audit_summary", {}),
        ("audit_history", {}),
        ("evidence_list", {}),
        ("action_list", {}),
        ("audit_export_csv", {}),
    ]:
        response = la_officer_x.get(url(name, audit, **kwargs))
        assert response.status_code == 404, name
        assert b"Half-finished redraft" not in response.content
    services.audit_submit(audit=audit, by=acting(senco_a_user, world.school_a))
    assert (
        "Half-finished redraft" in la_officer_x.get(url("section", audit, section_ref="S1")).content.decode()
    )


def test_carrying_forward_never_changes_the_accepted_audits_evidence(
    senco_a, senco_a_user, la_officer_x_user, world
):
    accepted = sample_submitted_audit(world.school_a, slug="carry-evidence")
    services.audit_accept(audit=accepted, by=membership_of(la_officer_x_user))
    old = accepted.evidence_added.get()
    next_year = services.audit_carry_forward(
        previous=accepted,
        framework_version=accepted.framework_version,
        academic_year="2027/28",
        by=acting(senco_a_user, world.school_a),
    )
    copy = next_year.evidence_added.get()
    assert copy.pk != old.pk and copy.title == "SEN policy" and copy.file.name == old.file.name
    senco_a.post(
        url("evidence_edit", next_year, evidence_id=copy.public_id),
        {"title": "Renamed next year", "criteria": []},
    )
    old.refresh_from_db()
    assert (old.title, old.shareable_with_governors) == ("SEN policy", True)
    assert [e.title for e in Rating.objects.get(audit=accepted, criterion__ref="S1-01").evidence.all()] == [
        "SEN policy"
    ]
    # and the earlier audit's own evidence cannot be edited through the new audit
    with pytest.raises(services.EvidenceRejected):
        services.evidence_update(
            audit=next_year,
            evidence=old,
            title="x",
            criteria=[],
            shareable_with_governors=False,
            by=acting(senco_a_user, world.school_a),
        )


def test_the_la_list_shows_every_handed_audit_a_page_at_a_time(
    la_officer_x, senco_a_user, la_officer_x_user, world, monkeypatch
):
    """The list once stopped at 500 rows; now every audit is on some page, waiting ones first."""
    from audits.views import la as la_views
    from tests.factories import SchoolFactory

    monkeypatch.setattr(la_views, "AUDITS_PAGE_SIZE", 2)
    waiting = submitted_audit(world.school_a, senco_a_user)
    accepted = submitted_audit(
        SchoolFactory(local_authority=world.la_x, name="Accepted School"), senco_a_user
    )
    returned = submitted_audit(
        SchoolFactory(local_authority=world.la_x, name="Returned School"), senco_a_user
    )
    services.audit_accept(audit=accepted, by=membership_of(la_officer_x_user))
    services.audit_return(audit=returned, by=membership_of(la_officer_x_user), comment="Say more")
    make_audit(SchoolFactory(local_authority=world.la_x, name="Draft School"), senco_a_user)  # never listed

    first = la_officer_x.get(reverse("audits:la_audit_list"))
    second = la_officer_x.get(reverse("audits:la_audit_list") + "?page=2")
    assert len(first.context["audits"]) == 2 and first.context["audits"][0].pk == waiting.pk
    assert {a.pk for a in first.context["audits"] + second.context["audits"]} == {
        waiting.pk,
        accepted.pk,
        returned.pk,
    }
    assert "Showing 1 to 2 of 3 audits." in first.content.decode()
    assert "Showing 3 to 3 of 3 audits." in second.content.decode()
