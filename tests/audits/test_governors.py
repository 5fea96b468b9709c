"""Governors own the governance health check: they start it, rate it and submit it; the SENCO's audit stays theirs.

The rule (sendplan/policy.py): governors take audit_start, audit_edit and audit_submit on the rows
RATED_BY_GOVERNORS, the audits of a framework whose rated_by is "governors". School staff keep every audit.
"""

import pytest
from django.urls import reverse

from audits import services
from audits.models import Audit, Evidence, Rating
from sendplan import policy
from tests.audits.factories import PDF, make_audit, make_version, rate_all
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks():
    return {
        "oap": make_version(slug="oap-for-governors-test"),
        "board": make_version(slug="board-health-check", rated_by="governors"),
    }


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


def test_a_governor_is_offered_only_the_frameworks_the_board_rates(governor_a, senco_a, frameworks):
    governor_page = governor_a.get(reverse("audits:audit_list")).content.decode()
    assert str(frameworks["board"].public_id) in governor_page
    assert str(frameworks["oap"].public_id) not in governor_page
    senco_page = senco_a.get(reverse("audits:audit_list")).content.decode()
    assert str(frameworks["board"].public_id) in senco_page and str(frameworks["oap"].public_id) in senco_page


def test_a_governor_starts_rates_and_submits_the_health_check(governor_a, governor_a_user, frameworks, world):
    response = governor_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(frameworks["board"].public_id), "academic_year": "2026/27"},
    )
    assert response.status_code == 302
    audit = Audit.objects.get(school=world.school_a)
    assert audit.created_by == governor_a_user
    response = governor_a.post(
        url("rating_save", audit, criterion_ref="S1-02"),
        {
            "S1-02-level": "2",
            "S1-02-rationale": "Minutes show termly reports.",
            "S1-02-version": "0",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").updated_by == governor_a_user
    rate_all(audit, governor_a_user)
    assert governor_a.get(url("audit_submit", audit)).status_code == 200  # the confirmation page
    assert governor_a.post(url("audit_submit", audit)).status_code == 302
    audit.refresh_from_db()
    assert audit.status == "submitted"


def test_a_governor_cannot_start_or_rate_the_senco_s_audit(
    governor_a, governor_a_user, senco_a_user, frameworks, world
):
    with pytest.raises(policy.NotAllowed):
        make_audit(world.school_a, membership_of(governor_a_user), frameworks["oap"])
    assert not Audit.objects.exists()  # refused on the row, and rolled back
    response = governor_a.post(
        reverse("audits:audit_start"),
        {"framework_version": str(frameworks["oap"].public_id), "academic_year": "2026/27"},
    )
    assert response.status_code == 200 and "Select one of the frameworks shown" in response.content.decode()
    assert not Audit.objects.exists()
    oap = make_audit(world.school_a, senco_a_user, frameworks["oap"])
    response = governor_a.post(
        url("rating_save", oap, criterion_ref="S1-02"),
        {"S1-02-level": "2", "S1-02-rationale": "x", "S1-02-version": "0", "save": "1"},
    )
    assert response.status_code == 403
    rating = Rating.objects.get(audit=oap, criterion__ref="S1-02")
    with pytest.raises(policy.NotAllowed):
        services.rating_record(
            audit=oap,
            response=rating,
            level=2,
            not_applicable=False,
            na_reason="",
            rationale="x",
            expected_version=0,
            by=membership_of(governor_a_user),
        )
    page = governor_a.get(url("section", oap, section_ref="S1")).content.decode()
    assert 'name="S1-02-level"' not in page  # read only: no rating form


def test_school_staff_may_help_rate_the_health_check(senco_a_user, frameworks, world):
    audit = make_audit(world.school_a, senco_a_user, frameworks["board"])
    rate_all(audit, senco_a_user)
    assert not Rating.objects.filter(audit=audit, level__isnull=True).exists()


def test_governors_see_all_evidence_of_the_health_check_but_only_shared_evidence_of_the_senco_s_audit(
    governor_a, governor_a_user, senco_a_user, frameworks, world
):
    board = make_audit(world.school_a, governor_a_user, frameworks["board"])
    oap = make_audit(world.school_a, senco_a_user, frameworks["oap"])
    for audit, by in ((board, governor_a_user), (oap, senco_a_user)):
        services.evidence_add(
            audit=audit,
            title=f"Minutes for {audit.framework.slug}",
            criteria=[audit.framework_version.criteria.first()],
            by=membership_of(by),
            file_name="minutes.pdf",
            data=PDF,
            shareable_with_governors=False,
        )
    board_evidence = Evidence.objects.get(audit=board)
    oap_evidence = Evidence.objects.get(audit=oap)
    assert (
        governor_a.get(url("evidence_download", board, evidence_id=board_evidence.public_id)).status_code
        == 200
    )
    assert (
        governor_a.get(url("evidence_download", oap, evidence_id=oap_evidence.public_id)).status_code == 404
    )


def test_the_board_records_its_review_of_any_audit(governor_a_user, senco_a_user, frameworks, world):
    import datetime

    draft = make_audit(world.school_a, senco_a_user, frameworks["oap"])
    review = services.governor_review_record(
        audit=draft,
        reviewed_on=datetime.date(2026, 11, 2),
        minute_reference="FGB 4",
        by=membership_of(governor_a_user),
    )
    assert review.audit == draft and draft.status == "draft"
