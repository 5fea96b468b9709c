"""Reminders before statutory deadlines, and of actions past their due date: each sent exactly once.

``reminders_send`` runs once a day (Celery beat in production, ``manage.py send_reminders`` anywhere). For
each reminder falling due (notifications/schedule.py says when), and each person it goes to, one
transaction inserts a SentReminder row, then creates the notification and queues its email. The row's
unique constraint (what, which occurrence, recipient) decides: a re-run, a retried task, or a second
scheduler running at the same moment fails to insert it (on PostgreSQL the second insert waits for the
first transaction, then fails) and sends nothing.

Statutory deadline reminders go to the school's SENCO and headteacher, and to the LA's officers once the
plan has been handed to the LA; they name the pupil by initials only. Overdue actions go to the SENCO and
headteacher. An audit round's closing date, set by the LA, is reminded of on the same days as a deadline
to the SENCO and headteacher of each of the LA's schools that has not submitted (a changed date is a new
deadline, with reminders of its own).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import Action, Audit, RoundClosingDate
from ehcp.models import Plan
from ehcp.selectors import plan_deadlines
from notifications import schedule, selectors
from notifications.models import Notification, SentReminder
from notifications.notify import pupil_initials
from notifications.services import notification_send
from sendplan.models import Membership, School

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One reminder for some people: what it is about, which of its reminders, and what it says."""

    what: str
    occurrence: str
    kind: str
    recipients: tuple[Membership, ...]
    title: str
    body: str
    link: str


def reminders_due(today: date) -> list[Reminder]:
    """Return every reminder that falls due today (sent or not: SentReminder decides)."""
    return _deadline_reminders(today) + _action_reminders(today) + _closing_date_reminders(today)


def _deadline_reminders(today: date) -> list[Reminder]:
    plans = list(Plan.objects.select_related("pupil", "school"))
    handed = set(Plan.objects.filter(Plan.tenancy.handed_to_la()).values_list("pk", flat=True))
    staff = selectors.school_staff(plan.school_id for plan in plans)
    officers = selectors.la_officers(plan.school.local_authority_id for plan in plans if plan.pk in handed)
    found = []
    for plan in plans:
        initials = pupil_initials(plan.pupil)
        link = reverse("ehcp:plan_timeline", args=[plan.public_id])
        for row in plan_deadlines(plan, today=today):
            occurrence = schedule.deadline_reminder(row.due, today) if row.outstanding else None
            if occurrence is None:
                continue
            when = (
                "Overdue" if occurrence == schedule.OVERDUE else f"Due {schedule.days_left(row.due, today)}"
            )
            title = f"{when}: {row.label}, EHC plan for {initials}"
            last_day = f"{'was' if row.due < today else 'is'} {row.due:%A %-d %B %Y}"
            body = f"The last day {last_day}. The time limit is set by {row.source}."
            what = f"plan:{plan.public_id}:{row.key}:{row.due.isoformat()}"
            groups = [(staff.get(plan.school_id, []), title, body)]
            if plan.pk in handed:
                la_body = f"{body} The school is {plan.school.name}."
                groups.append((officers.get(plan.school.local_authority_id, []), title, la_body))
            for recipients, group_title, group_body in groups:
                if recipients:
                    found.append(
                        Reminder(
                            what,
                            occurrence,
                            Notification.Kind.DEADLINE,
                            tuple(recipients),
                            group_title,
                            group_body,
                            link,
                        )  # fmt: skip
                    )
    return found


