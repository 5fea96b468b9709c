"""Hooks in the to-do list for work other parts of sendplan will add; each returns nothing until it exists.

Replace a hook with a provider in the owning app's ``todo.py`` once that app exists (and delete it here).
"""

from datetime import date, timedelta

from audits import selectors as audit_selectors
from notifications.todo import TodoItem, Urgency, task_provider
from sendplan.models import Membership

ROUND_CLOSES_SOON_DAYS = 14


@task_provider(action="audit_la_list")
def schools_not_yet_submitted(membership: Membership, today: date) -> list[TodoItem]:
    """HOOK: schools that have not submitted when the LA's audit round closes within 14 days (LA oversight).

    Expects ``audits.selectors.rounds_closing_soon(local_authority, *, until)`` to return the LA's open
    rounds closing on or before ``until``, each with ``title``, ``closes_on`` (a date),
    ``schools_not_submitted`` (a list of School) and ``get_absolute_url()``.
    """
    rounds_closing_soon = getattr(audit_selectors, "rounds_closing_soon", None)
    if rounds_closing_soon is None:
        return []
    items = []
    for audit_round in rounds_closing_soon(
        membership.local_authority, until=today + timedelta(days=ROUND_CLOSES_SOON_DAYS)
    ):
        waiting = list(audit_round.schools_not_submitted)
        if waiting:
            items.append(
                TodoItem(
                    title=f"{len(waiting)} school{'s' if len(waiting) != 1 else ''} not yet submitted to "
                    f"{audit_round.title}",
                    link=audit_round.get_absolute_url(),
                    kind="round_closing",
                    urgency=Urgency.DUE_SOON,
                    due=audit_round.closes_on,
                    hint=", ".join(school.name for school in waiting[:5])
                    + (f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""),
                )
            )
    return items
