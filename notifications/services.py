"""Writes for notifications: tell people, queue and send email, mark as read, preferences, daily emails.

Each message to a person becomes a Notification row, so nothing is missed by someone who turned email
off; it is also emailed straight away, kept for the daily email, or not emailed, as the person chose
(Preference) — except statutory deadline reminders, which are always emailed (``ALWAYS_EMAILED``).

Email goes through the outbox: ``email_queue`` adds an OutgoingEmail row and queues the Celery task once
the transaction commits (a rolled-back change tells nobody); the task calls ``email_send``, which claims
the row and sends it once.
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from notifications.models import Notification, OutgoingEmail, Preference, SentReminder
from sendplan import policy
from sendplan.celery import enqueue
from sendplan.errors import DomainError
from sendplan.models import Membership

log = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_email"  # named, not imported: tasks.py imports this module
MAX_ATTEMPTS = 4

# What the law or a deadline requires to reach the person whatever they chose: statutory time limits.
ALWAYS_EMAILED = frozenset({Notification.Kind.DEADLINE})


class PreferenceInvalid(DomainError):
    pass


def absolute(path: str) -> str:
    """Return a link to a path in the service, for an email."""
    return f"{settings.SITE_URL}{path}"


# --- telling people ------------------------------------------------------------------------------------


def delivery_for(kind: str, preference: str) -> str:
    """Return how a notification of ``kind`` reaches someone with this email preference."""
    if kind in ALWAYS_EMAILED or preference == Preference.Email.IMMEDIATE:
        return Notification.Delivery.IMMEDIATE
    if preference == Preference.Email.DIGEST:
        return Notification.Delivery.DIGEST
    return Notification.Delivery.NONE


@transaction.atomic
def notification_send(
    *, kind: str, recipients: Iterable[Membership], title: str, body: str, link: str
) -> list[Notification]:
    """Tell each person once, whatever roles they hold: a notification, and an email as they chose.

    ``recipients`` are memberships with their users loaded; ``link`` is a path in the service. Titles and
    bodies name a pupil by initials at most: they go into email.
    """
    by_user: dict[int, Membership] = {}
    for membership in recipients:
        by_user.setdefault(membership.user_id, membership)
    if not by_user:
        return []
    preferences = selectors.email_preferences(by_user)
    sent = []
    for user_id, membership in by_user.items():
        notification = Notification(
            user_id=user_id,
            membership=membership,
            organisation_name=membership.organisation_name,
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
            delivery=delivery_for(kind, preferences[user_id]),
        )
        if notification.delivery == Notification.Delivery.IMMEDIATE:
            notification.email = email_queue(
                to=membership.user.email,
                subject=notification.title,
                body=render_to_string(
                    "notifications/email/notification.txt",
                    {
                        "notification": notification,
                        "membership": membership,
                        "url": absolute(link),
                        "preferences_url": absolute(reverse("notifications:preferences")),
                        "always": kind in ALWAYS_EMAILED,
                    },
                ),
            )
        notification.save()
        sent.append(notification)
    return sent


# --- the outbox ----------------------------------------------------------------------------------------


def email_queue(*, to: str, subject: str, body: str, clear_body_when_sent: bool = False) -> OutgoingEmail:
    """Add an email to the outbox and have a worker send it once this transaction commits."""
    email = OutgoingEmail.objects.create(
        to=to, subject=subject[:200], body=body, clear_body_when_sent=clear_body_when_sent
    )
    transaction.on_commit(lambda: enqueue(SEND_TASK, email.pk))
    return email


def email_requeue_stranded(*, older_than: timedelta) -> int:
    """Queue again every email still waiting after ``older_than`` (the broker lost its message); return
    how many were. Safe to run any time: email_send skips an email that is sent or held by a worker."""
    waiting = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED,
        created_at__lt=timezone.now() - older_than,
        attempts__lt=MAX_ATTEMPTS,
    )
    ids = list(waiting.values_list("pk", flat=True))
    queued = 0
    for email_id in ids:
        if not enqueue(SEND_TASK, email_id):
            break  # the broker is still away: the next sweep tries again
        queued += 1
    return queued


def email_send(*, email_id: int) -> OutgoingEmail | None:
    """Send one queued email and record the outcome; return None if there is nothing to do.

    The row stays locked while the message is handed to the mail server, so a duplicate delivery of the
    task skips it, and one that comes after finds it sent. A failure is recorded and left queued for the
    task to try again, until MAX_ATTEMPTS.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, exc)
            email.error = f"{type(exc).__name__}: {exc}"[:500]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
            email.save(update_fields=["attempts", "error", "status"])
            return email
        email.status, email.sent_at, email.error = OutgoingEmail.Status.SENT, timezone.now(), ""
        if email.clear_body_when_sent:
            email.body = ""
        email.save(update_fields=["attempts", "status", "sent_at", "error", "body"])
    return email


# --- the person's own notifications and preference -------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, by: Membership, notification: Notification | None = None) -> int:
    """Mark one of the person's own notifications as read, or all of them; return how many changed."""
    policy.check(by, "notification_view", notification)
    unread = selectors.own_notifications(by).filter(read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preference_save(*, by: Membership, email: str) -> Preference:
    """Record how the person wants their notifications emailed."""
    policy.check(by, "notification_settings")
    if email not in Preference.Email.values:
        raise PreferenceInvalid("Select how you want to be emailed")
    preference, _ = Preference.objects.update_or_create(
        user_id=by.user_id, defaults={"email": email, "updated_at": timezone.now()}
    )
    return preference


# --- the daily email -------------------------------------------------------------------------------------


DIGEST = "digest"


def digests_send(*, today: date | None = None) -> int:
    """Send everyone with notifications kept for the daily email one email listing them; return how many."""
    today = today or timezone.localdate()
    waiting = (
        Notification.objects.filter(delivery=Notification.Delivery.DIGEST, email__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in list(waiting) if _digest_send(user_id=user_id, today=today))


@transaction.atomic
def _digest_send(*, user_id: int, today: date) -> bool:
    """Send one person's daily email, at most once a day; return True if it was queued."""
    pending = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(user_id=user_id, delivery=Notification.Delivery.DIGEST, email__isnull=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if not pending:  # another run sent them while this one waited for the lock
        return False
    try:
        with transaction.atomic():
            SentReminder.objects.create(what=DIGEST, occurrence=today.isoformat(), recipient_id=user_id)
    except IntegrityError:
        return False  # today's went already; these wait for tomorrow's
    user = pending[0].user
    count = len(pending)
    email = email_queue(
        to=user.email,
        subject=f"sendplan: {count} update{'s' if count != 1 else ''} for {today:%-d %B %Y}",
        body=render_to_string(
            "notifications/email/digest.txt",
            {
                "notifications": [(n, absolute(n.link)) for n in pending],
                "today": today,
                "list_url": absolute(reverse("notifications:notification_list")),
                "preferences_url": absolute(reverse("notifications:preferences")),
            },
        ),
    )
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email=email)
    return True
