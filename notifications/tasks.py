"""Background tasks: thin wrappers that call a service; rows record the outcome."""

from celery import shared_task

from notifications import reminders, services
from notifications.models import OutgoingEmail

RETRY_SECONDS = 60


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=90,
             max_retries=services.MAX_ATTEMPTS)  # fmt: skip
def send_email(self, email_id: int) -> str:
    """Send one email from the outbox; try again later if the mail server refused it."""
    email = services.email_send(email_id=email_id)
    if email is None:
        return "skipped"
    if email.status == OutgoingEmail.Status.QUEUED:  # this attempt failed and attempts remain
        raise self.retry(countdown=RETRY_SECONDS * email.attempts)
    return email.status


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=900, soft_time_limit=840)
def send_reminders() -> int:
    """Send today's reminders (Celery beat runs this every morning); safe to run twice."""
    return reminders.reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=900, soft_time_limit=840)
def send_digests() -> int:
    """Send today's daily emails (Celery beat runs this every afternoon); safe to run twice."""
    return services.digests_send()
