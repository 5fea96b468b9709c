"""CSV import: all rows or none, every problem reported with its line number and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp import services
from ehcp.models import Carer, Pupil
from tests.conftest import membership_of
from tests.ehcp.factories import PupilFactory

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,date_of_birth,year_group,upn,sen_provision,primary_need,secondary_need,carer_name,carer_relationship\n"
GOOD = HEADER + (
    "Ada,Brook,2016-09-23,4,H801200001001,K,SPLD,,Grace Brook,Mother\n"
    "Ben,Carter,12/03/2015,Y5,,E,ASD,SLCN,,\n"
    "Cal,Dune,2017-01-30,R,,N,,,,\n"
)


def test_a_good_file_imports_every_row(world, senco_a_user):
    result = services.pupil_import(
        by=membership_of(senco_a_user), school=world.school_a, content=GOOD.encode()
    )
    assert (result.created, result.updated) == (3, 0)
    assert Pupil.objects.filter(school=world.school_a).count() == 3
    assert Pupil.objects.get(last_name="Carter").year_group == "5"
    assert Carer.objects.get().name == "Grace Brook"


def test_a_row_with_a_known_upn_updates_that_pupil(world, senco_a_user):
    PupilFactory(school=world.school_a, upn="H801200001001", last_name="Old")
    result = services.pupil_import(
        by=membership_of(senco_a_user), school=world.school_a, content=GOOD.encode()
    )
    assert (result.created, result.updated) == (2, 1)
    assert Pupil.objects.get(upn="H801200001001").last_name == "Brook"


def test_every_invalid_row_is_reported_with_its_line_and_nothing_is_imported(world, senco_a_user):
    bad = HEADER + (
        "Ada,Brook,2016-09-23,4,,K,SPLD,,,\n"  # line 2: fine
        "Ben,Carter,2015-02-30,5,,E,ASD,,,\n"  # line 3: impossible date
        "Cal,Dune,2017-01-30,R,,E,NSA,,,\n"  # line 4: NSA with E
        "Dee,Eden,2016-05-05,3,,K,DYS,,,\n"  # line 5: unknown need code
        ",Fox,2016-05-05,15,A801200001001,K,MLD,,Jo,\n"  # line 6: name, year, UPN, carer relationship
    )
    with pytest.raises(services.ImportInvalid) as exc:
        services.pupil_import(by=membership_of(senco_a_user), school=world.school_a, content=bad.encode())
    problems = {(p.line, p.field) for p in exc.value.problems}
    assert (3, "date_of_birth") in problems
    assert (4, "primary_need") in problems
    assert (5, "primary_need") in problems
    assert {(6, "first_name"), (6, "year_group"), (6, "upn"), (6, "carer_relationship")} <= problems
    assert not any(line == 2 for line, _ in problems)
    messages = {(p.line, p.field): p.message for p in exc.value.problems}
    assert messages[(4, "primary_need")] == "NSA can only be used for pupils on SEN support (K)"
    assert "not a school census SEN type code" in messages[(5, "primary_need")]
    assert not Pupil.objects.exists() and not Carer.objects.exists()


def test_a_upn_twice_in_the_file_is_reported(world, senco_a_user):
    bad = (
        HEADER
        + "Ada,Brook,2016-09-23,4,H801200001001,K,SPLD,,,\nAdam,Brook,2016-09-23,4,H801200001001,K,SPLD,,,\n"
    )
    with pytest.raises(services.ImportInvalid) as exc:
        services.pupil_import(by=membership_of(senco_a_user), school=world.school_a, content=bad.encode())
    assert [(p.line, p.field) for p in exc.value.problems] == [(3, "upn")]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"first_name,last_name\nAda,Brook\n", "must name the column 'date_of_birth'"),
        (HEADER.encode(), "no pupils"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        ((HEADER + "Ada,Brook,2016-09-23,4,\x00,K,SPLD,,,\n").encode(), "UTF-8"),
        (b"x" * (services.IMPORT_MAX_BYTES + 1), "smaller than 1 MB"),
    ],
)
def test_unusable_files_are_refused(world, content, message, senco_a_user):
    with pytest.raises(services.ImportInvalid) as exc:
        services.pupil_import(by=membership_of(senco_a_user), school=world.school_a, content=content)
    assert message in exc.value.problems[0].message


def test_the_import_page_lists_problems_and_keeps_the_database_unchanged(senco_a, world):
    bad = HEADER + "Ada,Brook,2016-09-23,4,,K,SPLD,,,\nBen,Carter,2015-02-30,5,,E,NSA,,,\n"
    upload = SimpleUploadedFile("pupils.csv", bad.encode(), content_type="text/csv")
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body and "Nothing was imported" in body
    assert "Date of birth must be a real date" in body and "NSA can only be used" in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in body
    assert not Pupil.objects.exists()


def test_the_import_page_refuses_an_oversized_or_non_csv_upload(senco_a):
    big = SimpleUploadedFile("pupils.csv", b"x" * (services.IMPORT_MAX_BYTES + 1), content_type="text/csv")
    assert b"must be smaller than 1 MB" in senco_a.post(reverse("ehcp:pupil_import"), {"file": big}).content
    other = SimpleUploadedFile("pupils.xlsx", GOOD.encode())
    assert b"must be a CSV" in senco_a.post(reverse("ehcp:pupil_import"), {"file": other}).content
    assert not Pupil.objects.exists()


def test_the_import_page_imports_a_good_file(senco_a, world):
    upload = SimpleUploadedFile("pupils.csv", GOOD.encode(), content_type="text/csv")
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("ehcp:register")
    assert Pupil.objects.filter(school=world.school_a).count() == 3
    assert not Pupil.objects.filter(school=world.school_b).exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=15),
            min_size=8,
            max_size=10,
        ),
        max_size=4,
    )
)
def test_no_file_content_causes_anything_but_an_import_result_or_a_clear_refusal(world, rows, senco_a_user):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.strip().split(",")[:8])
    writer.writerows(rows)
    try:
        with transaction.atomic():
            services.pupil_import(
                by=membership_of(senco_a_user), school=world.school_a, content=out.getvalue().encode()
            )
            transaction.set_rollback(True)
    except services.ImportInvalid as exc:
        assert all(p.message for p in exc.problems)
