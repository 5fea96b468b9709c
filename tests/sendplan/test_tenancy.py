"""Tenancy beyond the URL walk: the LA home, choosing an organisation, invitations, removing people."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendplan import services
from sendplan.models import Invitation, Membership, Role, User
from tests.conftest import membership_of, sign_in
from tests.factories import MembershipFactory, SchoolFactory

GOOD_PASSWORD = "plum tractor lantern 42"


def invite(client: Client, on_commit, **data):
    with on_commit(execute=True):
        return client.post(reverse("sendplan:invite"), data)


def link_token(message) -> str:
    match = re.search(r"/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


# --- the LA home ------------------------------------------------------------------------------------


def test_la_home_lists_only_the_las_schools(world, la_officer_x):
    SchoolFactory(name="Another X school", local_authority=world.la_x)
    SchoolFactory(name="Another Y school", local_authority=world.la_y)
    response = la_officer_x.get("/")
    names = [s.name for s in response.context["schools"]]
    assert names == ["Another X school", "School A"]
    html = response.content.decode()
    assert "School B" not in html and "Another Y school" not in html


# The LA home's queries (tests/notifications/test_todo.py says what they are): 12, and 1 looking for the
# rounds' closing dates (there are none here).
LA_HOME_QUERIES = 13


def test_la_home_query_count_does_not_grow_with_schools(world, la_officer_x, django_assert_max_num_queries):
    with django_assert_max_num_queries(LA_HOME_QUERIES):
        la_officer_x.get("/")
    for _ in range(15):
        MembershipFactory(role=Role.GOVERNOR, school=SchoolFactory(local_authority=world.la_x))
    with django_assert_max_num_queries(LA_HOME_QUERIES):
        assert len(la_officer_x.get("/").context["schools"]) == 16


# --- choosing an organisation -----------------------------------------------------------------------


@pytest.fixture
def two_roles(world, senco_a_user):
    """The SENCO at school A is also a governor at school B."""
    governor_b = MembershipFactory(user=senco_a_user, role=Role.GOVERNOR, school=world.school_b)
    return sign_in(senco_a_user), membership_of_role(senco_a_user, Role.SENCO), governor_b


def membership_of_role(user, role) -> Membership:
    return user.memberships.get(role=role)


def test_a_person_with_two_roles_chooses_one(two_roles):
    client, senco, governor_b = two_roles
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/choose-organisation/?next=%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "School A (SENCO)" in html and "School B (Governor)" in html

    response = client.post("/choose-organisation/", {"membership": str(governor_b.public_id), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.context["school"].name == "School B"
    assert 'School B <span class="app-acting-for__role">(Governor)</span>' in home.content.decode()
    assert "Switch organisation" in home.content.decode()

    client.post("/choose-organisation/", {"membership": str(senco.public_id), "next": "/"})
    home = client.get("/")
    assert home.context["school"].name == "School A"
    assert 'School A <span class="app-acting-for__role">(SENCO)</span>' in home.content.decode()


def test_someone_elses_membership_cannot_be_chosen(two_roles, senco_b_user):
    client, senco, _ = two_roles
    client.post("/choose-organisation/", {"membership": str(senco.public_id)})
    foreign = membership_of(senco_b_user)
    response = client.post("/choose-organisation/", {"membership": str(foreign.public_id)})
    assert response.status_code == 200
    assert response.context["form"].errors["membership"]
    assert "Error: " in response.content.decode().split("</title>")[0]
    assert client.get("/").context["school"].name == "School A"  # unchanged


def test_the_page_asked_for_survives_the_choice(two_roles):
    client, senco, _ = two_roles
    response = client.get("/reports/?a=1&b=2")
    assert response["Location"] == "/choose-organisation/?next=%2Freports%2F%3Fa%3D1%26b%3D2"
    page = client.get(response["Location"])
    assert 'name="next" value="/reports/?a=1&amp;b=2"' in page.content.decode()
    response = client.post(
        "/choose-organisation/", {"membership": str(senco.public_id), "next": "/reports/?a=1&b=2"}
    )
    assert response["Location"] == "/reports/?a=1&b=2"


def test_choosing_does_not_redirect_off_site(two_roles):
    client, senco, _ = two_roles
    response = client.post(
        "/choose-organisation/", {"membership": str(senco.public_id), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


# --- invitations --------------------------------------------------------------------------------------


def test_headteacher_invites_a_senco_who_accepts_once(
    world, headteacher_a, django_capture_on_commit_callbacks
):
    response = invite(
        headteacher_a, django_capture_on_commit_callbacks, email="New.Senco@Example.org", role="senco"
    )
    assert response.status_code == 302 and response["Location"] == reverse("sendplan:people")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.senco@example.org"]
    assert "School A" in message.subject
    token = link_token(message)
    invitation = Invitation.objects.get()
    assert invitation.school == world.school_a and invitation.role == Role.SENCO
    assert token not in invitation.token_hash  # only the hash is stored
    assert "new.senco@example.org" in headteacher_a.get(reverse("sendplan:people")).content.decode()

    newcomer = Client()
    url = reverse("invitation_accept", args=[token])
    assert newcomer.get(url).status_code == 200
    response = newcomer.post(
        url, {"full_name": "Nia Senco", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="new.senco@example.org")
    assert user.full_name == "Nia Senco" and user.check_password(GOOD_PASSWORD)
    assert Membership.objects.active().filter(user=user, school=world.school_a, role=Role.SENCO).exists()
    # a SENCO reaches pupil data, so the first thing they must do is set up MFA
    assert newcomer.get("/")["Location"] == reverse("mfa_activate_totp")
    assert newcomer.get(reverse("mfa_activate_totp")).status_code == 200  # no second password prompt

    # single use: the link is dead now, for anyone
    assert Client().get(url).status_code == 410
    response = Client().post(
        url, {"full_name": "Someone", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 410
    assert User.objects.filter(email="new.senco@example.org").count() == 1


def test_an_invitation_expires_after_7_days(headteacher_a, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as traveller:  # now: the session is fresh
        response = invite(
            headteacher_a, django_capture_on_commit_callbacks, email="gov@example.org", role="governor"
        )
        assert response.status_code == 302
        url = reverse("invitation_accept", args=[link_token(mail.outbox[0])])
        traveller.shift(timedelta(days=7) - timedelta(seconds=1))
        assert Client().get(url).status_code == 200
        traveller.shift(timedelta(seconds=2))
        assert Client().get(url).status_code == 410
        response = Client().post(
            url, {"full_name": "Late", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
        assert response.status_code == 410
    assert not User.objects.filter(email="gov@example.org").exists()


def test_a_governor_invitation_leads_to_no_mfa_set_up(
    world, headteacher_a, django_capture_on_commit_callbacks
):
    invite(headteacher_a, django_capture_on_commit_callbacks, email="gov@example.org", role="governor")
    newcomer = Client()
    newcomer.post(
        reverse("invitation_accept", args=[link_token(mail.outbox[0])]),
        {"full_name": "Gail Governor", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert newcomer.get("/").status_code == 200


def test_la_admin_invites_an_officer_and_a_headteacher_in_their_la(
    world, la_admin_x, django_capture_on_commit_callbacks
):
    invite(
        la_admin_x,
        django_capture_on_commit_callbacks,
        email="officer@example.org",
        role="la_officer",
        school="",
    )
    invite(
        la_admin_x,
        django_capture_on_commit_callbacks,
        email="head@example.org",
        role="headteacher",
        school=str(world.school_a.public_id),
    )
    officer = Invitation.objects.get(email="officer@example.org")
    assert officer.local_authority == world.la_x and officer.school is None
    head = Invitation.objects.get(email="head@example.org")
    assert head.school == world.school_a and head.local_authority is None
    assert [m.to for m in mail.outbox] == [["officer@example.org"], ["head@example.org"]]


def test_la_admin_cannot_invite_to_a_school_in_another_la(
    world, la_admin_x, la_admin_x_user, django_capture_on_commit_callbacks
):
    response = invite(
        la_admin_x,
        django_capture_on_commit_callbacks,
        email="head@example.org",
        role="headteacher",
        school=str(world.school_b.public_id),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["school"]
    # and the service refuses it whatever the form does
    with pytest.raises(services.DomainError):
        services.invitation_create(
            by=membership_of(la_admin_x_user),
            email="head@example.org",
            role="headteacher",
            school=world.school_b,
        )
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "persona,role,school",
    [
        ("headteacher_a", "la_officer", None),  # not a school role
        ("la_admin_x", "senco", ""),  # a school role needs a school
        ("la_admin_x", "governor", "school_a"),  # governors are the headteacher's to invite
    ],
)
def test_roles_a_person_may_not_invite_are_refused(
    request, world, persona, role, school, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(persona)
    data = {"email": "x@example.org", "role": role}
    if school is not None:
        data["school"] = str(world.school_a.public_id) if school else ""
    response = invite(client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1234", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("1234567890123", "This password is entirely numeric."),
    ],
)
def test_accepting_checks_the_password_rules(
    headteacher_a, django_capture_on_commit_callbacks, password, message
):
    invite(headteacher_a, django_capture_on_commit_callbacks, email="new@example.org", role="senco")
    url = reverse("invitation_accept", args=[link_token(mail.outbox[0])])
    response = Client().post(url, {"full_name": "Nia", "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert not User.objects.filter(email="new@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_signed_in_person_accepts_an_invitation_for_their_email(
    world, headteacher_a, senco_b, senco_b_user, django_capture_on_commit_callbacks
):
    invite(headteacher_a, django_capture_on_commit_callbacks, email=senco_b_user.email, role="governor")
    url = reverse("invitation_accept", args=[link_token(mail.outbox[0])])
    assert senco_b.get(url).status_code == 200
    response = senco_b.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("choose_organisation")
    assert senco_b_user.memberships.filter(school=world.school_a, role=Role.GOVERNOR).exists()


def test_an_invitation_for_someone_else_is_refused(
    headteacher_a, senco_b, senco_b_user, django_capture_on_commit_callbacks
):
    invite(
        headteacher_a, django_capture_on_commit_callbacks, email="someone.else@example.org", role="governor"
    )
    url = reverse("invitation_accept", args=[link_token(mail.outbox[0])])
    response = senco_b.post(url)
    assert response.status_code == 302
    assert senco_b_user.memberships.count() == 1
    assert Invitation.objects.get().accepted_at is None


# --- removing people ----------------------------------------------------------------------------------


def test_headteacher_removes_a_governor(world, headteacher_a, governor_a, governor_a_user):
    membership = membership_of(governor_a_user)
    assert governor_a.get("/").status_code == 200
    response = headteacher_a.post(reverse("sendplan:membership_remove", args=[membership.public_id]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert governor_a_user.email not in headteacher_a.get(reverse("sendplan:people")).content.decode()
    assert governor_a.get("/").status_code == 403  # their next request no longer acts for the school


def test_headteacher_cannot_remove_someone_at_another_school(headteacher_a, senco_b_user):
    membership = membership_of(senco_b_user)
    response = headteacher_a.post(reverse("sendplan:membership_remove", args=[membership.public_id]))
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active is True


def test_headteacher_cannot_remove_their_own_role(headteacher_a, headteacher_a_user):
    membership = membership_of(headteacher_a_user)
    response = headteacher_a.post(
        reverse("sendplan:membership_remove", args=[membership.public_id]), follow=True
    )
    assert "You cannot remove your own role." in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active is True


def test_la_admin_removes_a_headteacher_in_their_la_only(world, la_admin_x, headteacher_a_user, senco_b_user):
    ours, theirs = membership_of(headteacher_a_user), membership_of(senco_b_user)
    assert la_admin_x.post(reverse("sendplan:membership_remove", args=[theirs.public_id])).status_code == 404
    assert la_admin_x.post(reverse("sendplan:membership_remove", args=[ours.public_id])).status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.is_active is False and theirs.is_active is True


# --- an LA cannot give its own staff pupil-level access (security review, finding 1) -------------------


def test_an_la_admin_cannot_make_themself_senco_of_a_school(
    world, la_admin_x, la_admin_x_user, django_capture_on_commit_callbacks
):
    response = invite(
        la_admin_x,
        django_capture_on_commit_callbacks,
        email=la_admin_x_user.email,
        role="senco",
        school=str(world.school_a.public_id),
    )
    assert response.status_code == 200
    assert "works for the local authority" in str(response.context["form"].errors)
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_la_officer_cannot_be_given_a_school_role_by_the_la(world, la_admin_x_user, la_officer_x_user):
    with pytest.raises(services.DomainError, match="works for the local authority"):
        services.invitation_create(
            by=membership_of(la_admin_x_user),
            email=la_officer_x_user.email,
            role="headteacher",
            school=world.school_a,
        )


def test_an_invitation_sent_before_the_person_joined_the_la_cannot_be_used(
    world, la_admin_x_user, django_capture_on_commit_callbacks
):
    """The check runs again on acceptance: the address may have joined the LA since the link was sent."""
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invitation_create(
            by=membership_of(la_admin_x_user), email="later@example.org", role="senco", school=world.school_a
        )
    user = User.objects.create_user("later@example.org", GOOD_PASSWORD)
    MembershipFactory(user=user, local_authority=world.la_x, school=None, role=Role.LA_OFFICER)
    with pytest.raises(services.InvitationNotUsable):
        services.invitation_accept(token=token, user=user)
    assert not user.memberships.filter(school=world.school_a).exists()


def test_once_a_school_has_a_headteacher_the_school_staffs_itself(world, headteacher_a_user, la_admin_x_user):
    with pytest.raises(services.DomainError, match="has a headteacher"):
        services.invitation_create(
            by=membership_of(la_admin_x_user),
            email="new.senco@example.org",
            role="senco",
            school=world.school_a,
        )


def test_the_school_sees_who_gave_each_person_access_and_since_when(
    world, la_admin_x_user, django_capture_on_commit_callbacks
):
    la_admin_x_user.full_name = "Chris Taylor"
    la_admin_x_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invitation_create(
            by=membership_of(la_admin_x_user), email="first.head@example.org", role="headteacher",
            school=world.school_a,
        )  # fmt: skip
    with time_machine.travel("2026-03-03 10:00", tick=False):
        head = services.invitation_accept(token=token, full_name="Priya Shah", password=GOOD_PASSWORD)
    TOTP.activate(head, generate_totp_secret())
    page = sign_in(head).get(reverse("sendplan:people")).content.decode()
    assert "Invited by Chris Taylor (LA admin, LA X), since 3 March 2026" in page


def test_a_pupils_access_log_shows_how_the_viewer_came_to_have_access(
    world, headteacher_a_user, django_capture_on_commit_callbacks
):
    from ehcp.models import Pupil
    from sendplan.models import AccessEvent
    from tests.ehcp.factories import PupilFactory

    headteacher_a_user.full_name = "Priya Shah"
    headteacher_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invitation_create(
            by=membership_of(headteacher_a_user), email="new.senco@example.org", role="senco"
        )
    senco = services.invitation_accept(token=token, full_name="Sam Okafor", password=GOOD_PASSWORD)
    pupil: Pupil = PupilFactory(school=world.school_a)
    TOTP.activate(senco, generate_totp_secret())
    sign_in(senco).get(reverse("ehcp:pupil_detail", args=[pupil.public_id]))
    event = AccessEvent.objects.get(pupil_id=pupil.public_id)
    assert event.actor_origin.startswith("Invited by Priya Shah (Headteacher, School A), since ")
