"""The audit round page for LA staff, its exports and reminders, on the hand-built round of round_data.py."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from notifications.models import Notification, OutgoingEmail
from sendplan.models import LocalAuthority, Role, School
from tests.audits.round_data import build_round
from tests.conftest import make_member, membership_of

pytestmark = pytest.mark.django_db

ROUND_URLS = (
    "la_round",
    "la_round_export_csv",
    "la_round_export_xlsx",
    "la_round_remind",
    "la_round_contacts",
    "la_round_closing_date",
)


@pytest.fixture
def data(world, senco_a_user, la_officer_x_user, la_officer_y_user):
    return build_round(world, senco_a_user, la_officer_x_user, la_officer_y_user)


def _url(name: str, data, version=None, **params) -> str:
    from django.utils.http import urlencode

    version = version or data.version
    return (
        reverse(f"audits:{name}")
        + "?"
        + urlencode({"version": version.public_id, "year": "2026/27", **params})
    )


def _short(name: str) -> str:
    return "A" if name == "School A" else name.removesuffix(" School")


def _rows(response) -> dict[str, tuple]:
    return {
        _short(school.name): (
            school.status_label,
            school.level,
            school.round_duties_unmet,
            school.round_percent_rated,
            school.round_submitted_at is not None,
        )
        for school in response.context["rows"]
    }


def _text(response) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# What each school of LA X shows for V, 2026/27 (worked out in round_data.py):
# (status, level by name, duties not met, % rated, has a date submitted)
EXPECTED_V = {
    "A": ("Accepted", "Emerging", 1, None, True),
    "Beech": ("Submitted", "Embedded", 0, None, True),
    "Cedar": ("Returned for changes", "", None, None, True),
    "Damson": ("In progress", "", None, 33, False),
    "Elm": ("Not started", "", None, None, False),
    "Fir": ("Not started", "", None, None, False),
    "Gorse": ("Not started", "", None, None, False),
}


def test_every_school_with_its_status_level_and_duties(la_officer_x, data):
    response = la_officer_x.get(_url("la_round", data))
    assert response.status_code == 200
    assert _rows(response) == EXPECTED_V
    text = _text(response)
    assert "2 of 7 schools submitted; 3 not started" in text
    assert response.context["coverage"] == {
        "total": 7,
        "not_started": 3,
        "in_progress": 1,
        "submitted": 1,
        "returned": 1,
        "accepted": 1,
        "handed_in": 2,
        "not_submitted": 5,
    }
    assert "School B" not in text  # LA Y's school


def test_a_three_point_scale_numbered_from_one(la_officer_x, data):
    response = la_officer_x.get(_url("la_round", data, version=data.rag))
    rows = _rows(response)
    assert rows["Gorse"] == ("Submitted", "Amber", 1, None, True)
    assert all(row[0] == "Not started" for name, row in rows.items() if name != "Gorse")
    assert "1 of 7 schools submitted; 6 not started" in _text(response)


def test_the_default_round_is_the_latest_year_with_audits(la_officer_x, data):
    response = la_officer_x.get(reverse("audits:la_round"))
    assert response.context["query"].year == "2026/27"
    assert response.context["query"].version in (data.version, data.rag)


def test_filters_search_and_sort(la_officer_x, data):
    def names(**params):
        return [_short(s.name) for s in la_officer_x.get(_url("la_round", data, **params)).context["rows"]]

    assert names(status="not_started") == ["Elm", "Fir", "Gorse"]
    assert names(status="returned") == ["Cedar"]
    assert names(phase="secondary") == ["Beech"]
    assert names(school_type="community_special") == ["Elm"]
    assert names(search="cedar") == ["Cedar"]
    assert names(search=data.schools["A"].urn) == ["A"]
    # Level: by position in the scale, highest first; schools without a counted level last, by name.
    assert names(sort="level", order="desc") == ["Beech", "A", "Cedar", "Damson", "Elm", "Fir", "Gorse"]
    assert names(sort="status")[:3] == ["Elm", "Fir", "Gorse"]  # furthest from done first
    assert names(sort="rated", order="desc")[0] == "Damson"
    # Nonsense falls back to the defaults rather than failing.
    by_name = ["Beech", "Cedar", "Damson", "Elm", "Fir", "Gorse", "A"]  # "School A" sorts last
    assert names(status="nonsense", sort="nonsense") == by_name
    response = la_officer_x.get(_url("la_round", data, status="not_started"))
    assert "3 schools matching the filters" in _text(response)


def test_pagination_keeps_the_filters(la_officer_x, data, world):
    School.objects.bulk_create(
        [
            School(
                local_authority=world.la_x,
                urn=f"{700000 + n}",
                name=f"Extra {n:02d}",
                phase="primary",
                school_type="community",
            )
            for n in range(60)
        ]
    )
    first = la_officer_x.get(_url("la_round", data, status="not_started"))
    assert len(first.context["rows"]) == 50 and first.context["page_obj"].paginator.count == 63
    page = first.content.decode()
    assert "status=not_started&amp;page=2" in page
    second = la_officer_x.get(_url("la_round", data, status="not_started", page=2))
    assert len(second.context["rows"]) == 13


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_and_xlsx_exports_of_the_filtered_list(la_officer_x, data):
    rows = _csv(la_officer_x.get(_url("la_round_export_csv", data)))
    assert rows[0][:5] == ["School", "URN", "Phase", "Type", "Status"]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(by_name) == 7 and "School B" not in by_name
    assert by_name["School A"][4:] == ["Accepted", "", by_name["School A"][6], "Emerging", "2 of 4", "1", ""]
    assert by_name["Beech School"][7:] == ["Embedded", "4 of 4", "0", ""]
    assert by_name["Cedar School"][7:] == ["", "", "", ""]  # returned: never counted
    assert by_name["Damson School"][4:8] == ["In progress", "33%", "", ""]
    filtered = _csv(la_officer_x.get(_url("la_round_export_csv", data, status="not_started")))
    assert [row[0] for row in filtered[1:]] == ["Elm School", "Fir School", "Gorse School"]

    response = la_officer_x.get(_url("la_round_export_xlsx", data, sort="level", order="desc"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[0] for row in values][:2] == ["Beech School", "School A"]
    assert values[1][7:10] == ["Emerging", "2 of 4", 1]


def test_remind_asks_first_then_tells_the_senco_and_head_of_each_school_not_submitted(la_officer_x, data):
    head = make_member(Role.HEADTEACHER, school=data.schools["Elm"], email="head.elm@example.org")
    Notification.objects.all().delete()
    page = la_officer_x.get(_url("la_round_remind", data))
    assert page.status_code == 200
    text = _text(page)
    assert "Remind the 5 schools that have not submitted?" in text
    assert Notification.objects.count() == 0  # a GET sends nothing

    response = la_officer_x.post(_url("la_round_remind", data))
    assert response.status_code == 302
    told = set(Notification.objects.filter(kind="audit_reminder").values_list("user__email", flat=True))
    # Cedar (returned), Damson (in progress), Elm, Fir and Gorse (not started): their SENCOs, and Elm's head.
    assert told == {
        "senco.cedar@example.org",
        "senco.damson@example.org",
        "senco.elm@example.org",
        "senco.fir@example.org",
        "senco.gorse@example.org",
        head.email,
    }
    assert OutgoingEmail.objects.filter(to=head.email, subject__startswith="Reminder").exists()
    followed = la_officer_x.get(response["Location"])
    assert "Reminder sent to 6 people at 5 schools." in _text(followed)


def _remind(data, officer_user, on: datetime, **filters) -> None:
    """Send the round's reminders as the officer would, on a given day (through the service: a session
    saved in the past would have timed out by today)."""
    from audits import rounds, services

    query = rounds.RoundQuery(version=data.version, year="2026/27", **filters)
    with time_machine.travel(on, tick=False):
        services.round_remind(query=query, by=membership_of(officer_user))


def test_the_round_shows_when_each_school_was_last_reminded(la_officer_x, la_officer_x_user, data):
    """An officer chasing schools sees who was reminded for this round, and when; the export says it too."""
    _remind(data, la_officer_x_user, datetime(2026, 11, 3, 10, tzinfo=UTC), phase="special")  # Elm only
    _remind(data, la_officer_x_user, datetime(2026, 11, 20, 9, tzinfo=UTC))  # every school not submitted
    page = la_officer_x.get(_url("la_round", data))
    reminded = {_short(s.name): s.round_reminded_at for s in page.context["rows"]}
    assert {name for name, at in reminded.items() if at} == {"Cedar", "Damson", "Elm", "Fir", "Gorse"}
    assert reminded["Elm"] == datetime(2026, 11, 20, 9, tzinfo=UTC)  # the latest of its two
    assert "Reminded 20 Nov 2026" in _text(page)
    rows = {row[0]: row for row in _csv(la_officer_x.get(_url("la_round_export_csv", data)))[1:]}
    assert rows["Elm School"][-1] == "2026-11-20" and rows["School A"][-1] == ""
    # another round (year) has its own reminders
    other = la_officer_x.get(_url("la_round", data, year="2025/26"))
    assert not any(s.round_reminded_at for s in other.context["rows"])
    confirm = _text(la_officer_x.get(_url("la_round_remind", data)))
    assert "5 of them were reminded before for this round, most recently on 20 November 2026." in confirm


def test_a_school_with_nobody_to_tell_is_not_recorded_as_reminded(la_officer_x, data):
    from audits.models import RoundReminder
    from sendplan.models import Membership

    Membership.objects.filter(school=data.schools["Fir"]).delete()
    la_officer_x.post(_url("la_round_remind", data))
    assert set(RoundReminder.objects.values_list("school__name", flat=True)) == {
        "Cedar School", "Damson School", "Elm School", "Gorse School",
    }  # fmt: skip
    assert set(RoundReminder.objects.values_list("people", flat=True)) == {1}


def test_remind_respects_the_filters(la_officer_x, data):
    Notification.objects.all().delete()
    la_officer_x.post(_url("la_round_remind", data, phase="special"))
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["senco.elm@example.org"]


def test_contacts_of_the_schools_not_submitted(la_officer_x, data):
    rows = _csv(la_officer_x.get(_url("la_round_contacts", data)))
    assert rows[0] == ["School", "URN", "Status", "Role", "Name", "Email"]
    emails = {row[5] for row in rows[1:]}
    assert emails == {f"senco.{n}@example.org" for n in ("cedar", "damson", "elm", "fir", "gorse")}


def test_la_y_sees_nothing_of_la_x(la_officer_y, la_admin_y, data):
    x_names = [s.name for s in data.schools.values()]
    for client in (la_officer_y, la_admin_y):
        for name in ROUND_URLS:
            response = client.get(_url(name, data))
            body = response.content.decode() if name != "la_round_export_xlsx" else ""
            if name == "la_round_export_xlsx":
                sheet = load_workbook(io.BytesIO(response.content)).active
                body = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
            assert response.status_code == 200, name
            assert not any(n in body for n in x_names), name
        page = client.get(_url("la_round", data))
        assert [s.name for s in page.context["rows"]] == ["School B"]
    Notification.objects.all().delete()
    la_officer_y.post(_url("la_round_remind", data))
    assert not Notification.objects.filter(user__memberships__school__local_authority__name="LA X").exists()


def test_school_roles_are_refused(senco_a, headteacher_a, governor_a, anonymous, data):
    for client in (senco_a, headteacher_a, governor_a):
        for name in ROUND_URLS:
            assert client.get(_url(name, data)).status_code == 403, name
        assert client.post(_url("la_round_remind", data)).status_code == 403
    assert anonymous.get(_url("la_round", data)).status_code == 302


def test_a_school_in_another_la_is_never_shown(la_officer_x, data):
    other = LocalAuthority.objects.create(name="LA Z", code="903")
    School.objects.create(
        local_authority=other, urn="903001", name="Zed School", phase="primary", school_type="community"
    )
    assert "Zed School" not in la_officer_x.get(_url("la_round", data)).content.decode()


# --- a fixed number of queries whatever the number of schools -----------------------------------------------


# 4 from the middleware (session, user, membership, MFA) + versions + years + the schools + the round's
# audits joined to their overall levels + the schools' latest reminders + 3 to save the session (an UPDATE
# between a SAVEPOINT pair that exists only inside the test's transaction). Coverage, sorting and the page
# are worked out from those rows. The page reads the round's closing date too; the export does not.
ROUND_QUERIES = 12
ROUND_PAGE_QUERIES = ROUND_QUERIES + 1


@pytest.mark.parametrize("extra", [0, 595])  # the 5 schools below, and 600
def test_the_round_page_does_a_fixed_number_of_queries(
    la_officer_x, senco_a_user, world, extra, django_assert_num_queries
):
    from tests.audits.factories import make_audit, make_version, rate_all

    version = make_version(sections=2, per_section=3)
    School.objects.bulk_create(
        [
            School(
                local_authority=world.la_x,
                urn=f"{800000 + n}",
                name=f"Bulk {n:03d}",
                phase="primary",
                school_type="community",
            )
            for n in range(4 + extra)
        ]
    )
    audited = list(School.objects.filter(local_authority=world.la_x).order_by("pk")[:3])
    for school in audited:
        audit = make_audit(school, senco_a_user, version)
        rate_all(audit, senco_a_user)
    from audits import services
    from tests.audits.factories import acting

    services.audit_submit(audit=audit, by=acting(senco_a_user, audit.school))
    address = _url("la_round", type("D", (), {"version": version})())
    la_officer_x.get(address)  # the first visit saves the choices in the session
    with django_assert_num_queries(ROUND_PAGE_QUERIES):
        response = la_officer_x.get(address)
    assert response.context["coverage"]["total"] == 5 + extra
    assert response.context["coverage"]["in_progress"] == 2 and response.context["coverage"]["submitted"] == 1
    with django_assert_num_queries(ROUND_QUERIES):  # an export: the same queries
        rows = _csv(la_officer_x.get(_url("la_round_export_csv", type("D", (), {"version": version})())))
    assert len(rows) == 1 + 5 + extra


def test_the_reminder_service_refuses_school_roles_whatever_calls_it(data, senco_a_user, headteacher_a_user):
    from audits import rounds, services
    from sendplan import policy

    query = rounds.RoundQuery(version=data.version, year="2026/27")
    for user in (senco_a_user, headteacher_a_user):
        with pytest.raises(policy.NotAllowed):
            services.round_remind(query=query, by=membership_of(user))
    assert not Notification.objects.filter(kind="audit_reminder").exists()


# --- the round's closing date ---------------------------------------------------------------------------------


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def test_an_officer_sets_the_closing_date_and_the_round_page_counts_down_to_it(la_officer_x, data):
    from datetime import timedelta

    from django.utils import timezone

    assert "No closing date is set for this round." in _text(la_officer_x.get(_url("la_round", data)))
    form = la_officer_x.get(_url("la_round_closing_date", data))
    assert form.status_code == 200 and "When should schools submit their audits by?" in _text(form)
    closes_on = timezone.localdate() + timedelta(days=62)
    response = la_officer_x.post(
        _url("la_round_closing_date", data),
        {"closes_on_0": closes_on.day, "closes_on_1": closes_on.month, "closes_on_2": closes_on.year},
    )
    assert response.status_code == 302
    page = _text(la_officer_x.get(response["Location"]))
    assert f"The closing date is {_long(closes_on)}." in page
    assert f"Closing date: {_long(closes_on)}, in 62 days" in page
    # another year's round has no closing date
    assert "No closing date" in _text(la_officer_x.get(_url("la_round", data, year="2025/26")))
    # changed, then taken away
    later = closes_on + timedelta(days=7)
    la_officer_x.post(
        _url("la_round_closing_date", data),
        {"closes_on_0": later.day, "closes_on_1": later.month, "closes_on_2": later.year},
    )
    assert f"Closing date: {_long(later)}, in 69 days" in _text(la_officer_x.get(_url("la_round", data)))
    la_officer_x.post(_url("la_round_closing_date", data), {"remove": "1"})
    assert "No closing date is set for this round." in _text(la_officer_x.get(_url("la_round", data)))


@pytest.mark.parametrize(
    "day,month,year,message",
    [
        ("", "", "", "Enter the closing date"),
        ("31", "2", "2027", "Closing date must be a real date"),
        ("1", "9", "2026", "The closing date must be today or in the future"),
        ("1", "", "2027", "Closing date must include a month"),
    ],
)
def test_a_bad_closing_date_is_shown_with_what_was_typed(la_officer_x, data, day, month, year, message):
    from audits.models import RoundClosingDate

    response = la_officer_x.post(
        _url("la_round_closing_date", data), {"closes_on_0": day, "closes_on_1": month, "closes_on_2": year}
    )
    text = _text(response)
    assert response.status_code == 200 and "There is a problem" in text and message in text
    assert response.content.decode().count(f'value="{year}"') >= 1 if year else True
    assert not RoundClosingDate.objects.exists()


def test_the_closing_date_is_in_the_reminder(la_officer_x, la_officer_x_user, data):
    from datetime import date

    from audits import rounds, services

    query = rounds.RoundQuery(version=data.version, year="2026/27")
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        services.round_closing_date_set(
            query=query, closes_on=date(2027, 1, 31), by=membership_of(la_officer_x_user)
        )
        services.round_remind(query=query, by=membership_of(la_officer_x_user))
    reminder = Notification.objects.filter(kind="audit_reminder", user__email="senco.elm@example.org").get()
    assert reminder.title.endswith("by 31 January 2027")
    assert reminder.body.endswith("then submit it to the local authority by 31 January 2027.")


def test_schools_that_have_not_submitted_see_the_closing_date_until_they_do(la_officer_x_user, data, world):
    """What needs doing on the home page: the schools of LA X that have not submitted, and nobody else."""
    from datetime import date

    from audits import rounds, services
    from notifications.todo import todo_for

    query = rounds.RoundQuery(version=data.version, year="2026/27")
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        services.round_closing_date_set(
            query=query, closes_on=date(2027, 1, 31), by=membership_of(la_officer_x_user)
        )

    def items(name: str, today: date) -> list:
        return [i for i in todo_for(data.sencos[name], today) if i.kind == "audit_closing_date"]

    title = f"Submit your 2026/27 audit of {data.version} to LA X by 31 January 2027"
    (damson,) = items("Damson", date(2027, 1, 1))  # in progress
    assert (damson.title, damson.hint, damson.tag[0]) == (title, "30 days left", "To do")
    (elm,) = items("Elm", date(2027, 1, 20))  # not started: the link starts one
    assert (elm.hint, elm.tag[0]) == ("11 days left. Start the audit first", "Due soon")
    (cedar,) = items("Cedar", date(2027, 2, 2))  # returned: not handed in
    assert (cedar.hint, cedar.tag[0]) == (
        "The closing date has passed: submit it as soon as you can",
        "Overdue",
    )
    assert items("Beech", date(2027, 1, 1)) == []  # submitted
    assert items("Damson", date(2027, 6, 1)) == []  # closed more than 90 days ago: no longer listed
    # a governor is not asked to submit an audit the school's staff rate
    governor = membership_of(
        make_member(Role.GOVERNOR, school=data.schools["Damson"], email="gov.d@example.org")
    )
    assert [i for i in todo_for(governor, date(2027, 1, 1)) if i.kind == "audit_closing_date"] == []
    # nor is a school of another LA, with no audit at all
    from tests.factories import SchoolFactory

    elsewhere = SchoolFactory(local_authority=world.la_y, name="Yew School")
    senco_y = membership_of(make_member(Role.SENCO, school=elsewhere, email="senco.yew@example.org"))
    assert [i for i in todo_for(senco_y, date(2027, 1, 1)) if i.kind == "audit_closing_date"] == []


def test_la_y_neither_sees_nor_sets_la_xs_closing_date(la_officer_x, la_officer_y, data, world):
    from datetime import timedelta

    from django.utils import timezone

    from audits.models import RoundClosingDate

    closes_on = timezone.localdate() + timedelta(days=30)
    for client in (la_officer_x, la_officer_y):
        client.post(
            _url("la_round_closing_date", data),
            {"closes_on_0": closes_on.day, "closes_on_1": closes_on.month, "closes_on_2": closes_on.year},
        )
    assert sorted(RoundClosingDate.objects.values_list("local_authority__name", flat=True)) == [
        "LA X",
        "LA Y",
    ]
    la_officer_x.post(_url("la_round_closing_date", data), {"remove": "1"})
    assert list(RoundClosingDate.objects.values_list("local_authority__name", flat=True)) == ["LA Y"]
    assert "No closing date is set" in _text(la_officer_x.get(_url("la_round", data)))


def test_officers_see_how_many_schools_the_closing_date_waits_for(la_officer_x_user, la_officer_y_user, data):
    """LA X's round: A accepted and Beech submitted, so 5 of its 7 schools have not (round_data.py)."""
    from datetime import date

    from audits import rounds, services
    from notifications.todo import todo_for

    query = rounds.RoundQuery(version=data.version, year="2026/27")
    officer = membership_of(la_officer_x_user)
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        services.round_closing_date_set(query=query, closes_on=date(2027, 1, 31), by=officer)

    def items(membership, today: date) -> list:
        return [i for i in todo_for(membership, today) if i.kind == "round_closing"]

    (item,) = items(officer, date(2027, 1, 25))
    assert item.title == f"5 of 7 schools have not submitted the 2026/27 audit of {data.version}"
    assert item.hint == "Closing date 31 January 2027, in 6 days. Remind them from the audit round"
    assert item.tag[0] == "Due soon" and f"version={data.version.public_id}" in item.link
    (late,) = items(officer, date(2027, 2, 3))
    assert late.tag[0] == "Overdue" and late.hint.startswith("Closing date 31 January 2027, 3 days ago.")
    assert items(membership_of(la_officer_y_user), date(2027, 1, 25)) == []  # LA Y set no date


def test_the_closing_date_service_refuses_school_roles_and_frameworks_the_la_cannot_use(
    data, senco_a_user, headteacher_a_user, la_officer_y_user, world
):
    from datetime import date

    from audits import rounds, services
    from audits.models import RoundClosingDate
    from sendplan import policy
    from sendplan.services import DomainError
    from tests.audits.factories import make_version

    query = rounds.RoundQuery(version=data.version, year="2026/27")
    for user in (senco_a_user, headteacher_a_user):
        with pytest.raises(policy.NotAllowed):
            services.round_closing_date_set(query=query, closes_on=date(2099, 1, 31), by=membership_of(user))
    own = make_version(framework=None)
    own.framework.local_authority = world.la_x  # LA X's own framework: not one LA Y's schools may audit
    own.framework.publisher = "local_authority"
    own.framework.save()
    with pytest.raises(DomainError, match="Your schools cannot audit that framework."):
        services.round_closing_date_set(
            query=rounds.RoundQuery(version=own, year="2026/27"),
            closes_on=date(2099, 1, 31),
            by=membership_of(la_officer_y_user),
        )
    assert not RoundClosingDate.objects.exists()
