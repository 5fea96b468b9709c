"""Fixtures for notifications: every persona's user, and a school with one of everything to do."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from audits import services as audit_services
from audits.models import Action, Audit, GovernorReview, Rating
from ehcp.models import PlanVersion
from sendplan.models import Report
from standards.models import Criterion
from tests.audits.factories import make_audit, rate_all, submitted_audit
from tests.conftest import membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory
from tests.factories import SchoolFactory, UserFactory


@pytest.fixture
def people(
    senco_a_user,
    headteacher_a_user,
    governor_a_user,
    senco_b_user,
    la_officer_x_user,
    la_admin_x_user,
    la_officer_y_user,
    la_admin_y_user,
):
    """Every persona, so a test sees that only the entitled ones hear of an event."""
    mail.outbox.clear()
    return {
        "senco_a": senco_a_user,
        "headteacher_a": headteacher_a_user,
        "governor_a": governor_a_user,
        "senco_b": senco_b_user,
        "la_officer_x": la_officer_x_user,
        "la_admin_x": la_admin_x_user,
        "la_officer_y": la_officer_y_user,
        "la_admin_y": la_admin_y_user,
    }


def recipients() -> list[str]:
    """Return who the emails sent so far went to, sorted (one address per email)."""
    return sorted(address for message in mail.outbox for address in message.to)


# The day the school below is seen on: Wednesday 10 March 2027, 9am.
SCHOOL_A_DAY = date(2027, 3, 10)
SCHOOL_A_NOW = datetime(2027, 3, 10, 9, tzinfo=ZoneInfo("Europe/London"))


def plan(world, first, last, requested_on, status=PlanVersion.Status.DRAFT):
    pupil = PupilFactory(school=world.school_a, first_name=first, last_name=last, sen_provision="E")
    return PlanFactory(pupil=pupil, school=world.school_a, requested_on=requested_on, status=status)


@pytest.fixture
def school_a(world, people):
    """School A with one of everything the list shows, and what it must not show."""
    senco, officer = people["senco_a"], membership_of(people["la_officer_x"])
    rows = {
        "overdue": plan(world, "Ada", "Lovelace", date(2027, 1, 19)),  # decision due 2 March: overdue
        "soon": plan(world, "Bea", "Brown", date(2027, 2, 1)),  # decision due 15 March: in 5 days
        "returned": plan(world, "Cal", "Carter", date(2027, 3, 1), PlanVersion.Status.RETURNED),
        "handed": plan(world, "Dan", "Dixon", date(2027, 1, 12), PlanVersion.Status.SUBMITTED),  # due 23 Feb
        "on_track": plan(world, "Eve", "Evans", date(2027, 3, 8)),  # decision due 19 April: not shown
    }
    # An audit the LA returned, with comments on two criteria and one on the whole audit.
    returned = submitted_audit(world.school_a, senco)
    for ref in ("S2-01", "S1-02"):
        criterion = Criterion.objects.get(version=returned.framework_version, ref=ref)
        audit_services.la_comment_add(
            audit=returned, criterion=criterion, text=f"Evidence for {ref}?", by=officer
        )
    audit_services.audit_return(audit=returned, by=officer, comment="Please add detail")
    # An audit in progress: one rating above the lowest level with no rationale, one at the lowest level
    # with none (needs none), one not applicable, two carried forward still to confirm.
    draft = make_audit(world.school_a, senco, year="2027/28")
    rate_all(draft, senco)
    ratings = Rating.objects.filter(audit=draft)
    ratings.filter(criterion__ref="S1-01").update(level=2, rationale="")
    ratings.filter(criterion__ref="S1-02").update(level=0, rationale="")
    ratings.filter(criterion__ref="S1-03").update(
        level=None, not_applicable=True, na_reason="No nursery", rationale=""
    )
    ratings.filter(criterion__ref__in=["S2-01", "S2-02"]).update(to_confirm=True)
    Action.objects.create(
        school=world.school_a, audit=draft, what="Audit the sensory room", owner="SENCO", due=date(2027, 3, 1)
    )
    Action.objects.create(
        school=world.school_a, audit=draft, what="Already done", owner="SENCO", due=date(2027, 3, 1),
        status=Action.Status.DONE,
    )  # fmt: skip
    Action.objects.create(
        school=world.school_a, audit=draft, what="Not yet due", owner="SENCO", due=date(2027, 4, 1)
    )
    # Last year's audit, accepted and reviewed by the board.
    accepted = submitted_audit(world.school_a, senco)
    Audit.objects.filter(pk=accepted.pk).update(academic_year="2025/26")
    audit_services.audit_accept(audit=accepted, by=officer)
    GovernorReview.objects.create(
        school=world.school_a, audit=accepted, reviewed_on=date(2027, 2, 20), minute_reference="GB/27/04"
    )
    # A report ready last week, and one from last term.
    for finished in (
        datetime(2027, 3, 5, 12, tzinfo=ZoneInfo("Europe/London")),
        datetime(2027, 1, 5, 12, tzinfo=ZoneInfo("Europe/London")),
    ):
        report = Report(
            school=world.school_a,
            kind=Report.Kind.SCHOOL_OVERVIEW,
            status=Report.Status.READY,
            finished_at=finished,
        )
        report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
        report.save()
    # Another school in LA X waiting for a decision on its audit.
    school_c = SchoolFactory(name="School C", local_authority=world.la_x)
    waiting = submitted_audit(school_c, UserFactory())
    Audit.objects.filter(pk=waiting.pk).update(
        submitted_at=datetime(2027, 3, 8, 10, tzinfo=ZoneInfo("Europe/London"))
    )
    rows.update(returned_audit=returned, draft=draft, accepted=accepted, waiting=waiting)
    return rows
