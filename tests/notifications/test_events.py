"""Each event sends exactly one email to exactly the people entitled to hear of it, after commit.

Who is entitled, written by hand from issue 14: a submitted audit or plan goes to the LA's officers (not
its admins, not another LA); a return, an acceptance or a final plan to the school's SENCO and headteacher
(never its governors, never another school); a ready report to whoever asked for it. No email names a
pupil: initials at most.
"""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse

from audits import services as audit_services
from ehcp import services as plan_services
from ehcp.models import Plan
from notifications.models import Notification, OutgoingEmail, Preference
from notifications.services import digests_send
from sendplan import reports, services
from sendplan.models import Membership, Report, Role
from tests.audits.factories import make_audit, rate_all, submitted_audit
from tests.conftest import membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory
from tests.notifications.conftest import recipients

pytestmark = pytest.mark.django_db

OFFICER_X = ["officer.x@example.org"]
SCHOOL_A_STAFF = ["head.a@example.org", "senco.a@example.org"]

# A pupil whose names appear nowhere else, so finding them in an email is never a coincidence.
FIRST, LAST = "Zebedee", "Quillfeather"


@pytest.fixture
def audit(world, people):
    return submitted_audit(world.school_a, people["senco_a"])


@pytest.fixture
def plan(world, people):
    pupil = PupilFactory(school=world.school_a, first_name=FIRST, last_name=LAST, sen_provision="E")
    plan = PlanFactory(pupil=pupil, school=world.school_a, requested_on=date(2026, 3, 2))
    return Plan.objects.select_related("pupil", "school").get(pk=plan.pk)


def submit_plan(plan, people):
    plan_services.plan_submit(plan=plan, by=membership_of(people["senco_a"]))


EVENTS = {
    # event: (set-up before, the change itself, who must get the one email)
    "audit submitted": (
        lambda r, p: None,
        lambda r, p: audit_services.audit_submit(audit=r["draft"], by=membership_of(p["senco_a"])),
        OFFICER_X,
    ),
    "audit returned": (
        lambda r, p: None,
        lambda r, p: audit_services.audit_return(
            audit=r["audit"], by=membership_of(p["la_officer_x"]), comment="Say more about S1-02"
        ),
        SCHOOL_A_STAFF,
    ),
    "audit accepted": (
        lambda r, p: None,
        lambda r, p: audit_services.audit_accept(audit=r["audit"], by=membership_of(p["la_admin_x"])),
        SCHOOL_A_STAFF,
    ),
    "plan submitted": (lambda r, p: None, lambda r, p: submit_plan(r["plan"], p), OFFICER_X),
    "plan returned": (
        lambda r, p: submit_plan(r["plan"], p),
        lambda r, p: plan_services.plan_return(
            plan=r["plan"], by=membership_of(p["la_officer_x"]), reason=f"{FIRST} needs a section F review"
        ),
        SCHOOL_A_STAFF,
    ),
    "plan made final": (
        lambda r, p: submit_plan(r["plan"], p),
        lambda r, p: plan_services.plan_finalise(plan=r["plan"], by=membership_of(p["la_officer_x"])),
        SCHOOL_A_STAFF,
    ),
    "report ready (asked for by a governor)": (
        lambda r, p: r.update(
            report=reports.report_request(
                kind=Report.Kind.SCHOOL_OVERVIEW,
                subject=r["world"].school_a,
                by=membership_of(p["governor_a"]),
            )
        ),
        lambda r, p: reports.report_finish(report_id=r["report"].pk, content=b"%PDF-1.7 test"),
        ["governor.a@example.org"],
    ),
}


@pytest.fixture
def rows(world, people, audit, plan):
    draft = make_audit(world.school_a, people["senco_a"], year="2027/28")
    rate_all(draft, people["senco_a"])
    return {"world": world, "audit": audit, "plan": plan, "draft": draft}


@pytest.mark.parametrize("event", EVENTS)
def test_each_event_emails_exactly_the_entitled_people_once(
    event, rows, people, django_capture_on_commit_callbacks
):
    before, change, expected = EVENTS[event]
    before(rows, people)
    mail.outbox.clear()
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        change(rows, people)
    assert recipients() == expected
    for message in mail.outbox:
        text = message.subject + message.body
        assert FIRST not in text and LAST not in text
        assert settings.SITE_URL in message.body  # a link to where it is dealt with
    # each email is also a notification in the service, for the same people and no one else
    told = Notification.objects.filter(pk__gt=last).values_list("user__email", flat=True)
    assert sorted(told) == expected


