"""When reminders fall due: pure date arithmetic, no database.

A statutory deadline's ``due`` is the last day to act (ehcp/deadlines.py). Its reminders go:

- 14 days before the last day,
- 2 days before it,
- on the first day it is overdue (the day after the last day, when ehcp.deadlines calls it overdue).

An action in an audit's action plan is reminded of once, on the day after its due date.

The scheduler runs once a day. If it missed a day (a server down overnight), a reminder still goes on the
next run while its window lasts: a point's window runs until the next point, and an overdue reminder's for
``CATCH_UP_DAYS``, so an old deadline that was never recorded as met does not start sending reminders
years late. Which reminder went to whom is recorded (SentReminder), so each goes exactly once.
"""

from datetime import date, timedelta

BEFORE_14 = "14_days_before"
BEFORE_2 = "2_days_before"
OVERDUE = "overdue"

# (days before the last day, occurrence); a negative number of days is after it.
DEADLINE_POINTS = ((14, BEFORE_14), (2, BEFORE_2), (-1, OVERDUE))
CATCH_UP_DAYS = 7


def deadline_reminder(due: date, today: date) -> str | None:
    """Return which reminder of a deadline whose last day is ``due`` falls due on ``today``, or None."""
    starts = [(due - timedelta(days=days), occurrence) for days, occurrence in DEADLINE_POINTS]
    for index, (start, occurrence) in enumerate(starts):
        if index + 1 < len(starts):
            end = starts[index + 1][0] - timedelta(days=1)
        else:
            end = start + timedelta(days=CATCH_UP_DAYS - 1)
        if start <= today <= end:
            return occurrence
    return None


def action_reminder(due: date, today: date) -> str | None:
    """Return OVERDUE if an unfinished action due on ``due`` should be reminded of on ``today``."""
    start = due + timedelta(days=1)
    return OVERDUE if start <= today <= start + timedelta(days=CATCH_UP_DAYS - 1) else None


def days_left(due: date, today: date) -> str:
    """Say when a deadline falls, from today: "today", "tomorrow", "in 14 days", "1 day ago"."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{-days} day{'s' if days < -1 else ''} ago"
