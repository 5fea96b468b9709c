"""Bad input on the pupil forms: lengths the database would refuse and absurd dates give the error summary."""

import pytest
from django.urls import reverse

from ehcp.models import Carer, Plan, Pupil, SupportCycle
from tests.sendplan.test_bad_input import assert_error_page

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # a valid form, but 312 characters
HUGE_YEAR = "9" * 25  # int() takes it; date() overflows
ABSURD_YEARS = [HUGE_YEAR, "99999", "9" * 5000]


def test_a_carer_email_too_long_for_the_register_is_an_error(senco_a, pupil_a):
    response = senco_a.post(
        reverse("ehcp:carer_add", args=[pupil_a.public_id]),
        {"name": "Grace Okoro", "relationship": "Mother", "email": LONG_EMAIL},
    )
    assert_error_page(response, "Email address must be 254 characters or fewer")
    assert 'value="Grace Okoro"' in response.content.decode()
    assert not Carer.objects.exists()


def test_the_carer_form_and_the_import_share_their_rules(senco_a, pupil_a):
    response = senco_a.post(
        reverse("ehcp:carer_add", args=[pupil_a.public_id]),
        {"name": "Grace Okoro", "relationship": "Mother", "email": "grace@example"},
    )
    assert_error_page(response, "Enter an email address in the correct format, like name@example.org")
    assert not Carer.objects.exists()


@pytest.mark.parametrize("year", ABSURD_YEARS, ids=["overflows", "99999", "5000 digits"])
def test_an_absurd_date_of_birth_is_an_error(senco_a, year):
    from tests.ehcp.test_views import pupil_form_data

    response = senco_a.post(reverse("ehcp:pupil_add"), pupil_form_data(date_of_birth_2=year))
    assert_error_page(response, "Date of birth must be a real date")
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("year", ABSURD_YEARS, ids=["overflows", "99999", "5000 digits"])
def test_an_absurd_cycle_date_is_an_error(senco_a, pupil_a, year):
    data = {
        "started_on_0": "10", "started_on_1": "9", "started_on_2": year,
        "review_date_0": "1", "review_date_1": "12", "review_date_2": "2025",
        "assessed": "Phonics", "outcomes_sought": "Read 40 words", "provision_what": "Group phonics",
        "provision_frequency": "3 times a week", "provision_who": "TA",
    }  # fmt: skip
    response = senco_a.post(reverse("ehcp:cycle_add", args=[pupil_a.public_id]), data)
    assert_error_page(response, "Date the cycle started must be a real date")
    assert not SupportCycle.objects.exists()


def test_an_absurd_plan_date_is_an_error(senco_a, plan_a):
    data = {"requested_on_0": "2", "requested_on_1": HUGE_YEAR, "requested_on_2": "2026"}
    response = senco_a.post(reverse("ehcp:plan_dates", args=[plan_a.public_id]), data)
    assert_error_page(response, "Date the assessment was requested must be a real date")
    assert Plan.objects.get().requested_on == plan_a.requested_on


def test_a_nul_in_a_section_code_is_not_found(senco_a, plan_a):
    for section in ("B%00", "%00", "ZZ"):
        url = f"/ehcp/plans/{plan_a.public_id}/sections/{section}/"
        assert senco_a.get(url).status_code == 404, url
