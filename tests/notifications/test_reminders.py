"""Reminders before statutory deadlines and of overdue actions: sent on the right days, each exactly once.

The dates are worked out by hand. A plan whose assessment was requested on Tuesday 19 January 2027 must
have the LA's decision whether to assess by Tuesday 2 March 2027 (6 weeks: SEND Regulations 2014, reg 5(1)):
reminders go on 16 February (14 days before), 28 February (2 days before, across the end of February) and
3 March (the first day overdue). Its other steps fall in May and June, outside the days walked here.
"""

import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection

from audits.models import Action
from ehcp.models import PlanVersion
from notifications import reminders
from notifications.models import Notification, Preference, SentReminder
from tests.audits.factories import make_audit
from tests.ehcp.factories import PlanFactory, PupilFactory

LONDON = ZoneInfo("Europe/London")
SUBJECT = "Decide whether to assess, EHC plan for Z. Q."


def make_plan(world, *, handed: bool = False, requested_on: date = date(2027, 1, 19)):
    pupil = PupilFactory(
        school=world.school_a, first_name="Zebedee", last_name="Quillfeather", sen_provision="E"
    )
    status = PlanVersion.Status.SUBMITTED if handed else PlanVersion.Status.DRAFT
    return PlanFactory(pupil=pupil, school=world.school_a, requested_on=requested_on, status=status)


def run_on(day: date, capture) -> int:
    """Run the day's reminders at 7am London time on ``day``, as beat does; return how many were sent."""
    at_seven = datetime(day.year, day.month, day.day, 7, tzinfo=LONDON)
    with time_machine.travel(at_seven, tick=False), capture(execute=True):
        return reminders.reminders_send()


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [address]]


@pytest.mark.django_db
def test_a_statutory_deadline_is_reminded_14_and_2_days_before_and_when_overdue(
    world, people, django_capture_on_commit_callbacks
):
    make_plan(world)
    sent_on: dict[date, list[str]] = {}
    day = date(2027, 2, 10)
    while day <= date(2027, 3, 12):
        mail.outbox.clear()
        run_on(day, django_capture_on_commit_callbacks)
        if mail.outbox:
            sent_on[day] = subjects_to("senco.a@example.org")
            assert subjects_to("head.a@example.org") == sent_on[day]  # the headteacher too
            assert len(mail.outbox) == 2  # and no one else: the plan is not yet with the LA
        day += timedelta(days=1)
    assert sent_on == {
        date(2027, 2, 16): [f"Due in 14 days: {SUBJECT}"],
        date(2027, 2, 28): [f"Due in 2 days: {SUBJECT}"],
        date(2027, 3, 3): [f"Overdue: {SUBJECT}"],
    }


@pytest.mark.django_db
def test_in_a_leap_year_the_2_day_reminder_goes_on_29_february(
    world, people, django_capture_on_commit_callbacks
):
    make_plan(world, requested_on=date(2028, 1, 20))  # decision due Thursday 2 March 2028
    sent_on = {}
    day = date(2028, 2, 15)
    while day <= date(2028, 3, 4):
        mail.outbox.clear()
        run_on(day, django_capture_on_commit_callbacks)
        if mail.outbox:
            sent_on[day] = subjects_to("senco.a@example.org")
        day += timedelta(days=1)
    assert sent_on == {
        date(2028, 2, 17): [f"Due in 14 days: {SUBJECT}"],
        date(2028, 2, 29): [f"Due in 2 days: {SUBJECT}"],
        date(2028, 3, 3): [f"Overdue: {SUBJECT}"],
    }


@pytest.mark.django_db
def test_a_rerun_and_a_retry_send_nothing_more(world, people, django_capture_on_commit_callbacks):
    make_plan(world)
    assert run_on(date(2027, 2, 16), django_capture_on_commit_callbacks) == 2
    assert run_on(date(2027, 2, 16), django_capture_on_commit_callbacks) == 0
    assert run_on(date(2027, 2, 17), django_capture_on_commit_callbacks) == 0  # still the 14-day window
    assert len(mail.outbox) == 2
    assert SentReminder.objects.count() == 2


