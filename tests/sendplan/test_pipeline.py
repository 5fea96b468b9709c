"""The report pipeline's rules, called directly: the policy checked on asking and again when rendering,
transient errors retried a bounded number of times, every other failure recorded as a readable message."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from sendplan import policy, reports
from sendplan.celery import app as celery_app
from sendplan.models import Report
from sendplan.tasks import render_report
from tests.conftest import membership_of
from tests.ehcp.known_plan import known_plan, known_pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    return known_plan(known_pupil(world.school_a))


@pytest.fixture
def handed(plan, senco_a_user):
    from ehcp import services

    services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    return plan


# --- asking: the kind's action on its subject ----------------------------------------------------------------

REFUSED = [
    ("governor_a_user", "ehc_plan", "plan"),
    ("governor_a_user", "assessment_request", "pupil"),
    ("governor_a_user", "subject_access", "pupil"),
    ("senco_b_user", "ehc_plan", "plan"),
    ("senco_b_user", "subject_access", "pupil"),
    ("la_officer_x_user", "subject_access", "pupil"),
    ("la_officer_x_user", "assessment_request", "pupil"),
    ("la_officer_y_user", "ehc_plan", "plan"),
    ("la_officer_x_user", "school_overview", "school"),
]


@pytest.mark.parametrize(("persona", "kind", "about"), REFUSED)
def test_the_service_refuses_whoever_may_not_have_the_document(request, handed, world, persona, kind, about):
    subject = {"plan": handed, "pupil": handed.pupil, "school": world.school_a}[about]
    with pytest.raises(policy.NotAllowed):
        reports.report_request(kind=kind, subject=subject, by=membership_of(request.getfixturevalue(persona)))
    assert not Report.objects.exists()


def test_la_staff_may_have_a_handed_plan_as_a_document(handed, la_officer_x_user):
    report = reports.report_request(kind="ehc_plan", subject=handed, by=membership_of(la_officer_x_user))
    assert report.requested_by_la_id == membership_of(la_officer_x_user).local_authority_id


def test_word_is_offered_only_where_the_kind_has_it(plan, senco_a_user):
    with pytest.raises(reports.FormatNotOffered):
        reports.report_request(
            kind="subject_access", subject=plan.pupil, by=membership_of(senco_a_user), format="docx"
        )


def test_an_unknown_kind_is_refused(plan, senco_a_user):
    with pytest.raises(reports.UnknownKind):
        reports.report_request(kind="everything", subject=plan, by=membership_of(senco_a_user))


# --- rendering: the requester re-checked ----------------------------------------------------------------


def test_a_requester_who_left_the_la_gets_a_failed_document(handed, la_officer_x_user):
    report = reports.report_request(kind="ehc_plan", subject=handed, by=membership_of(la_officer_x_user))
    la_officer_x_user.memberships.update(is_active=False)
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and not report.file
    assert report.error.startswith("Not prepared: the person who asked for it no longer has access")


def test_a_requester_whose_account_was_closed_gets_a_failed_document(plan, senco_a_user):
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))
    senco_a_user.is_active = False
    senco_a_user.save()
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "no longer has access" in report.error


def test_a_document_about_a_deleted_pupil_fails_and_says_why(plan, senco_a_user):
    report = reports.report_request(kind="subject_access", subject=plan.pupil, by=membership_of(senco_a_user))
    plan.pupil.delete()
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "Not prepared: what it is about was deleted after it was asked for."


# --- failures and retries ---------------------------------------------------------------------------------


def test_a_transient_error_is_left_for_the_task_to_retry(plan, senco_a_user, monkeypatch):
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reports, "render_snapshot", unreachable)
    with pytest.raises(OperationalError):
        reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING and report.attempts == 1  # claimed again on retry


def test_the_task_retries_transient_errors_a_bounded_number_of_times_with_backoff():
    task = celery_app.tasks["sendplan.tasks.render_report"]
    assert OperationalError in task.autoretry_for and ConnectionError in task.autoretry_for
    assert task.max_retries == 3  # four runs at most
    assert task.retry_backoff and task.retry_backoff_max == 60 and task.retry_jitter
    assert task.time_limit == 300 and task.soft_time_limit == 240
    assert task.acks_late and task.reject_on_worker_lost


def test_a_transient_error_that_persists_ends_failed_after_four_attempts(
    plan, senco_a_user, monkeypatch, settings
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))
    calls = []

    def unreachable(*args, **kwargs):
        calls.append(1)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(reports, "render_snapshot", unreachable)
    render_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert len(calls) == 4
    assert report.status == Report.Status.FAILED and report.attempts == 4
    assert (
        report.error
        == "Not prepared: the service could not reach its database. Ask for it again in a few minutes."
    )


def test_a_row_claimed_four_times_is_never_rendered_again(plan, senco_a_user, monkeypatch):
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))
    Report.objects.filter(pk=report.pk).update(attempts=reports.MAX_ATTEMPTS, status=Report.Status.RENDERING)
    monkeypatch.setattr(reports, "render_snapshot", lambda *a: pytest.fail("rendered a fifth time"))
    assert reports.report_render(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.attempts == 4
    assert report.error.startswith("Not prepared after 4 attempts.")


def test_running_out_of_time_says_so(plan, senco_a_user, monkeypatch):
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(reports, "render_snapshot", slow)
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("Not prepared: it took too long. Ask for it again;")


def test_a_finished_report_is_not_claimed_again(plan, senco_a_user):
    report = reports.report_request(kind="ehc_plan", subject=plan, by=membership_of(senco_a_user))
    reports.report_render(report_id=report.pk)
    assert reports.report_claim(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.attempts == 1 and report.status == Report.Status.READY
