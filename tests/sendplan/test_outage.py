"""What the app does when Redis is away, in-process: the cache answers as an empty cache, a task that
cannot be queued leaves its row waiting, and the sweep picks out exactly the rows whose message was lost.
(tests/test_drill_redis.py runs the same with real processes and a real Redis stopped.)"""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import OutgoingEmail
from sendplan import reports
from sendplan.cache import ResilientRedisCache
from sendplan.models import Report
from sendplan.tasks import sweep_stranded
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_the_cache_answers_as_an_empty_cache_that_keeps_nothing_when_redis_is_away():
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}}
    )
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("key", "value")  # skipped, not raised
    assert cache.delete("key") is False
    # add fails closed: allauth's sign-in rate-limit lock and used-code check read False as "taken"
    assert cache.add("key", "value") is False


@pytest.fixture
def broker_down(monkeypatch):
    """Every hand-over to the broker fails, as with Redis stopped; record what was tried."""
    from kombu.exceptions import OperationalError

    from sendplan.celery import app

    tried = []

    def refuse(name):
        def delay(*args):
            tried.append((name, args))
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return delay

    for name in ("sendplan.tasks.render_report", "notifications.tasks.send_email"):
        monkeypatch.setattr(app.tasks[name], "delay", refuse(name))
    return tried


def test_a_report_asked_for_while_the_broker_is_down_waits_queued(
    world, governor_a_user, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(
            kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor_a_user)
        )
    assert report.queued is False
    assert Report.objects.get().status == Report.Status.QUEUED
    assert broker_down == [("sendplan.tasks.render_report", (report.pk,))]


def test_an_email_sent_while_the_broker_is_down_waits_queued(
    db, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = notification_services.email_queue(to="a@example.org", subject="Hello", body="Hi")
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
    assert broker_down == [("notifications.tasks.send_email", (email.pk,))]


def test_the_sweep_queues_again_only_what_lost_its_message(world, governor_a_user, monkeypatch):
    queued_again = []
    record = lambda name, *args: queued_again.append((name, args[0])) or True  # noqa: E731
    monkeypatch.setattr(reports, "enqueue", record)
    monkeypatch.setattr(notification_services, "enqueue", record)
    now = timezone.now()

    def report(status, *, age_minutes, started_minutes_ago=None):
        return Report.objects.create(
            school=world.school_a,
            kind=Report.Kind.SCHOOL_OVERVIEW,
            status=status,
            file="reports/done.pdf" if status == Report.Status.READY else "",
            error="Not prepared." if status == Report.Status.FAILED else "",
            created_at=now - timedelta(minutes=age_minutes),
            started_at=None if started_minutes_ago is None else now - timedelta(minutes=started_minutes_ago),
        )

    lost = report(Report.Status.QUEUED, age_minutes=6)
    just_asked = report(Report.Status.QUEUED, age_minutes=1)  # a worker will take it any moment
    report(Report.Status.QUEUED, age_minutes=31)  # the page already says nobody will prepare it: ask again
    report(Report.Status.READY, age_minutes=10)
    report(Report.Status.FAILED, age_minutes=10)
    still_rendering = report(
        Report.Status.RENDERING, age_minutes=6, started_minutes_ago=6
    )  # within 2 x 5 min
    orphaned = report(Report.Status.RENDERING, age_minutes=12, started_minutes_ago=11)  # its worker is gone
    email_lost = OutgoingEmail.objects.create(
        to="a@example.org", subject="s", body="b", created_at=now - timedelta(minutes=6)
    )
    OutgoingEmail.objects.create(to="b@example.org", subject="s", body="b")  # just queued
    OutgoingEmail.objects.create(
        to="c@example.org", subject="s", body="b", created_at=now - timedelta(minutes=6), attempts=4
    )  # given up on

    with time_machine.travel(now, tick=False):
        assert sweep_stranded.run() == "2 reports, 1 emails queued again"
    assert sorted(queued_again) == sorted(
        [
            ("sendplan.tasks.render_report", lost.pk),
            ("sendplan.tasks.render_report", orphaned.pk),
            ("notifications.tasks.send_email", email_lost.pk),
        ]
    )
    assert just_asked.pk != lost.pk and still_rendering.pk != orphaned.pk


def test_beat_runs_the_sweep_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-stranded"]
    assert entry["task"] == "sendplan.tasks.sweep_stranded"
    assert entry["schedule"] == 5 * 60


def test_sign_in_is_refused_not_left_unlimited_while_the_cache_is_away(settings, senco_a_user):
    """The sign-in rate limits live in the cache; without it they cannot be counted, so sign-in waits."""
    from django.test import Client

    from tests.sendplan.helpers import post_password

    settings.CACHES = {
        "default": {
            "BACKEND": "sendplan.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    client = Client()
    response = post_password(client, senco_a_user.email, password="a wrong password")
    assert response.status_code == 429, response.status_code  # allauth's "too many attempts" page


def test_while_the_broker_is_still_away_the_sweep_queues_nothing_and_keeps_the_rows(world, broker_down):
    old = timezone.now() - timedelta(minutes=6)
    Report.objects.create(school=world.school_a, kind=Report.Kind.SCHOOL_OVERVIEW, created_at=old)
    OutgoingEmail.objects.create(to="a@example.org", subject="s", body="b", created_at=old)
    assert sweep_stranded.run() == "0 reports, 0 emails queued again"
    assert len(broker_down) == 2  # each tried once; the next sweep tries again
    assert Report.objects.get().status == Report.Status.QUEUED
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