@pytest.mark.django_db
def test_a_missed_day_is_caught_up_once(world, people, django_capture_on_commit_callbacks):
    make_plan(world)
    assert (
        run_on(date(2027, 2, 18), django_capture_on_commit_callbacks) == 2
    )  # beat was down on the 16th and 17th
    assert subjects_to("senco.a@example.org") == [f"Due in 12 days: {SUBJECT}"]


@pytest.mark.django_db
def test_a_met_deadline_is_not_reminded(world, people, django_capture_on_commit_callbacks):
    plan = make_plan(world)
    plan.decided_on = date(2027, 2, 10)
    plan.save()
    assert run_on(date(2027, 2, 16), django_capture_on_commit_callbacks) == 0
    assert run_on(date(2027, 3, 3), django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db
def test_the_la_is_reminded_of_plans_handed_to_it_by_initials(
    world, people, django_capture_on_commit_callbacks
):
    make_plan(world, handed=True)
    run_on(date(2027, 3, 3), django_capture_on_commit_callbacks)
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "head.a@example.org",
        "officer.x@example.org",
        "senco.a@example.org",
    ]
    [to_la] = [m for m in mail.outbox if m.to == ["officer.x@example.org"]]
    assert to_la.subject == f"Overdue: {SUBJECT}"
    assert "The last day was Tuesday 2 March 2027" in to_la.body and "The school is School A." in to_la.body
    for message in mail.outbox:
        assert "Zebedee" not in message.body + message.subject and "Quillfeather" not in message.body


@pytest.mark.django_db
def test_statutory_reminders_are_emailed_whatever_the_person_chose(
    world, people, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people["senco_a"], email=Preference.Email.OFF)
    Preference.objects.create(user=people["headteacher_a"], email=Preference.Email.DIGEST)
    make_plan(world)
    run_on(date(2027, 2, 16), django_capture_on_commit_callbacks)
    assert sorted(a for m in mail.outbox for a in m.to) == ["head.a@example.org", "senco.a@example.org"]
    assert set(Notification.objects.values_list("delivery", flat=True)) == {Notification.Delivery.IMMEDIATE}


# --- actions -----------------------------------------------------------------------------------------------


def make_action(audit, due: date, **fields) -> Action:
    fields = {"what": "Train lunchtime staff in de-escalation", "owner": "SENCO", **fields}
    return Action.objects.create(school=audit.school, audit=audit, due=due, **fields)


@pytest.mark.django_db
def test_an_action_is_reminded_of_once_the_day_after_its_due_date(
    world, people, django_capture_on_commit_callbacks
):
    audit = make_audit(world.school_a, people["senco_a"])
    make_action(audit, date(2027, 1, 31))
    make_action(audit, date(2027, 1, 31), status=Action.Status.DONE, what="Already done")
    assert run_on(date(2027, 1, 31), django_capture_on_commit_callbacks) == 0
    assert run_on(date(2027, 2, 1), django_capture_on_commit_callbacks) == 2
    assert run_on(date(2027, 2, 2), django_capture_on_commit_callbacks) == 0
    assert sorted(a for m in mail.outbox for a in m.to) == ["head.a@example.org", "senco.a@example.org"]
    assert mail.outbox[0].subject == "Action overdue: Train lunchtime staff in de-escalation"
    assert "was due on Sunday 31 January 2027" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_action_carried_forward_is_reminded_of_once(world, people, django_capture_on_commit_callbacks):
    old = make_audit(world.school_a, people["senco_a"], year="2025/26")
    new = make_audit(world.school_a, people["senco_a"], year="2026/27")
    original = make_action(old, date(2027, 1, 31))
    make_action(new, date(2027, 1, 31), carried_from=original)
    assert run_on(date(2027, 2, 1), django_capture_on_commit_callbacks) == 2  # the copy, to SENCO and head
    assert Notification.objects.filter(user=people["senco_a"]).count() == 1


@pytest.mark.django_db
def test_action_reminders_follow_the_persons_choice(world, people, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people["senco_a"], email=Preference.Email.OFF)
    make_action(make_audit(world.school_a, people["senco_a"]), date(2027, 1, 31))
    run_on(date(2027, 2, 1), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["head.a@example.org"]]
    assert Notification.objects.get(user=people["senco_a"]).delivery == Notification.Delivery.NONE


