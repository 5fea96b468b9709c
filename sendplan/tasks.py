"""Background tasks: thin wrappers that take an id and call a service."""

import contextlib
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded

from sendplan import reports


class ReportTask(Task):
    """Record on the report's row why the task gave up, so nobody waits for a file that will not come."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        report_id = args[0] if args else kwargs.get("report_id")
        # If the database is still out of reach, the page shows the report as abandoned once
        # Report.ABANDONED_AFTER has passed.
        with contextlib.suppress(*reports.TRANSIENT_ERRORS):
            reports.report_give_up(
                report_id=report_id,
                timed_out=isinstance(exc, TimeLimitExceeded),
                unavailable=isinstance(exc, reports.TRANSIENT_ERRORS),
            )


# Transient errors (the database briefly out of reach) are retried after 2, 4, 8 seconds or so (with
# jitter), three times at most; report_claim also stops any row after reports.MAX_ATTEMPTS claims.
@shared_task(
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=300,
    soft_time_limit=240,
    autoretry_for=reports.TRANSIENT_ERRORS,
    max_retries=reports.MAX_ATTEMPTS - 1,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
)
def render_report(report_id: int) -> str:
    """Render one report; its row records the outcome."""
    report = reports.report_render(report_id=report_id)
    return report.status if report else "skipped"


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def sweep_stranded(older_than_seconds: int | None = None) -> str:
    """Queue again the reports and emails whose broker message was lost (run by beat every 5 minutes)."""
    from notifications.services import email_requeue_stranded

    older_than = (
        reports.STRANDED_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    )
    queued = reports.report_requeue_stranded(older_than=older_than)
    emailed = email_requeue_stranded(older_than=older_than)
    return f"{queued} reports, {emailed} emails queued again"
