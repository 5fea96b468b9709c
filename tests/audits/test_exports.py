"""The audit's CSV and Excel files: what they hold, and that nothing typed into the service runs as a formula."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits import services
from audits.models import Rating
from standards.models import Criterion
from tests.audits.factories import PDF, make_audit, rate_all
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db

FORMULA_SCHOOL = '=HYPERLINK("http://evil.example/","Click for the report")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def url(name, audit):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id})


def test_a_school_named_as_a_formula_is_text_in_the_excel_title_row(senco_a, senco_a_user, world):
    world.school_a.name = FORMULA_SCHOOL
    world.school_a.save()
    audit = make_audit(world.school_a, senco_a_user)
    workbook = load_workbook(io.BytesIO(senco_a.get(url("audit_export_xlsx", audit)).content))
    title = workbook["Audit"]["A1"]
    assert title.data_type == "s"
    assert title.value.startswith(f"'{FORMULA_SCHOOL} – ")


@pytest.fixture
def hostile_audit(world, senco_a_user):
    """An audit where every kind of text a person types starts like a formula."""
    senco_a_user.full_name = "@Sam Formula"
    senco_a_user.save()
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user, rationale="+SUM(1,2)")
    criterion = Criterion.objects.get(version=audit.framework_version, ref="S1-01")
    services.evidence_add(
        audit=audit,
        title="-1 SEN policy",
        criteria=[criterion],
        by=membership_of(senco_a_user),
        file_name="p.pdf",
        data=PDF,
    )
    services.action_create(
        audit=audit,
        criterion=criterion,
        what="=cmd|' /C calc'!A0",
        owner="+Head of year",
        due=timezone.localdate() + datetime.timedelta(days=30),
        success_measure="-5% exclusions by July",
        by=membership_of(senco_a_user),
    )
    return audit


def test_no_cell_of_the_excel_file_is_a_formula(senco_a, hostile_audit):
    workbook = load_workbook(io.BytesIO(senco_a.get(url("audit_export_xlsx", hostile_audit)).content))
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    first = next(workbook["Audit"].iter_rows(min_row=5, max_row=5, values_only=True))
    assert (first[2], first[11], first[13], first[14]) == (
        "S1-01",
        "'+SUM(1,2)",
        "'-1 SEN policy",
        "'@Sam Formula",
    )
    action = next(workbook["Action plan"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert (action[1], action[2], action[4]) == (
        "'=cmd|' /C calc'!A0",
        "'+Head of year",
        "'-5% exclusions by July",
    )


def test_no_cell_of_the_csv_file_starts_like_a_formula(senco_a, hostile_audit):
    response = senco_a.get(url("audit_export_csv", hostile_audit))
    assert response["Content-Disposition"] == 'attachment; filename="audit-900001-2026-27.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)] == []
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Criterion"], first["Rationale"], first["Evidence"], first["Last changed by"]) == (
        "S1-01",
        "'+SUM(1,2)",
        "'-1 SEN policy",
        "'@Sam Formula",
    )
    assert len(rows) == 1 + Rating.objects.filter(audit=hostile_audit).count()
