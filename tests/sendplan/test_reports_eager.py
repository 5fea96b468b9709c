"""Without a broker (the embedded default) the same task code renders reports in the web process."""

import pytest
from django.urls import reverse

from sendplan.celery import app as celery_app
from sendplan.models import Report
from tests.conftest import membership_of


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_a_report_is_ready_after_the_request_commits(
    world, governor_a, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = governor_a.post(reverse("sendplan:report_request"), {"kind": Report.Kind.SCHOOL_OVERVIEW})
    assert response.status_code == 302
    report = Report.objects.get(school=world.school_a)
    assert report.status == Report.Status.READY, report.error
    download = governor_a.get(reverse("sendplan:report_download", args=[report.public_id]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_unknown_kind_is_refused(governor_a):
    assert governor_a.post(reverse("sendplan:report_request"), {"kind": "everything"}).status_code == 404
    assert not Report.objects.exists()


def test_a_requester_who_lost_access_gets_a_failed_report(world, governor_a_user):
    from sendplan import reports

    report = reports.report_request(
        kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor_a_user)
    )
    governor_a_user.memberships.update(is_active=False)
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and not report.file
    assert "no longer has access" in report.error
