"""The evidence for an EHC needs assessment request draws on the school's submitted audit."""

from django.urls import reverse

from tests.audits.factories import make_version, submitted_audit
from tests.ehcp.factories import PupilFactory


def test_evidence_page_shows_the_submitted_audit_rating_for_the_pupils_area_of_need(
    world, senco_a, senco_a_user
):
    # SPLD is cognition and learning; the audit factory makes S2 a cognition and learning section.
    pupil = PupilFactory(school=world.school_a, sen_provision="K", primary_need="SPLD")
    url = reverse("ehcp:evidence", args=[pupil.public_id])
    before = senco_a.get(url).content.decode()
    assert "No submitted audit yet." in before and "Emerging" not in before

    version = make_version(sections=4, per_section=2, statutory=())
    submitted_audit(world.school_a, senco_a_user, version, level=1)
    page = senco_a.get(url).content.decode()

    assert "No submitted audit yet." not in page
    assert "Latest submitted audit ratings" in page
    assert "Emerging" in page  # every criterion of the section was rated 1


def test_evidence_page_ignores_another_schools_audit(world, senco_a, senco_b_user):
    pupil = PupilFactory(school=world.school_a, sen_provision="K", primary_need="SPLD")
    submitted_audit(
        world.school_b, senco_b_user, make_version(sections=4, per_section=2, statutory=()), level=3
    )
    page = senco_a.get(reverse("ehcp:evidence", args=[pupil.public_id])).content.decode()
    assert "No submitted audit yet." in page
    assert "Embedded" not in page
