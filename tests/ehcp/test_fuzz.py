"""Fuzzing the pupil and section forms: no input gives a 500, and nothing invalid is saved."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp.models import Pupil

pytestmark = pytest.mark.django_db

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
digits = st.from_regex(r"\A[0-9]{1,25}\Z")  # a day, month or year too large for a date
long_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=330)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "first_name": text,
            "last_name": text,
            "date_of_birth_0": st.one_of(text, digits),
            "date_of_birth_1": st.one_of(text, digits),
            "date_of_birth_2": st.one_of(text, digits),
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


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "name": st.one_of(long_text, st.just("Grace Okoro")),
            "relationship": st.one_of(long_text, st.just("Mother")),
            "phone": long_text,
            "email": st.one_of(
                long_text, st.emails(), st.just("a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org")
            ),
        }
    )
)
def test_carer_form_never_fails_and_saves_only_what_fits(senco_a_user, world, data):
    from ehcp.models import Carer
    from tests.conftest import sign_in
    from tests.ehcp.factories import PupilFactory

    pupil = PupilFactory(school=world.school_a)
    response = sign_in(senco_a_user).post(reverse("ehcp:carer_add", args=[pupil.public_id]), data)
    assert response.status_code in (200, 302)
    for carer in Carer.objects.all():
        assert len(carer.name) <= 150 and len(carer.email) <= 254
    Carer.objects.all().delete()
    pupil.delete()