def test_plan_emails_name_the_pupil_by_initials_and_link_to_the_plan(
    plan, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_plan(plan, people)
    [message] = mail.outbox
    assert message.subject == "School A submitted the EHC plan for Z. Q."
    assert f"{settings.SITE_URL}/ehcp/plans/{plan.public_id}/" in message.body


def test_the_audit_return_email_carries_no_free_text(audit, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.audit_return(
            audit=audit, by=membership_of(people["la_officer_x"]), comment=f"Ask {FIRST} {LAST}'s parents"
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "parents" not in message.body and FIRST not in message.body
        assert message.subject == "The local authority returned your 2026/27 audit for changes"


def test_nothing_is_told_when_the_change_rolls_back(plan, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        submit_plan(plan, people)
        raise RuntimeError("something later in the same request failed")
    assert not mail.outbox
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


def test_someone_with_two_roles_at_the_school_gets_one_email(
    world, people, audit, django_capture_on_commit_callbacks
):
    Membership.objects.create(user=people["senco_a"], school=world.school_a, role=Role.HEADTEACHER)
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.audit_accept(audit=audit, by=membership_of(people["la_officer_x"]))
    assert recipients() == SCHOOL_A_STAFF
    assert Notification.objects.filter(user=people["senco_a"]).count() == 1


def test_people_who_left_are_not_told(world, people, audit, django_capture_on_commit_callbacks):
    people["headteacher_a"].memberships.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.audit_accept(audit=audit, by=membership_of(people["la_officer_x"]))
    assert recipients() == ["senco.a@example.org"]


def test_a_failed_report_tells_nobody(world, people, django_capture_on_commit_callbacks):
    report = reports.report_request(
        kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(people["governor_a"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_finish(report_id=report.pk, error="The report could not be prepared.")
    assert not mail.outbox and not Notification.objects.exists()


def test_a_report_finished_twice_tells_once(world, people, django_capture_on_commit_callbacks):
    report = reports.report_request(
        kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(people["senco_a"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_finish(report_id=report.pk, content=b"%PDF-1.7 first")
        reports.report_finish(report_id=report.pk, content=b"%PDF-1.7 duplicate delivery")
    assert recipients() == ["senco.a@example.org"]
    assert mail.outbox[0].subject == "Your report is ready: School SEND overview"


# --- preferences -----------------------------------------------------------------------------------------


def test_email_off_still_leaves_a_notification(audit, people, django_capture_on_commit_callbacks):
    Preference.objects.create(user=people["senco_a"], email=Preference.Email.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.audit_accept(audit=audit, by=membership_of(people["la_officer_x"]))
    assert recipients() == ["head.a@example.org"]
    notification = Notification.objects.get(user=people["senco_a"])
    assert notification.delivery == Notification.Delivery.NONE and notification.email is None
    assert notification.title == "The local authority accepted your 2026/27 audit"


def test_the_daily_email_collects_the_days_notifications_once(
    world, people, audit, plan, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people["senco_a"], email=Preference.Email.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        submit_plan(plan, people)
        audit_services.audit_accept(audit=audit, by=membership_of(people["la_officer_x"]))
        plan_services.plan_finalise(plan=plan, by=membership_of(people["la_officer_x"]))
    assert "senco.a@example.org" not in recipients()  # nothing straight away
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=date(2026, 11, 30)) == 1
        assert digests_send(today=date(2026, 11, 30)) == 0  # a second run the same day sends nothing
    [digest] = mail.outbox
    assert digest.to == ["senco.a@example.org"]
    assert digest.subject == "sendplan: 2 updates for 30 November 2026"
    assert "The local authority accepted your 2026/27 audit" in digest.body
    assert "The EHC plan for Z. Q. is final" in digest.body
    assert FIRST not in digest.body and LAST not in digest.body


# --- invitations go through the same outbox ------------------------------------------------------------


def test_an_invitation_is_sent_through_the_outbox_and_its_link_not_kept(
    world, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            by=membership_of(people["headteacher_a"]), email="new.governor@example.org", role=Role.GOVERNOR
        )
    [message] = mail.outbox
    assert message.to == ["new.governor@example.org"]
    assert message.subject == "You have been invited to School A on sendplan"
    assert f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}" in message.body
    sent = OutgoingEmail.objects.get(to="new.governor@example.org")
    assert sent.status == OutgoingEmail.Status.SENT and sent.body == ""  # only the token's hash stays
    assert not Notification.objects.exists()  # they have no account yet: email only


def test_a_governor_is_never_emailed_about_a_pupil(world, people, plan, django_capture_on_commit_callbacks):
    import time_machine

    from notifications.reminders import reminders_send

    governor = people["governor_a"]
    officer = membership_of(people["la_officer_x"])
    with django_capture_on_commit_callbacks(execute=True):
        submit_plan(plan, people)
        plan_services.plan_return(plan=plan, by=officer, reason=f"{FIRST}: more in section F")
        submit_plan(plan, people)
    # the LA's decision whether to assess was due on 13 April 2026, 6 weeks from the request
    with (
        time_machine.travel("2026-04-14 07:00 +01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_send() == 3  # the SENCO, the headteacher and the LA officer
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_finalise(plan=plan, by=officer)
        report = reports.report_request(
            kind=Report.Kind.SCHOOL_OVERVIEW, subject=world.school_a, by=membership_of(governor)
        )
        reports.report_finish(report_id=report.pk, content=b"%PDF-1.7 test")
    to_governor = [m for m in mail.outbox if governor.email in m.to]
    assert [m.subject for m in to_governor] == ["Your report is ready: School SEND overview"]
    assert list(Notification.objects.filter(user=governor).values_list("kind", flat=True)) == ["report_ready"]
    assert len(mail.outbox) == 10  # submitted 1, returned 2, submitted 1, reminders 3, final 2, report 1
    for message in mail.outbox:
        assert FIRST not in message.subject + message.body and LAST not in message.subject + message.body
