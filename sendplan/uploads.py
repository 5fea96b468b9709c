"""Checks on uploaded files: the content must be what the extension says (pure functions).

Used for audit evidence and for LA framework spreadsheets.

A browser's content type is whatever the browser sent, so it is never trusted. Each allowed extension
has a content check: a signature ("magic bytes") at the start, a zip with the right parts for Office
files (with limits that stop zip bombs, and every part read once so that a damaged or encrypted
file is refused here rather than failing later), an OLE2 header for legacy Office files, or valid UTF-8 text
without NUL bytes for text and CSV.
"""

import io
import logging
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

logger = logging.getLogger(__name__)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits for Office files, which are zips: a small zip may inflate to gigabytes (a "zip bomb").
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for any entry over 1 MB uncompressed
RATIO_CHECK_FROM = 1024 * 1024
# Office writes its parts stored or deflated; any other method is damage (or a file we cannot check).
OFFICE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
DAMAGED = "The file is damaged and cannot be opened; save it again and upload the new copy"
PASSWORD_PROTECTED = "The file is protected with a password; save a copy without the password and upload that"  # noqa: S105 - a message to the person, not a password

# extension -> (kind of check, content type we serve it as, the Office folder and content-type marker)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "pdf": ("pdf", "application/pdf", "", ""),
    "docx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/",
        "wordprocessingml",
    ),
    "xlsx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/",
        "spreadsheetml",
    ),
    "pptx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/",
        "presentationml",
    ),
    "doc": ("ole2", "application/msword", "", ""),
    "xls": ("ole2", "application/vnd.ms-excel", "", ""),
    "ppt": ("ole2", "application/vnd.ms-powerpoint", "", ""),
    "png": ("png", "image/png", "", ""),
    "jpg": ("jpeg", "image/jpeg", "", ""),
    "jpeg": ("jpeg", "image/jpeg", "", ""),
    "gif": ("gif", "image/gif", "", ""),
    "txt": ("text", "text/plain; charset=utf-8", "", ""),
    "csv": ("text", "text/csv; charset=utf-8", "", ""),
}
ALLOWED_EXTENSIONS = tuple(KINDS)
ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, PNG, JPEG, GIF, text or CSV"


class UploadRejected(ValueError):
    """The file is not allowed; the message says why, for the person who uploaded it."""


class ExpandsTooFar(UploadRejected):
    """An Office file (a zip) that would inflate far beyond its size: a possible zip bomb."""


class DamagedFile(UploadRejected):
    """An Office file (a zip) that is damaged or encrypted, so its content cannot be checked."""


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int


def extension_of(name: str) -> str:
    """Return the lower-case extension of a file name, without the dot ('' if none)."""
    return PurePath(name or "").suffix.lower().lstrip(".")


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _read_archive(step):
    """Return ``step()``, turning any failure to read the zip into UploadRejected.

    zipfile raises many kinds of error for a damaged archive (BadZipFile for a bad CRC,
    NotImplementedError for an unknown compression method, RuntimeError for an encrypted part, zlib and
    struct errors, EOFError…); to the person they all mean the same: the file is damaged.
    """
    try:
        return step()
    except Exception as exc:
        raise DamagedFile(DAMAGED) from exc


