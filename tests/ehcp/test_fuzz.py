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


# --- the register's new pages (issue 12) -----------------------------------------------------------------


def _pending_import(school):
    from ehcp import mis
    from ehcp.models import PupilImport

    headings = ["Child forename", "Legal Surname", "DOB", "Year", "SEN Status"]
    return PupilImport.objects.create(
        school=school,
        filename="export.csv",
        content=b"Child forename,Legal Surname,DOB,Year,SEN Status\nAda,Brook,23/09/2016,4,K\n",
        headings=headings,
        columns=mis.recognise_headings(headings),
    )


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["first_name", "last_name", "date_of_birth", "year_group", "sen_provision", "upn", "eal"]
        ),
        st.one_of(text, st.sampled_from(["0", "1", "4", "-1", "99", ""])),
        max_size=7,
    )
)
def test_the_column_matching_form_never_fails(senco_a_user, world, data):
    from ehcp.models import ImportMapping
    from tests.conftest import sign_in

    pupil_import = _pending_import(world.school_a)
    response = sign_in(senco_a_user).post(
        reverse("ehcp:pupil_import_columns", args=[pupil_import.public_id]), data
    )
    assert response.status_code in (200, 302)
    for mapping in ImportMapping.objects.all():
        assert set(mapping.columns.values()) <= set(pupil_import.headings)


@FUZZ
@given(digest=text)
def test_confirming_with_any_digest_never_fails_and_writes_only_the_previewed_rows(
    senco_a_user, world, digest
):
    from tests.conftest import sign_in

    pupil_import = _pending_import(world.school_a)
    response = sign_in(senco_a_user).post(
        reverse("ehcp:pupil_import_preview", args=[pupil_import.public_id]), {"digest": digest}
    )
    assert response.status_code in (200, 302)
    assert not Pupil.objects.exists()


@FUZZ
@given(day=text, month=text, year=st.one_of(text, st.sampled_from(["2026", "1900", "99999"])))
def test_the_leaving_form_never_fails(senco_a_user, world, day, month, year):
    from tests.conftest import sign_in
    from tests.ehcp.factories import PupilFactory

    pupil = PupilFactory(school=world.school_a)
    url = reverse("ehcp:pupil_leave", args=[pupil.public_id])
    response = sign_in(senco_a_user).post(url, {"left_on_0": day, "left_on_1": month, "left_on_2": year})
    assert response.status_code in (200, 302)
    pupil.refresh_from_db()
    assert pupil.left_on is None or pupil.date_of_birth <= pupil.left_on


@FUZZ
@given(hold=st.one_of(text, st.sampled_from(["yes", "no"])), reason=st.text(max_size=300))
def test_the_legal_hold_form_never_fails(la_admin_x_user, world, hold, reason):
    from ehcp.models import PlanVersion
    from tests.conftest import sign_in
    from tests.ehcp.factories import PlanFactory, PupilFactory

    plan = PlanFactory(
        pupil=PupilFactory(school=world.school_a), school=world.school_a, status=PlanVersion.Status.SUBMITTED
    )
    response = sign_in(la_admin_x_user).post(
        reverse("ehcp:legal_hold", args=[plan.public_id]), {"hold": hold, "reason": reason}
    )
    assert response.status_code in (200, 302)
    plan.pupil.refresh_from_db()
    assert not plan.pupil.legal_hold or plan.pupil.legal_hold_reason.strip()


@FUZZ
@given(search=text, year=text, left=st.sampled_from(["", "1", "x"]))
def test_the_register_filters_never_fail(senco_a_user, world, search, year, left):
    from tests.conftest import sign_in

    response = sign_in(senco_a_user).get(
        reverse("ehcp:register"), {"search": search, "year": year, "left": left}
    )
    assert response.status_code == 200


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(text, max_size=8), max_size=5).map(
            lambda rows: "\n".join(
                ",".join(r) for r in [["Forename", "Surname", "DOB", "Year", "SEN Status"], *rows]
            ).encode()
        ),
    ),
    name=st.sampled_from(["export.csv", "export.xlsx", "export.txt"]),
)
def test_any_uploaded_file_gets_a_page_never_an_error(senco_a_user, world, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import sign_in

    client = sign_in(senco_a_user)
    response = client.post(reverse("ehcp:pupil_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code in (200, 302)
    assert not Pupil.objects.exists()
