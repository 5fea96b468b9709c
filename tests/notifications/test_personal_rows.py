"""PERSONAL rows (sendplan/tenancy.py): rows addressed to one person are theirs alone, in every role."""

import pytest
from django.db.models import Q

from notifications.models import Notification, Preference
from sendplan.models import Membership, Role
from sendplan.policy import allows, restrict
from sendplan.tenancy import Rows, Tenancy
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def test_a_personal_rows_filter_names_the_membership_s_user_not_its_organisation(world, senco_a_user):
    membership = membership_of(senco_a_user)
    assert Tenancy(school=None, user="user").q(Rows.PERSONAL, membership) == Q(user_id=senco_a_user.pk)
    assert Tenancy(school=None, user="recipient_id").q(Rows.PERSONAL, membership) == Q(
        recipient_id=senco_a_user.pk
    )


def test_models_that_name_no_person_have_no_personal_rows(world, senco_a_user):
    membership = membership_of(senco_a_user)
    assert Tenancy().q(Rows.PERSONAL, membership) is None  # a school's row is nobody's personal row
    assert restrict(Membership.objects.all(), membership, "notification_view").count() == 0


def test_a_personal_row_has_no_organisation_rows(world, senco_a_user, la_officer_x_user):
    # Notifications name no school or LA: "own school" and "LA's schools" rules reach none of them.
    tenancy = Notification.tenancy
    for user in (senco_a_user, la_officer_x_user):
        membership = membership_of(user)
        for rows in (
            Rows.OWN,
            Rows.LA_SCHOOLS,
            Rows.HANDED_TO_LA,
            Rows.SHARED_WITH_GOVERNORS,
            Rows.PUBLISHED,
        ):
            assert tenancy.q(rows, membership) is None


def make(user, membership=None):
    membership = membership or membership_of(user)
    return Notification.objects.create(
        user=user, membership=membership, organisation_name=membership.organisation_name,
        kind=Notification.Kind.REPORT_READY, title="Ready", link="/reports/", delivery="none",
    )  # fmt: skip


@pytest.mark.parametrize(
    "persona",
    ["senco_a_user", "headteacher_a_user", "governor_a_user", "la_officer_x_user", "la_admin_y_user"],
)
def test_each_person_reaches_exactly_their_own(request, people, persona):
    rows = {name: make(user) for name, user in people.items()}
    user = request.getfixturevalue(persona)
    membership = membership_of(user)
    assert list(restrict(Notification.objects.all(), membership, "notification_view")) == [
        rows[persona.removesuffix("_user")]
    ]
    for name, row in rows.items():
        assert allows(membership, "notification_view", row) == (row.user_id == user.pk), name


def test_a_person_with_two_roles_reaches_theirs_from_either(world, senco_a_user):
    one = make(senco_a_user)
    governor_b = Membership.objects.create(user=senco_a_user, school=world.school_b, role=Role.GOVERNOR)
    two = make(senco_a_user, governor_b)
    for membership in senco_a_user.memberships.all():
        assert set(restrict(Notification.objects.all(), membership, "notification_view")) == {one, two}


def test_an_ended_role_reaches_nothing(world, senco_a_user):
    make(senco_a_user)
    membership = membership_of(senco_a_user)
    membership.is_active = False
    assert restrict(Notification.objects.all(), membership, "notification_view").count() == 0


def test_preferences_are_personal_rows_too(world, senco_a_user, headteacher_a_user):
    mine = Preference.objects.create(user=senco_a_user)
    Preference.objects.create(user=headteacher_a_user)
    assert list(restrict(Preference.objects.all(), membership_of(senco_a_user), "notification_settings")) == [
        mine
    ]


def test_the_services_refuse_another_persons_notification_whatever_calls_them(world, people):
    from notifications import services
    from sendplan.policy import NotAllowed

    theirs = make(people["senco_a"])
    for name in ("headteacher_a", "governor_a", "senco_b", "la_officer_x"):
        with pytest.raises(NotAllowed):
            services.notifications_mark_read(by=membership_of(people[name]), notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_ended_role_cannot_change_the_preference(world, senco_a_user):
    from notifications import services
    from sendplan.policy import NotAllowed

    membership = membership_of(senco_a_user)
    membership.is_active = False
    with pytest.raises(NotAllowed):
        services.preference_save(by=membership, email=Preference.Email.OFF)
    assert not Preference.objects.exists()
