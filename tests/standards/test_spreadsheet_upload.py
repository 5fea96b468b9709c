"""An LA's own OAP spreadsheet: upload it, match its columns, name a scale of its own, import it as a draft.

The spreadsheets are written here as an LA writes them (headings of its own, the area only on the first
row of each group), and the expected criteria, levels and messages are written by hand from the issue.
"""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audits.models import Rating
from audits.selectors import audit_summary
from standards.loader.spreadsheet import guess_columns
from standards.models import Criterion, Framework, FrameworkUpload, FrameworkVersion
from standards.services import framework_version_publish
from tests.audits.factories import acting, make_audit

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# How Northmere writes its OAP document: its own headings, in its own order, the area written once.
LA_HEADINGS = ["Area of need", "What we expect to see", "Guidance", "Evidence", "Statutory?", "Legislation"]
LA_ROWS = [
    [
        "Communication and interaction",
        "Staff use visual timetables in every class.",
        "Look in classrooms, not only in policies.",
        "• Photos of classroom displays\n• Learning walk notes",
        "No",
        None,
    ],
    [
        None,
        "The school has a designated SENCO who is a qualified teacher.",
        None,
        "Governing board minute appointing the SENCO",
        "Yes",
        "SEND Regulations 2014, reg 49",
    ],
    [
        "Cognition and learning",
        "Reading difficulties are assessed early.",
        "Within the first half term.",
        "Assessment records | Intervention log",
        "",
        None,
    ],
    [None, "Pupils use assistive technology where it helps.", None, "Equipment list", "no", None],
]
RAG = "Red – not in place\nAmber – developing\nGreen – in place"


def xlsx(headings=LA_HEADINGS, rows=LA_ROWS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "OAP 2027"
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "Northmere OAP.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("standards:spreadsheet_upload"), {"file": file})


def pending(world) -> FrameworkUpload:
    return FrameworkUpload.objects.get(local_authority=world.la_x, status="pending")


def columns_post(upload_row, **choices) -> dict:
    """The column choices as the form posts them: the saved ones, changed by ``choices``."""
    data = {
        name: str(upload_row.columns[name]) if name in upload_row.columns else ""
        for name in (
            "section",
            "statement",
            "guidance",
            "evidence",
            "ref",
            "statutory",
            "statutory_source",
            "statutory_guidance",
            "tier",
            "area_of_need",
        )  # fmt: skip
    }
    data.update({k: str(v) for k, v in choices.items()})
    return data


def import_post(**fields) -> dict:
    data = {
        "framework": "new",
        "title": "Northmere ordinarily available provision",
        "label": "2027",
        "levels": RAG,
        "met_level": "Green",
    }
    data.update(fields)
    return data


def assert_error_page(response, *messages):
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page, page[:3000]
    for message in messages:
        assert message in page, (message, re.sub(r"\s+", " ", page)[-6000:])


# --- guessing the columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headings, expected",
    [
        (
            LA_HEADINGS,
            {
                "section": 0,
                "statement": 1,
                "guidance": 2,
                "evidence": 3,
                "statutory": 4,
                "statutory_source": 5,
            },
        ),
        (
            ["Ref", "Section", "Statement", "Examples of evidence (1-3)", "Notes"],
            {"ref": 0, "section": 1, "statement": 2, "evidence": 3, "guidance": 4},
        ),
        (
            ["Theme", "Expectation", "How will we know?", "Statutory duty", "Source in law"],
            {"section": 0, "statement": 1, "evidence": 2, "statutory": 3, "statutory_source": 4},
        ),
        (
            ["Area of need", "Section", "Criterion", "Evidence"],
            {"section": 1, "area_of_need": 0, "statement": 2, "evidence": 3},
        ),
        (["Colour", "Size"], {}),
    ],
    ids=["northmere", "documented-names", "other-words", "section-and-area", "nothing-known"],
)
def test_columns_are_guessed_from_the_headings(headings, expected):
    assert guess_columns(headings) == expected


# --- the journey ----------------------------------------------------------------------------------------------


