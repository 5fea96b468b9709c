"""The outbox: each email is sent once; a mail server that refuses is tried again, then given up on and
recorded; beat and the commands run the daily jobs."""

import smtplib
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from notifications import services
from notifications.models import OutgoingEmail
from notifications.tasks import send_email
from sendplan.celery import app as celery_app

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def queued(**fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(to="senco.a@example.org", subject="Subject", body="Body", **fields)


def test_an_email_is_sent_once_however_often_the_task_runs():
    email = queued()
    assert services.email_send(email_id=email.pk).status == OutgoingEmail.Status.SENT
    assert services.email_send(email_id=email.pk) is None  # a duplicate delivery
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is not None


def test_a_refusing_server_is_tried_again_then_recorded_as_failed(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = queued()
    for attempt in range(1, services.MAX_ATTEMPTS):
        services.email_send(email_id=email.pk)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, attempt)
        assert "SMTPServerDisconnected" in email.error
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, services.MAX_ATTEMPTS)


def test_the_task_retries_until_it_gives_up(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = queued()
    send_email.delay(email.pk)  # in-process here: the retries run at once instead of after a minute
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, services.MAX_ATTEMPTS)


def test_an_invitation_body_is_kept_until_it_is_sent(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = queued(clear_body_when_sent=True)
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.body == "Body"  # still needed for the next attempt
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.body == "" and mail.outbox[0].body == "Body"


def test_beat_runs_reminders_each_morning_and_the_daily_email_each_afternoon():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["send-reminders"]["schedule"] == crontab(hour=7, minute=0)
    assert schedule["send-digests"]["schedule"] == crontab(hour=16, minute=30)
    for job in schedule.values():
        assert job["task"] in celery_app.tasks
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_commands(world):
    out = StringIO()
    call_command("send_reminders", "--date", "2027-03-02", stdout=out)
    assert out.getvalue() == "0 reminders sent.\n"
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue() == "0 daily emails sent.\n"
    with pytest.raises(CommandError, match="Enter the date like 2027-03-02"):
        call_command("send_reminders", "--date", "2 March")
