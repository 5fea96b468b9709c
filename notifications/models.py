"""What people are told: notifications, how each person wants them emailed, the email outbox and the
record of reminders already sent (so none is ever sent twice)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendplan.models import Membership, User
from sendplan.tenancy import Tenancy


class Preference(models.Model):
    """How one person wants their notifications emailed (statutory deadline reminders always are)."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "Straight away, one email for each"
        DIGEST = "digest", "Once a day, in one email"
        OFF = "off", "Do not email me"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.CharField(max_length=12, choices=Email.choices, default=Email.IMMEDIATE)
    updated_at = models.DateTimeField(default=timezone.now)

    tenancy = Tenancy(school=None, user="user")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email__in=["immediate", "digest", "off"]), name="preference_email_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"


class OutgoingEmail(models.Model):
    """One email to one address, queued on commit and sent once by a worker (the outbox)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # An invitation's body holds its single-use link; only the token's hash is kept once it is sent.
    clear_body_when_sent = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outgoing_email_sent_has_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class Notification(models.Model):
    """One thing one person was told, shown in the service whether or not it was also emailed."""

    class Kind(models.TextChoices):
        AUDIT_SUBMITTED = "audit_submitted", "Audit submitted"
        AUDIT_RETURNED = "audit_returned", "Audit returned"
        AUDIT_ACCEPTED = "audit_accepted", "Audit accepted"
        AUDIT_REMINDER = "audit_reminder", "Audit reminder"
        PLAN_SUBMITTED = "plan_submitted", "EHC plan submitted"
        PLAN_RETURNED = "plan_returned", "EHC plan returned"
        PLAN_FINAL = "plan_final", "EHC plan final"
        REPORT_READY = "report_ready", "Report ready"
        DEADLINE = "deadline", "Statutory deadline"
        ACTION_OVERDUE = "action_overdue", "Action overdue"

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Emailed straight away"
        DIGEST = "digest", "In the daily email"
        NONE = "none", "Not emailed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    # The role it was sent to the person for; the organisation's name is kept as text for the list.
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300)  # a path in the service, never another site
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    email = models.ForeignKey(
        OutgoingEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    tenancy = Tenancy(school=None, user="user")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.CheckConstraint(condition=Q(link__startswith="/"), name="notification_link_is_a_path"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "audit_submitted",
                        "audit_returned",
                        "audit_accepted",
                        "audit_reminder",
                        "plan_submitted",
                        "plan_returned",
                        "plan_final",
                        "report_ready",
                        "deadline",
                        "action_overdue",
                    ]
                ),
                name="notification_kind_known",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class SentReminder(models.Model):
    """A reminder (or daily email) already sent to one person: the row is inserted, in the same
    transaction as the notification it sends, before anything is sent, and the unique constraint makes
    a re-run, a retried task or a second scheduler running at the same time send nothing more."""

    what = models.CharField(max_length=200)  # e.g. "plan:<id>:final_plan:2027-03-02", "digest"
    occurrence = models.CharField(max_length=40)  # e.g. "14_days_before", "overdue", a digest's date
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["what", "occurrence", "recipient"], name="sent_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.occurrence}) to {self.recipient_id}"