def test_an_la_spreadsheet_is_matched_previewed_and_imported_with_a_rag_scale(world, la_admin_x):
    response = upload(la_admin_x, xlsx())
    row = pending(world)
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:spreadsheet_columns", args=[row.public_id])
    assert row.headings == LA_HEADINGS and row.kind == "xlsx"

    page = la_admin_x.get(response["Location"]).content.decode()
    # Each select starts on the guess: "What we expect to see" for the statement.
    assert re.search(r'name="statement".*?<option value="1" selected>What we expect to see', page, re.S)
    assert re.search(r'name="ref".*?<option value="" selected>Not in the file', page, re.S)
    # The preview reads the first rows as they will be imported: the area filled down, the bullets gone.
    assert "Staff use visual timetables in every class." in page
    assert "(from the row above)" in page
    assert "<li>Photos of classroom displays</li>" in page
    # With no reference column, each row shows the ref its position gives it: section 1, row 2.
    assert re.search(r"S01-02 <span[^>]*>\(made from the order\)", page)

    response = la_admin_x.post(response["Location"], columns_post(row))
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:spreadsheet_check", args=[row.public_id])
    page = la_admin_x.get(response["Location"]).content.decode()
    assert re.search(r'id="count-criteria">4<', page)
    assert re.search(r'id="count-sections">2<', page)
    assert re.search(r'id="count-statutory">1<', page)

    response = la_admin_x.post(response["Location"], import_post())
    assert response.status_code == 302, response.content.decode()
    version = FrameworkVersion.objects.get(framework__title="Northmere ordinarily available provision")
    assert response["Location"] == reverse("standards:version_review", args=[version.public_id])
    assert version.status == "draft" and version.label == "2027"
    assert (
        version.framework.local_authority == world.la_x and version.framework.publisher == "local_authority"
    )
    assert [(lv.value, lv.label) for lv in version.scale.levels.all()] == [
        (0, "Red – not in place"),
        (1, "Amber – developing"),
        (2, "Green – in place"),
    ]
    assert version.scale.met_value == 2 and version.scale.allow_not_applicable is False
    sections = [(s.ref, s.title, s.kind, s.area_of_need) for s in version.sections.all()]
    assert sections == [
        ("S01", "Communication and interaction", "area_of_need", "communication_interaction"),
        ("S02", "Cognition and learning", "area_of_need", "cognition_learning"),
    ]
    criteria = [
        (c.ref, c.section.ref, c.statement, c.guidance, c.evidence_examples, c.statutory, c.statutory_source)
        for c in version.criteria.select_related("section")
    ]
    assert criteria == [
        (
            "S01-01",
            "S01",
            "Staff use visual timetables in every class.",
            "Look in classrooms, not only in policies.",
            ["Photos of classroom displays", "Learning walk notes"],
            False,
            "",
        ),
        (
            "S01-02",
            "S01",
            "The school has a designated SENCO who is a qualified teacher.",
            "",
            ["Governing board minute appointing the SENCO"],
            True,
            "SEND Regulations 2014, reg 49",
        ),
        (
            "S02-01",
            "S02",
            "Reading difficulties are assessed early.",
            "Within the first half term.",
            ["Assessment records", "Intervention log"],
            False,
            "",
        ),
        (
            "S02-02",
            "S02",
            "Pupils use assistive technology where it helps.",
            "",
            ["Equipment list"],
            False,
            "",
        ),
    ]
    row.refresh_from_db()
    assert row.status == "imported" and bytes(row.content) == b"" and row.version == version
    # The review page works as for any other upload, and names the met level.
    review = la_admin_x.get(response["Location"]).content.decode()
    assert "Green – in place" in review and "Publish version 2027" in review
    # The upload is done: its pages now send the officer to the draft.
    again = la_admin_x.get(reverse("standards:spreadsheet_columns", args=[row.public_id]))
    assert again.status_code == 302 and again["Location"] == response["Location"]


