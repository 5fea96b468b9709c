"""Sessions: the login rate limit, idle and absolute timeouts, logout, deactivation, key rotation.

Everything goes through the real login view and the real (database) session backend; time moves with
time_machine, which Django's session expiry and our middleware both read.
"""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from sendplan import services
from sendplan.models import Membership
from sendplan.sessions import SessionStore
from tests.conftest import membership_of, sign_in
from tests.sendplan.helpers import enrol_totp, post_password, sign_in_with_totp

START = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC)
TOO_MANY = "Too many failed login attempts. Try again later."


def signed_out(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_settings_say_30_minutes_idle_and_12_hours_at_most():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60


def test_repeated_failed_logins_for_one_email_are_refused(senco_a_user):
    client = Client()
    for _ in range(5):
        response = post_password(client, senco_a_user.email, "not-the-password")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()
    response = post_password(client, senco_a_user.email, "not-the-password")
    assert response.status_code == 200
    assert TOO_MANY in response.context["form"].non_field_errors()
    assert "Error: " in response.content.decode().split("</title>")[0]
    # even the right password is refused now, from another client (the limit is on the email)
    response = post_password(Client(), senco_a_user.email)
    assert response.status_code == 200
    assert TOO_MANY in response.context["form"].non_field_errors()


def test_the_limit_is_per_email(senco_a_user, governor_a_user):
    client = Client()
    for _ in range(6):
        post_password(client, senco_a_user.email, "not-the-password")
    response = post_password(Client(), governor_a_user.email)
    assert response.status_code == 302 and response["Location"] == "/"


def test_idle_for_30_minutes_signs_out(senco_a_user):
    secret = enrol_totp(senco_a_user)
    with time_machine.travel(START, tick=False) as traveller:
        client = Client()
        assert sign_in_with_totp(client, senco_a_user, secret)["Location"] == "/"
        assert client.get("/").status_code == 200
        for _ in range(3):  # activity keeps the session alive
            traveller.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        assert signed_out(client)


def test_twelve_hours_after_sign_in_the_session_ends_however_active(senco_a_user):
    secret = enrol_totp(senco_a_user)
    with time_machine.travel(START, tick=False) as traveller:
        client = Client()
        sign_in_with_totp(client, senco_a_user, secret)
        assert client.get("/").status_code == 200
        for _ in range(28):  # 11 hours 40 minutes of steady use
            traveller.shift(timedelta(minutes=25))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=25))  # 12 hours 5 minutes
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == reverse("account_login")
        assert signed_out(client)
        page = client.get(reverse("account_login"))
        assert "session reached 12 hours" in page.content.decode()


def test_logout_invalidates_the_session_cookie(senco_a):
    old_cookie = senco_a.cookies[settings.SESSION_COOKIE_NAME].value
    assert senco_a.get("/").status_code == 200
    response = senco_a.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=old_cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert signed_out(replay)


def test_deactivating_a_user_ends_their_session_on_the_next_request(senco_a, senco_a_user):
    assert senco_a.get("/").status_code == 200
    senco_a_user.is_active = False
    senco_a_user.save(update_fields=["is_active"])
    assert signed_out(senco_a)


def test_a_deactivated_user_cannot_sign_in_again(senco_a_user):
    enrol_totp(senco_a_user)
    senco_a_user.is_active = False
    senco_a_user.save(update_fields=["is_active"])
    client = Client()
    response = post_password(client, senco_a_user.email)
    assert response.status_code == 302  # to allauth's "account inactive" page, never the MFA step
    assert response["Location"] == reverse("account_inactive")
    assert client.get(response["Location"]).status_code == 200
    assert signed_out(client)


def test_removing_a_membership_removes_access(headteacher_a, senco_a, senco_a_user, headteacher_a_user):
    assert senco_a.get(reverse("sendplan:report_list")).status_code == 200
    services.membership_deactivate(
        membership=membership_of(senco_a_user), by=membership_of(headteacher_a_user)
    )
    assert not Membership.objects.active().filter(user=senco_a_user).exists()
    assert senco_a.get(reverse("sendplan:report_list")).status_code == 403
    assert senco_a.get("/").status_code == 403


@pytest.mark.parametrize("with_mfa", [True, False])
def test_the_session_id_rotates_at_sign_in(senco_a_user, governor_a_user, with_mfa):
    user = senco_a_user if with_mfa else governor_a_user
    client = Client()
    anonymous_key = client.session.session_key  # an anonymous session, as a visitor would have
    assert anonymous_key
    if with_mfa:
        sign_in_with_totp(client, user, enrol_totp(user))
    else:
        post_password(client, user.email)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert client.get("/").status_code == 200


def test_sign_in_helper_sessions_expire_too(senco_a_user):
    """The persona clients other tests use obey the same idle limit (they are real sessions)."""
    with time_machine.travel(START, tick=False) as traveller:
        client = sign_in(senco_a_user)
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert signed_out(client)


# --- behind the shipped proxy, each client has its own sign-in limit -----------------------------------------


def test_behind_one_proxy_each_client_address_has_its_own_limit(settings, world):
    """nginx (deploy/nginx.conf) sets X-Forwarded-For to the client's address and is one proxy: with
    TRUSTED_PROXY_COUNT=1 the limit per address (10 a minute) falls on that client, not on everyone."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    nginx = {"REMOTE_ADDR": "172.18.0.5"}  # every request reaches gunicorn from the proxy
    for n in range(10):  # ten different addresses, so the limit per email never applies
        client = Client(HTTP_X_FORWARDED_FOR="198.51.100.1", **nginx)
        response = post_password(client, f"nobody{n}@example.org", "not-the-password")
        assert TOO_MANY not in response.content.decode()
    blocked = post_password(Client(HTTP_X_FORWARDED_FOR="198.51.100.1", **nginx), "x@example.org", "nope")
    assert TOO_MANY in blocked.content.decode()
    other = post_password(Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **nginx), "y@example.org", "nope")
    assert TOO_MANY not in other.content.decode()  # another person behind the same proxy signs in freely


# --- a session that cannot be saved because the database went away: an outage (500), not a bad request --


@pytest.mark.django_db
def test_a_lost_connection_while_saving_is_raised_as_itself():
    session = SessionStore()
    session["x"] = 1
    session.save()
    lost = OperationalError("server closed the connection")
    with mock.patch("django.db.models.Model.save", side_effect=lost), pytest.raises(OperationalError):
        session.save()


@pytest.mark.django_db
def test_a_session_deleted_meanwhile_is_still_an_update_error():
    session = SessionStore()
    session["x"] = 1
    session.save()
    SessionStore().delete(session.session_key)
    with pytest.raises(UpdateError):
        session.save()
