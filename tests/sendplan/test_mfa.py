"""MFA is required for every role that reaches pupil data, through allauth's real pages.

Codes come from allauth's own TOTP functions, so each test types what an authenticator app would show.
"""

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from sendplan.models import Role
from sendplan.policy import POLICY
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.sendplan.helpers import (
    enrol_totp,
    post_code,
    post_password,
    recovery_codes,
    sign_in_with_totp,
    totp_code,
)
from tests.test_url_access import OUR_URLS, sample_kwargs

ACTIVATE = reverse("mfa_activate_totp")
# 12:00:05 UTC: five seconds into a 30-second TOTP window, so a frozen test never straddles two codes.
FROZEN = "2026-11-23 12:00:05+00:00"


@pytest.fixture
def senco_without_mfa(world):
    user = UserFactory(email="new.senco@example.org")
    MembershipFactory(user=user, role=Role.SENCO, school=world.school_a)
    return user


@pytest.fixture
def staff_without_mfa(db):
    return UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)


def data_urls(world):
    """Yield every URL of ours that is not public, with sample rows owned by school A."""
    for _route, name, callback, kwargs in OUR_URLS:
        if POLICY[callback.action].public:
            continue
        yield reverse(name, kwargs=sample_kwargs(name, kwargs, world))


def test_senco_without_mfa_reaches_no_data_page(world, senco_without_mfa):
    client = Client()
    client.force_login(senco_without_mfa)
    urls = list(data_urls(world))
    assert len(urls) >= 8  # the walk really covers the site
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
            assert response["Location"] == ACTIVATE, f"{method.upper()} {url} went to {response['Location']}"


def test_senco_without_mfa_is_not_sent_away_from_public_pages(senco_without_mfa):
    client = Client()
    client.force_login(senco_without_mfa)
    for name in ("accessibility", "privacy"):
        assert client.get(reverse(name)).status_code == 200


def test_staff_without_mfa_cannot_reach_the_admin(staff_without_mfa):
    client = Client()
    client.force_login(staff_without_mfa)
    for url in ("/admin/", "/admin/sendplan/user/", "/admin/sendplan/school/add/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, url


def test_staff_with_mfa_done_reaches_the_admin(staff_without_mfa):
    enrol_totp(staff_without_mfa)
    response = sign_in(staff_without_mfa).get("/admin/")
    assert response.status_code == 200
    assert b"sendplan administration" in response.content


def test_admin_login_page_sends_people_to_allauth(db):
    response = Client().get("/admin/login/?next=/admin/sendplan/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/sendplan/user/"
    response = Client().get("/admin/")
    assert response.status_code == 302
    # the admin sends anonymous people to its own login, which hands them to allauth's
    assert Client().get(response["Location"])["Location"].startswith("/accounts/login/?next=")


def test_signed_in_non_staff_gets_403_from_the_admin_not_a_redirect_loop(governor_a):
    response = governor_a.get("/admin/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 403


def test_enrolling_through_allauth_then_reaches_data(senco_without_mfa):
    client = Client()
    response = post_password(client, senco_without_mfa.email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == ACTIVATE

    # A fresh login does not count as recent authentication: allauth asks for the password again.
    response = client.get(ACTIVATE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == ACTIVATE

    response = client.get(ACTIVATE)
    assert response.status_code == 200
    secret = response.context["form"].secret
    assert secret.encode() in response.content  # shown for people who cannot scan the QR code

    response = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert response.status_code == 200  # a wrong code is refused, nothing enrolled
    assert not Authenticator.objects.filter(user=senco_without_mfa, type="totp").exists()

    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=senco_without_mfa, type="totp").exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200

    home = client.get("/")
    assert home.status_code == 200
    assert "sendplan/home_school.html" in [t.name for t in home.templates]


@pytest.mark.parametrize(
    "persona,template",
    [
        ("senco_a", "sendplan/home_school.html"),
        ("headteacher_a", "sendplan/home_school.html"),
        ("la_officer_x", "sendplan/home_la.html"),
        ("la_admin_x", "sendplan/home_la.html"),
    ],
)
def test_password_then_totp_lands_on_the_role_home(request, persona, template):
    user = request.getfixturevalue(f"{persona}_user")
    secret = enrol_totp(user)
    client = Client()
    response = post_password(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/")["Location"].startswith("/accounts/login/")  # not signed in yet
    response = post_code(client, totp_code(secret))
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert template in [t.name for t in home.templates]


def test_wrong_totp_code_is_refused(senco_a_user):
    secret = enrol_totp(senco_a_user)
    client = Client()
    post_password(client, senco_a_user.email)
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)
    response = post_code(client, wrong)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/")["Location"].startswith("/accounts/login/")


@time_machine.travel(FROZEN, tick=False)
def test_a_used_totp_code_is_refused_the_second_time(senco_a_user):
    secret = enrol_totp(senco_a_user)
    first = Client()
    response = sign_in_with_totp(first, senco_a_user, secret)
    assert response.status_code == 302 and response["Location"] == "/"

    second = Client()
    assert post_password(second, senco_a_user.email)["Location"] == reverse("mfa_authenticate")
    response = post_code(second, totp_code(secret))  # the same code, in the same 30 seconds
    assert response.status_code == 200
    assert "Incorrect code." in response.context["form"].errors["code"]
    assert second.get("/")["Location"].startswith("/accounts/login/")


def test_recovery_codes_work_once(senco_a_user):
    enrol_totp(senco_a_user)
    code = recovery_codes(senco_a_user)[0]
    first = Client()
    post_password(first, senco_a_user.email)
    response = post_code(first, code)
    assert response.status_code == 302 and response["Location"] == "/"
    assert first.get("/").status_code == 200
    assert code not in recovery_codes(senco_a_user)

    second = Client()
    post_password(second, senco_a_user.email)
    response = post_code(second, code)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert second.get("/")["Location"].startswith("/accounts/login/")


def test_enrolled_session_without_the_mfa_step_is_signed_out(senco_a_user):
    client = Client()
    client.force_login(senco_a_user)  # a session with no record of the MFA step
    response = client.get(reverse("sendplan:report_list") + "?page=2&sort=date")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Freports%2F%3Fpage%3D2%26sort%3Ddate"
    # signed out for good, not just redirected once
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_governors_are_not_forced_to_enrol(governor_a_user):
    assert not Authenticator.objects.filter(user=governor_a_user).exists()
    client = Client()
    response = post_password(client, governor_a_user.email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(reverse("sendplan:report_list")).status_code == 200


def test_governor_who_is_also_a_senco_must_enrol(world, governor_a_user):
    MembershipFactory(user=governor_a_user, role=Role.SENCO, school=world.school_b)
    client = Client()
    client.force_login(governor_a_user)
    assert client.get("/")["Location"] == ACTIVATE
