"""What a SENCO reads is true: provisional and withheld levels, duties "n of m met, k unrated", "to confirm".

The audits here use the test framework of tests/audits/factories.py: sections S1 and S2 with criteria
S1-01..S1-03 and S2-01..S2-03 on the scale Not yet in place (0), Emerging, Established (2, where a duty is
met), Embedded; S1-01 is the one statutory duty. Every expected sentence is written out by hand.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.levels import audit_levels_refresh
from audits.models import Audit, Rating
from tests.audits.factories import make_audit, make_version, rate_all, submitted_audit
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


def rate(audit, user, ref, level, rationale="Seen in practice."):
    rating = Rating.objects.get(audit=audit, criterion__ref=ref)
    services.rating_record(
        audit=audit,
        response=rating,
        level=level,
        not_applicable=False,
        na_reason="",
        rationale=rationale,
        expected_version=rating.version,
        by=membership_of(user),
    )


def text(response) -> str:
    """Return the page's visible text on one line, without tags, as a person reads it."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" .", ".")


@pytest.fixture
def audit(world, senco_a_user):
    return make_audit(world.school_a, senco_a_user)


def test_a_level_with_criteria_unrated_is_provisional_and_never_in_a_panel(senco_a, senco_a_user, audit):
    for ref in ("S1-01", "S1-02", "S1-03"):
        rate(audit, senco_a_user, ref, 2)
    response = senco_a.get(url("audit_summary", audit))
    page = text(response)
    assert "Overall level: Established Provisional" in page
    assert "This level is provisional: 3 criteria are not rated yet, so it may change." in page
    assert "Progress 3 of 6 criteria rated" in page
    assert "Statutory duties 1 of 1 met" in page
    assert "govuk-panel" not in response.content.decode()  # the confirmation panel is for finished things


def test_a_level_is_withheld_while_a_statutory_duty_is_unrated(senco_a, senco_a_user, audit):
    for ref in ("S1-02", "S1-03", "S2-01", "S2-02", "S2-03"):
        rate(audit, senco_a_user, ref, 3)
    page = text(senco_a.get(url("audit_summary", audit)))
    assert "Overall level: No level yet Withheld" in page
    assert "No level is given until every statutory duty is rated. 1 statutory duty is not rated yet." in page
    assert "Statutory duties 0 of 1 met, 1 unrated" in page
    check = text(senco_a.get(url("audit_check", audit)))
    assert "Statutory duties 0 of 1 met, 1 unrated" in check
    assert "Statutory gaps" not in check


def test_a_duty_below_established_caps_the_level_and_comes_first(senco_a, senco_a_user, audit):
    rate_all(audit, senco_a_user, level=3)
    rate(audit, senco_a_user, "S2-03", 0)  # Not yet in place, but not a duty
    rate(audit, senco_a_user, "S1-01", 1)  # Emerging: a duty below the met level
    page = text(senco_a.get(url("audit_summary", audit)))
    assert "Overall level: Emerging Capped" in page
    assert (
        "Overall, 1 statutory duty is below ‘Established’, so the level cannot be above ‘Emerging’." in page
    )
    assert "Statutory duties 0 of 1 met, 1 not met" in page
    priorities = page[page.index("Priorities") : page.index("Strengths")]
    # The duty at Emerging comes before the non-statutory criterion at Not yet in place.
    assert re.search(r"Duty not met S1-01 .* \(Emerging\) S2-03 .* \(Not yet in place\)", priorities)


def test_carried_forward_ratings_are_to_confirm_not_rated(senco_a, senco_a_user, la_officer_x_user, world):
    version = make_version()
    previous = submitted_audit(world.school_a, senco_a_user, version, level=2)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    carried = services.audit_carry_forward(
        previous=previous, framework_version=version, academic_year="2027/28", by=membership_of(senco_a_user)
    )
    task_list = text(senco_a.get(url("audit_detail", carried)))
    assert "0 of 6 criteria rated, 6 to confirm." in task_list
    assert "6 of 6" not in task_list
    check = text(senco_a.get(url("audit_check", carried)))
    assert "Progress 0 of 6 criteria rated, 6 to confirm" in check
    assert "Overall level No level yet Withheld" in check
    assert "Statutory duties 0 of 1 met, 1 unrated" in check
    audits = text(senco_a.get(reverse("audits:audit_list")))
    assert "0 of 6, 6 to confirm" in audits


def test_after_acceptance_only_the_acceptance_comment_shows(
    senco_a, governor_a, senco_a_user, la_officer_x_user, world
):
    audit = submitted_audit(world.school_a, senco_a_user)
    officer = membership_of(la_officer_x_user)
    services.audit_return(audit=audit, by=officer, comment="Add evidence for S1-02, then resubmit.")
    returned = text(senco_a.get(url("audit_detail", audit)))
    assert "Add evidence for S1-02, then resubmit." in returned
    services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    services.audit_accept(audit=audit, by=officer, comment="Thank you: a clear and honest audit.")
    for client in (senco_a, governor_a):
        page = text(client.get(url("audit_detail", audit)))
        assert "Thank you: a clear and honest audit." in page
        assert "then resubmit" not in page


