"""Importing pupils from an MIS export: the file as it comes, a preview that writes nothing, possible
duplicates left out, all or nothing, and a re-upload that adds nobody (issue 12, section 4)."""

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehcp import services
from ehcp.models import Carer, ImportMapping, Pupil, PupilImport
from sendplan.models import AccessEvent
from tests.conftest import membership_of
from tests.ehcp.factories import PupilFactory

pytestmark = pytest.mark.django_db

# A SIMS-style export written by hand: legal and preferred names, "K - SEN Support", need names, a pupil
# twice (line 6 repeats line 2 without the UPN), an over-long surname (line 7) and 31 February (line 8).
SIMS_EXPORT = (Path(__file__).parent / "fixtures" / "sims_sen_export.csv").read_text()
LONG_SURNAME = "Featherstonehaugh-" * 6 + "Smith"
CORRECTED = SIMS_EXPORT.replace(LONG_SURNAME, "Hughes").replace("31/02/2016", "28/02/2016")


def upload(client, content: str | bytes, name: str = "export.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse("ehcp:pupil_import"), {"file": SimpleUploadedFile(name, data)})


def start(world, user, content: str | bytes, filename: str = "export.csv") -> PupilImport:
    data = content.encode() if isinstance(content, str) else content
    return services.pupil_import_start(
        school=world.school_a, by=membership_of(user), filename=filename, content=data
    )


def preview_url(pupil_import: PupilImport) -> str:
    return reverse("ehcp:pupil_import_preview", args=[pupil_import.public_id])


# --- the realistic export ----------------------------------------------------------------------------------


def test_a_sims_export_with_problems_names_each_bad_line_and_column_and_writes_nothing(world, senco_a):
    response = upload(senco_a, SIMS_EXPORT)
    pupil_import = PupilImport.objects.get()
    assert response.status_code == 302 and response["Location"] == preview_url(pupil_import)

    page = senco_a.get(preview_url(pupil_import))
    body = page.content.decode()
    assert page.status_code == 200 and "<title>Error: " in body
    plan = services.pupil_import_plan(pupil_import)
    assert [(p.line, p.field, p.message) for p in plan.problems] == [
        (7, "Legal Surname", "Last name must be 100 characters or fewer"),
        (8, "DOB", "Date of birth must be a real date, like 23/09/2016 or 2016-09-23"),
    ]
    assert "Last name must be 100 characters or fewer" in body and "Date of birth must be a real date" in body
    assert "Confirm and import" not in body
    assert not Pupil.objects.exists()


def test_the_corrected_export_is_previewed_with_its_duplicate_and_the_preview_writes_nothing(world, senco_a):
    upload(senco_a, CORRECTED)
    pupil_import = PupilImport.objects.get()
    before = AccessEvent.objects.count()
    body = senco_a.get(preview_url(pupil_import)).content.decode()

    plan = services.pupil_import_plan(pupil_import)
    assert [row.line for row in plan.adds] == [2, 3, 4, 5, 7, 8, 9]
    assert [(row.line, row.duplicate) for row in plan.duplicates] == [
        (6, "Has the same name and date of birth as line 2")
    ]
    assert (plan.updates, plan.unchanged, plan.problems) == ([], [], [])
    assert '<dd class="govuk-summary-list__value" id="count-adds">7</dd>' in body
    assert '<dd class="govuk-summary-list__value" id="count-duplicates">1</dd>' in body
    assert "Has the same name and date of birth as line 2" in body
    assert not Pupil.objects.exists() and not Carer.objects.exists()
    assert AccessEvent.objects.count() == before  # no pupil on the register was shown


def test_confirming_imports_what_the_preview_showed_and_a_reupload_adds_nobody(world, senco_a):
    upload(senco_a, CORRECTED)
    first = PupilImport.objects.get()
    digest = services.pupil_import_plan(first).digest
    response = senco_a.post(preview_url(first), {"digest": digest})
    assert response.status_code == 302 and response["Location"] == reverse("ehcp:register")

    pupils = {p.last_name: p for p in Pupil.objects.filter(school=world.school_a)}
    assert sorted(pupils) == ["Brook", "Carter", "Dune", "Evans", "Gill", "Holt", "Hughes"]
    ada, ben, cal = pupils["Brook"], pupils["Carter"], pupils["Dune"]
    assert (ada.upn, ada.sen_provision, ada.primary_need, ada.year_group) == (
        "H801200001001",
        "K",
        "SPLD",
        "4",
    )
    assert (ada.first_name, ada.date_of_birth, ada.free_school_meals) == ("Ada", date(2016, 9, 23), True)
    assert (ben.sen_provision, ben.primary_need, ben.secondary_need, ben.looked_after) == (
        "E",
        "ASD",
        "SLCN",
        "current",
    )
    assert (cal.year_group, cal.primary_need, cal.eal, cal.upn) == ("R", "NSA", True, "")
    assert pupils["Gill"].date_of_birth == date(2016, 2, 28)
    assert pupils["Evans"].sen_provision == "N" and pupils["Evans"].primary_need == ""
    first.refresh_from_db()
    assert (first.status, first.added, first.updated, first.skipped, bytes(first.content)) == (
        "imported",
        7,
        0,
        1,
        b"",
    )

    upload(senco_a, CORRECTED)
    second = PupilImport.objects.exclude(pk=first.pk).get()
    plan = services.pupil_import_plan(second)
    assert (len(plan.adds), len(plan.updates), len(plan.unchanged)) == (0, 0, 7)
    assert [(row.line, row.duplicate) for row in plan.duplicates] == [(6, "Is the same pupil as line 2")]
    senco_a.post(preview_url(second), {"digest": plan.digest})
    assert Pupil.objects.filter(school=world.school_a).count() == 7


def test_the_preview_shows_each_change_to_a_pupil_matched_by_upn_and_logs_that_it_showed_them(world, senco_a):
    ada = PupilFactory(
        school=world.school_a, upn="H801200001001", first_name="Ada", last_name="Brook",
        date_of_birth=date(2016, 9, 23), year_group="3", primary_need="MLD",
    )  # fmt: skip
    upload(senco_a, CORRECTED)
    pupil_import = PupilImport.objects.get()
    body = senco_a.get(preview_url(pupil_import)).content.decode()
    plan = services.pupil_import_plan(pupil_import)
    update = plan.updates[0]
    assert (update.line, update.pupil, update.matched_by) == (2, ada, "UPN")
    assert ("Year group", "Year 3", "Year 4") in update.changes
    assert ("Primary need", "MLD", "SPLD") in update.changes
    assert ("Free school meals", "No", "Yes") in update.changes
    assert "Year group: Year 3 to Year 4" in body
    assert list(AccessEvent.objects.filter(pupil_id=ada.public_id).values_list("what", flat=True)) == [
        "Import preview"
    ]
    ada.refresh_from_db()
    assert ada.year_group == "3"  # the preview changed nothing


@pytest.mark.parametrize(
    ("existing", "row", "why"),
    [
        pytest.param(
            {"upn": "H801200001001", "left_on": date(2025, 7, 18)},
            "H801200001001,Brook,Ada,23/09/2016,4,K,SPLD",
            "Has the same UPN as Ada Brook, who left on 18 July 2025",
            id="a-leaver-is-never-updated",
        ),
        pytest.param(
            {"upn": "B801200005001"},
            "H801200001001,Brook,Ada,23/09/2016,4,K,SPLD",
            "Has the same name and date of birth as Ada Brook (UPN B801200005001)",
            id="same-name-and-birth-other-upn",
        ),
    ],
)
def test_a_possible_duplicate_is_left_out(world, senco_a_user, existing, row, why):
    PupilFactory(
        school=world.school_a,
        first_name="Ada",
        last_name="Brook",
        date_of_birth=date(2016, 9, 23),
        **existing,
    )
    content = "UPN,Surname,Forename,DOB,Year,SEN Status,Primary Need\n" + row + "\n"
    pupil_import = start(world, senco_a_user, content)
    plan = services.pupil_import_plan(pupil_import)
    assert [d.duplicate for d in plan.duplicates] == [why]
    assert (plan.adds, plan.updates) == ([], [])
    services.pupil_import_confirm(
        pupil_import=pupil_import, by=membership_of(senco_a_user), digest=plan.digest
    )
    assert Pupil.objects.count() == 1


def test_a_row_without_upn_matches_one_pupil_by_name_and_birth_and_gives_no_upn_away(world, senco_a_user):
    pupil = PupilFactory(
        school=world.school_a, first_name="Ada", last_name="Brook", date_of_birth=date(2016, 9, 23)
    )
    content = "Forename,Surname,DOB,Year,SEN Status,Primary Need\n ada , BROOK ,2016-09-23,5,K,SPLD\n"
    result = services.pupil_import(
        school=world.school_a, by=membership_of(senco_a_user), content=content.encode()
    )
    assert (result.created, result.updated) == (0, 1)
    pupil.refresh_from_db()
    assert pupil.year_group == "5"


def test_a_blank_upn_cell_never_clears_the_upn_on_the_register(world, senco_a_user):
    pupil = PupilFactory(
        school=world.school_a, first_name="Ada", last_name="Brook", date_of_birth=date(2016, 9, 23),
        upn="H801200001001", year_group="4", primary_need="SPLD",
    )  # fmt: skip
    content = "UPN,Forename,Surname,DOB,Year,SEN Status,Primary Need\n,Ada,Brook,23/09/2016,5,K,SpLD\n"
    result = services.pupil_import(
        school=world.school_a, by=membership_of(senco_a_user), content=content.encode()
    )
    assert (result.created, result.updated) == (0, 1)
    pupil.refresh_from_db()
    assert (pupil.upn, pupil.year_group) == ("H801200001001", "5")


# --- matching columns ----------------------------------------------------------------------------------------

ODD_HEADINGS = (
    "Child forename,Child surname,Birthday,Class year,Stage\nAda,Brook,23/09/2016,4,K - SEN Support\n"
)


def test_unknown_headings_are_matched_once_and_the_school_remembers(world, senco_a):
    response = upload(senco_a, ODD_HEADINGS)
    pupil_import = PupilImport.objects.get()
    columns_url = reverse("ehcp:pupil_import_columns", args=[pupil_import.public_id])
    assert response["Location"] == columns_url
    page = senco_a.get(columns_url).content.decode()
    assert '"Child forename", "Child surname", "Birthday", "Class year", "Stage"' in page
    assert senco_a.get(preview_url(pupil_import))["Location"] == columns_url  # no preview before matching

    choice = {
        "first_name": "0",
        "last_name": "1",
        "date_of_birth": "2",
        "year_group": "3",
        "sen_provision": "4",
    }
    response = senco_a.post(columns_url, choice)
    assert response["Location"] == preview_url(pupil_import)
    assert ImportMapping.objects.get(school=world.school_a).columns == {
        "first_name": "Child forename",
        "last_name": "Child surname",
        "date_of_birth": "Birthday",
        "year_group": "Class year",
        "sen_provision": "Stage",
    }
    # The same school's next export goes straight to the preview, without the question.
    response = upload(senco_a, ODD_HEADINGS)
    assert response["Location"] == preview_url(PupilImport.objects.latest("created_at"))


def test_matching_a_column_twice_or_leaving_a_required_one_out_is_refused_with_the_input_kept(world, senco_a):
    upload(senco_a, ODD_HEADINGS)
    pupil_import = PupilImport.objects.get()
    url = reverse("ehcp:pupil_import_columns", args=[pupil_import.public_id])
    response = senco_a.post(
        url, {"first_name": "0", "last_name": "0", "date_of_birth": "2", "year_group": "3"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
    assert "This column is already matched to first name" in body
    assert "Select the column that holds the sEN provision" not in body
    assert "Select the column that holds the SEN provision (E, K or N)" in body
    assert '<option value="2" selected>Birthday</option>' in body
    assert not ImportMapping.objects.exists() and not Pupil.objects.exists()


# --- files -----------------------------------------------------------------------------------------------------


def test_an_excel_export_imports_like_a_csv(world, senco_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status", "Primary Need", "UPN"])
    sheet.append(["Brook", "Ada", datetime(2016, 9, 23), 4, "K - SEN Support", "SpLD", "H801200001001"])
    sheet.append(["Carter", "Ben", "12/03/2015", "Year 5", "Education, Health and Care Plan", "ASD", None])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(senco_a, out.getvalue(), name="export.xlsx")
    pupil_import = PupilImport.objects.get()
    assert response["Location"] == preview_url(pupil_import)
    plan = services.pupil_import_plan(pupil_import)
    senco_a.post(preview_url(pupil_import), {"digest": plan.digest})
    ada = Pupil.objects.get(last_name="Brook")
    assert (ada.date_of_birth, ada.year_group, ada.primary_need) == (date(2016, 9, 23), "4", "SPLD")
    assert Pupil.objects.get(last_name="Carter").sen_provision == "E"


def test_a_csv_saved_by_excel_in_the_windows_character_set_keeps_its_accents(world, senco_a_user):
    content = "Forename,Surname,DOB,Year,SEN Status,Need\nZoë,Brontë,23/09/2016,4,K,MLD\n".encode("cp1252")
    services.pupil_import(school=world.school_a, by=membership_of(senco_a_user), content=content)
    assert Pupil.objects.get().full_name == "Zoë Brontë"


def test_the_template_download_is_a_file_the_import_reads(world, senco_a, senco_a_user):
    response = senco_a.get(reverse("ehcp:pupil_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="sen-register-template.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    header = response.content.decode("utf-8-sig").strip()
    assert header.startswith("first_name,last_name,date_of_birth,year_group,upn,sen_provision,primary_need")
    row = "Ada,Brook,2016-09-23,4,,K,SPLD,,2025-09-04,yes,no,no,no,no,Grace Brook,Mother,,\n"
    content = (header + "\n" + row).encode()
    result = services.pupil_import(school=world.school_a, by=membership_of(senco_a_user), content=content)
    assert result.created == 1
    ada = Pupil.objects.get()
    assert (ada.added_to_register_on, ada.free_school_meals, ada.carers.get().name) == (
        date(2025, 9, 4), True, "Grace Brook"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.csv", b"first_name,last_name\nAda,Brook\n", "No column for date of birth"),
        ("export.csv", b"Forename,Surname,DOB,Year,SEN Status\n", "no pupils"),
        ("export.csv", b"\xff\xfe\x00garbage", "UTF-8"),
        ("export.csv", b"Forename,Surname,DOB,Year,SEN Status\nAda,Brook,2016-09-23,4,\x00\n", "UTF-8"),
        ("export.csv", b"x" * (services.IMPORT_MAX_BYTES + 1), "smaller than 1 MB"),
        ("export.pdf", b"%PDF-1.7", "must be a CSV or an Excel (.xlsx) file"),
        ("export.xlsx", b"Forename,Surname\n", "is not a real Excel file"),
    ],
)
def test_unusable_files_are_refused(world, senco_a_user, name, content, message):
    with pytest.raises(services.ImportInvalid) as exc:
        services.pupil_import(
            school=world.school_a, by=membership_of(senco_a_user), content=content, filename=name
        )
    assert message in exc.value.problems[0].message
    assert not Pupil.objects.exists()


def test_the_upload_page_refuses_a_file_it_cannot_read_with_the_error_summary(senco_a):
    response = upload(senco_a, b"%PDF-1.7 not a spreadsheet", name="export.pdf")
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
    assert "The selected file must be a CSV or an Excel (.xlsx) file" in body
    assert not PupilImport.objects.exists()


# --- confirming ------------------------------------------------------------------------------------------------


def test_confirming_after_the_register_changed_shows_the_preview_again_and_writes_nothing(world, senco_a):
    upload(senco_a, CORRECTED)
    pupil_import = PupilImport.objects.get()
    digest = services.pupil_import_plan(pupil_import).digest
    PupilFactory(school=world.school_a, upn="H801200001001", first_name="Ada", last_name="Brook")  # meanwhile
    response = senco_a.post(preview_url(pupil_import), {"digest": digest})
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
    assert "The register has changed since the preview was shown" in body
    assert Pupil.objects.count() == 1
    pupil_import.refresh_from_db()
    assert pupil_import.status == "pending"


def test_an_import_is_confirmed_once(world, senco_a_user):
    pupil_import = start(world, senco_a_user, CORRECTED)
    by = membership_of(senco_a_user)
    digest = services.pupil_import_plan(pupil_import).digest
    services.pupil_import_confirm(pupil_import=pupil_import, by=by, digest=digest)
    with pytest.raises(services.ImportClosed):
        services.pupil_import_confirm(pupil_import=pupil_import, by=by, digest=digest)
    assert Pupil.objects.count() == 7


def test_an_upload_left_longer_than_a_day_is_discarded_and_cannot_be_confirmed(world, senco_a_user, senco_a):
    old = start(world, senco_a_user, CORRECTED)
    digest = services.pupil_import_plan(old).digest
    PupilImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with pytest.raises(services.ImportClosed):
        services.pupil_import_confirm(pupil_import=old, by=membership_of(senco_a_user), digest=digest)
    assert senco_a.get(preview_url(old))["Location"] == reverse("ehcp:pupil_import")  # no preview either
    start(world, senco_a_user, CORRECTED)  # the next upload clears it
    old.refresh_from_db()
    assert (old.status, bytes(old.content)) == ("discarded", b"")
    assert senco_a.get(preview_url(old))["Location"] == reverse("ehcp:pupil_import")
    assert not Pupil.objects.exists()


def test_discarding_an_upload_clears_the_file(world, senco_a, senco_a_user):
    pupil_import = start(world, senco_a_user, CORRECTED)
    response = senco_a.post(reverse("ehcp:pupil_import_discard", args=[pupil_import.public_id]))
    assert response["Location"] == reverse("ehcp:pupil_import")
    pupil_import.refresh_from_db()
    assert (pupil_import.status, bytes(pupil_import.content)) == ("discarded", b"")


def test_another_schools_upload_is_not_found(world, senco_a_user, senco_b):
    pupil_import = start(world, senco_a_user, CORRECTED)
    assert senco_b.get(preview_url(pupil_import)).status_code == 404
    assert senco_b.post(preview_url(pupil_import), {"digest": "x"}).status_code == 404
    assert not Pupil.objects.exists()


PREVIEW_QUERY_LIMIT = 14


@pytest.mark.parametrize("rows", [5, 200])
def test_the_preview_query_count_does_not_grow_with_the_file(
    world, senco_a, senco_a_user, rows, django_assert_max_num_queries
):
    PupilFactory.create_batch(rows, school=world.school_a, date_of_birth=date(2016, 1, 1))
    lines = [
        f"Pupil{i},Surname{i:04d},01/01/2016,4,K,SLCN,yes" for i in range(rows)
    ]  # updates by name and birth
    lines += [f"New{i},Person{i},01/01/2016,4,K,MLD,no" for i in range(rows)]
    content = "Forename,Surname,DOB,Year,SEN Status,Need,FSM\n" + "\n".join(lines) + "\n"
    pupil_import = start(world, senco_a_user, content)
    with django_assert_max_num_queries(PREVIEW_QUERY_LIMIT):
        response = senco_a.get(preview_url(pupil_import))
    assert response.status_code == 200


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
def test_no_file_content_causes_anything_but_an_import_or_a_clear_refusal(world, rows, senco_a_user):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Forename", "Surname", "DOB", "Year", "UPN", "SEN Status", "Primary Need", "Secondary Need"]
    )
    writer.writerows(rows)
    try:
        with transaction.atomic():
            services.pupil_import(
                by=membership_of(senco_a_user), school=world.school_a, content=out.getvalue().encode()
            )
            transaction.set_rollback(True)
    except services.ImportInvalid as exc:
        assert all(p.message for p in exc.problems)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_confirm_imports_once(world):
    import threading

    from django.db import connections

    from tests.conftest import make_member

    senco = membership_of(make_member("senco", school=world.school_a, email="double@example.org"))
    pupil_import = services.pupil_import_start(
        school=world.school_a, by=senco, filename="export.csv", content=CORRECTED.encode()
    )
    digest = services.pupil_import_plan(pupil_import).digest
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.pupil_import_confirm(pupil_import=pupil_import, by=senco, digest=digest)
            outcomes.append("ok")
        except (services.ImportClosed, services.ImportChanged):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Pupil.objects.filter(school=world.school_a).count() == 7


HEADER = "first_name,last_name,date_of_birth,year_group,upn,sen_provision,primary_need,secondary_need,carer_name,carer_relationship\n"
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
        (3, "date_of_birth"): "Date of birth must be a real date, like 23/09/2016 or 2016-09-23"
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
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
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
