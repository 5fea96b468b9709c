"""Damaged Office files (zips) are refused with a message: bad CRC, unknown compression, encryption.

Each damaged file is built here by changing the bytes of a good zip by hand. Every read of an archive,
by the upload check or by the spreadsheet reader, must turn such damage into a message, never a 500.
"""

import io
import struct
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from audits.models import Evidence
from sendplan.uploads import UploadRejected, check_upload
from standards.loader import SpreadsheetMeta, parse_spreadsheet
from tests.sendplan.test_uploads import office

MB = 1024 * 1024
LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
# Offsets in a local file header and in a central directory header (APPNOTE.TXT, 4.3.7 and 4.3.12).
FIELDS = {
    LOCAL: {"flags": 6, "method": 8, "crc": 14, "name_length": 26, "name": 30},
    CENTRAL: {"flags": 8, "method": 10, "crc": 16, "name_length": 28, "name": 46},
}
DAMAGE = ["bad crc", "unknown compression", "encrypted"]


def damaged(data: bytes, entry: str, how: str) -> bytes:
    """Return the zip with ``entry`` damaged in both its headers: its CRC, its method or its encryption flag."""
    out = bytearray(data)
    found = 0
    for signature, at in FIELDS.items():
        start = 0
        while (start := out.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", out, start + at["name_length"])
            name = bytes(out[start + at["name"] : start + at["name"] + length])
            if name == entry.encode():
                found += 1
                if how == "bad crc":
                    (crc,) = struct.unpack_from("<I", out, start + at["crc"])
                    struct.pack_into("<I", out, start + at["crc"], crc ^ 0xFFFFFFFF)
                elif how == "unknown compression":
                    struct.pack_into("<H", out, start + at["method"], 99)
                elif how == "encrypted":
                    (flags,) = struct.unpack_from("<H", out, start + at["flags"])
                    struct.pack_into("<H", out, start + at["flags"], flags | 0x1)
            start += 4
    assert found == 2, f"{entry} has a local and a central header"
    return bytes(out)


def workbook() -> bytes:
    book = Workbook()
    book.active.append(["Section", "Ref", "Statement", "Evidence", "Statutory"])
    book.active.append(["Leadership", "X-01", "Something observable.", "A record", "No"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_damage_is_what_it_says():
    """The hand-made damage makes Python's zipfile raise, so each case really tests a damaged file."""
    raised = {
        "bad crc": zipfile.BadZipFile,
        "unknown compression": NotImplementedError,
        "encrypted": RuntimeError,
    }
    for how, error in raised.items():
        archive = zipfile.ZipFile(io.BytesIO(damaged(office("docx"), "word/document.xml", how)))
        with archive, pytest.raises(error):
            archive.read("word/document.xml")


@pytest.mark.parametrize("entry", ["[Content_Types].xml", "word/document.xml"])
@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_office_file_is_refused(how, entry):
    expected = "password" if how == "encrypted" else "damaged"
    with pytest.raises(UploadRejected, match=expected):
        check_upload("notes.docx", damaged(office("docx"), entry, how), max_bytes=10 * MB)


@pytest.mark.parametrize("how", DAMAGE)
def test_the_spreadsheet_reader_turns_damage_into_a_problem(how):
    meta = SpreadsheetMeta(slug="oap-901", title="OAP", la_code="901", label="1")
    for entry in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"):
        data, problems = parse_spreadsheet(
            damaged(workbook(), entry, how), kind="xlsx", source="oap.xlsx", meta=meta
        )
        assert data is None and len(problems) == 1, entry
        assert "cannot be opened" in problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_evidence_gets_the_error_summary_and_nothing_is_saved(senco_a, senco_a_user, world, how):
    from tests.audits.factories import make_audit

    audit = make_audit(world.school_a, senco_a_user)
    criterion = audit.framework_version.criteria.first()
    upload = SimpleUploadedFile("policy.docx", damaged(office("docx"), "word/document.xml", how))
    response = senco_a.post(
        reverse("audits:evidence_add", kwargs={"audit_id": audit.public_id}),
        {"title": "SEN policy", "file": upload, "criteria": [str(criterion.public_id)]},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and "govuk-error-summary" in page
    assert ("password" if how == "encrypted" else "damaged") in page
    assert 'value="SEN policy"' in page
    assert not Evidence.objects.exists()
    assert not default_storage.exists("evidence") or not any(default_storage.listdir("evidence"))


@pytest.mark.django_db
@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_framework_spreadsheet_gets_the_error_summary(la_admin_x, world, how):
    from tests.standards.conftest import snapshot

    before = snapshot()
    for entry in ("xl/worksheets/sheet1.xml", "[Content_Types].xml"):
        upload = SimpleUploadedFile("oap.xlsx", damaged(workbook(), entry, how))
        response = la_admin_x.post(
            reverse("standards:framework_upload"),
            {"file": upload, "framework": "new", "title": "Our OAP", "label": "1"},
        )
        page = response.content.decode()
        assert response.status_code == 200 and "<title>Error: " in page and "govuk-error-summary" in page
        assert ("password" if how == "encrypted" else "damaged") in page, entry
    assert snapshot() == before


GOOD_XLSX = workbook()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(GOOD_XLSX) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=4,
    )
)
def test_any_damage_to_a_spreadsheet_is_a_refusal_or_a_problem(edits):
    data = bytearray(GOOD_XLSX)
    for position, value in edits:
        data[position] = value
    try:
        check_upload("oap.xlsx", bytes(data), max_bytes=10 * MB)
    except UploadRejected:
        return
    meta = SpreadsheetMeta(slug="oap-901", title="OAP", la_code="901", label="1")
    parse_spreadsheet(bytes(data), kind="xlsx", source="oap.xlsx", meta=meta)
