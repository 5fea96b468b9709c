"""Helpers for driving allauth's real sign-in pages from the Django test client."""

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from sendplan.models import User
from tests.factories import TEST_PASSWORD


def totp_code(secret: str) -> str:
    """Return the authentication code an authenticator app would show now.

    A code read in the last seconds of its 30-second window may reach the server after the window has
    turned (the service accepts no other window), so, as a person would, wait for the next code then.
    """
    period = 30
    left = period - time.time() % period
    if left < 4:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def enrol_totp(user: User) -> str:
    """Replace the user's TOTP authenticator with one whose secret we know; return the secret."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def recovery_codes(user: User) -> list[str]:
    """Give the user recovery codes (if they have none) and return the unused ones."""
    return RecoveryCodes.activate(user).get_unused_codes()


def post_password(client: Client, email: str, password: str = TEST_PASSWORD, next_url: str = ""):
    """Submit allauth's login form; return the response (not followed)."""
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def post_code(client: Client, code: str):
    """Submit the MFA step of sign-in; return the response (not followed)."""
    return client.post(reverse("mfa_authenticate"), {"code": code})


def sign_in_with_totp(client: Client, user: User, secret: str, password: str = TEST_PASSWORD):
    """Sign in through the real pages: password, then the authentication code. Return the last response."""
    response = post_password(client, user.email, password)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("mfa_authenticate")
    return post_code(client, totp_code(secret))


def error_texts(response) -> list[str]:
    """Return the texts of the GOV.UK error messages on a page."""
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li><a href=\"#[^\"]*\">(.*?)</a></li>", html)
    ]
