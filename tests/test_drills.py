"""Fault drills: a service the app relies on fails under it, and the app says so plainly, loses nothing
and recovers by itself.

- Upload storage full or unwritable: the upload is refused with a clear message and no row is left.
- Redis stops (tests/test_drill_redis.py): pages that need no Redis keep working, reports and emails are
  queued or said to be, and a sweep queues again what the broker lost.
"""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from audits.models import AuditEvent, Evidence
from sendplan.uploads import STORAGE_UNAVAILABLE
from tests.audits.factories import PDF, make_audit
from tests.sendplan.helpers import error_texts

pytestmark = [pytest.mark.drill, pytest.mark.django_db]


def add_evidence(client, audit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    criterion = audit.framework_version.criteria.order_by("ref").first()
    return client.post(
        reverse("audits:evidence_add", kwargs={"audit_id": audit.public_id}),
        {
            "title": "SEN policy",
            "criteria": [str(criterion.public_id)],
            "file": SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
        },
    )


def assert_refused_cleanly(response, audit) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert any(text.startswith("The file could not be saved") for text in error_texts(response)), html[-3000:]
    assert not Evidence.objects.filter(audit=audit).exists()
    assert not AuditEvent.objects.filter(audit=audit, kind=AuditEvent.Kind.EVIDENCE_ADDED).exists()


def test_an_unwritable_storage_refuses_the_upload_with_a_clear_message_and_no_row(
    senco_a, senco_a_user, world, settings, tmp_path
):
    audit = make_audit(world.school_a, senco_a_user)
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"a file where the storage expects a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker},
        },
    }
    assert_refused_cleanly(add_evidence(senco_a, audit), audit)
    assert STORAGE_UNAVAILABLE.startswith("The file could not be saved")


def test_a_full_storage_refuses_the_upload_with_a_clear_message_and_no_row(
    senco_a, senco_a_user, world, monkeypatch
):
    audit = make_audit(world.school_a, senco_a_user)

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    assert_refused_cleanly(add_evidence(senco_a, audit), audit)


def test_once_the_storage_is_back_the_same_upload_succeeds(senco_a, senco_a_user, world, monkeypatch):
    audit = make_audit(world.school_a, senco_a_user)
    real_save = FileSystemStorage._save
    monkeypatch.setattr(
        FileSystemStorage, "_save", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
    )
    assert_refused_cleanly(add_evidence(senco_a, audit), audit)
    monkeypatch.setattr(FileSystemStorage, "_save", real_save)
    assert add_evidence(senco_a, audit).status_code == 302
    assert Evidence.objects.filter(audit=audit).count() == 1