def test_the_start_form_preselects_nothing_and_refuses_another_frameworks_audit(
    senco_a, senco_a_user, la_officer_x_user, world
):
    oap, other = make_version(), make_version()
    previous = submitted_audit(world.school_a, senco_a_user, oap)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    page = senco_a.get(reverse("audits:audit_list")).content.decode()
    assert " checked" not in page
    response = senco_a.post(
        reverse("audits:audit_start"),
        {
            "framework_version": str(other.public_id),
            "academic_year": "2027/28",
            "carry_from": str(previous.public_id),
        },
    )
    page = text(response)
    assert response.status_code == 200 and response.content.decode().count("<title>Error:") == 1
    assert (
        f"You can start from an earlier audit of {other.framework.title} only. Choose ‘No, start a blank audit’, "
        f"or an earlier audit of {other.framework.title}" in page
    )
    assert Audit.objects.count() == 1
    response = senco_a.post(
        reverse("audits:audit_start"), {"framework_version": str(other.public_id), "academic_year": "2027/28"}
    )
    assert "Select whether to start from an earlier audit" in text(response)
    response = senco_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(other.public_id), "academic_year": "2027/28", "carry_from": "blank"},
    )
    assert response.status_code == 302 and Audit.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        (
            "action_add",
            {"what": "Train staff", "owner": "SENCO", "success_measure": "All trained", "criterion": ""},
            "Due date must be a real date",
        ),
        ("governor_review", {"minute_reference": "FGB 1"}, "Date of the meeting must be a real date"),
    ],
)
def test_dates_that_do_not_exist_get_the_gov_uk_error(
    senco_a, governor_a, senco_a_user, audit, name, fields, message
):
    if name == "action_add":
        fields["criterion"] = str(audit.framework_version.criteria.first().public_id)
        prefix, client = "due", senco_a
    else:
        prefix, client = "reviewed_on", governor_a
    data = {**fields, f"{prefix}_0": "31", f"{prefix}_1": "2", f"{prefix}_2": "2027"}
    response = client.post(url(name, audit), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page
    assert message in page
    assert "out of range" not in page


def test_a_statutory_duty_offers_no_not_applicable(senco_a, senco_a_user, audit):
    statutory = senco_a.get(url("rating_save", audit, criterion_ref="S1-01")).content.decode()
    other = senco_a.get(url("rating_save", audit, criterion_ref="S1-02")).content.decode()
    assert 'value="na"' not in statutory and "Why does it not apply" not in statutory
    assert 'value="na"' in other and "Why does it not apply to your school?" in other
    response = senco_a.post(
        url("rating_save", audit, criterion_ref="S1-01"),
        {"S1-01-level": "na", "S1-01-na_reason": "We have none", "S1-01-version": "0", "save": "1"},
    )
    page = text(response)
    assert "This is a statutory duty, so it cannot be not applicable: select how well it is in place" in page
    assert not Rating.objects.get(audit=audit, criterion__ref="S1-01").not_applicable


def test_the_service_refuses_a_statutory_duty_not_applicable(senco_a_user, audit):
    rating = Rating.objects.get(audit=audit, criterion__ref="S1-01")
    with pytest.raises(
        services.InvalidResponse, match="This is a statutory duty, so it cannot be not applicable"
    ):
        services.rating_record(
            audit=audit,
            response=rating,
            level=None,
            not_applicable=True,
            na_reason="Not for us",
            rationale="",
            expected_version=0,
            by=membership_of(senco_a_user),
        )


def test_a_duty_marked_not_applicable_before_blocks_submission_and_is_not_carried(
    senco_a_user, la_officer_x_user, world
):
    version = make_version()
    audit = make_audit(world.school_a, senco_a_user, version)
    rate_all(audit, senco_a_user)
    # An earlier release allowed it: set it up directly.
    Rating.objects.filter(audit=audit, criterion__ref="S1-01").update(
        level=None, not_applicable=True, na_reason="x"
    )
    with pytest.raises(services.AuditIncomplete, match="1 criterion is not rated yet"):
        services.audit_submit(audit=audit, by=membership_of(senco_a_user))
    # An accepted audit that held one: the next year's audit starts it unrated, never "not applicable".
    Audit.objects.filter(pk=audit.pk).update(status="accepted", submitted_at=timezone.now())
    audit.refresh_from_db()
    carried = services.audit_carry_forward(
        previous=audit, framework_version=version, academic_year="2027/28", by=membership_of(senco_a_user)
    )
    duty = Rating.objects.get(audit=carried, criterion__ref="S1-01")
    assert (duty.level, duty.not_applicable, duty.na_reason) == (None, False, "")


def test_the_la_list_shows_duties_and_no_misleading_average(la_officer_x, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user, level=3)
    rating = Rating.objects.get(audit=audit, criterion__ref="S1-01")
    Rating.objects.filter(pk=rating.pk).update(level=0)
    audit_levels_refresh(audit)  # as every service that changes a rating does
    page = text(la_officer_x.get(reverse("audits:la_audit_list")))
    assert "0 of 1 met 1 not met" in page
    assert "Average level" not in page


def test_the_governors_home_shows_the_boards_latest_review(governor_a, senco_a_user, governor_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    page = text(governor_a.get("/"))
    assert "The board has not recorded a review of an audit yet." in page
    services.governor_review_record(
        audit=audit,
        reviewed_on=datetime.date(2026, 11, 12),
        minute_reference="FGB 2026/11 item 4",
        by=membership_of(governor_a_user),
    )
    page = text(governor_a.get("/"))
    assert (
        f"The board reviewed the 2026/27 audit of {audit.framework_version} on 12 November 2026 "
        "(minute FGB 2026/11 item 4)." in page
    )