def test_a_three_point_rag_scale_rates_an_audit_end_to_end(
    world, la_admin_x, la_admin_x_user, senco_a_user, senco_a
):
    upload(la_admin_x, xlsx())
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    la_admin_x.post(reverse("standards:spreadsheet_check", args=[row.public_id]), import_post())
    version = FrameworkVersion.objects.get(framework__local_authority=world.la_x)
    version = framework_version_publish(version=version, by=acting(la_admin_x_user))

    audit = make_audit(world.school_a, senco_a_user, version)
    # The SENCO rates on the rating page: the three levels are the choices, and "Not applicable" is not.
    page = senco_a.get(reverse("audits:audit_rate", args=[audit.public_id])).content.decode()
    for label in ("Red – not in place", "Amber – developing", "Green – in place"):
        assert label in page
    assert "Not applicable" not in page
    levels = {
        "S01-01": 2,
        "S01-02": 1,
        "S02-01": 2,
        "S02-02": 2,
    }  # Green, Amber (a duty not met), Green, Green
    post = {}
    for rating in Rating.objects.filter(audit=audit).select_related("criterion"):
        ref = rating.criterion.ref
        post |= {
            f"{ref}-level": str(levels[ref]),
            f"{ref}-rationale": "We see it in practice.",
            f"{ref}-version": str(rating.version),
            f"{ref}-was": "",
        }
    response = senco_a.post(reverse("audits:audit_rate_save", args=[audit.public_id]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(Rating.objects.filter(audit=audit).values_list("criterion__ref", "level")) == sorted(
        levels.items()
    )
    summary = audit_summary(audit)
    # Communication and interaction: Green and Amber average halfway, which rounds down to Amber; its duty
    # rated Amber is below the met level (Green), so the section could not be above Amber anyway.
    # Cognition and learning: Green, Green. Overall: the mean is nearer Green, but the unmet duty caps it at
    # Amber, the level just below Green.
    assert [(s["title"], s["label"]) for s in summary.sections] == [
        ("Communication and interaction", "Amber – developing"),
        ("Cognition and learning", "Green – in place"),
    ]
    assert summary.overall_label == "Amber – developing"
    assert summary.met_label == "Green – in place" and summary.cap_label == "Amber – developing"
    assert [row["criterion__ref"] for row in summary.duties_unmet] == ["S01-02"]

    page = senco_a.get(reverse("audits:audit_summary", args=[audit.public_id])).content.decode()
    assert "Amber – developing" in page and "Green – in place" in page
    assert not re.search(r">\s*1\.\d+\s*<", page)  # a level is named, never a bare average


# --- errors keep the file -------------------------------------------------------------------------------------


def test_a_mapping_error_keeps_the_file(world, la_admin_x):
    upload(la_admin_x, xlsx())
    row = pending(world)
    content = bytes(row.content)
    url = reverse("standards:spreadsheet_columns", args=[row.public_id])
    # The statement and the guidance both from one column, and no evidence column.
    response = la_admin_x.post(url, columns_post(row, guidance=1, evidence=""))
    assert_error_page(
        response,
        "This column is already chosen for the criterion statement",
        "Select the column that holds the evidence examples",
    )
    # The choices are kept, and the file is still there: nothing to choose again.
    assert re.search(r'name="guidance".*?<option value="1" selected>', response.content.decode(), re.S)
    row.refresh_from_db()
    assert (
        row.status == "pending"
        and bytes(row.content) == content
        and row.columns == guess_columns(LA_HEADINGS)
    )
    response = la_admin_x.post(url, columns_post(row))
    assert response.status_code == 302


def test_rows_with_problems_are_named_and_nothing_is_imported(world, la_admin_x):
    rows = [list(r) for r in LA_ROWS] + [
        [None, f"Criterion {n}.", None, "Notes", "no", None] for n in range(8)
    ]
    rows.append([None, "", "Guidance without a statement.", "Notes", "no", None])  # row 14
    rows.append([None, "A duty with no law named.", None, "Notes", "yes", None])  # row 15
    rows.append([None, "Too much evidence.", None, "a\nb\nc\nd", "maybe", None])  # row 16
    upload(la_admin_x, xlsx(rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    url = reverse("standards:spreadsheet_check", args=[row.public_id])
    page = la_admin_x.get(url).content.decode()
    assert "<title>Error: " in page and "govuk-error-summary" in page
    cells = [
        tuple(
            re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        )
        for tr in re.findall(
            r"<tr class=\"govuk-table__row\">(.*?)</tr>", page.split('id="problems"')[1], re.S
        )
    ]
    assert [c for c in cells if c] == [
        ("14", "What we expect to see", "The statement is empty"),
        ("15", "Legislation", "A statutory duty needs the law it comes from: write it in this column"),
        ("16", "Evidence", "Give 1 to 3 evidence examples, one per line (found 4)"),
        ("16", "Statutory?", "Write yes or no for whether it is a statutory duty (found &#x27;maybe&#x27;)"),
    ]
    before = (Framework.objects.count(), Criterion.objects.count())
    response = la_admin_x.post(url, import_post())
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Northmere OAP.xlsx has 4 problems" in page and "Nothing was saved" in page
    assert 'href="#problems"' in page and "The statement is empty" in page
    assert 'value="Northmere ordinarily available provision"' in page  # what was typed is kept
    assert (Framework.objects.count(), Criterion.objects.count()) == before
    row.refresh_from_db()
    assert row.status == "pending" and bytes(row.content)  # kept, for another try at the matching


def test_the_scale_form_says_what_is_wrong_and_keeps_the_file(world, la_admin_x):
    upload(la_admin_x, xlsx())
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    url = reverse("standards:spreadsheet_check", args=[row.public_id])
    cases = [
        ({"levels": "Green"}, "Enter at least 2 levels, one on each line, lowest first"),
        ({"met_level": "Red"}, "The met level cannot be the lowest level"),
        (
            {"met_level": "Blue"},
            "Enter the name of one of the levels: Red – not in place, Amber – developing",
        ),
        ({"levels": "Red\nAmber\nred"}, "Each level needs its own name: &#x27;red&#x27; is used twice"),
        ({"title": ""}, "Enter the title of the new framework"),
        ({"label": ""}, "Enter a version label, like 2027"),
    ]
    for fields, message in cases:
        response = la_admin_x.post(url, import_post(**fields))
        assert_error_page(response, message)
        assert "Staff use visual timetables in every class." in response.content.decode()  # the preview
    assert not FrameworkVersion.objects.exists()
    assert pending(world).pk == row.pk
    # The met level may be named in full, in any case.
    response = la_admin_x.post(url, import_post(met_level="green – IN PLACE"))
    assert response.status_code == 302
    assert FrameworkVersion.objects.get().scale.met_value == 2


def test_a_new_version_keeps_the_scale_of_the_published_one(world, la_admin_x, la_admin_x_user):
    upload(la_admin_x, xlsx())
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    la_admin_x.post(reverse("standards:spreadsheet_check", args=[row.public_id]), import_post())
    first = FrameworkVersion.objects.get()
    framework_version_publish(version=first, by=acting(la_admin_x_user))

    upload(la_admin_x, xlsx())
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    response = la_admin_x.post(
        reverse("standards:spreadsheet_check", args=[row.public_id]),
        import_post(
            framework=str(first.framework.public_id), label="2028", levels="Low\nHigh", met_level="High"
        ),
    )
    assert response.status_code == 302, response.content.decode()
    second = first.framework.versions.get(label="2028")
    # Audits carry ratings forward from 2027 by level, so 2028 keeps 2027's levels.
    assert [lv.label for lv in second.scale.levels.all()] == [
        "Red – not in place",
        "Amber – developing",
        "Green – in place",
    ]
    assert second.previous == first and set(second.mappings.values_list("change", flat=True)) == {"same"}


# --- bad files --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("oap.xlsx", b"", "The selected file is empty"),
        ("oap.pdf", b"%PDF-1.7\n", "The selected file must be an XLSX or CSV file"),
        ("oap.yaml", b"framework: {}\n", "The selected file must be an XLSX or CSV file"),
        ("oap.xlsx", b"Area,Statement\nA,B\n", "The selected file is not an XLSX spreadsheet"),
        ("oap.csv", b"Area,Statement\x00\nA,B\n", "The selected file is not a CSV text file"),
        ("oap.csv", "Área,Statement\n".encode("latin-1"), "must be saved as UTF-8 text"),
        ("oap.csv", b'Area,Statement\nA,"' + b"x" * 200_000 + b'"\n', "a cell is too long"),
        ("oap.csv", b" \n \n", "The selected file is empty"),
    ],
    ids=["empty", "pdf", "yaml", "xlsx-not-zip", "nul", "latin-1", "huge-csv-cell", "blank"],
)
def test_bad_files_get_the_error_summary(world, la_admin_x, name, content, message):
    response = upload(la_admin_x, content, name)
    assert_error_page(response, message)
    assert not FrameworkUpload.objects.exists()


def test_the_headings_only_file_is_named_at_the_check(world, la_admin_x):
    response = upload(la_admin_x, b"Area,Statement,Evidence\n", "oap.csv")
    row = pending(world)
    assert response.status_code == 302
    response = la_admin_x.post(
        reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row)
    )
    page = la_admin_x.get(response["Location"]).content.decode()
    assert "<title>Error: " in page and "The file has no criteria below its headings" in page


def test_a_huge_cell_and_a_nul_in_a_spreadsheet_are_named_by_row(world, la_admin_x):
    rows = [list(LA_ROWS[0]), [None, "x" * 10_001, None, "Notes", "no", None]]
    upload(la_admin_x, xlsx(rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    page = la_admin_x.get(reverse("standards:spreadsheet_check", args=[row.public_id])).content.decode()
    assert "<title>Error: " in page
    assert re.search(
        r">3</td>\s*<td[^>]*>What we expect to see</td>\s*<td[^>]*>The criterion statement is longer than 10,000 characters",
        page,
    )


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(world, la_admin_x):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "spreadsheetml")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    assert_error_page(upload(la_admin_x, buffer.getvalue()), "too large once opened")
    assert not FrameworkUpload.objects.exists()


# --- the template ------------------------------------------------------------------------------------------------


def test_the_template_downloads_and_imports_as_it_is(world, la_admin_x):
    response = la_admin_x.get(reverse("standards:spreadsheet_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="framework-template.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Area of need", "Ref", "What we expect to see", "Guidance", "Evidence", "Statutory duty", "Law it comes from",
    ]  # fmt: skip
    assert len(rows) == 3 and rows[2][0] == ""  # the example's second row fills the area down

    upload(la_admin_x, response.content, "framework-template.xlsx")
    row = pending(world)
    assert row.columns == {
        "section": 0, "ref": 1, "statement": 2, "guidance": 3, "evidence": 4, "statutory": 5, "statutory_source": 6,
    }  # fmt: skip
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    response = la_admin_x.post(reverse("standards:spreadsheet_check", args=[row.public_id]), import_post())
    assert response.status_code == 302, response.content.decode()
    version = FrameworkVersion.objects.get()
    assert list(version.criteria.values_list("ref", "statutory")) == [("CI-01", False), ("CI-02", True)]


def test_the_upload_page_explains_the_format_and_links_the_template(world, la_admin_x):
    page = la_admin_x.get(reverse("standards:spreadsheet_upload")).content.decode()
    assert reverse("standards:spreadsheet_template") in page
    assert "Area or section" in page and "1 to 3 examples" in page
    assert (
        reverse("standards:spreadsheet_upload")
        in la_admin_x.get(reverse("standards:framework_upload")).content.decode()
    )


# --- who may -------------------------------------------------------------------------------------------------------


def test_another_las_admin_cannot_see_or_touch_a_pending_upload(world, la_admin_x, la_admin_y, la_officer_x):
    upload(la_admin_x, xlsx())
    row = pending(world)
    for name in ("spreadsheet_columns", "spreadsheet_check"):
        url = reverse(f"standards:{name}", args=[row.public_id])
        assert la_admin_y.get(url).status_code == 404
        assert la_admin_y.post(url, import_post()).status_code == 404
        assert la_officer_x.get(url).status_code == 403
    assert la_admin_y.post(reverse("standards:spreadsheet_discard", args=[row.public_id])).status_code == 404
    row.refresh_from_db()
    assert row.status == "pending" and row.columns == guess_columns(LA_HEADINGS)
    # Its owner may throw it away; then its content is gone.
    response = la_admin_x.post(reverse("standards:spreadsheet_discard", args=[row.public_id]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "discarded" and bytes(row.content) == b""
    gone = la_admin_x.get(reverse("standards:spreadsheet_check", args=[row.public_id]))
    assert gone.status_code == 302 and gone["Location"] == reverse("standards:spreadsheet_upload")


# --- the services on their own ----------------------------------------------------------------------------------


def test_the_services_check_who_acts(world, la_admin_x_user, la_admin_y_user, la_officer_x_user):
    from sendplan.policy import NotAllowed
    from standards import services
    from standards.loader import SpreadsheetMeta

    row = services.framework_upload_start(
        by=acting(la_admin_x_user), filename="oap.xlsx", kind="xlsx", content=xlsx()
    )
    assert row.local_authority == world.la_x
    meta = SpreadsheetMeta(slug="y-oap-902", title="Y", la_code="902", label="1")
    for call in (
        lambda: services.framework_upload_columns_set(
            upload=row, by=acting(la_admin_y_user), columns=row.columns
        ),
        lambda: services.framework_upload_import(upload=row, by=acting(la_admin_y_user), meta=meta),
        lambda: services.framework_upload_discard(upload=row, by=acting(la_admin_y_user)),
        lambda: services.framework_upload_start(
            by=acting(la_officer_x_user), filename="oap.xlsx", kind="xlsx", content=xlsx()
        ),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert not Framework.objects.exists() and FrameworkUpload.objects.get().status == "pending"


def test_a_csv_written_another_way_imports_through_the_services(world, la_admin_x_user):
    from standards import services
    from standards.loader import DEFAULT_SCALE, SpreadsheetMeta

    content = (
        "\ufeffRef,Theme,Expectation,How will we know?\r\n"
        'SEMH-1,"Social, emotional and mental health",Pupils have a trusted adult.,"Pupil voice\nKey adult list"\r\n'
        ",,,\r\n"  # a blank row is skipped
        "SEMH-2,,Calm spaces are available.,Map of calm spaces\r\n"
        "WS-1,Whole school,Leaders track SEND outcomes.,Governor report\r\n"
    ).encode()
    by = acting(la_admin_x_user)
    row = services.framework_upload_start(by=by, filename="oap.csv", kind="csv", content=content)
    assert row.columns == {"ref": 0, "section": 1, "statement": 2, "evidence": 3}
    meta = SpreadsheetMeta(slug="northmere-oap-901", title="Northmere OAP", la_code="901", label="2027")
    meta.scale = DEFAULT_SCALE
    result = services.framework_upload_import(upload=row, by=by, meta=meta)
    version = result.version
    assert [(s.title, s.kind, s.area_of_need) for s in version.sections.all()] == [
        ("Social, emotional and mental health", "area_of_need", "semh"),
        ("Whole school", "whole_school", ""),
    ]
    assert [(c.ref, c.evidence_examples) for c in version.criteria.all()] == [
        ("SEMH-1", ["Pupil voice", "Key adult list"]),
        ("SEMH-2", ["Map of calm spaces"]),
        ("WS-1", ["Governor report"]),
    ]


def test_problems_from_the_common_checks_name_the_row_too(world, la_admin_x):
    headings = ["Ref", *LA_HEADINGS]
    rows = [["CI-01", *LA_ROWS[0]], ["CI-01", *LA_ROWS[1]], ["bad ref!", *LA_ROWS[2]]]
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    assert row.columns["ref"] == 0
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    response = la_admin_x.post(reverse("standards:spreadsheet_check", args=[row.public_id]), import_post())
    page = re.sub(r"\s+", " ", response.content.decode())
    assert response.status_code == 200 and "<title>Error: " in page
    assert re.search(
        r">3</td> <td[^>]*>criterion CI-01</td> <td[^>]*>The ref &#x27;CI-01&#x27; is already used by the criterion on row 2",
        page,
    )
    assert re.search(
        r">4</td> <td[^>]*>criterion bad ref!</td> <td[^>]*>&#x27;ref&#x27; must be letters, digits", page
    )
    assert not Framework.objects.exists()


def test_an_upload_left_a_week_is_discarded(world, la_admin_x):
    from datetime import timedelta

    from django.utils import timezone

    upload(la_admin_x, xlsx())
    old = pending(world)
    FrameworkUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    response = la_admin_x.get(reverse("standards:spreadsheet_check", args=[old.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("standards:spreadsheet_upload")
    upload(la_admin_x, xlsx())  # the next upload clears the old file
    old.refresh_from_db()
    assert old.status == "discarded" and bytes(old.content) == b""


# The session, person, membership and MFA check; the upload; the LA's frameworks; the page's shared parts.
# Rows are read from the kept file, never one query each.
QUERIES_CHECK_PAGE = 9


@pytest.mark.parametrize("extra_rows", [0, 60])
def test_the_check_page_does_a_fixed_number_of_queries(
    world, la_admin_x, django_assert_num_queries, extra_rows
):
    rows = [list(r) for r in LA_ROWS] + [
        [None, f"Criterion {n}.", None, "Notes", "no", None] for n in range(extra_rows)
    ]
    upload(la_admin_x, xlsx(rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    url = reverse("standards:spreadsheet_check", args=[row.public_id])
    la_admin_x.get(url)  # the session and membership caches warm
    with django_assert_num_queries(QUERIES_CHECK_PAGE):
        assert la_admin_x.get(url).status_code == 200


@pytest.mark.parametrize("value", ["abc", "999", "-1", "1.5", "\x00"])
def test_a_tampered_column_choice_is_refused_with_the_error_summary(world, la_admin_x, value):
    upload(la_admin_x, xlsx())
    row = pending(world)
    response = la_admin_x.post(
        reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row, statement=value)
    )
    assert_error_page(response, "Select one of the file&#x27;s columns, or Not in the file")
    row.refresh_from_db()
    assert row.columns == guess_columns(LA_HEADINGS)


def test_nul_in_the_typed_scale_is_refused(world, la_admin_x):
    upload(la_admin_x, xlsx())
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    response = la_admin_x.post(
        reverse("standards:spreadsheet_check", args=[row.public_id]), import_post(levels="Red\x00\nGreen")
    )
    assert_error_page(response, "The rating levels must not contain a NUL character")
    assert not FrameworkVersion.objects.exists()


def test_an_area_of_need_column_beside_the_sections(world, la_admin_x):
    headings = ["Section", "Area of need", "Statement", "Evidence"]
    rows = [
        ["Quality first teaching", "Cognition and learning", "Tasks are broken into steps.", "Planning"],
        [None, None, "Key words are pre-taught.", "Word lists"],  # the section and its area fill down
        [None, "SEMH", "Pupils have a calm space.", "Map"],  # the code works as well as the name
        ["Transition", "", "Visits are planned for new pupils.", "Visit log"],  # a new section: no area
        ["Assessment", "Hearing", "Hearing checks are followed up.", "Log"],  # not an area of need
    ]
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    assert row.columns == {"section": 0, "area_of_need": 1, "statement": 2, "evidence": 3}
    url = reverse("standards:spreadsheet_columns", args=[row.public_id])
    assert "Area of need: Cognition and learning" in la_admin_x.get(url).content.decode()
    la_admin_x.post(url, columns_post(row))
    page = la_admin_x.get(reverse("standards:spreadsheet_check", args=[row.public_id])).content.decode()
    assert re.search(
        r">6</td>\s*<td[^>]*>Area of need</td>\s*<td[^>]*>The area of need must be one of: Communication",
        page,
    )

    la_admin_x.post(reverse("standards:spreadsheet_discard", args=[row.public_id]))
    rows[4][1] = ""
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    response = la_admin_x.post(reverse("standards:spreadsheet_check", args=[row.public_id]), import_post())
    assert response.status_code == 302, response.content.decode()
    version = FrameworkVersion.objects.get()
    # A section whose criteria share one area is that area's; one with several is a whole-school section
    # whose criteria keep their own.
    assert [(s.title, s.kind, s.area_of_need) for s in version.sections.all()] == [
        ("Quality first teaching", "whole_school", ""),
        ("Transition", "whole_school", ""),
        ("Assessment", "whole_school", ""),
    ]
    assert list(version.criteria.values_list("ref", "area_of_need")) == [
        ("S01-01", "cognition_learning"),
        ("S01-02", "cognition_learning"),
        ("S01-03", "semh"),
        ("S02-01", ""),
        ("S03-01", ""),
    ]


def test_tier_and_statutory_guidance_columns_are_matched_and_imported(world, la_admin_x):
    """Many LAs set out their OAP by tier, and mark what rests on the SEND Code (which schools must have
    regard to) apart from what the law requires: both come through the column matching."""
    headings = ["Area", "Tier", "Expectation", "Evidence", "Statutory duty", "Statutory guidance", "Source"]
    rows = [
        ["Cognition and learning", "Universal", "Tasks are broken into steps.", "Planning", "no", "no", None],
        [None, "targeted", "Reading interventions are reviewed each term.", "Intervention log", "no", "yes",
         "SEND Code of Practice 2015, 6.17"],
        [None, "Specialist", "Advice from the educational psychologist is followed.", "EP report", "yes", "",
         "Children and Families Act 2014, s66"],
        [None, "Wave 3", "Pre-teaching of key words.", "Word lists", "no", "no", None],
    ]  # fmt: skip
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    assert row.columns == {
        "section": 0, "tier": 1, "statement": 2, "evidence": 3, "statutory": 4, "statutory_guidance": 5,
        "statutory_source": 6,
    }  # fmt: skip
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    check = reverse("standards:spreadsheet_check", args=[row.public_id])
    page = la_admin_x.get(check).content.decode()
    assert re.search(r">5</td>\s*<td[^>]*>Tier</td>\s*<td[^>]*>The tier must be one of: universal, targeted, "
                     r"specialist, or left empty \(found &#x27;Wave 3&#x27;\)", page), page[-4000:]  # fmt: skip

    la_admin_x.post(reverse("standards:spreadsheet_discard", args=[row.public_id]))
    rows[3][1] = ""
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    check = reverse("standards:spreadsheet_check", args=[row.public_id])
    preview = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", la_admin_x.get(check).content.decode()))
    assert "Statutory guidance: SEND Code of Practice 2015, 6.17 Tier: Targeted" in preview
    response = la_admin_x.post(check, import_post())
    assert response.status_code == 302, response.content.decode()[-3000:]
    version = FrameworkVersion.objects.get()
    assert list(
        version.criteria.order_by("position").values_list(
            "tier", "statutory", "statutory_guidance", "statutory_source"
        )
    ) == [
        ("universal", False, False, ""),
        ("targeted", False, True, "SEND Code of Practice 2015, 6.17"),
        ("specialist", True, False, "Children and Families Act 2014, s66"),
        ("", False, False, ""),
    ]


def test_statutory_guidance_without_its_source_is_named(world, la_admin_x):
    headings = ["Area", "Expectation", "Evidence", "Statutory guidance"]
    rows = [["Cognition and learning", "Reading is assessed early.", "Records", "Yes"]]
    upload(la_admin_x, xlsx(headings=headings, rows=rows))
    row = pending(world)
    la_admin_x.post(reverse("standards:spreadsheet_columns", args=[row.public_id]), columns_post(row))
    page = la_admin_x.get(reverse("standards:spreadsheet_check", args=[row.public_id])).content.decode()
    assert "Statutory guidance needs the guidance and paragraph it comes from: choose the column" in page
