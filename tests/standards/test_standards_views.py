"""The standards pages: who sees what, the upload → review → publish journey, bad uploads, query counts."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from standards.loader import Continuation, dump_yaml
from standards.models import Criterion, FrameworkVersion
from tests.standards.conftest import snapshot
from tests.standards.factories import framework_data, load_version, oap_2027, shipped_data

pytestmark = pytest.mark.django_db


def la_yaml(world, *, label="2027", criteria=6, slug="northmere-oap", previous=None, **kwargs) -> bytes:
    data = framework_data(
        criteria=criteria,
        slug=slug,
        publisher="local_authority",
        la_code=world.la_x.code,
        label=label,
        **kwargs,
    )
    if previous:
        data.version.previous = previous
        for criterion, _ in data.criteria():
            criterion.continues = []
    return dump_yaml(data).encode()


def upload(client, content: bytes, name: str = "framework.yaml", **fields):
    return client.post(
        reverse("standards:framework_upload"), {"file": SimpleUploadedFile(name, content), **fields}
    )


@pytest.fixture
def la_x_draft(world):
    return load_version(
        framework_data(criteria=5, publisher="local_authority", la_code=world.la_x.code, status="draft")
    )


# --- who sees what -----------------------------------------------------------------------------------------


def test_every_member_browses_published_frameworks(world, senco_b, governor_a, la_officer_y):
    version = load_version(shipped_data("send-governance"))
    criterion = version.criteria.first()
    for client in (senco_b, governor_a, la_officer_y):
        assert client.get(reverse("standards:framework_list")).status_code == 200
        assert (
            client.get(reverse("standards:framework_detail", args=[version.framework.public_id])).status_code
            == 200
        )
        page = client.get(reverse("standards:version_detail", args=[version.public_id]))
        assert page.status_code == 200 and "STRAT-01" in page.content.decode()
        assert (
            client.get(reverse("standards:criterion_detail", args=[criterion.public_id])).status_code == 200
        )


def test_drafts_are_seen_only_by_the_owning_la(
    la_x_draft, la_admin_x, la_officer_x, la_admin_y, la_officer_y, senco_a, governor_a
):
    version_url = reverse("standards:version_detail", args=[la_x_draft.public_id])
    framework_url = reverse("standards:framework_detail", args=[la_x_draft.framework.public_id])
    criterion_url = reverse("standards:criterion_detail", args=[la_x_draft.criteria.first().public_id])
    export_url = reverse("standards:version_export", args=[la_x_draft.public_id])
    for client in (la_admin_x, la_officer_x):
        for url in (version_url, framework_url, criterion_url, export_url):
            assert client.get(url).status_code == 200, url
    for client in (la_admin_y, la_officer_y, senco_a, governor_a):
        for url in (version_url, framework_url, criterion_url, export_url):
            assert client.get(url).status_code == 404, url
        listing = client.get(reverse("standards:framework_list")).content.decode()
        assert la_x_draft.framework.title not in listing


def test_la_y_admin_cannot_review_publish_retire_or_delete_la_x_versions(la_x_draft, la_admin_y, world):
    published = load_version(framework_data(criteria=3, publisher="local_authority", la_code=world.la_x.code))
    before = snapshot()
    assert la_admin_y.get(reverse("standards:version_review", args=[la_x_draft.public_id])).status_code == 404
    for name, version in [
        ("version_publish", la_x_draft),
        ("version_delete", la_x_draft),
        ("version_retire", published),
    ]:
        assert la_admin_y.post(reverse(f"standards:{name}", args=[version.public_id])).status_code == 404
    assert snapshot() == before


def test_la_officer_reads_drafts_but_cannot_publish(la_x_draft, la_officer_x):
    assert (
        la_officer_x.get(reverse("standards:version_review", args=[la_x_draft.public_id])).status_code == 403
    )
    assert (
        la_officer_x.post(reverse("standards:version_publish", args=[la_x_draft.public_id])).status_code
        == 403
    )
    la_x_draft.refresh_from_db()
    assert la_x_draft.status == "draft"


def test_national_and_sendplan_frameworks_are_read_only_for_la_admins(world, la_admin_x):
    version = load_version(shipped_data("send-governance"))
    page = la_admin_x.get(reverse("standards:version_detail", args=[version.public_id])).content.decode()
    assert "Retire this version" not in page
    assert la_admin_x.post(reverse("standards:version_retire", args=[version.public_id])).status_code == 404
    version.refresh_from_db()
    assert version.status == "published"


# --- upload → review → publish -------------------------------------------------------------------------------


def test_upload_review_publish_journey(world, la_admin_x, senco_b):
    response = upload(la_admin_x, la_yaml(world, label="2026"))
    version = FrameworkVersion.objects.get(framework__slug="northmere-oap", label="2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:version_review", args=[version.public_id])
    assert version.status == "draft"  # uploads are drafts until published, whatever the file says
    review = la_admin_x.get(response["Location"]).content.decode()
    assert "Review draft version 2026" in review and "Publish version 2026" in review
    assert senco_b.get(reverse("standards:version_detail", args=[version.public_id])).status_code == 404

    response = la_admin_x.post(reverse("standards:version_publish", args=[version.public_id]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published" and version.published_on is not None
    assert senco_b.get(reverse("standards:version_detail", args=[version.public_id])).status_code == 200

    # A second version with mappings: the review shows what changed.
    data_v2 = framework_data(
        criteria=7, slug="northmere-oap", publisher="local_authority", la_code=world.la_x.code, label="2027"
    )
    data_v2.version.previous = "2026"
    for criterion, _ in data_v2.criteria():
        if criterion.ref != "C-007":
            criterion.continues = [Continuation(criterion.ref, "same")]
    response = upload(la_admin_x, dump_yaml(data_v2).encode())
    assert response.status_code == 302, response.content.decode()
    review = la_admin_x.get(response["Location"]).content.decode()
    assert "Changes since version 2026" in review and "Added (1)" in review and "C-007" in review


def test_republishing_a_published_version_with_other_content_is_refused(world, la_admin_x):
    load_version(
        framework_data(criteria=6, slug="northmere-oap", publisher="local_authority", la_code=world.la_x.code)
    )
    before = snapshot()
    response = upload(la_admin_x, la_yaml(world, label="2026", criteria=5))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is published and cannot change; publish a new version" in page
    assert "Nothing was saved" in page and "<title>Error: " in page
    assert snapshot() == before


def test_csv_upload_of_a_new_framework_then_a_new_version(world, la_admin_x):
    header = "section,ref,statement,guidance,evidence,statutory,statutory_source,area_of_need,tier\n"
    rows = "Leadership,NM-01,The SENCO has time.,,Timetable,no,,,\nLeadership,NM-02,Governors get reports.,,Minutes,no,,,\n"
    response = upload(
        la_admin_x,
        (header + rows).encode(),
        "oap.csv",
        framework="new",
        title="Northmere provision",
        label="2026",
    )
    assert response.status_code == 302, response.content.decode()
    v1 = FrameworkVersion.objects.get(framework__title="Northmere provision")
    assert v1.framework.local_authority == world.la_x and v1.framework.slug == "northmere-provision-901"
    la_admin_x.post(reverse("standards:version_publish", args=[v1.public_id]))

    rows2 = (
        "Leadership,NM-01,The SENCO has protected time.,,Timetable,no,,,\nLeadership,NM-03,New.,,Plan,no,,,\n"
    )
    response = upload(
        la_admin_x, (header + rows2).encode(), "oap.csv", framework=str(v1.framework.public_id), label="2027"
    )
    assert response.status_code == 302, response.content.decode()
    v2 = FrameworkVersion.objects.get(framework=v1.framework, label="2027")
    assert v2.previous == v1
    assert {(m.from_ref, m.to_ref, m.change) for m in v2.mappings.all()} == {
        ("NM-01", "NM-01", "reworded"),
        ("", "NM-03", "new"),
        ("NM-02", "", "retired"),
    }


def test_xlsx_upload(world, la_admin_x):
    book = Workbook()
    book.active.append(["Section", "Ref", "Statement", "Evidence", "Statutory"])
    book.active.append(["Leadership", "X-01", "Something observable.", "A record\nAnother record", "No"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(
        la_admin_x, buffer.getvalue(), "oap.xlsx", framework="new", title="Spreadsheet OAP", label="1"
    )
    assert response.status_code == 302, response.content.decode()
    criterion = Criterion.objects.get(ref="X-01")
    assert criterion.evidence_examples == ["A record", "Another record"]


# --- bad uploads: a clear error, nothing saved -----------------------------------------------------------------


def assert_error_page(response, *messages):
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page and "govuk-error-summary" in page
    for message in messages:
        assert message in page, message


def test_over_large_upload(world, la_admin_x, settings):
    settings.FRAMEWORK_UPLOAD_MAX_BYTES = 1000
    before = snapshot()
    response = upload(la_admin_x, la_yaml(world))
    assert_error_page(response, "The selected file must be smaller than 1000")
    assert snapshot() == before


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("oap.pdf", b"%PDF-1.7", "The selected file must be a YAML, CSV or XLSX file"),
        ("oap.xlsx", b"section,ref\n", "The selected file is not an XLSX spreadsheet"),
        ("oap.yaml", b"PK\x03\x04rest-of-a-zip", "The selected file is not a YAML text file"),
        ("oap.csv", "section,ref\nLéa".encode("latin-1"), "must be saved as UTF-8 text"),
        ("oap.yaml", b"", "The selected file is empty"),
    ],
    ids=["pdf", "xlsx-not-zip", "yaml-is-zip", "latin-1-csv", "empty"],
)
def test_file_type_is_checked_by_content(world, la_admin_x, name, content, message):
    before = snapshot()
    assert_error_page(upload(la_admin_x, content, name, framework="new", title="T", label="1"), message)
    assert snapshot() == before


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_opened(world, la_admin_x):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>spreadsheetml</Types>")
        archive.writestr("xl/workbook.xml", b"\0" * (120 * 1024 * 1024))
    before = snapshot()
    response = upload(la_admin_x, buffer.getvalue(), "oap.xlsx", framework="new", title="T", label="1")
    assert_error_page(response, "The selected spreadsheet is too large once opened")
    assert snapshot() == before


def test_bad_yaml_upload_lists_every_problem_with_its_line(world, la_admin_x):
    text = (
        la_yaml(world)
        .decode()
        .replace("ref: C-002", "ref: C-001")
        .replace("kind: whole_school", "kind: school", 1)
    )
    before = snapshot()
    response = upload(la_admin_x, text.encode())
    assert_error_page(response, "framework.yaml has 2 problems. Nothing was saved")
    page = response.content.decode()
    assert "The ref &#x27;C-001&#x27; is already used by the criterion on line" in page
    assert "&#x27;kind&#x27; must be one of: whole_school, area_of_need" in page
    assert snapshot() == before


def test_spreadsheet_missing_columns_upload(world, la_admin_x):
    before = snapshot()
    response = upload(
        la_admin_x, b"section,ref,statement\nA,B,C\n", "oap.csv", framework="new", title="T", label="1"
    )
    assert_error_page(response, "Missing columns: evidence, statutory")
    assert snapshot() == before


def test_spreadsheet_needs_framework_and_label(world, la_admin_x):
    response = upload(la_admin_x, b"section,ref,statement,evidence,statutory\nA,B,C,D,no\n", "oap.csv")
    assert_error_page(
        response, "Select the framework this spreadsheet is a version of", "Enter a version label"
    )


def test_la_admin_cannot_upload_a_sendplan_or_other_la_framework(world, la_admin_x):
    before = snapshot()
    response = upload(la_admin_x, SHIPPED_GOVERNANCE())
    assert_error_page(response, "You can upload only your local authority&#x27;s frameworks")
    other = dump_yaml(
        framework_data(criteria=5, publisher="local_authority", la_code=world.la_y.code)
    ).encode()
    assert_error_page(upload(la_admin_x, other), "la_code: 901")
    assert snapshot() == before


def SHIPPED_GOVERNANCE() -> bytes:
    from tests.standards.factories import SHIPPED

    return SHIPPED["send-governance"].read_bytes()


def test_publish_and_retire_only_move_forward(world, la_admin_x):
    version = load_version(framework_data(criteria=3, publisher="local_authority", la_code=world.la_x.code))
    response = la_admin_x.post(reverse("standards:version_publish", args=[version.public_id]), follow=True)
    assert "already published" in response.content.decode()
    la_admin_x.post(reverse("standards:version_retire", args=[version.public_id]))
    version.refresh_from_db()
    assert version.status == "retired"
    response = la_admin_x.post(reverse("standards:version_retire", args=[version.public_id]), follow=True)
    assert "Only a published version can be retired" in response.content.decode()
    response = la_admin_x.post(reverse("standards:version_delete", args=[version.public_id]), follow=True)
    assert "Only a draft can be deleted" in response.content.decode()
    assert FrameworkVersion.objects.filter(pk=version.pk).exists()


def test_draft_can_be_deleted(la_x_draft, la_admin_x):
    response = la_admin_x.post(reverse("standards:version_delete", args=[la_x_draft.public_id]))
    assert response.status_code == 302
    assert not FrameworkVersion.objects.filter(pk=la_x_draft.pk).exists()
    assert not Criterion.objects.filter(version_id=la_x_draft.pk).exists()


# --- browsing: filters and comparison -------------------------------------------------------------------------


@pytest.fixture
def oap_versions(world):
    v1_data = shipped_data("sendplan-oap")
    return load_version(v1_data), load_version(oap_2027(v1_data))


def criteria_refs(response) -> list[str]:
    return [c.ref for block in response.context["blocks"] for c in block.criteria]


def test_version_filters(oap_versions, senco_a):
    v1, _ = oap_versions
    url = reverse("standards:version_detail", args=[v1.public_id])
    assert len(criteria_refs(senco_a.get(url))) == 105
    statutory = criteria_refs(senco_a.get(url, {"statutory": "yes"}))
    assert statutory and set(statutory) == set(
        v1.criteria.filter(statutory=True).values_list("ref", flat=True)
    )
    semh = criteria_refs(senco_a.get(url, {"area": "semh"}))
    assert semh and all(ref.startswith("SEMH-") for ref in semh)
    words = criteria_refs(senco_a.get(url, {"q": "SENCO qualification"}))
    assert "LEAD-02" in words and len(words) < 10
    none = senco_a.get(url, {"q": "xylophone"})
    assert criteria_refs(none) == [] and "No criteria match your filters" in none.content.decode()
    assert senco_a.get(url, {"area": "not-an-area"}).status_code == 200  # an invalid filter shows everything


def test_comparison_uses_the_mapping(oap_versions, governor_a):
    v1, v2 = oap_versions
    response = governor_a.get(
        reverse("standards:version_compare", args=[v1.framework.public_id]),
        {"from": str(v1.public_id), "to": str(v2.public_id)},
    )
    comparison = response.context["comparison"]
    assert comparison.via_mappings
    assert [c.new.ref for c in comparison.added] == ["LEAD-10"]
    assert [c.old[0].ref for c in comparison.retired] == ["LEAD-09"]
    assert {c.new.ref: c.kind for c in comparison.changed} == {
        "LEAD-04": "reworded",
        "LEAD-05A": "split",
        "LEAD-05B": "split",
        "IDENT-12": "merged",
    }
    backwards = governor_a.get(
        reverse("standards:version_compare", args=[v1.framework.public_id]),
        {"from": str(v2.public_id), "to": str(v1.public_id)},
    ).context["comparison"]
    assert not backwards.via_mappings and {c.new.ref for c in backwards.added} >= {"LEAD-09", "IDENT-02"}


# --- query counts: fixed whatever the number of criteria --------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_version_page_query_count_is_fixed(world, senco_a, django_assert_max_num_queries):
    small = load_version(framework_data(criteria=10))
    large = load_version(framework_data(criteria=150, sections=12))
    small_url = reverse("standards:version_detail", args=[small.public_id])
    large_url = reverse("standards:version_detail", args=[large.public_id])
    assert count_queries(senco_a, small_url) == count_queries(senco_a, large_url)
    with django_assert_max_num_queries(11):  # 7 for the session, person, membership and MFA; 4 for the page
        senco_a.get(large_url + "?q=observable+thing&statutory=yes")


def make_pair(criteria: int):
    v1 = framework_data(criteria=criteria)
    load_version(v1)
    v2 = framework_data(criteria=criteria + 5, slug=v1.framework.slug, label="2027")
    v2.version.previous = "2026"
    for criterion, _ in v2.criteria():
        number = int(criterion.ref[2:])
        if number <= criteria - 2:
            criterion.continues = [Continuation(criterion.ref, "same" if number % 2 else "reworded")]
        else:
            criterion.ref = f"N-{number:03d}"  # new criteria take new refs
    v2.retired = [c.ref for c, _ in v1.criteria() if int(c.ref[2:]) > criteria - 2]
    return load_version(v2)


def test_comparison_query_count_is_fixed(world, senco_a, django_assert_max_num_queries):
    small, large = make_pair(10), make_pair(150)
    small_url = reverse("standards:version_compare", args=[small.framework.public_id])
    large_url = reverse("standards:version_compare", args=[large.framework.public_id])
    assert count_queries(senco_a, small_url) == count_queries(senco_a, large_url)
    with django_assert_max_num_queries(12):  # 7 for the session, person, membership and MFA; 5 for the page
        senco_a.get(large_url)


def test_framework_list_query_count_is_fixed(world, senco_a):
    load_version(framework_data(criteria=3))
    url = reverse("standards:framework_list")
    few = count_queries(senco_a, url)
    for _ in range(5):
        load_version(framework_data(criteria=3))
    assert count_queries(senco_a, url) == few


def test_retire_and_delete_ask_for_confirmation_first(la_x_draft, la_admin_x, world):
    published = load_version(framework_data(criteria=5, publisher="local_authority", la_code=world.la_x.code))
    page = la_admin_x.get(reverse("standards:version_retire", args=[published.public_id])).content.decode()
    assert "Retire version 2026?" in page and "You cannot undo this" in page
    page = la_admin_x.get(reverse("standards:version_delete", args=[la_x_draft.public_id])).content.decode()
    assert "Delete draft version 2026?" in page
    published.refresh_from_db()
    assert published.status == "published" and FrameworkVersion.objects.filter(pk=la_x_draft.pk).exists()


def test_home_shows_la_admins_their_drafts(la_x_draft, la_admin_x, la_officer_x, la_admin_y):
    review = reverse("standards:version_review", args=[la_x_draft.public_id])
    assert review in la_admin_x.get(reverse("home")).content.decode()
    assert review not in la_officer_x.get(reverse("home")).content.decode()
    assert review not in la_admin_y.get(reverse("home")).content.decode()


def test_uploading_a_published_version_again_changes_nothing(world, la_admin_x):
    content = la_yaml(world, label="2026")
    upload(la_admin_x, content)
    version = FrameworkVersion.objects.get(framework__slug="northmere-oap")
    la_admin_x.post(reverse("standards:version_publish", args=[version.public_id]))
    before = snapshot()
    response = upload(la_admin_x, content)
    assert response["Location"] == reverse("standards:version_detail", args=[version.public_id])
    assert (
        "already published with this content. Nothing changed."
        in la_admin_x.get(response["Location"]).content.decode()
    )
    assert snapshot() == before


# --- what a criterion rests on, and where a duty is met -----------------------------------------------


def test_pages_tell_a_duty_in_law_from_statutory_guidance(world, senco_a):
    from standards.loader import parse_yaml
    from tests.standards.factories import SHIPPED

    load_version(shipped_data("sendplan-oap"))
    path = SHIPPED["sendplan-oap"].with_name("2026.1.yaml")
    data, _ = parse_yaml(path.read_bytes(), source=path.name)
    corrected = load_version(data)
    grad = corrected.criteria.get(ref="GRAD-01")
    page = senco_a.get(reverse("standards:criterion_detail", args=[grad.public_id])).content.decode()
    assert (
        "Statutory guidance, which schools must have regard to: SEND Code of Practice 2015, 6.44–6.56 "
        "(the graduated approach)" in page
    )
    duty = corrected.criteria.get(ref="STAT-08")
    page = senco_a.get(reverse("standards:criterion_detail", args=[duty.public_id])).content.decode()
    assert (
        "The law (a statutory duty): Children and Families Act 2014, s.28; SEND Regulations 2014, reg 6(1)(b)"
        in page
    )
    listing = senco_a.get(reverse("standards:version_detail", args=[corrected.public_id])).content.decode()
    assert "A statutory duty counts as met at this level and above." in listing
    assert listing.count(">Statutory guidance</strong>") == 5


def test_the_review_page_shows_where_a_duty_is_met(la_x_draft, la_admin_x):
    page = la_admin_x.get(reverse("standards:version_review", args=[la_x_draft.public_id])).content.decode()
    assert "A duty is met at" in page and "Established or above." in page
