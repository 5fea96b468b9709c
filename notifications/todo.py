"""What needs doing: the list at the top of every home page, from providers each app registers.

An app registers a provider with ``@task_provider(action=...)`` in its ``todo.py`` (imported from its
AppConfig.ready, as home panels are): a function of (membership, today) returning TodoItems. It runs only
for people the permission policy allows to take ``action``, so who sees which kind of item is said once,
in sendplan/policy.py. Each provider makes a fixed number of queries, however many items it returns.

The home page shows every item, most urgent first, each a link to the page where it is done. An item
that names a pupil says so (``pupil``), and the page writes that pupil's access event; only people the
policy lets see pupils get named ones (others get initials, or counts).

Providers registered now: audits/todo.py, ehcp/todo.py, sendplan/todo.py (reports), publications/todo.py
(documents due for review). A round's closing date, set by the LA on the audit round page
(audits/views/round.py), reaches its schools through audits/todo.py until they submit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone

from sendplan.home import home_panel
from sendplan.models import AccessEvent
from sendplan.policy import allows

if TYPE_CHECKING:
    from sendplan.models import Membership


class Urgency(IntEnum):
    """How soon something needs doing; the list shows the highest first."""

    FOR_INFORMATION = 0
    TO_DO = 1
    DUE_SOON = 2
    OVERDUE = 3


# The tag each urgency shows (text, GOV.UK tag colour), said once.
URGENCY_TAGS = {
    Urgency.OVERDUE: ("Overdue", "red"),
    Urgency.DUE_SOON: ("Due soon", "yellow"),
    Urgency.TO_DO: ("To do", "blue"),
    Urgency.FOR_INFORMATION: ("For information", "grey"),
}


@dataclass(frozen=True)
class TodoItem:
    """One thing for the person to do (or know): a title, where it is done, and how urgent it is."""

    title: str
    link: str  # the page where it is done
    kind: str  # a stable name for the kind of item, e.g. "plan_deadline"
    urgency: Urgency = Urgency.TO_DO
    due: date | None = None
    hint: str = ""
    pupil: Any = None  # the pupil the item names, for the access log

    @property
    def tag(self) -> tuple[str, str]:
        return URGENCY_TAGS[self.urgency]


Provider = Callable[["Membership", date], list[TodoItem]]
PROVIDERS: list[tuple[str, Provider]] = []


def task_provider(*, action: str) -> Callable[[Provider], Provider]:
    """Register a provider of to-do items for people the policy allows to take ``action``."""

    def register(func: Provider) -> Provider:
        PROVIDERS.append((action, func))
        return func

    return register


def todo_for(membership: Membership, today: date | None = None) -> list[TodoItem]:
    """Return everything the person needs to do now: most urgent first, then the earliest due."""
    today = today or timezone.localdate()
    items = [
        item
        for action, provider in PROVIDERS
        if allows(membership, action)
        for item in provider(membership, today)
    ]
    return sorted(items, key=lambda item: (-item.urgency, item.due or date.max, item.title))


@home_panel(0)
def what_needs_doing(request: HttpRequest) -> dict | None:
    """Start every home page with what needs doing, writing the access events of the pupils it names."""
    membership = request.membership
    if membership is None:
        return None
    items = todo_for(membership)
    named = {item.pupil.pk: item.pupil for item in items if item.pupil is not None}
    if named:
        _log_named(membership, list(named.values()))
    return {"template": "notifications/partials/_what_needs_doing.html", "items": items}


def _log_named(membership: Membership, pupils: list) -> None:
    # The home page's action logs nothing itself (most home pages show no pupil), so it records here the
    # pupils this list names, in one query, as a pupil page would.
    from sendplan.services import access_events_record

    access_events_record(
        membership=membership,
        shown=[(pupil, "Name, in the list of what needs doing on the home page") for pupil in pupils],
        action=AccessEvent.Action.VIEW,
    )
