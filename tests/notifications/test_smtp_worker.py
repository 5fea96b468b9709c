"""Email for real: an event queues a task on commit, a Celery worker process sends it through the SMTP
backend configured from the environment, and a local SMTP server (aiosmtpd) receives exactly one message."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from notifications.models import OutgoingEmail
from notifications.tasks import send_email
from tests.audits.factories import make_audit, rate_all
from tests.conftest import membership_of
from tests.sendplan.test_worker import start_worker, wait_for  # noqa: F401  (the worker fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


def test_an_event_is_emailed_once_through_smtp_by_a_worker(world, people, smtp_server, start_worker):  # noqa: F811
    from audits import services

    port, inbox = smtp_server
    # The worker reads its email settings from the environment, as in production: EMAIL_HOST alone
    # switches it to the SMTP backend.
    worker = start_worker({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_BACKEND": ""})
    audit = make_audit(world.school_a, people["senco_a"])
    rate_all(audit, people["senco_a"])
    services.audit_submit(audit=audit, by=membership_of(people["senco_a"]))  # commits: the task is queued

    wait_for(lambda: inbox.messages, 60, "the SMTP server to receive the email", worker)
    email = wait_for(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).first(), 30, "the row", worker
    )
    send_email.delay(email.pk)  # a duplicate delivery, as after a broker hiccup: sends nothing more
    wait_for(lambda: "'skipped'" in worker.log(), 30, "the duplicate to be skipped", worker)
    time.sleep(0.5)

    [(sender, to, content)] = inbox.messages
    assert to == ["officer.x@example.org"]
    assert f"From: {settings.DEFAULT_FROM_EMAIL}" in content and sender in settings.DEFAULT_FROM_EMAIL
    assert "Subject: School A submitted its 2026/27 audit" in content
    assert f"/audits/{audit.public_id}/" in content
    assert email.to == "officer.x@example.org" and email.attempts == 1