def _check_ooxml(data: bytes, folder: str, marker: str, label: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadRejected(f"The file is not a real {label} file") from exc
    except Exception as exc:  # a zip whose directory is damaged in another way
        raise DamagedFile(DAMAGED) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ExpandsTooFar(f"The file has too many parts to be a {label} file")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > RATIO_CHECK_FROM and entry.file_size > MAX_ZIP_RATIO * max(
                entry.compress_size, 1
            ):
                raise ExpandsTooFar("The file expands to far more than its size and cannot be accepted")
        if total > MAX_ZIP_UNCOMPRESSED:
            raise ExpandsTooFar("The file expands to far more than its size and cannot be accepted")
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise DamagedFile(PASSWORD_PROTECTED)
        if any(entry.compress_type not in OFFICE_COMPRESSION for entry in entries):
            raise DamagedFile(DAMAGED)
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or not any(name.startswith(folder) for name in names):
            raise UploadRejected(f"The file is not a real {label} file")
        types_entry = archive.getinfo("[Content_Types].xml")
        if types_entry.file_size > RATIO_CHECK_FROM:
            raise UploadRejected(f"The file is not a real {label} file")
        # Read every part now (sizes are bounded above), so a bad CRC or a truncated part is found here
        # and not later, when the file is opened to be read.
        if _read_archive(archive.testzip) is not None:
            raise DamagedFile(DAMAGED)
        if marker.encode() not in _read_archive(lambda: archive.read(types_entry)):
            raise UploadRejected(f"The file is not a real {label} file")


def _check_text(data: bytes) -> None:
    if b"\x00" in data:
        raise UploadRejected("The file is not plain text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejected("The file is not plain text in UTF-8; save it as UTF-8 and try again") from exc


LABELS = {
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "PowerPoint",
    "doc": "Word",
    "xls": "Excel",
    "ppt": "PowerPoint",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "txt": "text",
    "csv": "CSV",
}


def check_upload(
    name: str, data: bytes, *, max_bytes: int, allowed: Collection[str] = ALLOWED_EXTENSIONS
) -> CheckedUpload:
    """Return what the file is if its content matches its extension; raise UploadRejected otherwise.

    ``allowed`` narrows the extensions accepted (evidence accepts all of KINDS).
    """
    if len(data) == 0:
        raise UploadRejected("The selected file is empty")
    if len(data) > max_bytes:
        raise UploadRejected(f"The selected file must be smaller than {_human(max_bytes)}")
    extension = extension_of(name)
    if extension not in KINDS or extension not in allowed:
        labels = sorted({LABELS[e] for e in allowed if e in LABELS})
        description = ALLOWED_DESCRIPTION if allowed is ALLOWED_EXTENSIONS else " or ".join(labels)
        raise UploadRejected(f"The selected file must be a {description} file")
    kind, content_type, folder, marker = KINDS[extension]
    label = LABELS[extension]
    if kind == "pdf" and not data.startswith(b"%PDF-"):
        raise UploadRejected(f"The file is not a real {label} file")
    if kind == "ooxml":
        if not data.startswith(b"PK\x03\x04"):
            raise UploadRejected(f"The file is not a real {label} file")
        _check_ooxml(data, folder, marker, label)
    if kind == "ole2" and not data.startswith(OLE2):
        raise UploadRejected(f"The file is not a real {label} file")
    if kind == "png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise UploadRejected(f"The file is not a real {label} file")
    if kind == "jpeg" and not data.startswith(b"\xff\xd8\xff"):
        raise UploadRejected(f"The file is not a real {label} file")
    if kind == "gif" and not data.startswith((b"GIF87a", b"GIF89a")):
        raise UploadRejected(f"The file is not a real {label} file")
    if kind == "text":
        _check_text(data)
    return CheckedUpload(extension=extension, content_type=content_type, size=len(data))


class StorageUnavailable(UploadRejected):
    """The private file storage refused the file (full, unwritable, unreachable)."""


STORAGE_UNAVAILABLE = (
    "The file could not be saved because the service's file storage is not available. Nothing was "
    "added. Try again later; if it keeps happening, contact support"
)


def store_upload(name: str, data: bytes) -> str:
    """Save a checked upload under the generated name in the private storage; return the stored name.

    Raise StorageUnavailable, with a message for the person, if the storage refuses it (a full disk, a
    folder the service may not write, an object store that does not answer): never a server error, and
    the caller's transaction rolls back so no row points at a file that is not there.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    try:
        return default_storage.save(name, ContentFile(data))
    except OSError as exc:
        logger.error("Storing an upload failed: %s", exc)
        raise StorageUnavailable(STORAGE_UNAVAILABLE) from exc
