"""Evidence upload checks: content must match the extension; zip bombs and disguised files are refused."""

import io
import zipfile

import pytest

from sendplan.uploads import OLE2, UploadRejected, check_upload

MB = 1024 * 1024


def office(
    kind: str, *, folder: str | None = None, marker: str | None = None, extra: dict | None = None
) -> bytes:
    folders = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
    markers = {"docx": "wordprocessingml", "xlsx": "spreadsheetml", "pptx": "presentationml"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            f'{marker or markers[kind]}.main+xml"/></Types>',
        )
        archive.writestr(f"{folder or folders[kind]}document.xml", "<xml>hello</xml>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>wordprocessingml</Types>")
        archive.writestr("word/document.xml", b"\0" * (120 * MB))
    return buffer.getvalue()


def many_entries() -> bytes:
    return office("docx", extra={f"word/media/{i}.xml": "x" for i in range(1100)})


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 20
GIF = b"GIF89a" + b"\0" * 20
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"
EXE = b"MZ\x90\x00\x03" + b"\0" * 100

GOOD = [
    ("policy.pdf", PDF, "application/pdf"),
    ("Plan.PDF", PDF, "application/pdf"),
    ("notes.docx", office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("data.xlsx", office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "talk.pptx",
        office("pptx"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("old.doc", OLE2 + b"\0" * 50, "application/msword"),
    ("old.xls", OLE2 + b"\0" * 50, "application/vnd.ms-excel"),
    ("old.ppt", OLE2 + b"\0" * 50, "application/vnd.ms-powerpoint"),
    ("photo.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("anim.gif", GIF, "image/gif"),
    ("notes.txt", "Café notes – provision map\n".encode(), "text/plain; charset=utf-8"),
    ("list.csv", b"name,level\nA,2\n", "text/csv; charset=utf-8"),
]


@pytest.mark.parametrize("name,data,content_type", GOOD, ids=[g[0] for g in GOOD])
def test_good_files_of_each_kind_are_accepted(name, data, content_type):
    checked = check_upload(name, data, max_bytes=10 * MB)
    assert checked.content_type == content_type
    assert checked.size == len(data)


BAD = [
    ("disguised exe as pdf", "report.pdf", EXE, "not a real PDF"),
    ("exe", "setup.exe", EXE, "must be a PDF, Word"),
    ("no extension", "README", b"hello", "must be a PDF, Word"),
    ("double extension", "report.pdf.exe", PDF, "must be a PDF, Word"),
    ("png named jpg", "photo.jpg", PNG, "not a real JPEG"),
    ("pdf named docx", "notes.docx", PDF, "not a real Word"),
    ("plain zip named docx", "notes.docx", office("docx", folder="other/"), "not a real Word"),
    ("xlsx named docx", "notes.docx", office("xlsx"), "not a real Word"),
    (
        "docx with wrong content types",
        "notes.docx",
        office("docx", marker="spreadsheetml"),
        "not a real Word",
    ),
    ("zip bomb as docx", "bomb.docx", zip_bomb(), "expands to far more"),
    ("too many entries", "many.docx", many_entries(), "too many parts"),
    ("truncated zip", "notes.docx", office("docx")[:60], "not a real Word"),
    ("html named pdf", "page.pdf", b"<html><script>alert(1)</script></html>", "not a real PDF"),
    ("binary named txt", "notes.txt", b"abc\x00def", "not plain text"),
    ("latin-1 csv", "list.csv", "café,2\n".encode("latin-1"), "UTF-8"),
    ("ole2 named docx", "old.docx", OLE2 + b"\0" * 50, "not a real Word"),
    ("empty file", "empty.pdf", b"", "empty"),
]


@pytest.mark.parametrize("label,name,data,message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_with_a_clear_message(label, name, data, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(name, data, max_bytes=10 * MB)


def test_oversized_file_is_refused():
    with pytest.raises(UploadRejected, match="smaller than 10 MB"):
        check_upload("big.pdf", b"%PDF-" + b"0" * (10 * MB), max_bytes=10 * MB)
    assert check_upload("ok.pdf", b"%PDF-" + b"0" * (10 * MB - 5), max_bytes=10 * MB).size == 10 * MB


def test_the_zip_bomb_is_small_on_disk():
    assert len(zip_bomb()) < 1 * MB  # so the size limit alone would not have caught it
