"""Nobody changes their sign-in address themselves: allauth's e-mail pages are gone, addresses change in
the admin, and an invited person can always enrol in MFA (an unverified address used to block it)."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from sendplan.models import User
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.sendplan.helpers import enrol_totp, post_password, totp_code

pytestmark = pytest.mark.django_db

EMAIL_PAGE = "/accounts/email/"
ACTIVATE = reverse("mfa_activate_totp")
PASSWORD = "plum tractor lantern 42"


@pytest.mark.parametrize("persona", ["senco_a", "governor_a", "la_admin_x", "anonymous"])
def test_the_email_page_is_not_found_for_anyone(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(EMAIL_PAGE).status_code == 404
    response = client.post(EMAIL_PAGE, {"email": "someone.else@example.org", "action_add": ""})
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="someone.else@example.org").exists()


def test_no_page_links_to_email_management(senco_a):
    for url in (reverse("home"), reverse("mfa_index"), reverse("account_change_password")):
        page = senco_a.get(url).content.decode()
        assert EMAIL_PAGE not in page, url


def accept_invitation_as_senco(headteacher_a, django_capture_on_commit_callbacks) -> tuple[Client, User]:
    with django_capture_on_commit_callbacks(execute=True):
        headteacher_a.post(reverse("sendplan:invite"), {"email": "nia.senco@example.org", "role": "senco"})
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    client = Client()
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"full_name": "Nia Senco", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    return client, User.objects.get(email="nia.senco@example.org")


def enrol(client: Client, user: User) -> None:
    """Set up an authenticator app through allauth's own page, as the person would, and reach data."""
    assert client.get(reverse("home"))["Location"] == ACTIVATE  # a SENCO must enrol first
    page = client.get(ACTIVATE)
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_an_invited_senco_enrols_in_mfa_after_opening_the_email_page(
    world, headteacher_a, django_capture_on_commit_callbacks
):
    client, user = accept_invitation_as_senco(headteacher_a, django_capture_on_commit_callbacks)
    assert client.get(EMAIL_PAGE).status_code == 404
    enrol(client, user)


def test_an_invited_senco_enrols_in_mfa_after_asking_for_a_password_reset(
    world, headteacher_a, django_capture_on_commit_callbacks
):
    client, user = accept_invitation_as_senco(headteacher_a, django_capture_on_commit_callbacks)
    # Asking for a reset makes allauth record the address; it must not count as unverified.
    Client().post(reverse("account_reset_password"), {"email": user.email})
    assert EmailAddress.objects.filter(user=user, verified=False).count() == 0
    enrol(client, user)


def test_the_invited_address_is_recorded_as_verified(
    world, headteacher_a, django_capture_on_commit_callbacks
):
    _, user = accept_invitation_as_senco(headteacher_a, django_capture_on_commit_callbacks)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("nia.senco@example.org", True, True)
    ]


@pytest.fixture
def admin_client(db) -> Client:
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    enrol_totp(staff)
    return sign_in(staff)


def test_an_address_changed_in_the_admin_replaces_the_old_one(admin_client, senco_a_user):
    EmailAddress.objects.create(user=senco_a_user, email=senco_a_user.email, verified=True, primary=True)
    old = senco_a_user.email
    response = admin_client.post(
        reverse("admin:sendplan_user_change", args=[senco_a_user.pk]),
        {"email": "new.senco.a@example.org", "full_name": "Sam Senco", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    senco_a_user.refresh_from_db()
    assert senco_a_user.email == "new.senco.a@example.org"
    assert list(
        EmailAddress.objects.filter(user=senco_a_user).values_list("email", "verified", "primary")
    ) == [("new.senco.a@example.org", True, True)]
    # the old address no longer signs in; the new one does
    assert post_password(Client(), old).status_code == 200  # the form again, with its error
    assert post_password(Client(), "new.senco.a@example.org").status_code == 302
