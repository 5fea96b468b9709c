"""Bad input on the foundation's forms: 200, the error summary, "Error:" in the title, input kept, nothing saved."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from sendplan.models import Invitation, School, User
from tests.factories import TEST_PASSWORD


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def summary_errors(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert block, "no error summary on the page"
    return re.findall(r'<li><a href="#[^"]+">(.*?)</a></li>', block.group(0))


def assert_error_page(response, *messages: str) -> None:
    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    errors = summary_errors(response)
    for message in messages:
        assert message in errors, errors


def test_school_add_with_a_bad_urn(la_admin_x):
    before = School.objects.count()
    response = la_admin_x.post(
        reverse("sendplan:school_add"),
        {"name": "Brook Lane Primary", "urn": "12ab5", "phase": "primary", "school_type": "community"},
    )
    assert_error_page(response, "Enter a URN of 6 digits, like 123456")
    html = response.content.decode()
    assert 'value="Brook Lane Primary"' in html and 'value="12ab5"' in html
    assert re.search(r'value="primary"[^>]*checked', html)
    assert School.objects.count() == before


def test_school_add_with_a_urn_already_registered(world, la_admin_x):
    response = la_admin_x.post(
        reverse("sendplan:school_add"),
        {"name": "Copy of A", "urn": world.school_b.urn, "phase": "primary", "school_type": "community"},
    )
    assert_error_page(response, "A school with this URN is already registered")
    assert not School.objects.filter(name="Copy of A").exists()


def test_school_add_with_nothing_filled_in(la_admin_x):
    before = School.objects.count()
    response = la_admin_x.post(reverse("sendplan:school_add"), {})
    assert_error_page(
        response, "Enter school name", "Enter the school&#x27;s URN", "Select phase", "Select type of school"
    )
    # the radio error links to the first radio, which exists on the page
    href = re.search(r'<li><a href="#([^"]+)">Select phase</a>', response.content.decode()).group(1)
    assert f'id="{href}"' in response.content.decode()
    assert School.objects.count() == before


def test_school_add_works_with_good_input(world, la_admin_x):
    response = la_admin_x.post(
        reverse("sendplan:school_add"),
        {"name": "Brook Lane Primary", "urn": "123456", "phase": "primary", "school_type": "community"},
    )
    assert response.status_code == 302
    assert School.objects.get(urn="123456").local_authority == world.la_x


def test_invite_with_a_bad_email(headteacher_a):
    response = headteacher_a.post(reverse("sendplan:invite"), {"email": "not an email", "role": "senco"})
    assert_error_page(response, "Enter an email address in the correct format, like name@example.org")
    html = response.content.decode()
    assert 'value="not an email"' in html
    assert re.search(r'value="senco"[^>]*checked', html)
    assert not Invitation.objects.exists() and not mail.outbox


def test_accept_invitation_with_mismatched_passwords(headteacher_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        headteacher_a.post(reverse("sendplan:invite"), {"email": "new@example.org", "role": "senco"})
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    users = User.objects.count()
    response = Client().post(
        reverse("invitation_accept", args=[token]),
        {"full_name": "Nia Senco", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD + "x"},
    )
    assert_error_page(response, "Passwords do not match")
    assert 'value="Nia Senco"' in response.content.decode()
    assert User.objects.count() == users
    assert Invitation.objects.get().accepted_at is None


def test_login_with_a_wrong_password(senco_a_user):
    response = Client().post(reverse("account_login"), {"login": senco_a_user.email, "password": "wrong-one"})
    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    assert summary_errors(response)
    assert f'value="{senco_a_user.email}"' in response.content.decode()


def test_invite_with_an_address_too_long_to_store(headteacher_a):
    address = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # a valid form, but 312 characters
    response = headteacher_a.post(reverse("sendplan:invite"), {"email": address, "role": "senco"})
    assert_error_page(response, "Email address must be 254 characters or fewer")
    assert not Invitation.objects.exists() and not mail.outbox
