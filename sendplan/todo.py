"""What needs doing about reports, for the home page's list (see notifications/todo.py)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.timezone import localtime

from notifications.todo import TodoItem, Urgency, task_provider
from sendplan.models import Membership, Report
from sendplan.policy import restrict

RECENT_DAYS = 14  # a report finished this recently is new to the board


# Governors read the school's reports for the board (the action only governors take says who they are).
@task_provider(action="board_review_record")
def reports_ready(membership: Membership, today: date) -> list[TodoItem]:
    """The school's reports that became ready in the last 14 days (one query)."""
    from sendplan.reports import school_report_kinds  # the pipeline imports notifications, which load this

    reports = (
        restrict(Report.objects.filter(kind__in=school_report_kinds(membership)), membership, "report_view")
        .filter(status=Report.Status.READY, finished_at__date__gte=today - timedelta(days=RECENT_DAYS))
        .order_by("-finished_at")
    )
    return [
        TodoItem(
            title=f"Read the {report.label}",
            link=reverse("sendplan:report_list") + f"#report-{report.public_id}",
            kind="report_ready",
            urgency=Urgency.FOR_INFORMATION,
            hint=f"Ready since {localtime(report.finished_at):%-d %B %Y}",
        )
        for report in reports
    ]