def _action_reminders(today: date) -> list[Reminder]:
    window = (today - timedelta(days=schedule.CATCH_UP_DAYS), today - timedelta(days=1))
    actions = list(
        Action.objects.exclude(status=Action.Status.DONE)
        .filter(
            due__range=window, carried_to__isnull=True
        )  # a copy carried into a newer audit is the live one
        .select_related("audit")
        .order_by("due", "pk")
    )
    staff = selectors.school_staff(action.school_id for action in actions)
    found = []
    for action in actions:
        occurrence = schedule.action_reminder(action.due, today)
        recipients = staff.get(action.school_id, [])
        if occurrence is None or not recipients:
            continue
        what = action.what if len(action.what) <= 80 else f"{action.what[:79]}…"
        found.append(
            Reminder(
                what=f"action:{action.public_id}:{action.due.isoformat()}",
                occurrence=occurrence,
                kind=Notification.Kind.ACTION_OVERDUE,
                recipients=tuple(recipients),
                title=f"Action overdue: {what}",
                body=(
                    f"This action in your {action.audit.academic_year} action plan was due on "
                    f"{action.due:%A %-d %B %Y} (owner: {action.owner}). Mark it done or give it a new date."
                ),
                link=reverse("audits:action_list", args=[action.audit.public_id]),
            )
        )
    return found


def _closing_date_reminders(today: date) -> list[Reminder]:
    """The rounds whose closing date is 14 or 2 days away, or just passed: each school not submitted (four queries)."""
    window = (today - timedelta(days=schedule.CATCH_UP_DAYS), today + timedelta(days=14))
    closing_dates = [
        closing
        for closing in RoundClosingDate.objects.filter(closes_on__range=window).select_related(
            "framework_version__framework", "local_authority"
        )
        if schedule.deadline_reminder(closing.closes_on, today)
    ]
    if not closing_dates:
        return []
    schools = list(
        School.objects.filter(local_authority_id__in={c.local_authority_id for c in closing_dates}).order_by(
            "name", "pk"
        )
    )
    handed = set(
        Audit.objects.filter(
            school__in=schools,
            framework_version__in=[c.framework_version_id for c in closing_dates],
            status__in=Audit.LA_CONTENT,
        ).values_list("school_id", "framework_version_id", "academic_year")
    )
    staff = selectors.school_staff(school.pk for school in schools)
    found = []
    for closing in closing_dates:
        occurrence = schedule.deadline_reminder(closing.closes_on, today)
        when = (
            "Overdue"
            if occurrence == schedule.OVERDUE
            else f"Due {schedule.days_left(closing.closes_on, today)}"
        )
        audit = f"{closing.academic_year} audit of {closing.framework_version}"
        for school in schools:
            recipients = staff.get(school.pk, [])
            if (
                school.local_authority_id != closing.local_authority_id
                or (school.pk, closing.framework_version_id, closing.academic_year) in handed
                or not recipients
            ):
                continue
            last_day = f"{'was' if closing.closes_on < today else 'is'} {closing.closes_on:%A %-d %B %Y}"
            found.append(
                Reminder(
                    what=f"round:{closing.pk}:school:{school.pk}:{closing.closes_on.isoformat()}",
                    occurrence=occurrence,
                    kind=Notification.Kind.AUDIT_REMINDER,
                    recipients=tuple(recipients),
                    title=f"{when}: submit your {audit}",
                    body=(
                        f"{closing.local_authority.name} asks for {school.name}'s {audit}. The closing date "
                        f"{last_day}. Finish the audit, then submit it to the local authority."
                    ),
                    link=reverse("audits:audit_list"),
                )
            )
    return found


def reminders_send(*, today: date | None = None) -> int:
    """Send the reminders that fall due today and have not been sent; return how many people were told."""
    today = today or timezone.localdate()
    sent = 0
    for reminder in reminders_due(today):
        for membership in {m.user_id: m for m in reminder.recipients}.values():
            if _remind(reminder, membership):
                sent += 1
    log.info("Reminders for %s: %s sent", today, sent)
    return sent


@transaction.atomic
def _remind(reminder: Reminder, membership: Membership) -> bool:
    """Record, then send, one reminder to one person, unless it went already; return True if sent now."""
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves this transaction usable
            record = SentReminder.objects.create(
                what=reminder.what, occurrence=reminder.occurrence, recipient_id=membership.user_id
            )
    except IntegrityError:
        return False
    [notification] = notification_send(
        kind=reminder.kind,
        recipients=[membership],
        title=reminder.title,
        body=reminder.body,
        link=reminder.link,
    )
    record.notification = notification
    record.save(update_fields=["notification"])
    return True
