"""Background tasks: thin wrappers that take an id and call a service."""

from celery import shared_task

from sendplan import reports


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=240)
def render_report(report_id: int) -> str:
    """Render one report; its row records the outcome."""
    report = reports.report_render(report_id=report_id)
    return report.status if report else "skipped"