# --- two runs at once, on PostgreSQL ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(world, people, monkeypatch):
    make_plan(world, handed=True)  # SENCO, headteacher and LA officer: three reminders due
    both_decided = threading.Barrier(2)
    decide = reminders.reminders_due

    def decide_then_wait(today):
        due = decide(today)
        both_decided.wait(timeout=20)  # neither run records anything until both have decided what is due
        return due

    monkeypatch.setattr(reminders, "reminders_due", decide_then_wait)
    counts, errors = [], []

    def run():
        try:
            counts.append(reminders.reminders_send(today=date(2027, 2, 16)))
        except Exception as exc:  # reported below: a failed thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(counts) == 3
    assert SentReminder.objects.count() == 3
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "head.a@example.org",
        "officer.x@example.org",
        "senco.a@example.org",
    ]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_at_once_send_each_reminder_once(world, people):
    make_plan(world, handed=True)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EMAIL_BACKEND", "EMAIL_HOST"}}
    env.update(DATABASE_URL=database_url(), DEBUG="1")  # no broker: email goes to each process's console
    command = [sys.executable, "manage.py", "send_reminders", "--date", "2027-02-16"]
    processes = [
        subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    printed = "".join(out for out, _ in outputs)
    subjects = [line for line in printed.splitlines() if line.startswith("Subject: ")]
    assert subjects == [f"Subject: Due in 14 days: {SUBJECT}"] * 3, printed[-3000:]
    assert sorted(line for line in printed.splitlines() if line.startswith("To: ")) == [
        "To: head.a@example.org",
        "To: officer.x@example.org",
        "To: senco.a@example.org",
    ]
    assert SentReminder.objects.count() == 3


# --- an audit round's closing date -----------------------------------------------------------------------
# LA X asks for its schools' 2026/27 audits by Sunday 31 January 2027: reminders on Sunday 17 January
# (14 days before), Friday 29 January (2 days before) and Monday 1 February (the first day overdue), to the
# SENCO and headteacher of each school of LA X that has not submitted.


@pytest.mark.django_db
def test_a_rounds_closing_date_is_reminded_to_schools_that_have_not_submitted(
    world, people, django_capture_on_commit_callbacks
):
    from audits.models import RoundClosingDate
    from sendplan.models import Role
    from tests.audits.factories import make_version, submitted_audit
    from tests.conftest import make_member
    from tests.factories import SchoolFactory

    version = make_version()
    done = SchoolFactory(local_authority=world.la_x, name="Done School")
    submitted_audit(done, make_member(Role.SENCO, school=done, email="senco.done@example.org"), version)
    closing = RoundClosingDate.objects.create(
        local_authority=world.la_x,
        framework_version=version,
        academic_year="2026/27",
        closes_on=date(2027, 1, 31),
    )
    subject = f"submit your 2026/27 audit of {version}"
    sent_on: dict[date, list[str]] = {}
    day = date(2027, 1, 10)
    while day <= date(2027, 2, 10):
        mail.outbox.clear()
        run_on(day, django_capture_on_commit_callbacks)
        if mail.outbox:
            sent_on[day] = subjects_to("senco.a@example.org")
            assert subjects_to("head.a@example.org") == sent_on[day]
            assert len(mail.outbox) == 2  # not School B (LA Y), not the school that submitted
        day += timedelta(days=1)
    assert sent_on == {
        date(2027, 1, 17): [f"Due in 14 days: {subject}"],
        date(2027, 1, 29): [f"Due in 2 days: {subject}"],
        date(2027, 2, 1): [f"Overdue: {subject}"],
    }
    reminder = Notification.objects.filter(
        user__email="senco.a@example.org", title__startswith="Overdue"
    ).get()
    assert reminder.body == (
        f"LA X asks for School A's 2026/27 audit of {version}. The closing date was Sunday 31 January 2027. "
        "Finish the audit, then submit it to the local authority."
    )
    # The LA moves the date: a new deadline, with reminders of its own.
    closing.closes_on = date(2027, 2, 28)
    closing.save()
    mail.outbox.clear()
    assert run_on(date(2027, 2, 14), django_capture_on_commit_callbacks) == 2
    assert subjects_to("senco.a@example.org") == [f"Due in 14 days: {subject}"]
