"""Bad input on the audit pages: absurd dates and impossible refs give the error summary or 404, never 500."""

import pytest
from django.urls import reverse

from audits.models import Action, GovernorReview
from tests.audits.factories import make_audit, submitted_audit
from tests.sendplan.test_bad_input import assert_error_page

pytestmark = pytest.mark.django_db

ABSURD_YEARS = ["9" * 25, "99999", "9" * 5000]


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


@pytest.mark.parametrize("year", ABSURD_YEARS, ids=["overflows", "99999", "5000 digits"])
def test_an_absurd_due_date_is_an_error(senco_a, senco_a_user, world, year):
    audit = make_audit(world.school_a, senco_a_user)
    criterion = audit.framework_version.criteria.first()
    data = {
        "criterion": str(criterion.public_id),
        "what": "Train all staff",
        "owner": "SENCO",
        "due_0": "1",
        "due_1": "9",
        "due_2": year,
        "success_measure": "Every teacher uses the plan",
    }
    response = senco_a.post(url("action_add", audit), data)
    assert_error_page(response, "Due date must be a real date")
    assert not Action.objects.exists()


def test_an_absurd_board_review_date_is_an_error(governor_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user)
    data = {
        "reviewed_on_0": "1",
        "reviewed_on_1": "9" * 25,
        "reviewed_on_2": "2026",
        "minute_reference": "FGB 7",
    }
    response = governor_a.post(url("governor_review", audit), data)
    assert_error_page(response, "Date of the meeting must be a real date")
    assert not GovernorReview.objects.exists()


@pytest.mark.parametrize(
    "segment", ["%00", "S1%00", "S1%2F..", "-S1", "S1%20x", "S" * 41, "%C3%A9"], ids=repr
)
def test_a_section_or_criterion_url_that_is_not_a_ref_is_not_found(senco_a, senco_a_user, world, segment):
    audit = make_audit(world.school_a, senco_a_user)
    base = f"/audits/{audit.public_id}"
    assert senco_a.get(f"{base}/sections/{segment}/").status_code == 404
    assert senco_a.get(f"{base}/criteria/{segment}/").status_code == 404
    assert senco_a.post(f"{base}/criteria/{segment}/", {"save": "1"}).status_code == 404
    # the real refs still resolve
    assert senco_a.get(f"{base}/sections/S1/").status_code == 200
    assert senco_a.get(f"{base}/criteria/S1-01/").status_code == 200
