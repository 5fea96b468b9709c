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


# --- limits: long values, huge fields, absurd dates, carers checked like the hand form -----------------------

FULL_HEADER = HEADER.strip() + ",carer_phone,carer_email\n"


def row(**values) -> str:
    """Return one CSV line of a valid pupil (SEN support) with a carer, with ``values`` changed."""
    fields = {
        "first_name": "Ada",
        "last_name": "Brook",
        "date_of_birth": "2016-09-23",
        "year_group": "4",
        "upn": "",
        "sen_provision": "K",
        "primary_need": "SPLD",
        "secondary_need": "",
        "carer_name": "Grace Brook",
        "carer_relationship": "Mother",
        "carer_phone": "01234 567890",
        "carer_email": "grace@example.org",
        **values,
    }
    return ",".join(fields[name] for name in FULL_HEADER.strip().split(",")) + "\n"


def a_senco(world):
    """Return school A's SENCO membership, making one if the test has none."""
    from sendplan.models import Membership
    from tests.conftest import make_member

    existing = Membership.objects.filter(school=world.school_a, role="senco").first()
    return existing or membership_of(
        make_member("senco", school=world.school_a, email="importer@example.org")
    )


def problems_in(content: str, world) -> dict[tuple[int, str], str]:
    with pytest.raises(services.ImportInvalid) as exc:
        services.pupil_import(by=a_senco(world), school=world.school_a, content=content.encode())
    return {(p.line, p.field): p.message for p in exc.value.problems}


LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # a valid form, but 312 characters


def test_values_too_long_for_the_register_are_reported_by_line_and_column(world):
    content = FULL_HEADER + (
        row()  # line 2: fine
        + row(first_name="A" * 101)  # line 3
        + row(last_name="B" * 101)  # line 4
        + row(carer_name="C" * 151, carer_relationship="D" * 61)  # line 5
        + row(carer_phone="0" * 31, carer_email=LONG_EMAIL)  # line 6
    )
    problems = problems_in(content, world)
    assert problems == {
        (3, "first_name"): "First name must be 100 characters or fewer",
        (4, "last_name"): "Last name must be 100 characters or fewer",
        (5, "carer_name"): "Carer's name must be 150 characters or fewer",
        (5, "carer_relationship"): "Carer's relationship to the pupil must be 60 characters or fewer",
        (6, "carer_phone"): "Carer's phone number must be 30 characters or fewer",
        (6, "carer_email"): "Carer's email address must be 254 characters or fewer",
    }
    assert not Pupil.objects.exists() and not Carer.objects.exists()


def test_a_value_over_the_csv_readers_field_limit_is_a_clear_problem(world):
    huge = "x" * 200_000  # the csv module refuses fields over 131,072 characters
    content = FULL_HEADER + row() + row(carer_name=f'"{huge}"') + row()
    assert len(content.encode()) < services.IMPORT_MAX_BYTES
    problems = problems_in(content, world)
    assert list(problems) == [(3, "file")]
    assert problems[(3, "file")] == "Line 3 has a value that is too long to be a pupil's details"
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["23/09/99999", "99999-09-23", "1/1/" + "9" * 25, "1/" + "9" * 25 + "/2016", "9" * 5000 + "/1/2016"],
    ids=["year 99999", "iso year 99999", "year overflows", "month overflows", "5000 digits"],
)
def test_absurd_dates_of_birth_are_problems_not_errors(world, text):
    problems = problems_in(FULL_HEADER + row() + row(date_of_birth=text), world)
    assert problems == {
        (3, "date_of_birth"): "Date of birth must be a real date, like 2016-09-23 or 23/09/2016"
    }
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "grace@", "grace@example", "grace brook@example.org"])
def test_a_carer_email_is_checked_like_the_carer_form(world, email):
    from ehcp.forms import CarerForm

    wording = "Enter an email address in the correct format, like name@example.org"
    form = CarerForm(data={"name": "Grace Brook", "relationship": "Mother", "email": email})
    assert form.errors["email"] == [wording]  # the hand form refuses it …
    problems = problems_in(FULL_HEADER + row(carer_email=email), world)
    assert problems == {(2, "carer_email"): wording}  # … and the import, in the same words
    assert not Carer.objects.exists()


def test_carer_details_without_a_name_are_reported_not_dropped(world):
    problems = problems_in(FULL_HEADER + row(carer_name="", carer_relationship=""), world)
    assert problems == {(2, "carer_name"): "Enter the carer's name, or leave every carer column empty"}


@pytest.mark.postgres
def test_the_import_page_reports_long_values_and_saves_nothing(senco_a, world):
    content = FULL_HEADER + row() + row(last_name="B" * 101, carer_email=LONG_EMAIL)
    upload = SimpleUploadedFile("pupils.csv", content.encode(), content_type="text/csv")
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body and "Nothing was imported" in body
    assert "Last name must be 100 characters or fewer" in body
    assert "Carer&#x27;s email address must be 254 characters or fewer" in body
    assert not Pupil.objects.exists() and not Carer.objects.exists()


@pytest.mark.postgres
def test_the_import_page_refuses_a_huge_field_cleanly(senco_a, world):
    content = FULL_HEADER + row(first_name="A" * 200_000)
    upload = SimpleUploadedFile("pupils.csv", content.encode(), content_type="text/csv")
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload})
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert not Pupil.objects.exists()


# Values a register accepts, and values that break one rule each: long text, absurd dates, bad emails.
names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=160) | st.just("Ada")
dates = st.sampled_from(["2016-09-23", "23/09/2016", "23/09/99999", "1/1/" + "9" * 25]) | st.text(max_size=12)
emails = st.sampled_from(["", "grace@example.org", "not-an-email", LONG_EMAIL]) | st.text(max_size=300)


@pytest.mark.postgres
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "first_name": names,
                "last_name": names,
                "date_of_birth": dates,
                "carer_name": names,
                "carer_relationship": names,
                "carer_phone": st.text(max_size=40),
                "carer_email": emails,
            }
        ),
        min_size=1,
        max_size=3,
    )
)
def test_rows_near_the_limits_import_or_are_refused_never_fail(world, rows, senco_a_user):
    import csv
    import io

    out = io.StringIO()
    columns = FULL_HEADER.strip().split(",")
    valid = dict(zip(columns, row().strip().split(","), strict=True))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for values in rows:
        writer.writerow({**valid, **values})
    try:
        with transaction.atomic():
            services.pupil_import(
                by=membership_of(senco_a_user), school=world.school_a, content=out.getvalue().encode()
            )
            transaction.set_rollback(True)
    except services.ImportInvalid as exc:
        assert all(p.message for p in exc.problems)
