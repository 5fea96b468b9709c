"""What needs doing on each home page: the items each role gets, in order, and nothing of anyone else's.

The school below is set up on Wednesday 10 March 2027. Expected items are written by hand from issue 14
and the dates (6 weeks from a request to the LA's decision whether to assess: SEND Regulations 2014, reg 5).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from audits.models import Action, Audit, Rating, RoundClosingDate
from ehcp.models import PlanVersion
from notifications.todo import Urgency, todo_for
from sendplan.models import AccessEvent, Report
from tests.audits.factories import make_audit, submitted_audit
from tests.conftest import membership_of, sign_in
from tests.factories import SchoolFactory, UserFactory
from tests.notifications.conftest import SCHOOL_A_DAY, SCHOOL_A_NOW, plan

pytestmark = pytest.mark.django_db

TODAY, NOW = SCHOOL_A_DAY, SCHOOL_A_NOW


def listed(user):
    return [(item.title, item.urgency, item.due) for item in todo_for(membership_of(user), TODAY)]


def test_the_school_staff_list(school_a, people):
    expected = [
        ("Decide whether to assess: Dan Dixon", Urgency.OVERDUE, date(2027, 2, 23)),
        ("Action overdue: Audit the sensory room", Urgency.OVERDUE, date(2027, 3, 1)),
        ("Decide whether to assess: Ada Lovelace", Urgency.OVERDUE, date(2027, 3, 2)),
        ("Decide whether to assess: Bea Brown", Urgency.DUE_SOON, date(2027, 3, 15)),
        ("Change the EHC plan for Cal Carter and submit it again", Urgency.TO_DO, None),
        ("Confirm 2 ratings carried forward into your 2027/28 audit", Urgency.TO_DO, None),
        ("Give a rationale for 1 rating in your 2027/28 audit", Urgency.TO_DO, None),
        ("Make the changes the local authority asked for in your 2026/27 audit", Urgency.TO_DO, None),
        ("Waiting for the governing board to review the 2026/27 audit", Urgency.FOR_INFORMATION, None),
    ]
    assert listed(people["senco_a"]) == expected
    assert listed(people["headteacher_a"]) == expected


def test_the_hints_name_the_criteria_and_links_lead_to_the_work(school_a, people):
    items = {item.kind: item for item in todo_for(membership_of(people["senco_a"]), TODAY)}
    returned, draft = school_a["returned_audit"], school_a["draft"]
    assert items["audit_returned"].hint == "Comments on S1-02, S2-01"  # in the framework's order
    assert items["audit_returned"].link == reverse("audits:audit_detail", args=[returned.public_id])
    assert items["rationale_needed"].hint == "Rated above the lowest level with no rationale: S1-01"
    assert items["rationale_needed"].link == reverse("audits:rating_save", args=[draft.public_id, "S1-01"])
    assert items["action_overdue"].link == reverse("audits:action_list", args=[draft.public_id])
    assert items["plan_returned"].link == reverse("ehcp:plan_detail", args=[school_a["returned"].public_id])


def test_the_governors_list_names_no_pupil(school_a, people):
    assert listed(people["governor_a"]) == [
        ("Record the board's review of the 2026/27 audit", Urgency.TO_DO, None),
        ("Read the School SEND overview", Urgency.FOR_INFORMATION, None),
        ("The board last reviewed the 2025/26 audit on 20 February 2027", Urgency.FOR_INFORMATION, None),
    ]


def test_the_la_officers_list_names_pupils_by_initials(school_a, people):
    expected = [
        ("Decide whether to assess: EHC plan for D. D. at School A", Urgency.OVERDUE, date(2027, 2, 23)),
        ("Decide on School C's 2026/27 audit", Urgency.TO_DO, None),
        ("Decide on the EHC plan for D. D. at School A", Urgency.TO_DO, None),
    ]
    assert listed(people["la_officer_x"]) == expected
    assert listed(people["la_admin_x"]) == expected


def test_other_schools_and_las_see_none_of_it(school_a, people):
    assert listed(people["senco_b"]) == []
    assert listed(people["la_officer_y"]) == []
    assert listed(people["la_admin_y"]) == []


@pytest.mark.parametrize(
    "level,na,rationale,needed",
    [
        (2, False, "", True),  # above the lowest level, no rationale
        (1, False, "", True),
        (0, False, "", False),  # the lowest level needs none
        (2, False, "Seen in lessons", False),
        (None, True, "", False),  # not applicable
        (None, False, "", False),  # not rated yet: a different job
    ],
)
def test_which_ratings_need_a_rationale(world, people, level, na, rationale, needed):
    from audits.selectors import ratings_needing_rationale

    audit = make_audit(world.school_a, people["senco_a"])
    Rating.objects.filter(audit=audit, criterion__ref="S1-01").update(
        level=level, not_applicable=na, na_reason="n/a" if na else "", rationale=rationale
    )
    found = ratings_needing_rationale(Rating.objects.filter(audit=audit)).values_list(
        "criterion__ref", flat=True
    )
    assert list(found) == (["S1-01"] if needed else [])


# --- the home page -----------------------------------------------------------------------------------------


def home(user):
    """Sign in on the day and open the home page (a session from the real today would have expired)."""
    with time_machine.travel(NOW, tick=False):
        return sign_in(user).get(reverse("home"))


def test_the_home_page_starts_with_what_needs_doing(school_a, people):
    html = home(people["senco_a"]).content.decode()
    assert html.index("What needs doing") < html.index("Your audit") < html.index("URN")
    assert "Decide whether to assess: Ada Lovelace" in html
    assert html.count('class="govuk-task-list__item ') == 9


def test_the_staff_home_page_logs_each_pupil_it_names_once(school_a, people):
    before = AccessEvent.objects.count()
    home(people["senco_a"])
    events = AccessEvent.objects.order_by("pk")[before:]
    named = {school_a[key].pupil.public_id for key in ("overdue", "soon", "returned", "handed")}
    assert {event.pupil_id for event in events} == named and len(events) == 4
    assert {event.actor_id for event in events} == {people["senco_a"].pk}


@pytest.mark.parametrize("persona", ["governor_a", "la_officer_x"])
def test_home_pages_that_name_no_pupil_log_nothing(school_a, people, persona):
    before = AccessEvent.objects.count()
    response = home(people[persona])
    assert response.status_code == 200 and AccessEvent.objects.count() == before
    html = response.content.decode()
    for name in ("Ada", "Lovelace", "Dan Dixon", "Bea"):
        assert name not in html


def more_of_everything(world, people, n):
    """Add n more of each kind of item to school A."""
    draft = Audit.objects.get(school=world.school_a, academic_year="2027/28")
    for i in range(n):
        plan(world, f"Extra{i}", f"Pupil{i}", date(2027, 1, 19))
        plan(world, f"Back{i}", f"Pupil{i}", date(2027, 3, 1), PlanVersion.Status.RETURNED)
        Action.objects.create(
            school=world.school_a, audit=draft, what=f"Action {i}", owner="SENCO", due=date(2027, 3, 2)
        )
        submitted_audit(SchoolFactory(local_authority=world.la_x), UserFactory())
        submitted_audit(world.school_a, UserFactory())  # another framework: for the board to review
        report = Report(school=world.school_a, kind=Report.Kind.SCHOOL_OVERVIEW, status=Report.Status.READY)
        report.finished_at = datetime(2027, 3, 9, 12, tzinfo=ZoneInfo("Europe/London"))
        report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
        report.save()
        RoundClosingDate.objects.create(  # a closing date for each of the school's new rounds
            local_authority=world.la_x,
            framework_version=Audit.objects.filter(school=world.school_a).latest("pk").framework_version,
            academic_year="2026/27",
            closes_on=date(2027, 3, 31),
        )
    Rating.objects.filter(audit=draft).update(rationale="", to_confirm=True)


# Per page: 4 middleware queries (session, user, memberships with the unread count, MFA) and 3 to save the
# session in the test transaction. Then what needs doing: for the SENCO, 8 about audits (2 of them the
# rounds' closing dates and the audits they ask for), 2 about plans and 1 to log the pupils named; for a
# governor 4 (no closing date here is for a framework the board rates: one query) and for an LA officer 6
# (3 of them the rounds' closing dates, their schools and the audits handed in); then the other panels' own.
# One query per provider and panel: the staff list adds documents due for review (publications) and
# annual reviews (prefetched with the plans whose deadlines it lists).
# Governors rate the board's health check, so the audit-editing providers and the health check panel run
# for them too.
HOME_QUERIES = {"senco_a": 23, "governor_a": 21, "la_officer_x": 15}


@pytest.mark.parametrize("persona", HOME_QUERIES)
def test_home_page_queries_do_not_grow_with_the_items(
    world, people, school_a, persona, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        client = sign_in(people[persona])
        with django_assert_max_num_queries(HOME_QUERIES[persona]):
            few = client.get(reverse("home"))
        more_of_everything(world, people, 15)
        with django_assert_max_num_queries(HOME_QUERIES[persona]):
            many = client.get(reverse("home"))
    assert many.content.decode().count("govuk-task-list__item ") > few.content.decode().count(
        "govuk-task-list__item "
    )


def test_a_home_page_with_nothing_to_do_says_so(world, people):
    assert "Nothing needs doing at the moment." in home(people["senco_b"]).content.decode()
