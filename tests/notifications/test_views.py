"""A person's notifications page, marking them read, the count in the header, and their email preference.

A notification is its recipient's alone: no colleague, no other school or LA, sees or marks it.
"""

import re
import uuid

import pytest
from django.urls import reverse

from notifications.models import Notification, Preference
from tests.conftest import membership_of
from tests.sendplan.helpers import error_texts

pytestmark = pytest.mark.django_db


def notify(user, title="The local authority accepted your 2026/27 audit", **fields) -> Notification:
    membership = membership_of(user)
    return Notification.objects.create(
        user=user,
        membership=membership,
        organisation_name=membership.organisation_name,
        kind=Notification.Kind.AUDIT_ACCEPTED,
        title=title,
        link="/audits/",
        delivery=Notification.Delivery.IMMEDIATE,
        **fields,
    )


def header_count(html: str) -> str:
    """Return what the header's Notifications link says, tags stripped."""
    link = re.search(r'href="/notifications/"[^>]*>(.*?)</a>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", link)).strip()


def test_the_list_shows_only_the_persons_own(senco_a, senco_a_user, headteacher_a_user, senco_b_user):
    notify(senco_a_user, "Mine")
    notify(headteacher_a_user, "The headteacher's")
    notify(senco_b_user, "Another school's")
    html = senco_a.get(reverse("notifications:notification_list")).content.decode()
    assert "Mine" in html
    assert "The headteacher's" not in html and "Another school's" not in html


def test_the_header_counts_unread_notifications(senco_a, senco_a_user, headteacher_a_user):
    for _ in range(3):
        notify(senco_a_user)
    notify(headteacher_a_user)  # someone else's: not counted
    html = senco_a.get(reverse("home")).content.decode()
    assert header_count(html) == "Notifications 3 unread"
    Notification.objects.filter(user=senco_a_user).update(read_at="2026-11-30T10:00Z")
    assert header_count(senco_a.get(reverse("home")).content.decode()) == "Notifications"


def test_marking_one_as_read(senco_a, senco_a_user):
    first, second = notify(senco_a_user, "First"), notify(senco_a_user, "Second")
    response = senco_a.post(reverse("notifications:mark_read"), {"notification": str(first.public_id)})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:notification_list")
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_marking_all_as_read_marks_only_the_persons_own(senco_a, senco_a_user, headteacher_a_user):
    mine = [notify(senco_a_user) for _ in range(3)]
    theirs = notify(headteacher_a_user)
    senco_a.post(reverse("notifications:mark_read"), {"all": "1"})
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("owner", ["headteacher_a_user", "senco_b_user", "la_officer_x_user"])
def test_someone_elses_notification_is_not_found(request, senco_a, owner):
    theirs = notify(request.getfixturevalue(owner))
    response = senco_a.post(reverse("notifications:mark_read"), {"notification": str(theirs.public_id)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("value", ["not-a-uuid", str(uuid.uuid4()), "' OR 1=1 --"])
def test_a_made_up_notification_is_not_found(senco_a, value):
    assert senco_a.post(reverse("notifications:mark_read"), {"notification": value}).status_code == 404


def test_marking_read_needs_a_post(senco_a):
    assert senco_a.get(reverse("notifications:mark_read")).status_code == 405


def test_a_person_acting_for_another_organisation_still_sees_their_own(world, senco_a_user, governor_a_user):
    from sendplan.models import Membership, Role
    from tests.conftest import sign_in

    governor_b = Membership.objects.create(user=senco_a_user, school=world.school_b, role=Role.GOVERNOR)
    Notification.objects.create(
        user=senco_a_user, membership=governor_b, organisation_name="School B", kind=Notification.Kind.REPORT_READY,
        title="Your report is ready", link="/reports/", delivery=Notification.Delivery.NONE,
    )  # fmt: skip
    client = sign_in(senco_a_user)
    client.post(reverse("choose_organisation"), {"membership": str(governor_b.public_id)})
    html = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Your report is ready" in html and "School B (Governor)" in html


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_makes_a_fixed_number_of_queries(
    senco_a, senco_a_user, count, django_assert_max_num_queries
):
    for i in range(count):
        notify(senco_a_user, f"Notification {i}")
    # 4 middleware (session, user, memberships with the unread count, MFA), 3 to save the session in the
    # test transaction, then the page: the count for the paginator, one page of rows, the preference.
    with django_assert_max_num_queries(10):
        response = senco_a.get(reverse("notifications:notification_list"))
    assert response.status_code == 200


def test_the_count_in_the_header_costs_no_query(senco_a, senco_a_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as none_unread:
        senco_a.get(reverse("sendplan:report_list"))
    for _ in range(5):
        notify(senco_a_user)
    with CaptureQueriesContext(connection) as five_unread:
        html = senco_a.get(reverse("sendplan:report_list")).content.decode()
    assert header_count(html) == "Notifications 5 unread"
    assert len(five_unread) == len(none_unread)


# --- preferences -------------------------------------------------------------------------------------------


def test_choosing_the_daily_email(senco_a, senco_a_user):
    page = senco_a.get(reverse("notifications:preferences")).content.decode()
    assert 'value="immediate"' in page and "checked" in page.split('value="immediate"')[1][:40]
    response = senco_a.post(reverse("notifications:preferences"), {"email": "digest"})
    assert response.status_code == 302
    assert Preference.objects.get(user=senco_a_user).email == Preference.Email.DIGEST


@pytest.mark.parametrize("data", [{}, {"email": "weekly"}, {"email": ""}])
def test_a_bad_choice_gets_the_error_summary_and_changes_nothing(senco_a, senco_a_user, data):
    Preference.objects.create(user=senco_a_user, email=Preference.Email.OFF)
    response = senco_a.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>Error: ", html)
    assert error_texts(response) == ["Select how you want to be emailed"]
    assert Preference.objects.get(user=senco_a_user).email == Preference.Email.OFF


def test_a_preference_is_the_persons_own(senco_a, senco_a_user, headteacher_a_user):
    Preference.objects.create(user=headteacher_a_user, email=Preference.Email.IMMEDIATE)
    senco_a.post(reverse("notifications:preferences"), {"email": "off"})
    assert Preference.objects.get(user=headteacher_a_user).email == Preference.Email.IMMEDIATE
    assert Preference.objects.get(user=senco_a_user).email == Preference.Email.OFF
