"""Fuzzing the pupil and section forms: no input gives a 500, and nothing invalid is saved."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp.models import Pupil

pytestmark = pytest.mark.django_db

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "first_name": text,
            "last_name": text,
            "date_of_birth_0": text,
            "date_of_birth_1": text,
            "date_of_birth_2": text,
            "year_group": st.one_of(text, st.sampled_from(["R", "4", "14"])),
            "upn": text,
            "sen_provision": st.one_of(text, st.sampled_from(["E", "K", "N"])),
            "primary_need": st.one_of(text, st.sampled_from(["NSA", "ASD", ""])),
            "secondary_need": st.one_of(text, st.sampled_from(["NSA", "ASD", ""])),
        }
    )
)
def test_pupil_form_never_fails_and_saves_only_valid_pupils(senco_a_user, data):
    from tests.conftest import sign_in

    client: Client = sign_in(senco_a_user)
    response = client.post(reverse("ehcp:pupil_add"), data)
    assert response.status_code in (200, 302)
    for pupil in Pupil.objects.all():
        assert pupil.sen_provision in "EKN" and not (
            pupil.sen_provision == "E" and pupil.primary_need == "NSA"
        )
    Pupil.objects.all().delete()


@FUZZ
@given(
    section=st.sampled_from(["B", "E", "F", "G", "K", "A", "I"]),
    data=st.dictionaries(
        st.sampled_from(
            [
                "area_of_need",
                "text",
                "timeframe",
                "what",
                "who",
                "frequency",
                "needs",
                "source",
                "date_0",
                "a_views",
                "completed",
                "i_placement",
            ]
        ),
        text,
        max_size=6,
    ),
)
def test_section_forms_never_fail(senco_a_user, plan_a, section, data):
    from tests.conftest import sign_in

    client = sign_in(senco_a_user)
    response = client.post(reverse("ehcp:section_detail", args=[plan_a.public_id, section]), data)
    assert response.status_code in (200, 302)
