"""What needs doing about the school's public documents, for the home page's list (notifications/todo.py)."""

from datetime import date

from django.urls import reverse

from notifications.todo import TodoItem, Urgency, task_provider
from publications.selectors import publications_due_for_review
from sendplan.models import Membership


@task_provider(action="publication_edit")
def documents_due_for_review(membership: Membership, today: date) -> list[TodoItem]:
    """Published documents whose yearly review is due within 60 days, or overdue."""
    return [
        TodoItem(
            title=f"Review and republish {due.title}",
            link=reverse(
                "publications:publication_detail", kwargs={"publication_id": due.publication.public_id}
            ),
            kind="publication_review",
            urgency=Urgency.OVERDUE if due.review_date < today else Urgency.DUE_SOON,
            due=due.review_date,
        )
        for due in publications_due_for_review(membership.school, today=today)
    ]
